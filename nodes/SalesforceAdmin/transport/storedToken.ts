/**
 * Token reuse across executions for the JWT bearer, client credentials and password
 * credentials, through n8n's own mechanism: the credential's `preAuthentication` signs in and
 * n8n stores the access token (a hidden `expirable` field) encrypted with the credential, so
 * every execution and every queue-mode worker reuses it. n8n runs `preAuthentication` from
 * `helpers.httpRequestWithAuthentication` when the stored token is empty or the call answers 401;
 * the node makes such a "probe" call only then, and re-reads the stored token afterwards.
 * The node's own sign-in with the password credential does not use the stored token (it signs
 * in once per execution, the same way); n8n's HTTP Request node ("Custom API Call") does.
 *
 * The stored token is bound to the sign-in fields by a fingerprint: after the admin changes the
 * user, key, app or org, the old token is never sent (the probe then gets its 401 and n8n signs
 * in anew with the new fields).
 */
import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { API_VERSION } from './apiVersion';
import { describeSalesforceError } from './errors';
import { checkInstanceUrl } from './hosts';
import { resolveLoginUrl } from './loginUrl';
import { requestPasswordGrant } from './passwordGrant';
import { rememberSecrets } from './secrets';
import type { ServerFlow, TokenGrant } from './tokenGrants';
import { requestClientCredentialsToken, requestJwtBearerToken, text } from './tokenGrants';
import type { RequestHelpers, Wire } from './wire';
import { wireFrom } from './wire';

/** Hidden credential fields n8n stores for us. `accessToken` is the `expirable` one. */
export const STORED_TOKEN_FIELDS = [
	'accessToken',
	'instanceUrl',
	'identityUrl',
	'tokenFingerprint',
] as const;

type Fields = ICredentialDataDecryptedObject;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Which sign-in a stored token came from: the fields that decide the user and the org. */
export function tokenFingerprint(flow: ServerFlow, c: Fields): string {
	const secret =
		flow === 'jwt'
			? text(c.privateKey)
			: flow === 'password'
				? JSON.stringify([text(c.password), text(c.securityToken).trim(), text(c.clientSecret)])
				: text(c.clientSecret);
	const parts = [
		flow,
		text(c.environment),
		text(c.myDomainUrl).trim(),
		text(c.clientId).trim(),
		text(c.username).trim(),
		sha256(secret),
	];
	return sha256(JSON.stringify(parts)).slice(0, 32);
}

/** A fresh token from Salesforce for these credential fields (one token request). */
export async function requestServerToken(
	flow: ServerFlow,
	c: Fields,
	wire: Wire,
): Promise<TokenGrant> {
	const loginUrl = resolveLoginUrl(c);
	if (flow === 'password') return await requestPasswordGrant(loginUrl, c, wire);
	return flow === 'jwt'
		? await requestJwtBearerToken(loginUrl, c, wire)
		: await requestClientCredentialsToken(loginUrl, c, wire);
}

/**
 * What `preAuthentication` returns: n8n saves it with the credential. A failed sign-in keeps its
 * error (the node finds it in n8n's wrapper); its admin guidance rides along as `description`,
 * which n8n shows under the message of the HTTP Request node's error.
 */
export async function preAuthenticate(flow: ServerFlow, c: Fields, wire: Wire): Promise<Fields> {
	let grant: TokenGrant;
	try {
		grant = await requestServerToken(flow, c, wire);
	} catch (error) {
		throw withGuidance(error);
	}
	return {
		accessToken: grant.accessToken,
		instanceUrl: grant.instanceUrl,
		identityUrl: grant.identityUrl,
		tokenFingerprint: tokenFingerprint(flow, c),
	};
}

/** The error with its admin guidance as `description`, which n8n shows under the message. */
function withGuidance(error: unknown): unknown {
	if (error instanceof Error && !(error as { description?: unknown }).description) {
		const { description } = describeSalesforceError(error);
		if (description) Object.assign(error, { description });
	}
	return error;
}

/**
 * The stored token, if it was made from these very fields and its instance is a Salesforce
 * address for this credential; else undefined.
 */
