/**
 * The transport on its own (signIn + queryAll), against the fake org over real HTTP: the login
 * URL each environment picks, the OAuth2 refresh without n8n's helper (older n8n, credential
 * test), and the Salesforce errors REST calls meet, mapped with their guidance.
 */
import {
	DEFAULT_TRANSPORT_OPTIONS,
	dataPath,
	queryAll,
	send,
	settingsFromCredential,
	signIn,
	toNodeApiError,
} from '../../nodes/SalesforceAdmin/transport';
import type { Wire, WireRequest } from '../../nodes/SalesforceAdmin/transport';
import { FakeOrg } from '../fake-org';
import { oauth2Credentials, passwordCredentials } from '../helpers/credentials';
import { TestCredentialsHelper } from '../helpers/credentials-helper';
import { testWire } from '../helpers/wire';
import { salesforceAdminNode } from '../helpers/node-types';

const node = salesforceAdminNode();

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 3 } });
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.setApiUsage(0, 5_000_000);
	org.controls.showAllFields();
});
afterEach(() => jest.restoreAllMocks());

const passwordSession = (overrides = {}) =>
	signIn(settingsFromCredential('password', passwordCredentials(org, overrides).data), {
		wire: testWire(),
	});

/** Runs a call and returns the NodeApiError the node would show for it. */
async function nodeErrorOf(call: () => Promise<unknown>) {
	try {
		await call();
	} catch (error) {
		return toNodeApiError(node, error);
	}
	throw new Error('the call did not fail');
}

describe('login URL per environment (no network)', () => {
	const blocked = new Error('stop before the network');
	/** A wire that records where each request would go and sends nothing. */
	const recordingWire = (seen: string[]): Wire =>
		Object.assign(
			async (request: WireRequest) => {
				seen.push(request.url);
				throw blocked;
			},
			{ options: DEFAULT_TRANSPORT_OPTIONS },
		);
	const signInAt = (environment: string, flow: 'soap' | 'oauth', seen: string[]) =>
		signIn(
			settingsFromCredential(
				'password',
				passwordCredentials(org, { environment, flow } as never).data,
			),
			{ wire: recordingWire(seen) },
		);

	it.each([
		['production', 'https://login.salesforce.com/services/Soap/u/'],
		['sandbox', 'https://test.salesforce.com/services/Soap/u/'],
	] as const)('%s: SOAP login goes to %s', async (environment, url) => {
		const seen: string[] = [];
		await expect(signInAt(environment, 'soap', seen)).rejects.toThrow(blocked.message);
		expect(seen).toHaveLength(1);
		expect(seen[0].startsWith(url)).toBe(true);
		expect(org.calls.total()).toBe(0);
	});

	it.each([
		['production', 'https://login.salesforce.com/services/oauth2/token'],
		['sandbox', 'https://test.salesforce.com/services/oauth2/token'],
	] as const)('%s: the OAuth username-password flow posts to %s', async (environment, tokenUrl) => {
		const seen: string[] = [];
		await expect(signInAt(environment, 'oauth', seen)).rejects.toThrow(blocked.message);
		expect(seen).toEqual([tokenUrl]);
	});

	it('OAuth2 credential: n8n resolves the authorize / token URLs from the environment', () => {
		const helper = new TestCredentialsHelper();
		const urls = (data: Record<string, string>) => {
			const resolved = helper.applyDefaults('salesforceAdminOAuth2Api', data);
			return [resolved.authUrl, resolved.accessTokenUrl, resolved.scope];
		};
		expect(urls({ environment: 'production' })).toEqual([
			'https://login.salesforce.com/services/oauth2/authorize',
			'https://login.salesforce.com/services/oauth2/token',
			'refresh_token offline_access id api',
		]);
		expect(urls({ environment: 'sandbox' }).slice(0, 2)).toEqual([
			'https://test.salesforce.com/services/oauth2/authorize',
			'https://test.salesforce.com/services/oauth2/token',
		]);
		expect(
			urls({ environment: 'myDomain', myDomainUrl: 'https://acme.my.salesforce.com/' })[1],
		).toBe('https://acme.my.salesforce.com/services/oauth2/token');
		// typed with http://: the browser sign-in and token exchange still go over https
		expect(urls({ environment: 'myDomain', myDomainUrl: 'http://acme.my.salesforce.com' })[0]).toBe(
			'https://acme.my.salesforce.com/services/oauth2/authorize',
		);
		expect(urls({ environment: 'myDomain', myDomainUrl: org.url })[1]).toBe(
			`${org.url}/services/oauth2/token`,
		);
	});
});

