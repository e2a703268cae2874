/**
 * The sign-in flows of External Client Apps, as Salesforce answers them:
 * - the authorize page (GET /services/oauth2/authorize): a login form, a consent page, then a
 *   302 to the callback with ?code=&state= (PKCE: code_challenge, S256);
 * - token grants: authorization_code (+ code_verifier), JWT bearer, client credentials.
 * Token errors are HTTP 400 JSON {"error","error_description"}; authorize errors go to the
 * callback (?error=&error_description=) once the redirect_uri is known to be registered,
 * before that they are a 400 text page.
 */
import { createHash, randomBytes, verify } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

import type { Exchange } from './http';
import type { OAuthApp, PendingAuthorization } from './oauthApps';
import { tokenResponse } from './oauth';
import type { UserRecord } from './store';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type Params = Record<string, string | undefined>;

const oauthError = (ex: Exchange, error: string, description: string, status = 400) =>
	ex.json(status, { error, error_description: description });

const s256 = (verifier: string) =>
	createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** Scopes that only mean "give me a refresh token"; refresh_token and offline_access are synonyms. */
const REFRESH_SCOPES = new Set(['refresh_token', 'offline_access']);
const hasRefreshScope = (scopes: Iterable<string>) =>
	[...scopes].some((s) => REFRESH_SCOPES.has(s));

function scopeAllowed(app: OAuthApp, scope: string): boolean {
	if (app.scopes.includes(scope) || app.scopes.includes('full')) return true;
	return REFRESH_SCOPES.has(scope) && hasRefreshScope(app.scopes);
}

function activeUser(user: UserRecord | undefined, ex: Exchange): boolean {
	return Boolean(user?.IsActive && !ex.org.store.userLoginFor(user.Id)?.IsFrozen);
}

// --- token grants ---

