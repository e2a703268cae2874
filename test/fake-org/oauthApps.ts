/**
 * The org's OAuth client apps (connected apps and External Client Apps) by consumer key, what
 * users approved, browser sign-ins of the authorize page, and the counters tests assert on.
 * Tests reach it as `org.controls.oauth`.
 */
import { createPublicKey, KeyObject, randomBytes, X509Certificate } from 'node:crypto';

import type { OrgStore, PermissionSetRecord, ProfileRecord, UserRecord } from './store';

export type OAuthAppKind = 'connectedApp' | 'externalClientApp';

/** Salesforce's "Permitted Users" policy. */
export type PermittedUsers = 'allUsersSelfAuthorize' | 'adminApprovedPreAuthorized';

export interface OAuthApp {
	/** Consumer key (client_id). */
	clientId: string;
	/** Consumer secret. */
	clientSecret: string;
	name: string;
	/** External Client Apps do not offer the username-password flow. */
	kind: OAuthAppKind;
	/** Callback URLs; redirect_uri must equal one of them exactly. */
	callbackUrls: string[];
	/** "Require Proof Key for Code Exchange (PKCE)". */
	requirePkce: boolean;
	/** "Require Secret for Web Server Flow" (on by default for External Client Apps). */
	requireSecretForWebServerFlow: boolean;
	/** "Require Secret for Refresh Token Flow". */
	requireSecretForRefreshTokenFlow: boolean;
	/**
	 * "Enable Refresh Token Rotation": every refresh answers a new refresh token and the one
	 * used stops working (mandatory for partner apps, optional otherwise).
	 */
	refreshTokenRotation: boolean;
	/**
	 * "Use digital signatures": the uploaded X.509 certificate (PEM) that JWT assertions are
	 * verified with. A PUBLIC KEY PEM is accepted too (a simplification of the fake org).
	 */
	certificate?: string;
	permittedUsers: PermittedUsers;
	/** Pre-authorized profiles / permission sets (names), used with adminApprovedPreAuthorized. */
	preAuthorizedProfiles: string[];
	preAuthorizedPermissionSets: string[];
	/** Client credentials flow "Run As" user (a username); without it the flow is refused. */
	runAs?: string;
	/** Selected OAuth scopes, e.g. ['api', 'id', 'refresh_token', 'offline_access']. */
	scopes: string[];
}

export type NewOAuthApp = Partial<OAuthApp> & Pick<OAuthApp, 'clientId'>;

export interface AuthorizationCodeGrant {
	userId: string;
	clientId?: string;
	/** The redirect_uri of the authorize request; the token request must repeat it. */
	redirectUri?: string;
	codeChallenge?: string;
	scopes?: string[];
	issuedAt: number;
}

/** An authorize request waiting for the browser to sign in or approve. */
export interface PendingAuthorization {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	state?: string;
	codeChallenge?: string;
	userId?: string;
}

