/**
 * A local, in-memory Salesforce org on 127.0.0.1, driven by jsforce exactly as a real org:
 * SOAP login, OAuth 2.0, identity, REST query / sObjects / Collections / LogFile / limits.
 *
 *   const org = await FakeOrg.start({ seed: { users: 5000 } });
 *   const conn = new Connection({ loginUrl: org.url, version: '62.0' });
 *   await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
 *   ...
 *   await org.stop();
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { CallLog, Controls } from './controls';
import { OrgRuntime, createOrgServer } from './http';
import {
	handleIdentity,
	handleRevoke,
	handleToken,
	handleUserinfo,
	tokenResponse,
	TokenResponse,
} from './oauth';
import { handleAuthorizePage } from './oauthGrants';
import { createRestHandler, handleVersions } from './rest';
import { DEMO_SEED, SeedOptions, ensureCatalog, seedOrg } from './seed';
import { Sessions } from './sessions';
import { handleSoap } from './soap';
import { OrgStore, UserRecord } from './store';

export interface FakeOrgOptions {
	/** Port on 127.0.0.1; default 0 (a free port). */
	port?: number;
	/** Seed a population (see seedOrg); without it the org has the catalog and the admin only. */
	seed?: SeedOptions;
	/** The org's clock (date literals such as LAST_N_DAYS, defaults of new records). */
	now?: () => Date;
	orgName?: string;
	/** Default API user's credentials. */
	admin?: Partial<
		Pick<AdminCredentials, 'username' | 'password' | 'securityToken' | 'clientId' | 'clientSecret'>
	>;
	/** Daily API request limit (default 5,000,000, so benchmarks never hit it). */
	apiLimit?: number;
}

export interface AdminCredentials {
	username: string;
	password: string;
	securityToken: string;
	userId: string;
	clientId: string;
	clientSecret: string;
}

/** The seeded External Client App (PKCE, secret required, admin-approved profiles). */
export interface ExternalClientAppCredentials {
	clientId: string;
	clientSecret: string;
	/** n8n's OAuth callback on its default local port. */
	callbackUrl: string;
}

export interface LoginUserOptions {
	password?: string;
	securityToken?: string;
	/** false: the password alone is accepted too (a trusted IP range). Default true. */
	requireToken?: boolean;
	/** SOAP login then answers passwordExpired=true and REST refuses the session. */
	passwordExpired?: boolean;
}

export class FakeOrg {
	readonly store: OrgStore;
	readonly calls = new CallLog();
	readonly controls: Controls;
	readonly admin: AdminCredentials;
	readonly externalClientApp: ExternalClientAppCredentials;
	private readonly sessions: Sessions;
	private readonly runtime: OrgRuntime;
	private server?: Server;

	private constructor(options: FakeOrgOptions) {
		this.store = new OrgStore({ orgName: options.orgName, now: options.now });
		this.sessions = new Sessions(this.store);
		this.controls = new Controls(this.sessions);
		if (options.apiLimit !== undefined) this.controls.apiMax = options.apiLimit;
		ensureCatalog(this.store);
		const adminUser = this.store.addUser({
			profile: 'System Administrator',
			FirstName: 'Ada',
			LastName: 'Admin',
			Username: options.admin?.username ?? 'admin@acme.example.com',
			Email: 'admin@acme.example.com',
			Alias: 'aadmin',
			// a minute ago, not at the seeding instant (that would sit on the edge of every "until
			// now" window of the first reads, inside or outside by the millisecond)
			LastLoginDate: new Date(this.store.now().getTime() - 60_000),
			CreatedDate: new Date(this.store.now().getTime() - 3 * 365 * 86_400_000),
		});
		this.admin = {
			username: adminUser.Username,
			password: options.admin?.password ?? 'Passw0rd!',
			securityToken: options.admin?.securityToken ?? 'FAKETOKEN0123456789',
			userId: adminUser.Id,
			clientId: options.admin?.clientId ?? '3MVG9FakeOrgConnectedAppConsumerKey0123456789',
			clientSecret: options.admin?.clientSecret ?? 'FAKE0CONSUMER0SECRET0123456789',
		};
		// A legacy connected app: password flow allowed, PKCE optional, any user may self-authorize.
		this.sessions.oauth.registerApp({
			clientId: this.admin.clientId,
			clientSecret: this.admin.clientSecret,
			name: 'Fake Org Connected App',
			kind: 'connectedApp',
			callbackUrls: [
				'http://localhost/cb',
				'http://localhost:5678/rest/oauth2-credential/callback',
			],
			requirePkce: false,
			requireSecretForWebServerFlow: true,
			requireSecretForRefreshTokenFlow: false,
			scopes: ['api', 'id', 'refresh_token', 'offline_access', 'web', 'openid'],
		});
		// What a customer creates since Spring '26 (External Client App defaults).
		this.externalClientApp = {
			clientId: '3MVG9FakeOrgExternalClientAppConsumerKey0123',
			clientSecret: 'FAKE0ECA0CONSUMER0SECRET0123456789',
			callbackUrl: 'http://localhost:5678/rest/oauth2-credential/callback',
		};
		this.sessions.oauth.registerApp({
			...this.externalClientApp,
			name: 'n8n',
			kind: 'externalClientApp',
			callbackUrls: [this.externalClientApp.callbackUrl],
			permittedUsers: 'adminApprovedPreAuthorized',
			preAuthorizedProfiles: ['System Administrator'],
		});
		this.addLoginUser(adminUser.Id, {
			password: this.admin.password,
			securityToken: this.admin.securityToken,
		});
		if (options.seed) seedOrg(this.store, options.seed);
		this.runtime = {
			store: this.store,
			sessions: this.sessions,
			controls: this.controls,
			calls: this.calls,
			url: '',
		};
	}

