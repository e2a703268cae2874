import { Connection } from 'jsforce';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_VERSION } from './apiVersion';
import type { ApiUsage } from './errors';
import { CredentialSetupError, TOKEN_REFRESH_MARKER, parseApiUsage, toNodeApiError } from './errors';
import { resolveLoginUrl } from './loginUrl';
import { rememberSecrets, scrubSecrets } from './secrets';

export type AccessMode = 'readOnly' | 'readWrite';
export type Authentication = 'oAuth2' | 'password';

export type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPES: Record<Authentication, string> = {
	oAuth2: 'salesforceAdminOAuth2Api',
	password: 'salesforceAdminPasswordApi',
};

export interface CredentialSettings {
	authentication: Authentication;
	credentialType: string;
	accessMode: AccessMode;
	loginUrl: string;
	credentials: ICredentialDataDecryptedObject;
}

/** A signed-in connection plus what the operations need to know about who is signed in. */
export interface SalesforceSession {
	conn: Connection;
	accessMode: AccessMode;
	/** 18-character ID of the connected user; write actions never touch it. */
	userId: string;
	organizationId?: string;
	/** Latest `Sforce-Limit-Info` usage Salesforce reported on this session, if any. */
	apiUsage?: ApiUsage;
}

/** How a signed-in session gets a new access token when Salesforce answers 401. */
export interface SignInOptions {
	/**
	 * Refreshes an OAuth2 credential's tokens through n8n, which also saves the new access
	 * token with the credential (n8n-core's `helpers.refreshOAuth2Token`). Without it the
	 * refresh token is sent to the token endpoint directly.
	 */
	refreshOAuth2Token?: () => Promise<IDataObject>;
}

/** Reads the node's credential without any call to Salesforce (and validates its login URL). */
export async function readCredentialSettings(this: NodeContext): Promise<CredentialSettings> {
	const authentication =
		(this.getNodeParameter('authentication', 0, 'oAuth2') as Authentication) ?? 'oAuth2';
	const credentialType = CREDENTIAL_TYPES[authentication];
	const credentials = await this.getCredentials(credentialType);
	try {
		return settingsFromCredential(authentication, credentials);
	} catch (error) {
		throw toNodeApiError(this.getNode(), error);
	}
}

/** Settings from raw credential data; throws CredentialSetupError for an unusable login URL. */
export function settingsFromCredential(
	authentication: Authentication,
	credentials: ICredentialDataDecryptedObject,
): CredentialSettings {
	return {
		authentication,
		credentialType: CREDENTIAL_TYPES[authentication],
		accessMode: credentials.accessMode === 'readWrite' ? 'readWrite' : 'readOnly',
		loginUrl: resolveLoginUrl(credentials),
		credentials,
	};
}

/** Write actions call this first: a Read-Only credential is refused before any call. */
export function assertWriteAllowed(
	this: NodeContext,
	settings: CredentialSettings,
	action: string,
): void {
	if (settings.accessMode !== 'readWrite') {
		throw new NodeOperationError(
			this.getNode(),
			`"${action}" changes users, but the credential is Read-Only`,
			{
				description:
					'Open the credential, set "Access Mode" to "Read/Take Action" and save it, or pick a credential that has it. Read-Only credentials can only read users, licenses, login history and event logs.',
			},
		);
	}
}

/** One sign-in per node run: every connect() of the same run shares it. */
const sessionsByRun = new WeakMap<object, Map<string, Promise<SalesforceSession>>>();

/**
 * Signs in with the node's credential and returns the session. Called again in the same node
 * run, it returns the same session instead of signing in again.
 */
export async function connect(
	this: NodeContext,
	settings?: CredentialSettings,
): Promise<SalesforceSession> {
	const s = settings ?? (await readCredentialSettings.call(this));
	let sessions = sessionsByRun.get(this);
	if (!sessions) {
		sessions = new Map();
		sessionsByRun.set(this, sessions);
	}
	const cached = sessions.get(s.credentialType);
	if (cached) return await cached;

	const pending = signIn(s, { refreshOAuth2Token: n8nTokenRefresher(this, s) });
	sessions.set(s.credentialType, pending);
	try {
		return await pending;
	} catch (error) {
		sessions.delete(s.credentialType);
		throw toNodeApiError(this.getNode(), error);
	}
}