describe('signIn', () => {
	it('SOAP: the session knows the user and org from the login answer', async () => {
		const session = await passwordSession();
		expect(session).toMatchObject({
			userId: org.admin.userId,
			organizationId: org.store.orgId,
			accessMode: 'readOnly',
		});
		expect(org.calls.log.map((c) => c.kind)).toEqual(['soapLogin']);
	});

	it("OAuth2 tokens: the user comes from the token's id URL, no call", async () => {
		const credentials = oauth2Credentials(org, { accessMode: 'readWrite' });
		const session = await signIn(settingsFromCredential('oAuth2', credentials.data), {
			wire: testWire(),
		});
		expect(session).toMatchObject({
			userId: org.admin.userId,
			organizationId: org.store.orgId,
			accessMode: 'readWrite',
		});
		expect(org.calls.total()).toBe(0);
	});

	it("OAuth2 without n8n's refresh helper: refreshes at the token endpoint itself, retries once", async () => {
		const credentials = oauth2Credentials(org);
		const session = await signIn(settingsFromCredential('oAuth2', credentials.data), {
			wire: testWire(),
		});
		org.controls.expireSessions();
		const rows = await queryAll(session, `SELECT Id FROM User WHERE Id = '${org.admin.userId}'`);
		expect(rows).toEqual([{ Id: org.admin.userId }]);
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'query:401',
			'token:200',
			'query:200',
		]);
	});

	it('OAuth2 without a refresh token: expired access token -> reconnect', async () => {
		const credentials = oauth2Credentials(org);
		const tokens = { ...(credentials.data.oauthTokenData as Record<string, string>) };
		delete (tokens as Record<string, unknown>).refresh_token;
		const session = await signIn(
			settingsFromCredential('oAuth2', { ...credentials.data, oauthTokenData: tokens }),
			{ wire: testWire() },
		);
		org.controls.expireSessions();
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROM User'));
		expect(error.message).toMatch(/reconnect the credential/);
	});

	it('one sign-in survives many calls; a session that expires twice is refreshed twice', async () => {
		const session = await passwordSession();
		org.controls.expireSessions();
		await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		org.controls.expireSessions();
		await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'soapLogin:200',
			'query:401',
			'soapLogin:200',
			'query:200',
			'query:200',
			'query:401',
			'soapLogin:200',
			'query:200',
		]);
	});

	it('missing username or password is refused before anything is sent', async () => {
		await expect(passwordSession({ username: '' })).rejects.toThrow(
			/needs a username and a password/,
		);
		expect(org.calls.total()).toBe(0);
	});
});

describe('Salesforce errors on REST calls, through the fake org', () => {
	it('REQUEST_LIMIT_EXCEEDED carries the usage from Sforce-Limit-Info', async () => {
		const session = await passwordSession();
		org.controls.setApiUsage(15_001, 15_000);
		org.controls.failNext(1, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROM User'));
		expect(error.message).toBe('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
		expect(error.description).toMatch(/used 15,00\d of its 15,000 daily API requests/);
		expect(session.apiUsage?.max).toBe(15_000);
	});

	it("every answer updates the session's API usage", async () => {
		const session = await passwordSession();
		org.controls.setApiUsage(1234, 100_000);
		await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		expect(session.apiUsage).toEqual({ used: expect.any(Number), max: 100_000 });
		expect(session.apiUsage!.used).toBeGreaterThanOrEqual(1234);
	});

	it('MALFORMED_QUERY', async () => {
		const session = await passwordSession();
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROMM User'));
		expect(error.message).toMatch(/^MALFORMED_QUERY: /);
		expect(error.description).toMatch(/bug in the node/);
	});

	it('INVALID_FIELD: a field hidden by field-level security is named, with the fix', async () => {
		const session = await passwordSession();
		org.controls.hideFields('User', ['UserPermissionsSupportUser']);
		const error = await nodeErrorOf(() =>
			queryAll(session, 'SELECT Id, UserPermissionsSupportUser FROM User'),
		);
		expect(error.message).toMatch(/^INVALID_FIELD: /);
		expect(error.description).toMatch(/field-level security/);
	});

	it('INSUFFICIENT_ACCESS names the permission to grant', async () => {
		const session = await passwordSession();
		org.controls.failNext(
			1,
			403,
			'INSUFFICIENT_ACCESS',
			'insufficient access rights on cross-reference id',
		);
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROM User'));
		expect(error.message).toBe(
			'INSUFFICIENT_ACCESS: insufficient access rights on cross-reference id',
		);
		expect(error.description).toMatch(/"Manage Users"/);
	});

	it('NOT_FOUND', async () => {
		const session = await passwordSession();
		const error = await nodeErrorOf(() =>
			send(session, { method: 'GET', url: dataPath('/sobjects/User/005000000000000AAA') }),
		);
		expect(error.message).toMatch(/^NOT_FOUND: /);
		expect(error.httpCode).toBe('404');
	});

	it('UNABLE_TO_LOCK_ROW', async () => {
		const session = await passwordSession();
		org.controls.failNext(
			1,
			400,
			'UNABLE_TO_LOCK_ROW',
			'unable to obtain exclusive access to this record',
		);
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROM User'));
		expect(error.message).toBe(
			'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
		);
		expect(error.description).toMatch(/Run the node again/);
	});

	it('no secret of the session in any of these errors', async () => {
		const session = await passwordSession({ flow: 'oauth' });
		const accessToken = session.auth.accessToken;
		org.controls.failNext(1, 403, 'REQUEST_LIMIT_EXCEEDED');
		const error = await nodeErrorOf(() => queryAll(session, 'SELECT Id FROM User'));
		const text = JSON.stringify({
			error,
			json: error.toJSON?.(),
			stack: error.stack,
			description: error.description,
		});
		for (const secret of [
			accessToken,
			org.admin.password,
			org.admin.securityToken,
			org.admin.clientSecret,
		]) {
			expect(text).not.toContain(secret);
		}
	});
});
