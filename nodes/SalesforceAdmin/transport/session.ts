import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Grant } from './auth';
import { SessionAuth } from './auth';
import type { ApiUsage } from './errors';
import {
	CredentialSetupError,
	SalesforceApiError,
	asSalesforceApiError,
	toNodeApiError,
} from './errors';
import { resolveLoginUrl } from './loginUrl';
import { identity } from './requests';
import { rememberSecrets } from './secrets';
import { n8nStoredTokens } from './n8nTokenStore';
import { readPasswordFields, requestPasswordGrant } from './passwordGrant';
import { requestServerToken } from './storedToken';
import type { ServerFlow, TokenGrant } from './tokenGrants';
import { readJwtFields, requestRefreshedToken, text } from './tokenGrants';
import type { BulkPacing } from '../salesforce/bulkQuery';
import type { RequestHelpers, TransportOptions, Wire } from './wire';
import { wireFrom } from './wire';

export type AccessMode = 'readOnly' | 'readWrite';
export type Authentication = 'oAuth2' | 'password' | 'jwt' | 'clientCredentials';

export type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Every credential type is named salesforceAdmin<Kind>Api. */
const credentialType = (kind: string) => `salesforceAdmin${kind}Api`;

export const CREDENTIAL_TYPES: Record<Authentication, string> = {
	oAuth2: credentialType('OAuth2'),
	password: credentialType('Password'),
	jwt: credentialType('Jwt'),
	clientCredentials: credentialType('ClientCredentials'),
};

export interface CredentialSettings {
	authentication: Authentication;
	credentialType: string;
	accessMode: AccessMode;
	loginUrl: string;
	credentials: ICredentialDataDecryptedObject;
}

/**
 * A signed-in session: its token and validated instance (only transport/ uses them) plus what
 * the operations need to know about who is signed in.
 */
export interface SalesforceSession {
	readonly auth: SessionAuth;
	/** n8n's request helpers, with this execution's cancel signal: every request goes here. */
	readonly wire: Wire;
	accessMode: AccessMode;
	/** 18-character ID of the connected user; write actions never touch it. */
	userId: string;
	organizationId?: string;
	/** Latest `Sforce-Limit-Info` usage Salesforce reported on this session, if any. */
	apiUsage?: ApiUsage;
	/**
	 * The org's clock: epoch ms of the `Date` header of the last answer on this session (whole
	 * seconds). The trigger's windows compare it with Salesforce timestamps, not n8n's clock.
	 */
	serverDate?: number;
	/** When and how reads on this session use Bulk API 2.0, where not the defaults (tests). */
	readonly bulk?: BulkTuning;
	/** Set once the endpoint answered a Composite request as a resource it does not have. */
	compositeUnavailable?: boolean;
}

/** Bulk API 2.0 reads (reads/largeQuery.ts) other than by default: tests lower and quicken them. */
export interface BulkTuning {
	/** Reads above this many rows go through Bulk API 2.0 (default BULK_THRESHOLD). */
	threshold?: number;
	/** How a job's state is polled (default DEFAULT_BULK_PACING). */
	pacing?: BulkPacing;
}

/**
 * What a node run may use instead of the defaults (tuneRun): tests shorten deadlines and retry
 * pauses, lower the Bulk threshold, quicken Bulk polls. n8n's runs have none.
 */
export interface SessionTuning {
	transport?: Partial<TransportOptions>;
	bulk?: BulkTuning;
}

/** How a session reaches Salesforce, and how it gets a new access token when Salesforce answers 401. */
export interface SignInOptions {
	/** n8n's request helpers (wire.ts): every sign-in and every request of the session. */
	wire: Wire;
	/**
	 * Refreshes an OAuth2 credential's tokens through n8n, which also saves the new access
	 * token with the credential (n8n-core's `helpers.refreshOAuth2Token`). Without it the
	 * refresh token is sent to the token endpoint directly.
	 */
	refreshOAuth2Token?: (staleAccessToken: string) => Promise<IDataObject>;
	/**
	 * JWT bearer / client credentials: the token n8n stores with the credential, and how to make
	 * n8n renew it (storedToken.ts). Without it every sign-in asks Salesforce for a token.
	 */
	storedTokens?: StoredTokenAccess;
	/** Bulk API 2.0 reads on the session, where not the defaults. */
	bulk?: BulkTuning;
}

