import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { scrubSecrets } from './secrets';

/** Daily API usage as Salesforce reports it in `Sforce-Limit-Info: api-usage=N/M`. */
export interface ApiUsage {
	used: number;
	max: number;
}

/** What n8n's request helpers, its OAuth client and Node put on the errors they throw. */
export interface SalesforceErrorLike {
	errorCode?: string;
	name?: string;
	message?: string;
	/** Node system error code (ECONNREFUSED, ...) or n8n's OAuth client code (EAUTH). */
	code?: string;
	/** n8n's OAuth client: the token endpoint's JSON answer. */
	body?: unknown;
	/** Added by the transport: the usage header of the answer that failed. */
	apiUsage?: ApiUsage;
}

/** A Salesforce error boiled down to what an admin needs; never holds a secret. */
export interface SalesforceErrorInfo {
	/** Salesforce's code (INVALID_LOGIN, invalid_grant, ...) or the network error code. */
	code: string;
	/** Salesforce's own message. */
	message: string;
	/** What to do about it. */
	description?: string;
	httpCode?: string;
	/** True when the only fix is to reconnect the OAuth2 credential. */
	reconnect?: boolean;
}

const MAX_MESSAGE_LENGTH = 600;
const UNKNOWN = 'UNKNOWN_ERROR';

/** Where in the life of a session an error happened. */
export type ErrorPhase = 'signIn' | 'tokenRefresh' | 'request' | 'download';

export interface SalesforceApiErrorOptions {
	/** Salesforce's code (INVALID_SESSION_ID, invalid_grant, ...) or ours (REDIRECT_REFUSED, ...). */
	code: string;
	httpStatus?: number;
	retryable?: boolean;
	apiUsage?: ApiUsage;
	phase?: ErrorPhase;
	/** Admin guidance that only the raiser knows (e.g. which OAuth flow failed); wins over GUIDANCE. */
	guidance?: string;
}

/**
 * The one error every Salesforce call of this package raises: REST, downloads, sign-in and
 * token refresh. The message is scrubbed of secrets and shortened when it is made.
 */
export class SalesforceApiError extends Error {
	readonly code: string;

	/** The same as `code`, under the name Salesforce's REST error bodies and the write path use. */
	readonly errorCode: string;

	readonly httpStatus?: number;

	/**
	 * The failure looks transient (502/503/504, network trouble): a read may be sent again. A
	 * write is still never simply repeated: its effect is unknown until the records are re-read.
	 */
	readonly retryable: boolean;

	/** The usage from the failing answer's own `Sforce-Limit-Info` header. */
	apiUsage?: ApiUsage;

	readonly phase?: ErrorPhase;

	readonly guidance?: string;

	constructor(message: string, options: SalesforceApiErrorOptions) {
		super(truncate(scrubSecrets(message)));
		this.name = 'SalesforceApiError';
		this.code = options.code;
		this.errorCode = options.code;
		this.httpStatus = options.httpStatus;
		this.retryable = options.retryable ?? false;
		this.apiUsage = options.apiUsage;
		this.phase = options.phase;
		this.guidance = options.guidance;
	}
}

/** Also true for an error from another copy of this module (each bundle has its own). */
export function isSalesforceApiError(error: unknown): error is SalesforceApiError {
	return (
		error instanceof SalesforceApiError ||
		(error as { name?: unknown } | null)?.name === 'SalesforceApiError'
	);
}

/**
 * Any error of a sign-in or token refresh (n8n's OAuth client's, the network's) as
 * a SalesforceApiError of that phase, keeping Salesforce's code and message.
 */
export function asSalesforceApiError(error: unknown, phase: ErrorPhase): SalesforceApiError {
	if (isSalesforceApiError(error)) return error;
	const { code, message } = extractCode(error);
	const e = (error ?? {}) as { statusCode?: unknown; status?: unknown };
	const status =
		typeof e.statusCode === 'number'
			? e.statusCode
			: typeof e.status === 'number'
				? e.status
				: undefined;
	return new SalesforceApiError(message, {
		code,
		httpStatus: status,
		retryable: Boolean(NETWORK_HELP[code]),
		phase,
	});
}

/** A credential that cannot work as filled in; raised before anything is sent. */
export class CredentialSetupError extends Error {
	readonly errorCode: string;

	constructor(message: string, errorCode = 'CREDENTIAL_INCOMPLETE') {
		super(message);
		this.name = 'CredentialSetupError';
		this.errorCode = errorCode;
	}
}