const DEFAULT_SCOPES = ['api', 'id', 'refresh_token', 'offline_access'];
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export class OAuthApps {
	private readonly apps = new Map<string, OAuthApp>();
	/** Approvals given on the consent page: `${userId} ${clientId}` -> approved scopes. */
	private readonly approvals = new Map<string, Set<string>>();
	private readonly counters = new Map<string, number>();
	readonly codes = new Map<string, AuthorizationCodeGrant>();
	readonly pending = new Map<string, PendingAuthorization>();
	/** Browser sign-ins of the authorize page: cookie value -> user id. */
	readonly browserSessions = new Map<string, string>();
	/** Authorization codes live 15 minutes at Salesforce. */
	codeTtlMs = 15 * 60_000;
	/** How far in the future a JWT's exp may lie (Salesforce: "within 3 minutes", plus skew). */
	jwtMaxLifetimeSeconds = 300;
	/** Accepted JWT audiences; undefined = the org's own URL only. */
	jwtAudiences?: string[];
	/** Shifts the OAuth clock (code and assertion expiry) so tests never sleep. */
	clockOffsetMs = 0;

	constructor(private readonly store: OrgStore) {}

	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** Registers (or replaces) an app; leaving fields out gives an External Client App's defaults. */
	registerApp(input: NewOAuthApp): OAuthApp {
		const kind = input.kind ?? 'externalClientApp';
		const app: OAuthApp = {
			clientSecret: token(32),
			name: input.clientId,
			kind,
			callbackUrls: [],
			requirePkce: kind === 'externalClientApp',
			requireSecretForWebServerFlow: true,
			requireSecretForRefreshTokenFlow: kind === 'externalClientApp',
			refreshTokenRotation: false,
			permittedUsers: 'allUsersSelfAuthorize',
			preAuthorizedProfiles: [],
			preAuthorizedPermissionSets: [],
			scopes: [...DEFAULT_SCOPES],
			...input,
		};
		this.apps.set(app.clientId, app);
		return app;
	}

	/** Changes settings of an app, like editing its policies in Setup. */
	updateApp(clientId: string, changes: Partial<Omit<OAuthApp, 'clientId'>>): OAuthApp {
		const app = this.app(clientId);
		if (!app) throw new Error(`updateApp: no app ${clientId}`);
		Object.assign(app, changes);
		return app;
	}

	removeApp(clientId: string): void {
		this.apps.delete(clientId);
	}

	app(clientId: string | undefined): OAuthApp | undefined {
		return clientId ? this.apps.get(clientId) : undefined;
	}

	/** Accept JWTs whose aud is one of these (e.g. https://login.salesforce.com); no argument = the org URL only. */
	setJwtAudiences(audiences?: string[]): void {
		this.jwtAudiences = audiences?.map((a) => a.replace(/\/+$/, ''));
	}

	/** Moves the OAuth clock forward (expire codes or assertions without waiting). */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	/** Token requests so far, by grant_type and/or client_id (all when left out). */
	tokenRequests(grantType?: string, clientId?: string): number {
		let total = 0;
		for (const [key, count] of this.counters) {
			const [g, c] = key.split(' ');
			if (
				(grantType === undefined || g === grantType) &&
				(clientId === undefined || c === clientId)
			)
				total += count;
		}
		return total;
	}

	resetTokenRequests(): void {
		this.counters.clear();
	}

	/** @internal */
	countTokenRequest(grantType: string, clientId: string): void {
		const key = `${grantType || '-'} ${clientId || '-'}`;
		this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
	}

	/** Records that a user allowed an app these scopes (the consent page, or a test shortcut). */
	approve(userId: string, clientId: string, scopes: string[]): void {
		const key = `${userId} ${clientId}`;
		const set = this.approvals.get(key) ?? new Set<string>();
		for (const scope of scopes) set.add(scope);
		this.approvals.set(key, set);
	}

	revokeApproval(userId: string, clientId: string): void {
		this.approvals.delete(`${userId} ${clientId}`);
	}

	approvedScopes(userId: string, clientId: string): Set<string> | undefined {
		return this.approvals.get(`${userId} ${clientId}`);
	}

	/** Whether the app's policy pre-authorizes the user (profile or an assigned permission set). */
	isPreAuthorized(app: OAuthApp, user: UserRecord): boolean {
		if (app.permittedUsers !== 'adminApprovedPreAuthorized') return false;
		const profile = this.store.get<ProfileRecord>('Profile', user.ProfileId);
		const lower = (names: string[]) => new Set(names.map((n) => n.toLowerCase()));
		if (profile && lower(app.preAuthorizedProfiles).has(profile.Name.toLowerCase())) return true;
		const sets = lower(app.preAuthorizedPermissionSets);
		return this.store.permissionSetAssignments.some((a) => {
			if (a.AssigneeId !== user.Id) return false;
			const ps = this.store.get<PermissionSetRecord>('PermissionSet', a.PermissionSetId);
			return (
				ps !== undefined && (sets.has(ps.Name.toLowerCase()) || sets.has(ps.Label.toLowerCase()))
			);
		});
	}

	/**
	 * May the JWT bearer flow act as this user? Admin-approved apps: pre-authorized users only.
	 * Self-authorize apps: the user approved the app before with a refresh_token scope.
	 */
	jwtAllowed(app: OAuthApp, user: UserRecord): boolean {
		if (app.permittedUsers === 'adminApprovedPreAuthorized') return this.isPreAuthorized(app, user);
		const approved = this.approvedScopes(user.Id, app.clientId);
		return (
			approved !== undefined && (approved.has('refresh_token') || approved.has('offline_access'))
		);
	}

	createCode(grant: Omit<AuthorizationCodeGrant, 'issuedAt'>): string {
		const code = `aPrx${token(48)}`;
		this.codes.set(code, { ...grant, issuedAt: this.now() });
		return code;
	}

	/** The key an app's certificate (or public key PEM) verifies signatures with. */
	verificationKey(app: OAuthApp): KeyObject | undefined {
		if (!app.certificate) return undefined;
		try {
			return app.certificate.includes('BEGIN CERTIFICATE')
				? new X509Certificate(app.certificate).publicKey
				: createPublicKey(app.certificate);
		} catch {
			return undefined;
		}
	}
}
