/**
 * The connection test of the JWT bearer and client credentials credentials: a real sign-in at
 * the fake org, then the user and its usage-data permissions, like the password credential's.
 */
import { FakeOrg } from '../fake-org';
import type { ServerApp } from '../helpers';
import { clientCredentials, jwtCredentials, registerServerApp, testCredential } from '../helpers';

let org: FakeOrg;
let app: ServerApp;
beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 5 } });
	app = registerServerApp(org);
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.oauth.resetTokenRequests();
});

const connected = () =>
	`Connected as Ada Admin (${org.admin.username}). API Enabled: yes. View Event Log Files: yes. View All Data: yes. Usage data (event log files) can be read.`;

describe('connection test', () => {
	it('JWT bearer: signs in for real and names the user and its permissions', async () => {
		const result = await testCredential(jwtCredentials(org, app));
		expect(result).toEqual({ status: 'OK', message: connected() });
		expect(
			org.controls.oauth.tokenRequests('urn:ietf:params:oauth:grant-type:jwt-bearer', app.clientId),
		).toBe(1);
	});

	it('client credentials: names the Run As user', async () => {
		const result = await testCredential(clientCredentials(org, app));
		expect(result).toEqual({ status: 'OK', message: connected() });
		expect(org.controls.oauth.tokenRequests('client_credentials', app.clientId)).toBe(1);
	});

	it('a Run As user without View Event Log Files: told usage data cannot be read', async () => {
		const user = org.store.addUser({
			profile: 'Standard User',
			FirstName: 'Ivy',
			LastName: 'Integration',
		});
		const runAsApp = registerServerApp(org, { runAs: user.Username as string });
		const result = await testCredential(clientCredentials(org, runAsApp));
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Connected as Ivy Integration \(/);
		expect(result.message).toMatch(/View Event Log Files: no\. View All Data: no\./);
	});

	it('sign-in failures come back with their guidance; a bad key before any call', async () => {
		const notApproved = await testCredential(
			jwtCredentials(org, registerServerApp(org, { preAuthorizedProfiles: [] })),
		);
		expect(notApproved.status).toBe('Error');
		expect(notApproved.message).toMatch(
			/^invalid_grant: user hasn't approved this consumer\. .*Admin approved users are pre-authorized/,
		);
		const badKey = await testCredential(jwtCredentials(org, app, { privateKey: 'not a key' }));
		expect(badKey.status).toBe('Error');
		expect(badKey.message).toMatch(/not a PEM key/);
		const wrongSecret = await testCredential(
			clientCredentials(org, app, { clientSecret: 'Wr0ngS3cret!' }),
		);
		expect(wrongSecret.message).toMatch(
			/^invalid_client: invalid client credentials\. .*Consumer Secret/,
		);
		expect(wrongSecret.message).not.toContain('Wr0ngS3cret!');
	});
});