const PERMISSION_HELP =
	'Reading users and licenses needs "View Setup and Configuration"; login history and freeze, unfreeze, deactivate, activate and license changes need "Manage Users"; event log files need "View Event Log Files" (or "View All Data") and "API Enabled". Grant the missing one to the connected user through a permission set.';

const LOGIN_HELP =
	'Check the username and password. If the password is right, the security token may have been reset (a password change resets it): get a new one in Salesforce under Settings > Reset My Security Token and enter it in the credential. The user may also be locked out (Setup > Users), its profile may lack "API Enabled", or the profile\'s login IP ranges or login hours may block this sign-in.';

/** Admin guidance per Salesforce error code. */
const GUIDANCE: Record<string, string> = {
	INVALID_LOGIN: LOGIN_HELP,
	LOGIN_MUST_USE_SECURITY_TOKEN:
		"Salesforce wants the security token appended to the password because n8n signs in from outside the org's trusted IP ranges. Enter the security token in the credential (Salesforce: Settings > Reset My Security Token emails a new one), or add n8n's IP address to the trusted IP ranges.",
	API_CURRENTLY_DISABLED:
		'API access is disabled for this user: give the user "API Enabled" through its profile or a permission set. The org\'s edition must also include API access (Enterprise, Unlimited, Performance or Developer Edition).',
	API_DISABLED_FOR_ORG:
		"This org's edition does not include API access (it needs Enterprise, Unlimited, Performance or Developer Edition, or the API add-on).",
	INVALID_OPERATION_WITH_EXPIRED_PASSWORD:
		"The user's password has expired. Sign in to Salesforce in a browser as this user, set a new password, then enter it in the credential together with the new security token the password change emails.",
	INVALID_SESSION_ID:
		'Salesforce rejected the session even after signing in again. Someone may have ended the session or changed the session settings ("Lock sessions to the IP address from which they originated", session timeout); run the node again, and check the credential if it keeps happening.',
	REQUEST_LIMIT_EXCEEDED:
		'The org has used up its API requests for the rolling 24 hours. Wait until usage drops, reduce how often workflows run, or ask Salesforce for a higher limit (Setup > Company Information shows the usage).',
	INSUFFICIENT_ACCESS: PERMISSION_HELP,
	INSUFFICIENT_ACCESS_OR_READONLY: PERMISSION_HELP,
	INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: PERMISSION_HELP,
	MALFORMED_QUERY:
		'Salesforce could not parse the query this node built. This is most likely a bug in the node; please report it with this message.',
	INVALID_FIELD:
		'The connected user cannot see a field this node reads: field-level security hides it, or the org does not have the feature behind it. Give the user Read access to the field (Setup > Object Manager > field > Set Field-Level Security, or a permission set).',
	INVALID_TYPE:
		"The connected user cannot see an object this node reads, or the org does not have it (EventLogFile needs Event Monitoring or the free 1-day log files). Check the user's object permissions.",
	UNABLE_TO_LOCK_ROW:
		'Another process was changing the same record at the same moment. Run the node again (or turn on "Retry On Fail" in the node settings).',
	NOT_FOUND:
		'The record or resource does not exist, was deleted, or the connected user cannot see it (sharing settings).',
	INVALID_CROSS_REFERENCE_KEY:
		'The ID does not point to a record of the expected type, or the user cannot see it.',
	invalid_client_id:
		'Salesforce does not know this Client ID (consumer key). Copy it again from the connected app; a new connected app can take up to 10 minutes to become active.',
	invalid_client:
		'The Client ID or Client Secret is wrong. Copy the consumer key and consumer secret again from the connected app.',
	unsupported_grant_type:
		'The org does not allow the OAuth username-password flow. Turn on Setup > OAuth and OpenID Connect Settings > "Allow OAuth Username-Password Flows", or clear Client ID and Client Secret to sign in with the SOAP login instead.',
	inactive_user: 'The Salesforce user is inactive. Activate it, or use a different user.',
	inactive_org: 'The Salesforce org is locked, deleted or suspended.',
	CREDENTIAL_INCOMPLETE: 'Open the credential and fill in the missing fields.',
	UNTRUSTED_INSTANCE_URL:
		'Salesforce answers sign-ins with the address of the org, and this one is not a Salesforce address (https on salesforce.com, force.com, cloudforce.com, database.com, salesforce.mil or salesforce-setup.com, or the My Domain URL of the credential). Check the environment and My Domain URL of the credential, and any proxy or DNS setting that could have changed the answer; for an OAuth2 credential, reconnect it.',
	REDIRECT_REFUSED:
		'Salesforce, or something between n8n and Salesforce, answered with a redirect. The node never follows one, so the token cannot be led to another address. Check the My Domain URL of the credential (an old My Domain or instance URL redirects to the new one) and any proxy between n8n and Salesforce.',
	UNTRUSTED_URL:
		'Salesforce pointed the node to an address outside the org. The node refuses to send the token there; check any proxy between n8n and Salesforce, and report it if it keeps happening.',
	REQUEST_TIMEOUT:
		"Salesforce stopped answering. Run the node again; if it keeps happening, check n8n's network and any proxy between n8n and Salesforce.",
	LOG_FILE_TRUNCATED:
		'The Event Log File arrived incomplete (the connection closed early). Nothing was returned from it; run the node again.',
	INVALID_MY_DOMAIN_URL:
		"Enter your org's My Domain URL as shown in Setup > My Domain, for example https://acme.my.salesforce.com. Plain http:// is only accepted for 127.0.0.1 / localhost test orgs, so a password never travels unencrypted.",
};