/** n8n-core >= 1.1xx lets nodes refresh (and save) OAuth2 tokens; older versions do not. */
function n8nTokenRefresher(
	ctx: NodeContext,
	s: CredentialSettings,
): SignInOptions['refreshOAuth2Token'] {
	const helpers = ctx.helpers as { refreshOAuth2Token?: (type: string) => Promise<IDataObject> };
	if (s.authentication !== 'oAuth2' || typeof helpers.refreshOAuth2Token !== 'function') {
		return undefined;
	}
	// like n8n's own nodes: `this.helpers.requestOAuth2.call(this, ...)`
	return async () => await helpers.refreshOAuth2Token!.call(ctx, s.credentialType);
}

/** Signs in with credential settings, without n8n: used by connect() and the credential test. */
export async function signIn(
	settings: CredentialSettings,
	options: SignInOptions = {},
): Promise<SalesforceSession> {
	return settings.authentication === 'oAuth2'
		? await signInWithStoredTokens(settings, options)
		: await signInWithPassword(settings);
}

/** jsforce's debug log prints SOAP answers (session IDs): never on, whatever JSFORCE_LOG_LEVEL says. */
const QUIET = 'NONE';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

async function signInWithPassword(s: CredentialSettings): Promise<SalesforceSession> {
	const c = s.credentials;
	const username = text(c.username).trim();
	const password = text(c.password);
	const securityToken = text(c.securityToken).trim();
	const clientId = text(c.clientId).trim();
	const clientSecret = text(c.clientSecret).trim();
	if (!username || !password) {
		throw new CredentialSetupError('The credential needs a username and a password');
	}
	if (Boolean(clientId) !== Boolean(clientSecret)) {
		throw new CredentialSetupError(
			'Enter both Client ID and Client Secret (OAuth username-password flow), or neither (SOAP login)',
		);
	}
	// Salesforce wants the security token appended to the password
	const passwordWithToken = `${password}${securityToken}`;
	rememberSecrets(password, securityToken, passwordWithToken, clientSecret);

	const guard = new SessionGuard();
	const conn: Connection = new Connection({
		version: API_VERSION,
		logLevel: QUIET,
		loginUrl: s.loginUrl,
		...(clientId ? { oauth2: { loginUrl: s.loginUrl, clientId, clientSecret } } : {}),
		// on 401: sign in again, once
		refreshFn: guard.refreshFn(async () => {
			await logIn();
			return conn.accessToken as string;
		}),
	});
	const logIn = async () => {
		const info = clientId
			? await conn.loginByOAuth2(username, passwordWithToken)
			: await conn.loginBySoap(username, passwordWithToken);
		rememberSecrets(conn.accessToken);
		return info;
	};
	guard.watch(conn);
	const info = await logIn();
	return guard.session(conn, s.accessMode, info.id, info.organizationId);
}

async function signInWithStoredTokens(
	s: CredentialSettings,
	options: SignInOptions,
): Promise<SalesforceSession> {
	const c = s.credentials;
	const token = (c.oauthTokenData ?? {}) as IDataObject;
	const accessToken = text(token.access_token);
	const refreshToken = text(token.refresh_token);
	const instanceUrl = text(token.instance_url);
	if (!accessToken || !instanceUrl) {
		throw new CredentialSetupError(
			'The OAuth2 credential is not connected to Salesforce yet: open it and click "Connect my account"',
		);
	}
	const clientId = text(c.clientId).trim();
	const clientSecret = text(c.clientSecret).trim();
	rememberSecrets(accessToken, refreshToken, clientSecret);

	const guard = new SessionGuard();
	const conn: Connection = new Connection({
		version: API_VERSION,
		logLevel: QUIET,
		loginUrl: s.loginUrl,
		instanceUrl,
		accessToken,
		oauth2: { loginUrl: s.loginUrl, clientId, clientSecret },
		// on 401: a new access token from the refresh token, once; the user notices nothing
		refreshFn: guard.refreshFn(async () => {
			const fresh = await refreshAccessToken();
			if (typeof fresh.instance_url === 'string' && fresh.instance_url) {
				conn.instanceUrl = fresh.instance_url;
			}
			return text(fresh.access_token);
		}, true),
	});
	const refreshAccessToken = async (): Promise<IDataObject> => {
		if (options.refreshOAuth2Token) return await options.refreshOAuth2Token();
		if (!refreshToken) {
			throw Object.assign(new Error('the credential holds no refresh token'), {
				name: 'invalid_grant',
			});
		}
		return (await conn.oauth2.refreshToken(refreshToken)) as unknown as IDataObject;
	};
	guard.watch(conn);

	const ids = parseIdentityUrl(text(token.id));
	// The token's identity URL names the user; only without it does sign-in cost a call.
	const userId = ids?.userId ?? (await conn.identity()).user_id;
	return guard.session(conn, s.accessMode, userId, ids?.organizationId);
}

