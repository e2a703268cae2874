/**
 * Who may sign in, and the tokens the org has handed out: SOAP session IDs and OAuth access
 * tokens (both are "sessions" to the REST API), refresh tokens; OAuth apps, authorization
 * codes and approvals live in `oauth` (oauthApps.ts).
 */
import { randomBytes } from 'node:crypto';

import { OAuthApps } from './oauthApps';
import type { OrgStore, UserRecord } from './store';

export interface LoginUser {
	userId: string;
	username: string;
	password: string;
	securityToken: string;
	/** Off when the caller counts as a trusted IP: the password alone is then enough. */
	requireToken: boolean;
	passwordExpired: boolean;
}

export interface Session {
	token: string;
	userId: string;
	/** Set by controls.expireSessions() or a revoke; REST then answers 401. */
	expired: boolean;
	/** A session from a login with an expired password: only SetPassword would be allowed. */
	passwordExpired: boolean;
	clientId?: string;
}

export interface RefreshGrant {
	token: string;
	userId: string;
	clientId: string;
	revoked: boolean;
	/** Scopes granted with it; refreshed tokens carry the same. */
	scopes?: string[];
}

export type LoginFailure =
	| 'INVALID_LOGIN'
	| 'LOGIN_MUST_USE_SECURITY_TOKEN'
	| 'API_CURRENTLY_DISABLED';

export type LoginOutcome =
	| { ok: true; user: UserRecord; login: LoginUser }
	| { ok: false; code: LoginFailure };

const token = (bytes: number) =>
	randomBytes(bytes)
		.toString('base64')
		.replace(/[+/=]/g, (c) => ({ '+': '.', '/': '_', '=': '' })[c]!);

export class Sessions {
	readonly logins = new Map<string, LoginUser>();
	readonly sessions = new Map<string, Session>();
	readonly refreshGrants = new Map<string, RefreshGrant>();
	readonly oauth: OAuthApps;

	constructor(private readonly store: OrgStore) {
		this.oauth = new OAuthApps(store);
	}

	addLogin(login: LoginUser): void {
		this.logins.set(login.username.toLowerCase(), login);
	}

	/**
	 * Checks a username and password (+ security token) the way Salesforce's login does:
	 * wrong password, inactive, frozen or locked users all get INVALID_LOGIN.
	 */
	checkLogin(username: string, given: string): LoginOutcome {
		const login = this.logins.get(username.toLowerCase());
		const user = login && this.store.get<UserRecord>('User', login.userId);
		if (!login || !user) return { ok: false, code: 'INVALID_LOGIN' };
		const full = login.password + login.securityToken;
		const passwordOnly = given === login.password;
		if (given !== full && !passwordOnly) return { ok: false, code: 'INVALID_LOGIN' };
		const userLogin = this.store.userLoginFor(user.Id);
		if (!user.IsActive || userLogin?.IsFrozen || userLogin?.IsPasswordLocked)
			return { ok: false, code: 'INVALID_LOGIN' };
		if (passwordOnly && given !== full && login.requireToken)
			return { ok: false, code: 'LOGIN_MUST_USE_SECURITY_TOKEN' };
		return { ok: true, user, login };
	}

	hasApiAccess(userId: string): boolean {
		return this.store.effectivePermissions(userId).PermissionsApiEnabled;
	}

	createSession(
		userId: string,
		options: { passwordExpired?: boolean; clientId?: string } = {},
	): Session {
		const session: Session = {
			token: `${this.store.orgId.slice(0, 15)}!AR${token(72)}`,
			userId,
			expired: false,
			passwordExpired: options.passwordExpired ?? false,
			clientId: options.clientId,
		};
		this.sessions.set(session.token, session);
		return session;
	}

	createRefreshToken(userId: string, clientId: string, scopes?: string[]): RefreshGrant {
		const grant: RefreshGrant = {
			token: `5Aep861${token(60)}`,
			userId,
			clientId,
			revoked: false,
			scopes,
		};
		this.refreshGrants.set(grant.token, grant);
		return grant;
	}

	createCode(userId: string, clientId?: string): string {
		return this.oauth.createCode({ userId, clientId });
	}

	/** The live session for a bearer token, or undefined (unknown, expired, user gone). */
	activeSession(accessToken: string | undefined): Session | undefined {
		const session = accessToken ? this.sessions.get(accessToken) : undefined;
		if (!session || session.expired) return undefined;
		const user = this.store.get<UserRecord>('User', session.userId);
		// Deactivating a user ends their sessions.
		if (!user || !user.IsActive) return undefined;
		return session;
	}

	/** Expires every session, or only those issued to one OAuth client. */
	expireAll(clientId?: string): void {
		for (const session of this.sessions.values())
			if (clientId === undefined || session.clientId === clientId) session.expired = true;
	}

	/** Revokes one refresh token (and the sessions it minted) or, without an argument, all. */
	revokeRefresh(refreshToken?: string): void {
		for (const grant of this.refreshGrants.values()) {
			if (refreshToken === undefined || grant.token === refreshToken) grant.revoked = true;
		}
	}
}