/** The token n8n keeps with a JWT / client credentials credential. */
export interface StoredTokenAccess {
	/** The stored token, or (when there is none yet) one n8n has just signed in for and saved. */
	current(): Promise<TokenGrant>;
	/** After Salesforce refused `staleToken`: n8n signs in again and saves the new token. */
	renew(staleToken: string): Promise<TokenGrant>;
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

/** Each tuned run's tuning, by its context (gone with the run). */
const tuningByRun = new WeakMap<object, SessionTuning>();

/**
 * The sessions of this run (the context connect() is called with) use `tuning` instead of the
 * defaults. The nodes never call it, so n8n's runs use the defaults; the tests' node variant
 * does (test/helpers/tuned-node.ts). Per run, so one test's tuning never reaches another run.
 */
export function tuneRun(ctx: NodeContext, tuning: SessionTuning): void {
	tuningByRun.set(ctx, tuning);
}

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

	const tuning = tuningByRun.get(this) ?? {};
	const wire = wireFrom(
		this.helpers as RequestHelpers,
		(this as Partial<IExecuteFunctions>).getExecutionCancelSignal?.(),
		tuning.transport,
	);
	const pending = signIn(s, {
		wire,
		bulk: tuning.bulk,
		refreshOAuth2Token: n8nTokenRefresher(this, s),
		storedTokens: n8nStoredTokens(this, s, wire),
	});
	sessions.set(s.credentialType, pending);
	try {
		return await pending;
	} catch (error) {
		sessions.delete(s.credentialType);
		throw toNodeApiError(this.getNode(), error);
	}
}

/** OAuth2 refreshes under way in this process, by credential and the access token they replace. */
const refreshesUnderWay = new Map<string, Promise<IDataObject>>();

/**
 * n8n-core >= 1.1xx lets nodes refresh (and save) OAuth2 tokens; older versions do not. With
 * refresh-token rotation a refresh token works once, so two executions refreshing at once must
 * not both spend it: within this process they share one refresh; across processes (queue-mode
 * workers), the one that loses gets invalid_grant and then finds the winner's token stored.
 */
function n8nTokenRefresher(
	ctx: NodeContext,
	s: CredentialSettings,
): SignInOptions['refreshOAuth2Token'] {
	const helpers = ctx.helpers as { refreshOAuth2Token?: (type: string) => Promise<IDataObject> };
	if (s.authentication !== 'oAuth2' || typeof helpers.refreshOAuth2Token !== 'function') {
		return undefined;
	}
	const storedTokenData = async (): Promise<IDataObject> =>
		((await ctx.getCredentials(s.credentialType)).oauthTokenData ?? {}) as IDataObject;
	const newerThan = (data: IDataObject, stale: string) =>
		text(data.access_token) !== '' && text(data.access_token) !== stale;
	const refreshOrAdopt = async (stale: string): Promise<IDataObject> => {
		// another execution may have refreshed (and saved) since this one read the credential
		const before = await storedTokenData();
		if (newerThan(before, stale)) return before;
		try {
			// like n8n's own nodes: `this.helpers.requestOAuth2.call(this, ...)`
			return await helpers.refreshOAuth2Token!.call(ctx, s.credentialType);
		} catch (error) {
			const refusal = asSalesforceApiError(error, 'tokenRefresh');
			if (refusal.code !== 'invalid_grant') throw refusal;
			// rotated by another process at the same moment: its token is stored by now
			const after = await storedTokenData();
			if (newerThan(after, stale)) return after;
			throw refusal;
		}
	};
	return async (stale) => {
		const credentialId = ctx.getNode().credentials?.[s.credentialType]?.id ?? '';
		const key = [s.credentialType, credentialId, stale].join('\n');
		const pending = refreshesUnderWay.get(key);
		if (pending) return await pending;
		const started = refreshOrAdopt(stale);
		refreshesUnderWay.set(key, started);
		try {
			return await started;
		} finally {
			refreshesUnderWay.delete(key);
		}
	};
}

/** Signs in with credential settings: used by connect() and the credential test. */
export async function signIn(
	settings: CredentialSettings,
	options: SignInOptions,
): Promise<SalesforceSession> {
	if (settings.authentication === 'oAuth2') return await signInWithStoredTokens(settings, options);
	if (isServerFlow(settings.authentication))
		return await signInWithServerFlow(settings.authentication, settings, options);
	return await signInWithPassword(settings, options);
}

/** JWT bearer and client credentials: the node signs in with the token n8n stores. */
const isServerFlow = (a: Authentication): a is 'jwt' | 'clientCredentials' =>
	a === 'jwt' || a === 'clientCredentials';

/**
 * JWT bearer or client credentials: the token n8n stored (or a fresh one); on a 401 a new one.
 * The run-as / JWT user is the connected user the write actions never touch.
 */
