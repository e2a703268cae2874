/**
 * Sign-in through the node, the way n8n runs it (n8n-core WorkflowExecute via the harness),
 * against the fake org over real HTTP: both credential types, each sign-in failure with its
 * guidance, the 401 -> sign in again / refresh -> retry once path, and no secret in any error.
 */
import { FakeOrg } from '../fake-org';
import type { RunNodeResult, TestCredential } from '../helpers';
import { TestCredentialsHelper, oauth2Credentials, passwordCredentials, runNode } from '../helpers';

let org: FakeOrg;

beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 20, seed: 11 } });
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.setApiUsage(0, 5_000_000);
});

/** A cheap read through the node: Get user for the admin. */
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

const kinds = () => org.calls.log.map((c) => `${c.kind}:${c.status}`);
const authCalls = () =>
	org.calls.count('soapLogin') + org.calls.count('token') + org.calls.count('identity');

/** Everything n8n could show or store about the failed run, as one string. */
function everything(result: RunNodeResult): string {
	const { error } = result;
	return JSON.stringify({
		error,
		json: (error as { toJSON?: () => unknown } | undefined)?.toJSON?.(),
		message: error?.message,
		description: error?.description,
		cause: (error as { cause?: unknown } | undefined)?.cause,
		errorResponse: (error as { errorResponse?: unknown } | undefined)?.errorResponse,
		stack: error?.stack,
		runData: result.runData,
		items: result.items,
	});
}

function expectNoSecrets(result: RunNodeResult, secrets: string[]) {
	const text = everything(result);
	for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
}

const adminSecrets = () => [
	org.admin.password,
	org.admin.securityToken,
	org.admin.password + org.admin.securityToken,
	org.admin.clientSecret,
];

