/**
 * OAuth 2.0 endpoints (token, revoke), the identity URL and OpenID userinfo; the authorize
 * page and the authorization_code / JWT bearer / client credentials grants are in oauthGrants.ts.
 * Errors are HTTP 400 JSON {"error","error_description"} as Salesforce sends them.
 */
import { createHmac } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

import type { Exchange } from './http';
import {
	assertionIssuer,
	authorizationCodeGrant,
	clientCredentialsGrant,
	JWT_BEARER,
	jwtBearerGrant,
} from './oauthGrants';
import type { Session } from './sessions';
import type { ProfileRecord, UserLicenseRecord, UserRecord } from './store';

export interface TokenResponse {
	access_token: string;
	refresh_token?: string;
	signature: string;
	scope: string;
	instance_url: string;
	id: string;
	token_type: 'Bearer';
	issued_at: string;
}

const SCOPE = 'refresh_token id api';

const oauthError = (ex: Exchange, error: string, description: string, status = 400) =>
	ex.json(status, { error, error_description: description });

/** The token JSON for a new session (plus a refresh token when asked). */
export function tokenResponse(
	ex: Exchange['org'],
	session: Session,
	clientSecret: string,
	refreshToken?: string,
	scopes?: string[],
): TokenResponse {
	const id = `${ex.url}/id/${ex.store.orgId}/${session.userId}`;
	const issuedAt = String(Date.now());
	const signature = createHmac('sha256', clientSecret)
		.update(id + issuedAt)
		.digest('base64');
	return {
		access_token: session.token,
		...(refreshToken ? { refresh_token: refreshToken } : {}),
		signature,
		scope: scopes ? scopes.join(' ') : SCOPE,
		instance_url: ex.controls.instanceUrl ?? ex.url,
		id,
		token_type: 'Bearer',
		issued_at: issuedAt,
	};
}

export async function handleToken(ex: Exchange): Promise<void> {
	ex.setKind('token');
	const { sessions, controls } = ex.org;
	const { oauth } = sessions;
	if (ex.method !== 'POST') return oauthError(ex, 'invalid_request', 'must use HTTP POST');
	const params = parseQuery(await ex.body()) as Record<string, string | undefined>;
	// Client credentials may come in the body or as HTTP Basic (n8n's OAuth2 client does either).
	const basic = ex.header('authorization')?.match(/^Basic\s+(.+)$/i);
	if (basic) {
		// RFC 6749 form-encodes both parts; n8n does not, so a stray '%' must not break the request.
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const part = (text: string) => {
			try {
				return decodeURIComponent(text);
			} catch {
				return text;
			}
		};
		params.client_id ??= part(colon < 0 ? decoded : decoded.slice(0, colon));
		params.client_secret ??= colon < 0 ? '' : part(decoded.slice(colon + 1));
	}
	const grantType = params.grant_type ?? '';
	oauth.countTokenRequest(
		grantType,
		grantType === JWT_BEARER ? (assertionIssuer(params.assertion) ?? '') : (params.client_id ?? ''),
	);
	const injected = controls.takeFailure('token', false);
	if (injected) return oauthError(ex, injected.errorCode, injected.message, injected.status);

	// The JWT names its app in iss; every other grant in client_id.
	if (grantType === JWT_BEARER) return jwtBearerGrant(ex, params.assertion);
	const app = oauth.app(params.client_id);
	if (!app) return oauthError(ex, 'invalid_client_id', 'client identifier invalid');
	const secretOk = params.client_secret === app.clientSecret;

	switch (grantType) {
		case 'password': {
			if (!secretOk) return oauthError(ex, 'invalid_client', 'invalid client credentials');
			// External Client Apps do not offer this flow; Salesforce answers as for a wrong password.
			if (app.kind === 'externalClientApp')
				return oauthError(ex, 'invalid_grant', 'authentication failure');
			const outcome = sessions.checkLogin(params.username ?? '', params.password ?? '');
			if (!outcome.ok || outcome.login.passwordExpired)
				return oauthError(ex, 'invalid_grant', 'authentication failure');
			const session = sessions.createSession(outcome.user.Id, { clientId: app.clientId });
			return ex.json(200, tokenResponse(ex.org, session, app.clientSecret));
		}
		case 'authorization_code':
			return authorizationCodeGrant(ex, params, app);
		case 'client_credentials':
			return clientCredentialsGrant(ex, params, app);
		case 'refresh_token': {
			const secretGiven = params.client_secret !== undefined;
			if (secretGiven ? !secretOk : app.requireSecretForRefreshTokenFlow)
				return oauthError(ex, 'invalid_client', 'invalid client credentials');
			const grant = sessions.refreshGrants.get(params.refresh_token ?? '');
			if (!grant || grant.revoked || grant.clientId !== app.clientId)
				return oauthError(ex, 'invalid_grant', 'expired access/refresh token');
			const user = ex.org.store.get<UserRecord>('User', grant.userId);
			if (!user?.IsActive) return oauthError(ex, 'invalid_grant', 'inactive user');
			const session = sessions.createSession(grant.userId, { clientId: app.clientId });
			if (!app.refreshTokenRotation)
				return ex.json(
					200,
					tokenResponse(ex.org, session, app.clientSecret, undefined, grant.scopes),
				);
			// Rotation: the used refresh token is spent, a new one comes with the access token.
			grant.revoked = true;
			const next = sessions.createRefreshToken(grant.userId, app.clientId, grant.scopes);
			return ex.json(
				200,
				tokenResponse(ex.org, session, app.clientSecret, next.token, grant.scopes),
			);
		}
		default:
			return oauthError(ex, 'unsupported_grant_type', 'grant type not supported');
	}
}

