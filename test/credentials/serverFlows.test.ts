/**
 * JWT bearer and client credentials through the node, the way n8n runs it (n8n-core
 * WorkflowExecute via the harness, whose credentials helper runs preAuthentication and stores
 * its answer like n8n's), against the fake org over real HTTP: sign-in, a read, a dry-run
 * write, each sign-in error with its guidance, a bad key refused before any call, token reuse
 * within and across executions, and no secret anywhere in what n8n could show.
 */
import { generateKeyPairSync } from 'crypto';

import { FakeOrg } from '../fake-org';
import type { RunNodeResult, ServerApp, TestCredential } from '../helpers';
import { TestCredentialsHelper, clientCredentials, jwtCredentials, registerServerApp, runNode } from '../helpers';

let org: FakeOrg;
let app: ServerApp;

beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 20, seed: 23 } });
	app = registerServerApp(org);
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.oauth.resetTokenRequests();
});

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function getAdmin(credentials: TestCredential, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return await runNode({ resource: 'user', operation: 'get', parameters: { userId: org.admin.username }, credentials, ...extra });
}

/** Everything n8n could show or store about a run, as one string. */
function everything(result: RunNodeResult): string {
	const { error } = result;
	return JSON.stringify({
		error,
		json: (error as { toJSON?: () => unknown } | undefined)?.toJSON?.(),
		message: error?.message,
		description: error?.description,
		cause: (error as { cause?: unknown } | undefined)?.cause,
		stack: error?.stack,
		runData: result.runData,
		items: result.items,
	});
}

function expectNoSecrets(result: RunNodeResult, secrets: string[]) {
	const text = everything(result);
	for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
}

/** The key's base64 body lines: a leak of any part of it shows. */
const keyLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

const storedToken = (helper: TestCredentialsHelper, type: string) => String(helper.get(type)?.accessToken ?? '');

describe.each([
	['JWT bearer', 'salesforceAdminJwtApi', JWT_GRANT, () => jwtCredentials(org, app)],
	['client credentials', 'salesforceAdminClientCredentialsApi', 'client_credentials', () => clientCredentials(org, app)],
])('%s', (_name, type, grant, credentials) => {
	it('signs in, reads, and acts as the app\'s user; one token request', async () => {
		const result = await getAdmin(credentials(), { input: [{}, {}, {}] });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({ id: org.admin.userId, username: org.admin.username });
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
		// the token answer's identity URL names the user: no identity call
		expect(org.calls.count('identity') + org.calls.count('userinfo')).toBeLessThanOrEqual(1);
		// n8n stored the token with the credential
		expect(storedToken(result.credentialsHelper, type)).not.toBe('');
		expect(result.credentialsHelper.preAuthentications).toEqual([{ type, expired: false }]);
		expectNoSecrets(result, [app.clientSecret, storedToken(result.credentialsHelper, type), ...keyLines(app.privateKey)]);
	});

	it('100 executions cost one token request: the stored token is reused across executions', async () => {
		const helper = new TestCredentialsHelper();
		for (let i = 0; i < 100; i++) {
			const result = await getAdmin(credentials(), { credentialsHelper: helper, keepStoredCredential: true });
			expect(result.error).toBeUndefined();
		}
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
	});

	it('an expired token is renewed once (401 -> n8n signs in again and stores it) and the run goes on', async () => {
		const helper = new TestCredentialsHelper();
		expect((await getAdmin(credentials(), { credentialsHelper: helper })).error).toBeUndefined();
		const first = storedToken(helper, type);
		org.controls.expireSessions(app.clientId);
		const result = await getAdmin(credentials(), { credentialsHelper: helper, keepStoredCredential: true });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(2);
		expect(storedToken(helper, type)).not.toBe(first);
		expect(helper.preAuthentications.map((p) => p.expired)).toEqual([false, true]);
		// the next execution uses the renewed token
		expect((await getAdmin(credentials(), { credentialsHelper: helper, keepStoredCredential: true })).error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(2);
	});

	it('a dry-run freeze of the connected (run-as / JWT) user is skipped', async () => {
		const cred = credentials();
		cred.data.accessMode = 'readWrite';
		const result = await runNode({
			resource: 'user',
			operation: 'freeze',
			parameters: { userId: org.admin.username, options: { dryRun: true, allowAdmins: true } },
			credentials: cred,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: org.admin.userId, result: 'skipped' });
		expect(String(result.items[0].json.reason)).toMatch(/connected user/i);
	});

	it('a token stored for other sign-in fields is never sent: n8n signs in with the new fields', async () => {
		const helper = new TestCredentialsHelper();
		expect((await getAdmin(credentials(), { credentialsHelper: helper })).error).toBeUndefined();
		const other = registerServerApp(org);
		const changed = { ...helper.get(type)!, clientId: other.clientId, ...(type === 'salesforceAdminJwtApi' ? { privateKey: other.privateKey } : { clientSecret: other.clientSecret }) };
		helper.set(type, changed);
		const result = await getAdmin({ type: type as TestCredential['type'], data: changed }, { credentialsHelper: helper, keepStoredCredential: true });
		expect(result.error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, other.clientId)).toBe(1);
	});
});