const RECONNECT_HELP =
	'The refresh token was revoked or has expired: an admin revoked the app\'s access, the connected app\'s refresh token policy expired it, or the user changed its password. Open the credential and click "Reconnect" (sign in to Salesforce again); nothing else needs to change.';

const NETWORK_HELP: Record<string, string> = {
	ECONNREFUSED:
		'Nothing answers at that address. Check the environment and the My Domain URL in the credential.',
	ENOTFOUND:
		'That host name does not exist. Check the My Domain URL in the credential (for example https://acme.my.salesforce.com).',
	EAI_AGAIN:
		"The host name could not be resolved right now. Check the My Domain URL and n8n's network / DNS.",
	ETIMEDOUT:
		"Salesforce did not answer in time. Check n8n's network and proxy settings, then try again.",
	ECONNRESET:
		'The connection was closed unexpectedly. Try again; if it keeps happening, check proxies between n8n and Salesforce.',
	EHOSTUNREACH: "The host cannot be reached from n8n. Check the URL and n8n's network.",
	CERT_HAS_EXPIRED: "The server's TLS certificate has expired. Check the My Domain URL.",
	DEPTH_ZERO_SELF_SIGNED_CERT:
		'The server presents a self-signed certificate. Check the My Domain URL.',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		"The server's TLS certificate cannot be verified. Check the My Domain URL and proxies.",
};

const HTTP_CODES: Record<string, string> = {
	INVALID_SESSION_ID: '401',
	REQUEST_LIMIT_EXCEEDED: '403',
	INSUFFICIENT_ACCESS: '403',
	API_CURRENTLY_DISABLED: '403',
	API_DISABLED_FOR_ORG: '403',
	INSUFFICIENT_ACCESS_OR_READONLY: '400',
	MALFORMED_QUERY: '400',
	INVALID_FIELD: '400',
	INVALID_TYPE: '400',
	NOT_FOUND: '404',
	invalid_grant: '400',
};

const SALESFORCE_CODE = /^([A-Z][A-Z0-9_]{2,}|[a-z]+(?:_[a-z]+)+):\s*/;
const isCodeLike = (value: unknown): value is string =>
	typeof value === 'string' && /^([A-Z][A-Z0-9_]{2,}|[a-z]+(_[a-z]+)+)$/.test(value);