export async function handleRevoke(ex: Exchange): Promise<void> {
	ex.setKind('revoke');
	const body = ex.method === 'POST' ? (parseQuery(await ex.body()) as Record<string, string>) : {};
	const token = body.token ?? ex.url.searchParams.get('token') ?? '';
	const { sessions } = ex.org;
	const session = sessions.sessions.get(token);
	const grant = sessions.refreshGrants.get(token);
	if (!session && !grant)
		return oauthError(ex, 'unsupported_token_type', 'this token type is not supported');
	if (session) session.expired = true;
	if (grant) grant.revoked = true;
	ex.send(200, '', 'text/plain');
}

function identityOf(ex: Exchange, user: UserRecord) {
	const { store, url } = ex.org;
	const org15 = store.orgId.slice(0, 15);
	const profile = store.get<ProfileRecord>('Profile', user.ProfileId);
	const license = profile && store.get<UserLicenseRecord>('UserLicense', profile.UserLicenseId);
	return {
		id: `${url}/id/${store.orgId}/${user.Id}`,
		asserted_user: true,
		user_id: user.Id,
		organization_id: store.orgId,
		username: user.Username,
		nick_name: user.Alias,
		display_name: user.Name,
		email: user.Email,
		email_verified: true,
		first_name: user.FirstName,
		last_name: user.LastName,
		timezone: user.TimeZoneSidKey,
		photos: { picture: `${url}/profilephoto/005/F`, thumbnail: `${url}/profilephoto/005/T` },
		addr_street: null,
		addr_city: null,
		addr_state: null,
		addr_country: 'US',
		addr_zip: null,
		mobile_phone: null,
		mobile_phone_verified: false,
		is_lightning_login_user: false,
		status: { created_date: null, body: null },
		urls: {
			enterprise: `${url}/services/Soap/c/{version}/${org15}`,
			metadata: `${url}/services/Soap/m/{version}/${org15}`,
			partner: `${url}/services/Soap/u/{version}/${org15}`,
			rest: `${url}/services/data/v{version}/`,
			sobjects: `${url}/services/data/v{version}/sobjects/`,
			search: `${url}/services/data/v{version}/search/`,
			query: `${url}/services/data/v{version}/query/`,
			recent: `${url}/services/data/v{version}/recent/`,
			tooling_soap: `${url}/services/Soap/T/{version}/${org15}`,
			tooling_rest: `${url}/services/data/v{version}/tooling/`,
			profile: `${url}/${user.Id}`,
			feeds: `${url}/services/data/v{version}/chatter/feeds`,
			groups: `${url}/services/data/v{version}/chatter/groups`,
			users: `${url}/services/data/v{version}/chatter/users`,
			feed_items: `${url}/services/data/v{version}/chatter/feed-items`,
			feed_elements: `${url}/services/data/v{version}/chatter/feed-elements`,
			custom_domain: url,
		},
		active: user.IsActive,
		user_type: user.UserType,
		// Not in Salesforce's identity answer; handy for tests and harmless for clients.
		user_license: license?.Name ?? null,
		language: 'en_US',
		locale: 'en_US',
		utcOffset: -28800000,
		last_modified_date: user.LastModifiedDate,
		is_app_installed: true,
	};
}

/** A bad token at the identity service is 403 "Bad_OAuth_Token", not a REST-style 401. */
function identitySession(ex: Exchange): Session | undefined {
	const session = ex.org.sessions.activeSession(ex.accessToken());
	if (!session) ex.send(403, 'Bad_OAuth_Token', 'text/plain;charset=UTF-8');
	else {
		ex.call.userId = session.userId;
		ex.call.clientId = session.clientId;
	}
	return session;
}

export function handleIdentity(ex: Exchange): void {
	ex.setKind('identity');
	const session = identitySession(ex);
	if (!session) return;
	const [, , orgId, userId] = ex.path.split('/');
	const { store } = ex.org;
	const user = store.get<UserRecord>('User', userId);
	if (orgId.slice(0, 15) !== store.orgId.slice(0, 15) || !user)
		return ex.send(404, 'Bad_Id', 'text/plain;charset=UTF-8');
	ex.json(200, identityOf(ex, user));
}

export function handleUserinfo(ex: Exchange): void {
	ex.setKind('userinfo');
	const session = identitySession(ex);
	if (!session) return;
	const user = ex.org.store.get<UserRecord>('User', session.userId)!;
	const identity = identityOf(ex, user);
	ex.json(200, {
		sub: identity.id,
		user_id: user.Id,
		organization_id: identity.organization_id,
		preferred_username: user.Username,
		nickname: user.Alias,
		name: user.Name,
		email: user.Email,
		email_verified: true,
		given_name: user.FirstName,
		family_name: user.LastName,
		zoneinfo: user.TimeZoneSidKey,
		photos: identity.photos,
		profile: identity.urls.profile,
		picture: identity.photos.picture,
		address: { country: 'US' },
		urls: identity.urls,
		active: user.IsActive,
		user_type: user.UserType,
		language: 'en_US',
		locale: 'en_US',
		utcOffset: identity.utcOffset,
		updated_at: user.LastModifiedDate,
	});
}