export function storedGrant(flow: ServerFlow, c: Fields): TokenGrant | undefined {
	const accessToken = text(c.accessToken);
	if (!accessToken || text(c.tokenFingerprint) !== tokenFingerprint(flow, c)) return undefined;
	rememberSecrets(accessToken);
	let instanceUrl: string;
	try {
		instanceUrl = checkInstanceUrl(
			c.instanceUrl,
			{ loginUrl: resolveLoginUrl(c) },
			"The stored token's instance URL",
		);
	} catch {
		return undefined;
	}
	return { accessToken, instanceUrl, identityUrl: text(c.identityUrl) };
}

/**
 * Where the probe goes, or undefined when n8n cannot be made to renew the token (then the node
 * asks Salesforce itself). Without a stored token n8n signs in before the call, so the login
 * host's userinfo answers it. With one (current or not), the stored instance's REST resource
 * list: it answers 401 to an expired token, and to no token at all (what `authorizeRequest`
 * sends for a token made from other fields), which makes n8n sign in again.
 */
export function probeUrl(c: Fields): string | undefined {
	if (!text(c.accessToken)) return `${resolveLoginUrl(c)}/services/oauth2/userinfo`;
	try {
		const instance = checkInstanceUrl(
			c.instanceUrl,
			{ loginUrl: resolveLoginUrl(c) },
			"The stored token's instance URL",
		);
		return `${instance}/services/data/v${API_VERSION}/`;
	} catch {
		return undefined;
	}
}

/**
 * The credential's `authenticate`: the stored token as a Bearer header, only to this org's own
 * hosts (the stored token's instance and the credential's login URL: My Domain, or the login
 * server that issued it) and only when it was made from the current fields. Otherwise no token
 * is sent, Salesforce answers 401 and n8n signs in again (preAuthentication). Redirects are
 * switched off on every request it signs, in both of n8n's request formats: n8n's client re-sends
 * `Authorization` to wherever a redirect points.
 */
export function authorizeRequest<
	T extends { url?: string; uri?: string; baseURL?: string; headers?: Record<string, unknown> },
>(flow: ServerFlow, c: Fields, request: T): T {
	const grant = storedGrant(flow, c);
	if (!grant) return request;
	const target = targetOf(request);
	if (!target || !isOrgHost(target, grant.instanceUrl, c)) {
		throw new Error(
			`The Salesforce credential sends its token only to its own org (${grant.instanceUrl}), not to ${target ? target.origin : 'this address'}`,
		);
	}
	return {
		...request,
		headers: { ...(request.headers ?? {}), Authorization: `Bearer ${grant.accessToken}` },
		...NO_REDIRECTS,
	};
}

/** Redirects off, for n8n's httpRequest (disableFollowRedirect) and its legacy request options. */
export const NO_REDIRECTS = {
	disableFollowRedirect: true,
	followRedirect: false,
	followAllRedirects: false,
	maxRedirects: 0,
} as const;

function targetOf(request: { url?: string; uri?: string; baseURL?: string }): URL | undefined {
	const raw = request.uri ?? request.url ?? '';
	try {
		return request.baseURL ? new URL(raw, request.baseURL) : new URL(raw);
	} catch {
		return undefined;
	}
}

/**
 * This org's hosts only: exactly the stored token's (checked) instance origin, or the
 * credential's own login origin. Another org's My Domain, a Site on force.com, any other
 * Salesforce domain: no.
 */
function isOrgHost(target: URL, instanceUrl: string, c: Fields): boolean {
	if (target.username || target.password) return false;
	try {
		return target.origin === instanceUrl || target.origin === new URL(resolveLoginUrl(c)).origin;
	} catch {
		return false;
	}
}

/**
 * A credential type's `preAuthentication` and `authenticate` for one sign-in flow: the three
 * credentials whose token n8n stores differ only in the flow.
 */
export function storedTokenAuthentication(flow: ServerFlow): {
	preAuthentication: (this: IHttpRequestHelper, credentials: Fields) => Promise<Fields>;
	authenticate: (credentials: Fields, request: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
} {
	return {
		// n8n calls this when the stored token is empty or refused (401), and stores what it returns
		async preAuthentication(this: IHttpRequestHelper, credentials: Fields) {
			return await preAuthenticate(
				flow,
				credentials,
				wireFrom((this?.helpers ?? {}) as RequestHelpers),
			);
		},
		async authenticate(credentials: Fields, request: IHttpRequestOptions) {
			return authorizeRequest(
				flow,
				credentials,
				request as IHttpRequestOptions & { uri?: string; headers?: Record<string, unknown> },
			);
		},
	};
}