describe('password credential', () => {
	it('SOAP login (no client id): one sign-in for the whole execution, not one per item', async () => {
		const result = await getAdmin(passwordCredentials(org), { input: [{}, {}, {}] });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({
			id: org.admin.userId,
			username: org.admin.username,
		});
		expect(org.calls.count('soapLogin')).toBe(1);
		expect(org.calls.count('token')).toBe(0);
		// the SOAP answer names the user: no identity call spent on it
		expect(org.calls.count('identity')).toBe(0);
	});

	it('OAuth username-password flow when client id and secret are given', async () => {
		const result = await getAdmin(passwordCredentials(org, { flow: 'oauth' }));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
		expect(org.calls.count('token')).toBe(1);
		expect(org.calls.count('soapLogin')).toBe(0);
		expect(org.calls.count('identity')).toBe(0);
	});

	it('client id without secret is refused before anything is sent', async () => {
		const result = await getAdmin(passwordCredentials(org, { clientId: org.admin.clientId }));
		expect(result.error?.message).toMatch(/both Client ID and Client Secret/);
		expect(org.calls.total()).toBe(0);
	});

	it('wrong password: INVALID_LOGIN with the admin guidance, and no secret in the error', async () => {
		const result = await getAdmin(passwordCredentials(org, { password: 'Wr0ngPassw0rd!' }));
		expect(result.error?.message).toBe(
			'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
		);
		expect(result.error?.description).toMatch(/security token may have been reset/);
		expect(result.error?.description).toMatch(/locked out/);
		expect(result.error?.description).toMatch(/API Enabled/);
		expect(result.error?.description).toMatch(/login IP ranges or login hours/);
		expect(result.items).toHaveLength(0);
		expectNoSecrets(result, [
			'Wr0ngPassw0rd!',
			'Wr0ngPassw0rd!' + org.admin.securityToken,
			org.admin.securityToken,
		]);
	});

	describe('a SOAP fault that echoes the password XML-escaped', () => {
		const password = `Wr0ng&<Pa"ss>'w0rd`;
		const named = (text: string) =>
			text.replace(
				/[&<>"']/g,
				(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
			);
		const numeric = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
		const hex = (text: string) =>
			text.replace(/[&<>"']/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
		afterEach(() => (org.controls.echoPasswordInLoginFault = undefined));

		it.each([
			['named entities', named],
			['decimal references', numeric],
			['hex references', hex],
		])('%s: no form of the password in the error or output', async (_name, escape) => {
			org.controls.echoPasswordInLoginFault = (sent) => `(password was "${escape(sent)}")`;
			const result = await getAdmin(passwordCredentials(org, { password }), {
				continueOnFail: true,
			});
			const withToken = password + org.admin.securityToken;
			// the echo reached the node, scrubbed
			const output = JSON.stringify(result.items.map((i) => i.json));
			expect(output).toContain('(password was \\"[redacted]\\")');
			const forms = [
				password,
				withToken,
				named(password),
				numeric(password),
				hex(password),
				JSON.stringify(password).slice(1, -1),
				'Pa"ss',
				'Pa&quot;ss',
				'Pa&#34;ss',
				'Pa&#x22;ss',
				'Pa\\"ss',
			];
			expectNoSecrets(result, [...forms, org.admin.securityToken]);

			// and the same as a failed run (no Continue On Fail)
			const failed = await getAdmin(passwordCredentials(org, { password }));
			expect(failed.error?.message).toMatch(/^INVALID_LOGIN: .*\(password was "\[redacted\]"\)$/);
			expectNoSecrets(failed, [...forms, org.admin.securityToken]);
		});
	});

	it('wrong password in the OAuth flow: invalid_grant with the sign-in guidance (not "reconnect")', async () => {
		const result = await getAdmin(
			passwordCredentials(org, { flow: 'oauth', password: 'Wr0ngPassw0rd!' }),
		);
		expect(result.error?.message).toBe('invalid_grant: authentication failure');
		expect(result.error?.description).toMatch(/security token may have been reset/);
		expect(result.error?.message).not.toMatch(/reconnect/);
		expectNoSecrets(result, ['Wr0ngPassw0rd!', org.admin.clientSecret, org.admin.securityToken]);
	});

	it('missing security token: LOGIN_MUST_USE_SECURITY_TOKEN says to append it', async () => {
		const result = await getAdmin(passwordCredentials(org, { securityToken: '' }));
		expect(result.error?.message).toMatch(/^LOGIN_MUST_USE_SECURITY_TOKEN: /);
		expect(result.error?.description).toMatch(/Enter the security token in the credential/);
		expectNoSecrets(result, [org.admin.password]);
	});

	it('API disabled for the user: API_CURRENTLY_DISABLED says to grant API Enabled', async () => {
		const marketing = org.addLoginUser(org.store.addUser({ profile: 'Marketing User' }));
		const result = await getAdmin(passwordCredentials(org, { login: marketing }));
		expect(result.error?.message).toBe('API_CURRENTLY_DISABLED: API is disabled for this User');
		expect(result.error?.description).toMatch(/"API Enabled"/);
	});

	it('expired password: set a new one in Salesforce', async () => {
		const expired = org.addLoginUser(org.store.addUser(), { passwordExpired: true });
		const result = await getAdmin(passwordCredentials(org, { login: expired }));
		expect(result.error?.message).toMatch(/^INVALID_OPERATION_WITH_EXPIRED_PASSWORD: /);
		expect(result.error?.description).toMatch(/set a new password/);
		expectNoSecrets(result, [expired.password, expired.securityToken]);
	});

	it('session expired mid-run: signs in again and retries the call that hit 401 exactly once', async () => {
		// the first REST call after sign-in answers 401, as an expired session does
		org.controls.failNext(1, 401);
		const result = await getAdmin(passwordCredentials(org));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
		const log = kinds();
		expect(log[0]).toBe('soapLogin:200');
		expect(log[1]).toMatch(/:401$/);
		expect(log[2]).toBe('soapLogin:200');
		// the retried call is the same one that failed
		expect(org.calls.log[3].path).toBe(org.calls.log[1].path);
		expect(log[3]).toMatch(/:200$/);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(1);
		expect(org.calls.count('soapLogin')).toBe(2);
	});

	it('rejected again after signing in again: INVALID_SESSION_ID, no second retry', async () => {
		org.controls.failNext(2, 401);
		const result = await getAdmin(passwordCredentials(org));
		expect(result.error?.message).toMatch(/^INVALID_SESSION_ID: /);
		expect(kinds()).toEqual([
			'soapLogin:200',
			expect.stringMatching(/:401$/),
			'soapLogin:200',
			expect.stringMatching(/:401$/),
		]);
		expectNoSecrets(result, adminSecrets());
	});
});

describe('OAuth2 credential (token data stored by n8n)', () => {
	it('uses the stored access token: no sign-in call at all', async () => {
		const result = await getAdmin(oauth2Credentials(org));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: org.admin.userId,
			username: org.admin.username,
		});
		expect(authCalls()).toBe(0);
		expect(result.credentialSaves).toHaveLength(0);
	});

	it('expired access token: refreshed with the refresh token, the 401 call retried once, the user notices nothing', async () => {
		const credentials = oauth2Credentials(org);
		const oldToken = (credentials.data.oauthTokenData as { access_token: string }).access_token;
		org.controls.expireSessions();
		const helper = new TestCredentialsHelper();
		const result = await getAdmin(credentials, { credentialsHelper: helper });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });

		const log = kinds();
		expect(log[0]).toMatch(/:401$/);
		expect(log[1]).toBe('token:200');
		expect(org.calls.log[2].path).toBe(org.calls.log[0].path);
		expect(log[2]).toMatch(/:200$/);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(1);
		expect(org.calls.count('token')).toBe(1);

		// n8n saved the new access token with the credential (n8n-core's refreshOAuth2Token)
		expect(result.credentialSaves).toHaveLength(1);
		const saved = result.credentialSaves[0].data.oauthTokenData as Record<string, string>;
		expect(saved.access_token).toBeTruthy();
		expect(saved.access_token).not.toBe(oldToken);
		expect(saved.refresh_token).toBe(
			(credentials.data.oauthTokenData as Record<string, string>).refresh_token,
		);

		// the next execution starts with the saved token: no 401, no refresh
		org.calls.reset();
		const next = await runNode({
			resource: 'user',
			operation: 'get',
			parameters: { userId: org.admin.username },
			credentials: { type: credentials.type, data: helper.get(credentials.type)! },
			credentialsHelper: helper,
		});
		expect(next.error).toBeUndefined();
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(0);
		expect(org.calls.count('token')).toBe(0);
	});

	it('revoked refresh token: a clear "reconnect the credential" error, no secret in it', async () => {
		const credentials = oauth2Credentials(org);
		const tokens = credentials.data.oauthTokenData as Record<string, string>;
		org.controls.expireSessions();
		org.controls.revokeRefreshToken(tokens.refresh_token);
		const result = await getAdmin(credentials);
		expect(result.error?.message).toMatch(/reconnect the credential/);
		expect(result.error?.message).toMatch(/invalid_grant/);
		expect(result.error?.description).toMatch(/click "Reconnect"/);
		// one 401, one refresh attempt, nothing more
		expect(org.calls.count('token')).toBe(1);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(1);
		expectNoSecrets(result, [tokens.access_token, tokens.refresh_token, org.admin.clientSecret]);
	});

	it('a credential that was never connected is refused before any call', async () => {
		const result = await getAdmin(oauth2Credentials(org, { oauthTokenData: {} }));
		expect(result.error?.message).toMatch(/not connected.*Connect my account/);
		expect(org.calls.total()).toBe(0);
	});
});