/** grant_type=authorization_code: the web server flow, with PKCE when the code carries a challenge. */
export function authorizationCodeGrant(ex: Exchange, params: Params, app: OAuthApp): void {
	const { oauth } = ex.org.sessions;
	const secretOk =
		params.client_secret !== undefined
			? params.client_secret === app.clientSecret
			: !app.requireSecretForWebServerFlow;
	if (!secretOk) return oauthError(ex, 'invalid_client', 'invalid client credentials');
	const code = params.code ?? '';
	const grant = oauth.codes.get(code);
	if (!grant || (grant.clientId !== undefined && grant.clientId !== app.clientId))
		return oauthError(ex, 'invalid_grant', 'invalid authorization code');
	if (oauth.now() - grant.issuedAt > oauth.codeTtlMs) {
		oauth.codes.delete(code);
		return oauthError(ex, 'invalid_grant', 'expired authorization code');
	}
	if (grant.redirectUri !== undefined && params.redirect_uri !== grant.redirectUri) {
		return oauthError(ex, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
	}
	// The challenge is always S256 at Salesforce; a missing verifier fails like a wrong one.
	if (
		grant.codeChallenge !== undefined &&
		(!params.code_verifier || s256(params.code_verifier) !== grant.codeChallenge)
	) {
		return oauthError(ex, 'invalid_grant', 'invalid code verifier');
	}
	oauth.codes.delete(code);
	const { store, sessions } = ex.org;
	if (!activeUser(store.get<UserRecord>('User', grant.userId), ex))
		return oauthError(ex, 'invalid_grant', 'inactive user');
	const scopes = grant.scopes ?? app.scopes;
	const session = sessions.createSession(grant.userId, { clientId: app.clientId });
	const refresh = hasRefreshScope(scopes)
		? sessions.createRefreshToken(grant.userId, app.clientId, scopes)
		: undefined;
	ex.json(200, tokenResponse(ex.org, session, app.clientSecret, refresh?.token, scopes));
}

/** grant_type=client_credentials: the app's Run As user, no refresh token. */
export function clientCredentialsGrant(ex: Exchange, params: Params, app: OAuthApp): void {
	if (params.client_secret !== app.clientSecret)
		return oauthError(ex, 'invalid_client', 'invalid client credentials');
	const { store, sessions } = ex.org;
	const user = app.runAs
		? (store.userByUsername(app.runAs) ?? store.get<UserRecord>('User', app.runAs))
		: undefined;
	if (!user) return oauthError(ex, 'invalid_grant', 'no client credentials user enabled');
	if (!activeUser(user, ex)) return oauthError(ex, 'invalid_grant', 'inactive user');
	// Salesforce leaves refresh_token, offline_access, full and web out of this flow's scopes.
	const scopes = app.scopes.filter((s) => !REFRESH_SCOPES.has(s) && s !== 'full' && s !== 'web');
	const session = sessions.createSession(user.Id, { clientId: app.clientId });
	ex.json(200, tokenResponse(ex.org, session, app.clientSecret, undefined, scopes));
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The iss claim of an assertion, unverified (to count the request against its client). */
export function assertionIssuer(assertion: string | undefined): string | undefined {
	const iss = decodeSegment(assertion?.split('.')[1])?.iss;
	return typeof iss === 'string' ? iss : undefined;
}

/**
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer: an RS256 assertion signed with the
 * key of the app's certificate; iss = consumer key, sub = username, aud = login URL or My
 * Domain, exp within a few minutes. No refresh token, no signature in the answer.
 */
export function jwtBearerGrant(ex: Exchange, assertion: string | undefined): void {
	const { oauth } = ex.org.sessions;
	const parts = (assertion ?? '').split('.');
	const header = decodeSegment(parts[0]);
	const claims = decodeSegment(parts[1]);
	if (parts.length !== 3 || !header || !claims)
		return oauthError(ex, 'invalid_grant', 'invalid assertion');
	const app = oauth.app(typeof claims.iss === 'string' ? claims.iss : undefined);
	if (!app) return oauthError(ex, 'invalid_client_id', 'client identifier invalid');
	const key = oauth.verificationKey(app);
	const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
	if (
		header.alg !== 'RS256' ||
		!key ||
		!verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))
	) {
		return oauthError(ex, 'invalid_grant', 'invalid assertion');
	}
	const audiences = oauth.jwtAudiences ?? [ex.org.url];
	const aud = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map((a) =>
		String(a).replace(/\/+$/, ''),
	);
	if (!aud.some((a) => audiences.includes(a)))
		return oauthError(ex, 'invalid_grant', 'audience is invalid');
	// exp is seconds since the epoch (Salesforce's own example sends it as a string).
	const exp = Number(claims.exp) * 1000;
	if (!Number.isFinite(exp)) return oauthError(ex, 'invalid_grant', 'invalid assertion');
	const now = oauth.now();
	if (exp <= now || exp > now + oauth.jwtMaxLifetimeSeconds * 1000)
		return oauthError(ex, 'invalid_grant', 'expired authorization code');
	const { store, sessions } = ex.org;
	const user = typeof claims.sub === 'string' ? store.userByUsername(claims.sub) : undefined;
	// An unknown username is refused like an unapproved one (typically a missing sandbox suffix).
	if (!user) return oauthError(ex, 'invalid_grant', "user hasn't approved this consumer");
	if (!activeUser(user, ex)) return oauthError(ex, 'invalid_grant', 'inactive user');
	if (!oauth.jwtAllowed(app, user))
		return oauthError(ex, 'invalid_grant', "user hasn't approved this consumer");
	const session = sessions.createSession(user.Id, { clientId: app.clientId });
	// Self-authorized users get the scopes they approved; pre-authorized ones the app's.
	const approved = oauth.approvedScopes(user.Id, app.clientId);
	const scopes =
		app.permittedUsers === 'adminApprovedPreAuthorized' || !approved ? app.scopes : [...approved];
	ex.json(200, {
		access_token: session.token,
		scope: scopes.filter((s) => !REFRESH_SCOPES.has(s)).join(' '),
		instance_url: ex.org.url,
		id: `${ex.org.url}/id/${store.orgId}/${user.Id}`,
		token_type: 'Bearer',
	});
}

// --- the authorize page ---

const html = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);

function page(title: string, body: string): string {
	return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8"><title>${html(title)}</title></head><body>\n${body}\n</body></html>\n`;
}