/** `https://login.salesforce.com/id/00D.../005...` -> org and user IDs. */
export function parseIdentityUrl(
	idUrl: string,
): { organizationId: string; userId: string } | undefined {
	const match = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(idUrl);
	return match ? { organizationId: match[1], userId: match[2] } : undefined;
}

type RefreshCallback = (error?: Error | null, accessToken?: string) => void;

interface ObservedRequest {
	headers?: Record<string, string>;
}
interface ObservedResponse {
	statusCode: number;
	headers?: Record<string, string>;
}
interface ObservableTransport {
	httpRequest(req: ObservedRequest, options?: unknown): Promise<ObservedResponse>;
}

/**
 * Watches a connection's answers: keeps the API usage Salesforce reports, and allows one new
 * sign-in per 401 — if the call retried with the new session is rejected again, the refresh
 * fails instead of looping.
 */
class SessionGuard {
	private refreshedWithoutSuccess = false;

	private current?: SalesforceSession;

	private pendingUsage?: ApiUsage;

	/** jsforce's refresh hook: `renew` signs in again / refreshes and returns the new token. */
	refreshFn(renew: () => Promise<string>, tokenRefresh = false) {
		return (_conn: Connection, callback: RefreshCallback) => {
			if (this.refreshedWithoutSuccess) {
				callback(
					new Error(
						'INVALID_SESSION_ID: Salesforce rejected the new session too, right after signing in again',
					),
				);
				return;
			}
			this.refreshedWithoutSuccess = true;
			renew().then(
				(accessToken) => {
					if (!accessToken) throw new Error('signing in again returned no access token');
					rememberSecrets(accessToken);
					callback(null, accessToken);
				},
			).catch((error: unknown) => callback(refreshFailure(error, tokenRefresh)));
		};
	}

	/** Hooks the connection's HTTP transport (which jsforce uses for REST and SOAP login). */
	watch(conn: Connection): void {
		const transport = (conn as unknown as { _transport: ObservableTransport })._transport;
		const send = transport.httpRequest.bind(transport);
		transport.httpRequest = (req, options) => {
			const answer = send(req, options);
			answer.then(
				(res) => this.observe(req, res),
				() => undefined,
			);
			return answer;
		};
	}

	session(
		conn: Connection,
		accessMode: AccessMode,
		userId: string,
		organizationId?: string,
	): SalesforceSession {
		this.current = { conn, accessMode, userId, organizationId, apiUsage: this.pendingUsage };
		return this.current;
	}

	private observe(req: ObservedRequest, res: ObservedResponse) {
		const usage = parseApiUsage(res.headers?.['sforce-limit-info']);
		if (usage) {
			if (this.current) this.current.apiUsage = usage;
			else this.pendingUsage = usage;
		}
		// only calls made with the session count (sign-in answers do not prove it works)
		if (req.headers?.Authorization && res.statusCode !== 401) this.refreshedWithoutSuccess = false;
	}
}

/** Failure of a refresh, as a message errors.ts can read back (code first, never a secret). */
function refreshFailure(error: unknown, tokenRefresh: boolean): Error {
	const e = (error ?? {}) as { name?: string; message?: string; body?: IDataObject };
	let message = text(e.message) || String(error);
	const body = e.body;
	if (body && typeof body.error === 'string') {
		message = `${body.error}: ${text(body.error_description) || message}`;
	} else if (e.name && /^[a-z]+(_[a-z]+)+$/.test(e.name)) {
		message = `${e.name}: ${message}`;
	}
	return new Error(`${tokenRefresh ? TOKEN_REFRESH_MARKER : ''}${scrubSecrets(message)}`);
}
