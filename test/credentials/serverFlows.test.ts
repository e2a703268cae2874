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
import {
	TestCredentialsHelper,
	clientCredentials,
	jwtCredentials,
	registerServerApp,
	runNode,
} from '../helpers';

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

async function getAdmin(
	credentials: TestCredential,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) {
	return await runNode({
		resource: 'user',
		operation: 'get',
		parameters: { userId: org.admin.username },
		credentials,
		...extra,
	});
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

const storedToken = (helper: TestCredentialsHelper, type: string) =>
	String(helper.get(type)?.accessToken ?? '');

describe.each([
	['JWT bearer', 'salesforceAdminJwtApi', JWT_GRANT, () => jwtCredentials(org, app)],
	[
		'client credentials',
		'salesforceAdminClientCredentialsApi',
		'client_credentials',
		() => clientCredentials(org, app),
	],
])('%s', (_name, type, grant, credentials) => {
	it("signs in, reads, and acts as the app's user; one token request", async () => {
		const result = await getAdmin(credentials(), { input: [{}, {}, {}] });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({
			id: org.admin.userId,
			username: org.admin.username,
		});
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
		// the token answer's identity URL names the user: no identity call
		expect(org.calls.count('identity') + org.calls.count('userinfo')).toBeLessThanOrEqual(1);
		// n8n stored the token with the credential
		expect(storedToken(result.credentialsHelper, type)).not.toBe('');
		expect(result.credentialsHelper.preAuthentications).toEqual([{ type, expired: false }]);
		expectNoSecrets(result, [
			app.clientSecret,
			storedToken(result.credentialsHelper, type),
			...keyLines(app.privateKey),
		]);
	});

	it('100 executions cost one token request: the stored token is reused across executions', async () => {
		const helper = new TestCredentialsHelper();
		for (let i = 0; i < 100; i++) {
			const result = await getAdmin(credentials(), {
				credentialsHelper: helper,
				keepStoredCredential: true,
			});
			expect(result.error).toBeUndefined();
		}
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
	});

	it('10 executions at once in one process, no token stored yet: one token request; after an expiry, one renewal', async () => {
		const helper = new TestCredentialsHelper();
		const { type: credentialType, data } = credentials();
		helper.set(credentialType, data);
		const all = async () =>
			await Promise.all(
				Array.from(
					{ length: 10 },
					async () =>
						await getAdmin(credentials(), {
							credentialsHelper: helper,
							keepStoredCredential: true,
						}),
				),
			);
		for (const result of await all()) expect(result.error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
		org.controls.expireSessions(app.clientId);
		for (const result of await all()) expect(result.error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(2);
		expect(helper.preAuthentications.map((p) => p.expired)).toEqual([false, true]);
	});

	it('an expired token is renewed once (401 -> n8n signs in again and stores it) and the run goes on', async () => {
		const helper = new TestCredentialsHelper();
		expect((await getAdmin(credentials(), { credentialsHelper: helper })).error).toBeUndefined();
		const first = storedToken(helper, type);
		org.controls.expireSessions(app.clientId);
		const result = await getAdmin(credentials(), {
			credentialsHelper: helper,
			keepStoredCredential: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(2);
		expect(storedToken(helper, type)).not.toBe(first);
		expect(helper.preAuthentications.map((p) => p.expired)).toEqual([false, true]);
		// the next execution uses the renewed token
		expect(
			(await getAdmin(credentials(), { credentialsHelper: helper, keepStoredCredential: true }))
				.error,
		).toBeUndefined();
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
		const changed = {
			...helper.get(type)!,
			clientId: other.clientId,
			...(type === 'salesforceAdminJwtApi'
				? { privateKey: other.privateKey }
				: { clientSecret: other.clientSecret }),
		};
		helper.set(type, changed);
		const result = await getAdmin(
			{ type: type as TestCredential['type'], data: changed },
			{ credentialsHelper: helper, keepStoredCredential: true },
		);
		expect(result.error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, other.clientId)).toBe(1);
	});
});

describe('JWT bearer errors, as an admin needs them', () => {
	const secretsOf = (a: ServerApp) => [a.clientSecret, ...keyLines(a.privateKey)];

	it('user not pre-authorized: "user hasn\'t approved this consumer" -> pre-authorize the profile or permission set', async () => {
		const strict = registerServerApp(org, { preAuthorizedProfiles: [] });
		const result = await getAdmin(jwtCredentials(org, strict));
		expect(result.error?.message).toBe("invalid_grant: user hasn't approved this consumer");
		expect(result.error?.description).toMatch(/Admin approved users are pre-authorized/);
		expect(result.error?.description).toMatch(/profile or a permission set/);
		expectNoSecrets(result, secretsOf(strict));
	});

	it('a key that does not match the app\'s certificate: "invalid assertion" -> the certificate does not match', async () => {
		const other = registerServerApp(org);
		const result = await getAdmin(jwtCredentials(org, app, { privateKey: other.privateKey }));
		expect(result.error?.message).toBe('invalid_grant: invalid assertion');
		expect(result.error?.description).toMatch(
			/certificate uploaded to the app does not match this private key/,
		);
		expectNoSecrets(result, secretsOf(other));
	});

	it('the wrong audience: production login for a My Domain org -> use My Domain / the right environment', async () => {
		// the org takes only its own URL as audience; the assertion says https://test.salesforce.com
		const { signAssertion, readRsaPrivateKey } = await import(
			'../../nodes/SalesforceAdmin/transport/tokenGrants'
		);
		const assertion = signAssertion(readRsaPrivateKey(app.privateKey), {
			iss: app.clientId,
			sub: org.admin.username,
			aud: 'https://test.salesforce.com',
		});
		const res = await fetch(`${org.url}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: JWT_GRANT, assertion }).toString(),
		});
		const body = (await res.json()) as { error: string; error_description: string };
		expect(body).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
		const { guidanceFor } = await import('../../nodes/SalesforceAdmin/transport/tokenGrants');
		expect(guidanceFor('jwt', body.error, body.error_description)).toMatch(
			/Environment "My Domain"/,
		);
	});

	it('unknown consumer key: invalid_client_id -> copy the Consumer Key', async () => {
		const result = await getAdmin(jwtCredentials(org, app, { clientId: '3MVG9NoSuchApp' }));
		expect(result.error?.message).toBe('invalid_client_id: client identifier invalid');
		expect(result.error?.description).toMatch(/Consumer Key/);
	});

	const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	it.each([
		['not PEM', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', /not a PEM key/],
		[
			'encrypted',
			rsa.privateKey.export({
				type: 'pkcs8',
				format: 'pem',
				cipher: 'aes-256-cbc',
				passphrase: 'pass-phrase-1',
			}) as string,
			/encrypted/,
		],
		['not RSA', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /EC key.*RSA/],
		['a certificate', '', /certificate or public key/],
		['empty', ' ', /empty/],
	])('a key that is %s is refused before any call', async (_what, key, message) => {
		const privateKey = key || app.certificate;
		const result = await getAdmin(jwtCredentials(org, app, { privateKey }));
		expect(result.error?.message).toMatch(message);
		expect(org.calls.total()).toBe(0);
		expect(org.controls.oauth.tokenRequests()).toBe(0);
		expectNoSecrets(
			result,
			keyLines(privateKey).filter((l) => l.length > 20),
		);
	});

	it('a key pasted on one line (spaces or literal \\n for line breaks) still signs in', async () => {
		const oneLine = app.privateKey.trim().replace(/\n/g, ' ');
		expect(
			(await getAdmin(jwtCredentials(org, app, { privateKey: oneLine }))).error,
		).toBeUndefined();
		const escaped = app.privateKey.trim().replace(/\n/g, '\\n');
		expect(
			(await getAdmin(jwtCredentials(org, app, { privateKey: escaped }))).error,
		).toBeUndefined();
	});

	it('the assertion: RS256, iss/sub/aud of the credential, exp at most 3 minutes ahead', async () => {
		const { signAssertion, readRsaPrivateKey } = await import(
			'../../nodes/SalesforceAdmin/transport/tokenGrants'
		);
		const now = 1_800_000_000;
		const jwt = signAssertion(
			readRsaPrivateKey(app.privateKey),
			{ iss: 'a', sub: 'b', aud: 'https://login.salesforce.com' },
			now,
		);
		const [header, payload] = jwt
			.split('.')
			.slice(0, 2)
			.map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
		expect(payload).toEqual({
			iss: 'a',
			sub: 'b',
			aud: 'https://login.salesforce.com',
			exp: expect.any(Number),
		});
		expect(payload.exp - now).toBeGreaterThan(0);
		expect(payload.exp - now).toBeLessThanOrEqual(180);
	});
});

describe('client credentials errors', () => {
	it('wrong secret: invalid_client -> copy the consumer secret; the secret appears nowhere', async () => {
		const wrong = 'Wr0ng-Client-S3cret-value';
		const result = await getAdmin(clientCredentials(org, app, { clientSecret: wrong }));
		expect(result.error?.message).toBe('invalid_client: invalid client credentials');
		expect(result.error?.description).toMatch(/Consumer Secret/);
		expectNoSecrets(result, [wrong, app.clientSecret]);
	});

	it('no Run As user: "no client credentials user enabled" -> choose the Run As user', async () => {
		const noRunAs = registerServerApp(org);
		org.controls.oauth.updateApp(noRunAs.clientId, { runAs: undefined });
		const result = await getAdmin(clientCredentials(org, noRunAs));
		expect(result.error?.message).toBe('invalid_grant: no client credentials user enabled');
		expect(result.error?.description).toMatch(/Run As user/);
		expectNoSecrets(result, [noRunAs.clientSecret]);
	});

	it('the credential has no environment choice: it always signs in at the My Domain URL', async () => {
		const { SalesforceAdminClientCredentialsApi } = await import(
			'../../credentials/SalesforceAdminClientCredentialsApi.credentials'
		);
		const props = new SalesforceAdminClientCredentialsApi().properties;
		expect(props.find((p) => p.name === 'environment')).toMatchObject({
			type: 'hidden',
			default: 'myDomain',
		});
		expect(props.find((p) => p.name === 'myDomainUrl')).toMatchObject({ required: true });
		expect(props.find((p) => p.name === 'clientSecret')?.typeOptions).toMatchObject({
			password: true,
		});
	});
});