function loginPage(rid: string, username = '', error?: string): string {
	return page(
		'Login | Salesforce',
		`<form id="login_form" name="login" method="post" action="/services/oauth2/authorize">
<input type="hidden" name="step" value="login"><input type="hidden" name="rid" value="${html(rid)}">
${error ? `<div id="error" class="loginError" role="alert">${html(error)}</div>\n` : ''}<label for="username">Username</label>
<input id="username" name="username" type="email" value="${html(username)}" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="pw" type="password" autocomplete="current-password">
<input id="Login" name="Login" type="submit" value="Log In">
</form>`,
	);
}

function approvePage(rid: string, app: OAuthApp, scopes: string[]): string {
	return page(
		'Allow Access?',
		`<form id="frm" method="post" action="/services/oauth2/authorize">
<input type="hidden" name="step" value="approve"><input type="hidden" name="rid" value="${html(rid)}">
<h1>Allow Access?</h1>
<p id="appName">${html(app.name)} is asking to:</p>
<ul id="scopes">${scopes.map((s) => `<li>${html(s)}</li>`).join('')}</ul>
<input id="oaapprove" name="oaapprove" type="submit" value="Allow">
<input id="oadeny" name="oadeny" type="submit" value="Deny">
</form>`,
	);
}

const LOGIN_FAILED =
	"Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

function redirect(
	ex: Exchange,
	target: string,
	params: Record<string, string | undefined>,
	headers: Record<string, string> = {},
): void {
	const url = new URL(target);
	for (const [key, value] of Object.entries(params))
		if (value !== undefined) url.searchParams.set(key, value);
	ex.call.status = 302;
	ex.res.writeHead(302, {
		Location: url.toString(),
		'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
		...headers,
	});
	ex.res.end();
}