function truncate(text: string): string {
	return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/** Reads `api-usage=N/M` from a `Sforce-Limit-Info` header. */
export function parseApiUsage(header: string | undefined | null): ApiUsage | undefined {
	const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
	return match ? { used: Number(match[1]), max: Number(match[2]) } : undefined;
}

/** The origin of the first URL in a text, without path, query or credentials. */
function hostOf(text: string): string | undefined {
	const match = /https?:\/\/[^\s/'"]+/.exec(text);
	if (!match) return undefined;
	try {
		return new URL(match[0]).origin;
	} catch {
		return undefined;
	}
}

interface ExtractedCode {
	code: string;
	message: string;
}

/** Salesforce's code and message from a foreign error: n8n's request helpers or OAuth client, Node. */
function extractCode(error: unknown): ExtractedCode {
	const e = (error ?? {}) as SalesforceErrorLike;
	let message = typeof e.message === 'string' ? e.message : String(error ?? '');
	// n8n's OAuth client keeps the token endpoint's answer in `body`
	const body = e.body as { error?: string; error_description?: string } | undefined;
	let code: string | undefined;
	if (body && typeof body === 'object' && typeof body.error === 'string') {
		code = body.error;
		message = body.error_description ?? message;
	}
	code ??= isCodeLike(e.errorCode) ? e.errorCode : undefined;
	if (!code && isCodeLike(e.name) && e.name !== 'Error') code = e.name;
	const prefixed = SALESFORCE_CODE.exec(message);
	if (prefixed) {
		code ??= prefixed[1];
		if (prefixed[1] === code) message = message.slice(prefixed[0].length);
	}
	if (!code && /password has expired/i.test(message))
		code = 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD';
	if (!code && typeof e.code === 'string' && NETWORK_HELP[e.code]) code = e.code;
	if (!code) {
		const network = Object.keys(NETWORK_HELP).find((c) => message.includes(c));
		if (network) code = network;
	}
	return { code: code ?? UNKNOWN, message };
}

/**
 * Boils any error from a Salesforce call (REST and SOAP errors, OAuth token endpoint
 * errors, network errors) down to Salesforce's code and message plus admin guidance.
 */
export function describeSalesforceError(error: unknown): SalesforceErrorInfo {
	const e = (error ?? {}) as SalesforceErrorLike & { description?: string };
	const ours = isSalesforceApiError(error) ? error : undefined;
	const extracted = ours ? { code: ours.code, message: ours.message } : extractCode(error);
	const { code } = extracted;
	const message = truncate(
		scrubSecrets(extracted.message.trim() || 'Salesforce returned an error'),
	);
	// a refresh-token grant that failed: transport/session.ts raises it with this phase
	const duringTokenRefresh = ours?.phase === 'tokenRefresh';
	const httpCode = ours?.httpStatus ? String(ours.httpStatus) : HTTP_CODES[code];

	if (code === 'invalid_grant' && (duringTokenRefresh || /refresh token/i.test(message))) {
		return {
			code,
			message: `Salesforce no longer accepts this credential's refresh token (invalid_grant: ${message}): reconnect the credential`,
			description: RECONNECT_HELP,
			httpCode: httpCode ?? '400',
			reconnect: true,
		};
	}

	if (NETWORK_HELP[code]) {
		const host = hostOf(message);
		return {
			code,
			message: `Could not reach Salesforce${host ? ` at ${host}` : ''} (${code.toLowerCase()})`,
			description: NETWORK_HELP[code],
		};
	}

	let description = GUIDANCE[code];
	if (ours?.guidance) {
		description = ours.guidance;
	} else if (code === 'invalid_grant') {
		// the username-password flow answers every sign-in failure with invalid_grant
		description = /ip restricted|login hours/i.test(message)
			? "The user's profile limits where or when it may sign in: add n8n's IP address to the profile's login IP ranges (or the connected app's IP relaxation), or check its login hours."
			: `${LOGIN_HELP} With a Client ID, the connected app must also allow this user (OAuth policies > Permitted Users) and the org must allow the OAuth username-password flow.`;
	}
	if (code === 'REQUEST_LIMIT_EXCEEDED') {
		const usage = e.apiUsage ?? parseApiUsage(message);
		if (usage) {
			description = `The org has used ${usage.used.toLocaleString('en-US')} of its ${usage.max.toLocaleString('en-US')} daily API requests (Sforce-Limit-Info). ${description}`;
		}
	}
	if (code === 'INVALID_FIELD') {
		const field = /No such column '([^']+)'/.exec(message)?.[1];
		if (field) description = `Field "${field}": ${description}`;
	}
	if (!description && typeof e.description === 'string') description = scrubSecrets(e.description);
	return { code, message, description, httpCode };
}

/** Turns a Salesforce error into a NodeApiError with Salesforce's code and guidance. */
export function toNodeApiError(node: INode, error: unknown, itemIndex?: number): NodeApiError {
	if (error instanceof NodeApiError) return error;
	const info = describeSalesforceError(error);
	const message =
		info.reconnect || info.code === UNKNOWN ? info.message : `${info.code}: ${info.message}`;
	// Only this sanitised object travels with the error: never the original error, which can hold response bodies.
	const response: JsonObject = { errorCode: info.code, message: info.message };
	const nodeError = new NodeApiError(node, response, {
		message,
		description: info.description,
		httpCode: info.httpCode,
		itemIndex,
	});
	// n8n swaps messages that mention network codes for generic ones; keep Salesforce's words
	nodeError.message = message;
	nodeError.description = info.description;
	return nodeError;
}
