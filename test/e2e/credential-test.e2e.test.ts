/**
 * The credential test, as the editor and n8n's REST API run it (POST /rest/credentials/test on a
 * real `n8n start`), for both credential types, on n8n 1.x and 2.x.
 *
 * Username/password: our node's `salesforceAdminCredentialTest` signs in for real and names the
 * user and its permissions. OAuth2: n8n would only check that a token is stored; our credential
 * type's own `test` request runs first and makes a real call with the stored token (n8n signs it,
 * refreshes an expired token and saves the new one).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { FakeOrg } from '../fake-org';
import { oauthCredential, passwordCredential } from './fixtures';
import { majorsUnderTest, N8nHarness, N8nServer } from './n8n';

const PW = {
	admin: { id: 'ctPasswordAdmin1', name: 'Password: admin (Read/Take Action)' },
	wrongPassword: { id: 'ctPasswordWrong1', name: 'Password: wrong password' },
	noEventLogs: { id: 'ctPasswordStdUsr', name: 'Password: standard user' },
	community: { id: 'ctPasswordCommun', name: 'Password: community user' },
} as const;

const OAUTH = {
	valid: { id: 'ctOAuthValid0001', name: 'OAuth2: valid token' },
	expired: { id: 'ctOAuthExpired01', name: 'OAuth2: expired access token' },
	revoked: { id: 'ctOAuthRevoked01', name: 'OAuth2: revoked refresh token' },
	unreachable: { id: 'ctOAuthNowhere01', name: 'OAuth2: unreachable org' },
	wrongUrl: { id: 'ctOAuthWrongUrl1', name: 'OAuth2: wrong My Domain URL' },
} as const;

describe.each(majorsUnderTest())('n8n %s.x: credential test (REST, as the editor runs it)', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
	let standardUser: { username: string; password: string; securityToken: string };
	let communityUser: { username: string; password: string; securityToken: string };
	const refreshTokens: Record<string, string> = {};
	// A web server that is not Salesforce: every path answers 404. (A path after the My Domain
	// host is dropped, as the node drops it, so a wrong URL must be a wrong host.)
	let notSalesforce: http.Server;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 20, seed: 3 } });
		notSalesforce = http.createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'));
		await new Promise<void>((resolve) => notSalesforce.listen(0, '127.0.0.1', resolve));
		const notSalesforceUrl = `http://127.0.0.1:${(notSalesforce.address() as AddressInfo).port}`;
		standardUser = org.addLoginUser(
			org.store.addUser({ profile: 'Standard User', FirstName: 'Stan', LastName: 'Dard', Username: 'stan.dard@acme.example.com' }),
		);
		communityUser = org.addLoginUser(
			org.store.addUser({ profile: 'Customer Portal Manager Custom', FirstName: 'Cory', LastName: 'Customer', Username: 'cory@customer.example.com' }),
		);

		const oauth = (ref: { id: string; name: string }, overrides: Record<string, unknown> = {}) => {
			const credential = oauthCredential(org, ref, 'readOnly', overrides);
			const tokens = credential.data.oauthTokenData as { refresh_token?: string } | undefined;
			if (tokens?.refresh_token) refreshTokens[ref.id] = tokens.refresh_token;
			return credential;
		};

		n8n = await N8nHarness.create({ major, name: 'credential-test' });
		await n8n.importCredentials([
			passwordCredential(org, PW.admin, 'readWrite'),
			passwordCredential(org, PW.wrongPassword, 'readOnly', { password: 'not-the-password' }),
			passwordCredential(org, PW.noEventLogs, 'readOnly', standardUser),
			passwordCredential(org, PW.community, 'readOnly', communityUser),
			oauth(OAUTH.valid),
			oauth(OAUTH.expired),
			oauth(OAUTH.revoked),
			oauth(OAUTH.unreachable, { myDomainUrl: 'http://127.0.0.1:1' }),
			oauth(OAUTH.wrongUrl, { myDomainUrl: notSalesforceUrl }),
		]);
		server = await n8n.startServer();
	});

	afterAll(async () => {
		await server?.stop();
		await n8n?.dispose();
		await org?.stop();
		await new Promise<void>((resolve) => (notSalesforce ? notSalesforce.close(() => resolve()) : resolve()));
	});

	beforeEach(() => org.calls.reset());

	describe('Username/password credential', () => {
		test('signs in and names the user and its permissions', async () => {
			const result = await server.testCredential(PW.admin.id);
			expect(result).toEqual({
				status: 'OK',
				message:
					`Connected as Ada Admin (${org.admin.username}). API Enabled: yes. View Event Log Files: yes. View All Data: yes. ` +
					'Usage data (event log files) can be read.',
			});
			expect(org.calls.count('soapLogin')).toBe(1);
		});

		test('a user without View Event Log Files: OK, and says usage data cannot be read', async () => {
			const result = await server.testCredential(PW.noEventLogs.id);
			expect(result.status).toBe('OK');
			expect(result.message).toContain(`Connected as Stan Dard (${standardUser.username})`);
			expect(result.message).toContain('API Enabled: yes. View Event Log Files: no.');
			expect(result.message).toMatch(/cannot be read: it needs API Enabled and View Event Log Files/);
		});

		test('a wrong password: Error with INVALID_LOGIN and what to check (security token, lockout, API Enabled, IP ranges)', async () => {
			const result = await server.testCredential(PW.wrongPassword.id);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^INVALID_LOGIN: /);
			expect(result.message).toMatch(/security token may have been reset/);
			expect(result.message).toMatch(/locked out/);
			expect(result.message).toMatch(/API Enabled/);
			expect(result.message).toMatch(/login IP ranges or login hours/);
			expect(result.message).not.toContain('not-the-password');
		});

		test('a community user is refused with a clear message', async () => {
			const result = await server.testCredential(PW.community.id);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/cory@customer\.example\.com is a .*user\. Customer Portal, community and other external users cannot administer/);
		});
	});

	describe('OAuth2 credential: a real call with the stored token', () => {
		test('a valid token: OK, after one authenticated call to the org', async () => {
			const result = await server.testCredential(OAUTH.valid.id);
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			// the REST API's resource list of that org, signed with the stored access token
			expect(org.calls.count('resources')).toBe(1);
			expect(org.calls.count('token')).toBe(0);
		});

		test('an expired access token: n8n refreshes it, the test passes, and the new token is saved', async () => {
			org.controls.expireSessions();
			const result = await server.testCredential(OAUTH.expired.id);
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(org.calls.count('resources')).toBe(2); // 401, then again with the new token
			expect(org.calls.count('token')).toBe(1); // the refresh

			org.calls.reset();
			const again = await server.testCredential(OAUTH.expired.id);
			expect(again.status).toBe('OK');
			expect(org.calls.count('token')).toBe(0); // n8n stored the refreshed token
			expect(org.calls.count('resources')).toBe(1);
		});

		test('a revoked refresh token (and an expired access token): Error, not "a token is stored"', async () => {
			org.controls.expireSessions();
			org.controls.revokeRefreshToken(refreshTokens[OAUTH.revoked.id]);
			const result = await server.testCredential(OAUTH.revoked.id);
			expect(result.status).toBe('Error');
			// n8n's own words for a failed refresh: 1.x quotes the OAuth invalid_grant error, 2.x asks to reconnect
			expect(result.message).toMatch(/refresh token is invalid, expired, revoked|needs to be reconnected/);
			expect(org.calls.count('resources')).toBe(1);
			expect(org.calls.count('token')).toBe(1); // n8n tried to refresh
		});

		test('an unreachable org: Error', async () => {
			const result = await server.testCredential(OAUTH.unreachable.id);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/refused the connection|ECONNREFUSED/); // 1.x | 2.x
		});

		// n8n 2.x answers with the credential's `rules`; n8n 1.x never reaches them (its NodeApiError
		// drops the HTTP response the rules are matched against) and gives its own status message.
		test('Salesforce refuses the call (403, e.g. no API access): Error with our guidance (2.x) or n8n\'s (1.x)', async () => {
			org.controls.failNext(1, 403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User', 'resources');
			const result = await server.testCredential(OAUTH.valid.id);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				major === 1 ? /^Forbidden - perhaps check your credentials/ : /^Salesforce refused the call: .*reconnect the credential.*API Enabled/,
			);
		});

		test('a wrong My Domain URL (404): Error that says to check it', async () => {
			const result = await server.testCredential(OAUTH.wrongUrl.id);
			expect(result).toEqual({
				status: 'Error',
				message:
					major === 1
						? 'The resource you are requesting could not be found'
						: 'Nothing answers at this address: check Environment and My Domain URL.',
			});
		});
	});
});