describe('login URL per environment', () => {
	it('My Domain over plain http (not loopback) is refused before any network call', async () => {
		for (const credentials of [
			passwordCredentials(org, { myDomainUrl: 'http://acme.my.salesforce.com' }),
			oauth2Credentials(org, { myDomainUrl: 'http://acme.my.salesforce.com' }),
		]) {
			const result = await getAdmin(credentials);
			expect(result.error?.message).toMatch(/My Domain URL must start with https:\/\//);
			expect(result.error?.description).toMatch(/plain HTTP|http:\/\//);
		}
		expect(org.calls.total()).toBe(0);
	});

	it('My Domain URL with a path: signs in at its origin', async () => {
		const result = await getAdmin(
			passwordCredentials(org, { myDomainUrl: `${org.url}/lightning/page/home` }),
		);
		expect(result.error).toBeUndefined();
		expect(org.calls.log[0].path).toBe('/services/Soap/u/62.0');
	});

	it('nothing answering at the URL: "could not reach", check the URL', async () => {
		const closed = await FakeOrg.start();
		const url = closed.url;
		await closed.stop();
		const result = await getAdmin(passwordCredentials(org, { myDomainUrl: url }));
		expect(result.error?.message).toBe(
			`ECONNREFUSED: Could not reach Salesforce at ${url} (econnrefused)`,
		);
		expect(result.error?.description).toMatch(/My Domain URL/);
	});
});