	static async start(options: FakeOrgOptions = {}): Promise<FakeOrg> {
		const org = new FakeOrg(options);
		await org.listen(options.port ?? 0);
		return org;
	}

	/** 'http://127.0.0.1:PORT': both the login server and the instance URL. */
	get url(): string {
		return this.runtime.url;
	}

	private async listen(port: number): Promise<void> {
		const rest = createRestHandler(this.runtime);
		const server = createOrgServer(this.runtime, {
			soap: handleSoap,
			token: handleToken,
			authorize: handleAuthorizePage,
			revoke: handleRevoke,
			identity: handleIdentity,
			userinfo: handleUserinfo,
			versions: handleVersions,
			rest,
		});
		// Benchmarks keep connections busy for a long time; never time them out.
		server.keepAliveTimeout = 60_000;
		server.requestTimeout = 0;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		this.server = server;
		this.runtime.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/**
	 * Lets a store user sign in (SOAP or OAuth password flow). `user` is a user record, an ID
	 * or a username. Returns the credentials to use.
	 */
	addLoginUser(
		user: UserRecord | string,
		options: LoginUserOptions = {},
	): { username: string; password: string; securityToken: string; userId: string } {
		const record =
			typeof user === 'string'
				? (this.store.get<UserRecord>('User', user) ?? this.store.userByUsername(user))
				: user;
		if (!record) throw new Error(`addLoginUser: no such user ${String(user)}`);
		const login = {
			userId: record.Id,
			username: record.Username,
			password: options.password ?? 'Passw0rd!',
			securityToken: options.securityToken ?? 'TOKEN' + record.Id.slice(-8),
			requireToken: options.requireToken ?? true,
			passwordExpired: options.passwordExpired ?? false,
		};
		this.sessions.addLogin(login);
		return {
			username: login.username,
			password: login.password,
			securityToken: login.securityToken,
			userId: login.userId,
		};
	}

	/**
	 * Registers another legacy connected app (client id / secret) for the OAuth endpoints. For
	 * External Client Apps and every policy use `org.controls.oauth.registerApp`.
	 */
	addConnectedApp(clientId: string, clientSecret: string): void {
		this.sessions.oauth.registerApp({
			clientId,
			clientSecret,
			kind: 'connectedApp',
			requirePkce: false,
			requireSecretForRefreshTokenFlow: false,
		});
	}

	/**
	 * What n8n stores as oauthTokenData after the browser flow: a live access token, a refresh
	 * token, instance_url and id, for `username` (default: the admin).
	 */
	issueOAuthTokens(
		username: string = this.admin.username,
	): TokenResponse & { refresh_token: string } {
		const user = this.store.userByUsername(username);
		if (!user) throw new Error(`issueOAuthTokens: no such user ${username}`);
		const session = this.sessions.createSession(user.Id, { clientId: this.admin.clientId });
		const refresh = this.sessions.createRefreshToken(user.Id, this.admin.clientId, [
			'refresh_token',
			'id',
			'api',
		]);
		return tokenResponse(
			this.runtime,
			session,
			this.admin.clientSecret,
			refresh.token,
		) as TokenResponse & { refresh_token: string };
	}

	/** A one-time authorization code for the web-server flow (exchange it at /services/oauth2/token). */
	issueAuthorizationCode(username: string = this.admin.username): string {
		const user = this.store.userByUsername(username);
		if (!user) throw new Error(`issueAuthorizationCode: no such user ${username}`);
		return this.sessions.createCode(user.Id, this.admin.clientId);
	}
}

export { OrgStore, seedOrg, ensureCatalog, DEMO_SEED };
export type { SeedOptions, TokenResponse };
export type { CallKind, CallRecord, LogFileBodyFault, UpdateRule } from './controls';
export { CallLog, Controls } from './controls';
export { OAuthApps } from './oauthApps';
export type { OAuthApp, NewOAuthApp, OAuthAppKind, PermittedUsers } from './oauthApps';
export { generateAppKeys, signJwtAssertion, pkcePair, s256 } from './jwtKeys';
export { authorizeInBrowser } from './browser';
export type { BrowserSignIn, BrowserResult } from './browser';
export type { AppKeys, AssertionClaims } from './jwtKeys';
export type {
	UserRecord,
	ProfileRecord,
	UserLicenseRecord,
	PermissionSetLicenseRecord,
	PermissionSetRecord,
	PermissionSetAssignmentRecord,
	PermissionSetLicenseAssignRecord,
	UserLoginRecord,
	LoginHistoryRecord,
	EventLogFileRecord,
	NewUser,
	NewEventLogFile,
} from './store';
export { sfDate, sfDateTime } from './dates';
export { normalizeId, idSuffix, to15 } from './ids';
export { generatedLogFile, logFileFromText, csvLine, csvValue, EVENT_LOG_TYPES } from './eventlog';
export type { LogFileSource, EventLogSpec } from './eventlog';
export { USER_FEATURE_FLAGS, PERMISSION_FIELDS, SCHEMA } from './schema';
export { BulkControls, BULK_UNSUPPORTED_OBJECTS } from './bulk2';
export type { BulkQueryJob, BulkJobState, JobEnding } from './bulk2';