async function signInWithServerFlow(
	flow: Exclude<ServerFlow, 'password'>,
	s: CredentialSettings,
	options: SignInOptions,
): Promise<SalesforceSession> {
	// a bad key or missing field is refused before any call, with or without n8n's store
	if (flow === 'jwt') readJwtFields(s.credentials);
	const direct = async () => await requestServerToken(flow, s.credentials, options.wire);
	let grant: TokenGrant;
	try {
		grant = options.storedTokens ? await options.storedTokens.current() : await direct();
	} catch (error) {
		throw asSalesforceApiError(error, 'signIn');
	}
	const renewer = async (): Promise<Grant> => {
		try {
			const fresh = options.storedTokens
				? await options.storedTokens.renew(auth.accessToken)
				: await direct();
			return { accessToken: fresh.accessToken, instanceUrl: fresh.instanceUrl };
		} catch (error) {
			throw asSalesforceApiError(error, 'signIn');
		}
	};
	const source =
		flow === 'jwt'
			? "Salesforce's JWT bearer token answer (instance_url)"
			: "Salesforce's client credentials token answer (instance_url)";
	const auth: SessionAuth = new SessionAuth(
		{ accessToken: grant.accessToken, instanceUrl: grant.instanceUrl },
		{ loginUrl: s.loginUrl },
		renewer,
		source,
	);
	return sessionFor(auth, s, options, grant.identityUrl);
}

/**
 * The password credential: SOAP login() or, with a connected app, the OAuth username-password
 * flow (passwordGrant.ts, the same sign-in the credential's preAuthentication runs). On a 401
 * it signs in again (once per refused request).
 */
async function signInWithPassword(
	s: CredentialSettings,
	options: SignInOptions,
): Promise<SalesforceSession> {
	const { clientId } = readPasswordFields(s.credentials);
	const logIn = async (): Promise<TokenGrant> => {
		try {
			return await requestPasswordGrant(s.loginUrl, s.credentials, options.wire);
		} catch (error) {
			throw asSalesforceApiError(error, 'signIn');
		}
	};
	const first = await logIn();
	const source = clientId
		? "Salesforce's OAuth sign-in answer"
		: "Salesforce's SOAP login answer (serverUrl)";
	const auth = new SessionAuth(
		{ accessToken: first.accessToken, instanceUrl: first.instanceUrl },
		{ loginUrl: s.loginUrl },
		async () => {
			const again = await logIn();
			return { accessToken: again.accessToken, instanceUrl: again.instanceUrl };
		},
		source,
	);
	return sessionFor(auth, s, options, first.identityUrl);
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

	// on 401: a new access token from the refresh token; the user notices nothing
	const refresh = async (): Promise<Grant> => {
		let fresh: IDataObject;
		try {
			fresh = options.refreshOAuth2Token
				? await options.refreshOAuth2Token(auth.accessToken)
				: await refreshAtTokenEndpoint(
						s.loginUrl,
						clientId,
						clientSecret,
						refreshToken,
						options.wire,
					);
		} catch (error) {
			throw asSalesforceApiError(error, 'tokenRefresh');
		}
		rememberSecrets(fresh.refresh_token);
		return {
			accessToken: text(fresh.access_token),
			instanceUrl: text(fresh.instance_url) || undefined,
		};
	};
	const auth = new SessionAuth(
		{ accessToken, instanceUrl },
		{ loginUrl: s.loginUrl },
		refresh,
		'The OAuth2 token stored with the credential (instance_url)',
	);
	return sessionFor(auth, s, options, text(token.id));
}

/**
 * A signed-in session: its auth, the credential's access mode, and who it is. The sign-in
 * answer's identity URL names the user; only without it does sign-in cost a call.
 */
async function sessionFor(
	auth: SessionAuth,
	s: CredentialSettings,
	options: SignInOptions,
	identityUrl: string | undefined,
): Promise<SalesforceSession> {
	const session: SalesforceSession = {
		auth,
		wire: options.wire,
		bulk: options.bulk,
		accessMode: s.accessMode,
		userId: '',
	};
	const who = parseIdentityUrl(identityUrl ?? '') ?? (await identity(session));
	session.userId = who.userId;
	session.organizationId = who.organizationId;
	return session;
}

/** The refresh-token grant at the credential's own login URL (without n8n's refresh helper). */
async function refreshAtTokenEndpoint(
	loginUrl: string,
	clientId: string,
	clientSecret: string,
	refreshToken: string,
	wire: Wire,
): Promise<IDataObject> {
	if (!refreshToken) {
		throw new SalesforceApiError('the credential holds no refresh token', {
			code: 'invalid_grant',
			phase: 'tokenRefresh',
		});
	}
	return (await requestRefreshedToken(
		loginUrl,
		{ clientId, clientSecret, refreshToken },
		wire,
	)) as IDataObject;
}

/** `https://login.salesforce.com/id/00D.../005...` -> org and user IDs. */
export function parseIdentityUrl(
	idUrl: string,
): { organizationId: string; userId: string } | undefined {
	const match = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(idUrl);
	return match ? { organizationId: match[1], userId: match[2] } : undefined;
}
