/**
 * The credentials' connection test (`testedBy: 'salesforceAdminCredentialTest'`), run in
 * n8n-core's CredentialTestContext with the credential data completed as n8n's
 * CredentialsTester does, against the fake org.
 */
import { FakeOrg } from '../fake-org';
import { oauth2Credentials, passwordCredentials, testCredential } from '../helpers';

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 5 } });
});
afterAll(async () => await org.stop());
beforeEach(() => org.calls.reset());

const permissionSet = (name: string) => org.store.permissionSets.find((p) => p.Name === name)!.Id;

describe('salesforceAdminCredentialTest', () => {
	it('reports the user it connected as and its usage-data permissions (admin: all yes)', async () => {
		const result = await testCredential(passwordCredentials(org));
		expect(result.status).toBe('OK');
		expect(result.message).toBe(
			`Connected as Ada Admin (${org.admin.username}). API Enabled: yes. View Event Log Files: yes. View All Data: yes. Usage data (event log files) can be read.`,
		);
		// sign-in, the user, its effective permissions
		expect(org.calls.log.map((c) => c.kind)).toEqual(['soapLogin', 'query', 'query']);
		expect(org.calls.soql()[1]).toMatch(/FROM UserPermissionAccess/);
	});

	it('a user without View Event Log Files / View All Data: told usage data cannot be read', async () => {
		const user = org.store.addUser({
			profile: 'Standard User',
			FirstName: 'Sam',
			LastName: 'Standard',
		});
		const login = org.addLoginUser(user);
		const result = await testCredential(passwordCredentials(org, { login, flow: 'oauth' }));
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Connected as Sam Standard \(/);
		expect(result.message).toMatch(
			/API Enabled: yes\. View Event Log Files: no\. View All Data: no\./,
		);
		expect(result.message).toMatch(
			/cannot be read: it needs API Enabled and View Event Log Files \(or View All Data\)/,
		);
	});

	it('View Event Log Files from a permission set counts', async () => {
		const user = org.store.addUser({ profile: 'Standard User' });
		org.store.assignPermissionSet(user.Id, permissionSet('Event_Monitoring_Viewer'));
		const result = await testCredential(
			passwordCredentials(org, { login: org.addLoginUser(user) }),
		);
		expect(result.message).toMatch(
			/View Event Log Files: yes\. View All Data: no\. Usage data \(event log files\) can be read\./,
		);
	});

	it('Customer Portal / community users are refused with a clear message', async () => {
		const portal = org.store.addUser({ profile: 'Customer Portal Manager Custom' });
		const result = await testCredential(
			passwordCredentials(org, { login: org.addLoginUser(portal) }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/is a Customer Community Plus \/ Customer Portal Manager user/);
		expect(result.message).toMatch(
			/Customer Portal, community and other external users cannot administer/,
		);
	});

	it('each sign-in failure returns its guidance', async () => {
		const wrong = await testCredential(passwordCredentials(org, { password: 'N0tThePassword' }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(
			/^INVALID_LOGIN: Invalid username, password, security token; or user locked out\. Check the username/,
		);
		expect(wrong.message).toMatch(/security token may have been reset/);
		expect(wrong.message).not.toContain('N0tThePassword');

		const noToken = await testCredential(passwordCredentials(org, { securityToken: '' }));
		expect(noToken.message).toMatch(
			/^LOGIN_MUST_USE_SECURITY_TOKEN: .*Enter the security token in the credential/s,
		);

		const marketing = org.addLoginUser(org.store.addUser({ profile: 'Marketing User' }));
		const noApi = await testCredential(passwordCredentials(org, { login: marketing }));
		expect(noApi.message).toMatch(/^API_CURRENTLY_DISABLED: .*"API Enabled"/s);

		const expired = org.addLoginUser(org.store.addUser(), { passwordExpired: true });
		const expiredResult = await testCredential(passwordCredentials(org, { login: expired }));
		expect(expiredResult.message).toMatch(
			/^INVALID_OPERATION_WITH_EXPIRED_PASSWORD: .*set a new password/s,
		);

		const badSecret = await testCredential(
			passwordCredentials(org, { flow: 'oauth', clientSecret: 'not-the-secret' }),
		);
		expect(badSecret.message).toMatch(/^invalid_client: .*Client Secret/s);
		expect(badSecret.message).not.toContain('not-the-secret');
	});

	it('a non-https My Domain URL is refused before anything is sent', async () => {
		const result = await testCredential(
			passwordCredentials(org, { myDomainUrl: 'http://acme.my.salesforce.com' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/My Domain URL must start with https:\/\//);
		expect(org.calls.total()).toBe(0);
	});

	it('OAuth2 credential data (oauthTokenData): reports the user without signing in again', async () => {
		const result = await testCredential(oauth2Credentials(org));
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Connected as Ada Admin/);
		expect(org.calls.log.map((c) => c.kind)).toEqual(['query', 'query']);
	});

	it('OAuth2 with an expired access token and a revoked refresh token: reconnect', async () => {
		const credentials = oauth2Credentials(org);
		org.controls.expireSessions();
		org.controls.revokeRefreshToken(
			(credentials.data.oauthTokenData as { refresh_token: string }).refresh_token,
		);
		const result = await testCredential(credentials);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/reconnect the credential/);
	});
});