function cookie(ex: Exchange, name: string): string | undefined {
	for (const part of (ex.header('cookie') ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return value.join('=');
	}
	return undefined;
}

const SID_COOKIE = 'fakeorg_sid';

/** After sign-in: the code at once when pre-authorized or approved before, else the consent page. */
function proceed(
	ex: Exchange,
	rid: string,
	pending: PendingAuthorization,
	user: UserRecord,
	headers: Record<string, string> = {},
	prompt = '',
): void {
	const { oauth } = ex.org.sessions;
	const app = oauth.app(pending.clientId)!;
	if (app.permittedUsers === 'adminApprovedPreAuthorized') {
		if (!oauth.isPreAuthorized(app, user)) {
			oauth.pending.delete(rid);
			return redirect(
				ex,
				pending.redirectUri,
				{
					error: 'access_denied',
					error_description: 'user is not admin approved to access this app',
					state: pending.state,
				},
				headers,
			);
		}
		return issueCode(ex, rid, pending, user, headers);
	}
	const approved = oauth.approvedScopes(user.Id, app.clientId);
	if (
		!prompt.split(' ').includes('consent') &&
		approved &&
		pending.scopes.every((s) => approved.has(s))
	)
		return issueCode(ex, rid, pending, user, headers);
	pending.userId = user.Id;
	ex.send(200, approvePage(rid, app, pending.scopes), 'text/html;charset=UTF-8', headers);
}

function issueCode(
	ex: Exchange,
	rid: string,
	pending: PendingAuthorization,
	user: UserRecord,
	headers: Record<string, string> = {},
): void {
	const { oauth } = ex.org.sessions;
	oauth.pending.delete(rid);
	const code = oauth.createCode({
		userId: user.Id,
		clientId: pending.clientId,
		redirectUri: pending.redirectUri,
		codeChallenge: pending.codeChallenge,
		scopes: pending.scopes,
	});
	redirect(ex, pending.redirectUri, { code, state: pending.state }, headers);
}

/** The browser's sign-in: the password alone (no security token), active and not frozen or locked. */
function uiLogin(ex: Exchange, username: string, password: string): UserRecord | undefined {
	const { sessions, store } = ex.org;
	const login = sessions.logins.get(username.toLowerCase());
	const user = login && store.get<UserRecord>('User', login.userId);
	if (!login || !user || login.password !== password || login.passwordExpired) return undefined;
	if (!activeUser(user, ex) || store.userLoginFor(user.Id)?.IsPasswordLocked) return undefined;
	return user;
}

/** GET shows the login (or consent) page; the pages POST back here with step=login|approve. */
export async function handleAuthorizePage(ex: Exchange): Promise<void> {
	ex.setKind('authorize');
	const { oauth } = ex.org.sessions;
	const signedIn = () => {
		const userId = oauth.browserSessions.get(cookie(ex, SID_COOKIE) ?? '');
		const user = userId ? ex.org.store.get<UserRecord>('User', userId) : undefined;
		return user && activeUser(user, ex) ? user : undefined;
	};

	if (ex.method === 'POST') {
		const form = parseQuery(await ex.body()) as Params;
		const rid = form.rid ?? '';
		const pending = oauth.pending.get(rid);
		if (!pending || !oauth.app(pending.clientId))
			return ex.send(
				400,
				page('Error', '<p id="error">This request has expired. Start again from the app.</p>'),
				'text/html;charset=UTF-8',
			);
		if (form.step === 'approve') {
			const user = pending.userId
				? ex.org.store.get<UserRecord>('User', pending.userId)
				: undefined;
			if (!user) return ex.send(200, loginPage(rid), 'text/html;charset=UTF-8');
			if (form.oadeny !== undefined) {
				oauth.pending.delete(rid);
				return redirect(ex, pending.redirectUri, {
					error: 'access_denied',
					error_description: 'end-user denied authorization',
					state: pending.state,
				});
			}
			oauth.approve(user.Id, pending.clientId, pending.scopes);
			return issueCode(ex, rid, pending, user);
		}
		const user = uiLogin(ex, form.username ?? '', form.pw ?? form.password ?? '');
		if (!user)
			return ex.send(200, loginPage(rid, form.username, LOGIN_FAILED), 'text/html;charset=UTF-8');
		const sid = randomBytes(24).toString('base64url');
		oauth.browserSessions.set(sid, user.Id);
		return proceed(ex, rid, pending, user, {
			'Set-Cookie': `${SID_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`,
		});
	}

	const q = ex.url.searchParams;
	const app = oauth.app(q.get('client_id') ?? undefined);
	// Salesforce shows these two on its own error page: the callback is not trusted yet.
	if (!app)
		return ex.send(
			400,
			'error=invalid_client_id&error_description=client%20identifier%20invalid',
			'text/plain;charset=UTF-8',
		);
	const redirectUri = q.get('redirect_uri') ?? '';
	if (!app.callbackUrls.includes(redirectUri))
		return ex.send(
			400,
			'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration',
			'text/plain;charset=UTF-8',
		);
	const state = q.get('state') ?? undefined;
	if (q.get('response_type') !== 'code') {
		return redirect(ex, redirectUri, {
			error: 'unsupported_response_type',
			error_description: 'response type not supported',
			state,
		});
	}
	const requested = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
	const scopes = requested.length ? requested : app.scopes;
	if (!scopes.every((s) => scopeAllowed(app, s))) {
		return redirect(ex, redirectUri, {
			error: 'invalid_scope',
			error_description: 'the requested scope is not allowed',
			state,
		});
	}
	const codeChallenge = q.get('code_challenge') ?? undefined;
	if (!codeChallenge && app.requirePkce) {
		return redirect(ex, redirectUri, {
			error: 'invalid_request',
			error_description: 'missing required code challenge',
			state,
		});
	}
	const rid = randomBytes(18).toString('base64url');
	const pending: PendingAuthorization = {
		clientId: app.clientId,
		redirectUri,
		scopes,
		state,
		codeChallenge,
	};
	oauth.pending.set(rid, pending);
	const prompt = q.get('prompt') ?? '';
	const user = prompt.split(' ').includes('login') ? undefined : signedIn();
	if (user) return proceed(ex, rid, pending, user, {}, prompt);
	ex.send(200, loginPage(rid, q.get('login_hint') ?? ''), 'text/html;charset=UTF-8');
}
