/**
 * The connection test of the JWT bearer and client credentials credentials as the editor runs it
 * (POST /rest/credentials/test on a real `n8n start`, 1.x and 2.x): n8n calls the node's
 * `salesforceAdminCredentialTest`, which signs in for real and names the user and its
 * permissions, or says what to fix in Salesforce.
 */
import { registerServerApp } from '../helpers/credentials';
import { FakeOrg } from '../fake-org';
import type { CredentialDefinition, N8nServer } from './n8n';
import { majorsUnderTest, N8nHarness } from './n8n';

describe.each(majorsUnderTest())('n8n %s.x: JWT bearer and client credentials connection test', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 7 } });
		const app = registerServerApp(org);
		const notApproved = registerServerApp(org, { preAuthorizedProfiles: [] });
		const jwt = (id: string, name: string, data: Record<string, unknown>): CredentialDefinition => ({
			id,
			name,
			type: 'salesforceAdminJwtApi',
			data: { environment: 'myDomain', myDomainUrl: org.url, clientId: app.clientId, username: org.admin.username, privateKey: app.privateKey, accessMode: 'readOnly', ...data },
		});
		n8n = await N8nHarness.create({ major, name: 'server-flows-credential-test' });
		await n8n.importCredentials([
			jwt('ctJwtValid000001', 'JWT: valid', {}),
			jwt('ctJwtNotApprove1', 'JWT: not pre-authorized', { clientId: notApproved.clientId, privateKey: notApproved.privateKey }),
			jwt('ctJwtBadKey00001', 'JWT: not a key', { privateKey: 'not a key' }),
			{
				id: 'ctCcValid0000001',
				name: 'Client credentials: valid',
				type: 'salesforceAdminClientCredentialsApi',
				data: { myDomainUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, accessMode: 'readOnly' },
			},
			{
				id: 'ctCcWrongSecret1',
				name: 'Client credentials: wrong secret',
				type: 'salesforceAdminClientCredentialsApi',
				data: { myDomainUrl: org.url, clientId: app.clientId, clientSecret: 'Wr0ng-S3cret-123', accessMode: 'readOnly' },
			},
		]);
		server = await n8n.startServer();
	}, 240_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	const connected = () =>
		`Connected as Ada Admin (${org.admin.username}). API Enabled: yes. View Event Log Files: yes. View All Data: yes. Usage data (event log files) can be read.`;

	it('JWT bearer: signs in and names the user', async () => {
		expect(await server.testCredential('ctJwtValid000001')).toEqual({ status: 'OK', message: connected() });
	});

	it('client credentials: signs in as the Run As user and names it', async () => {
		expect(await server.testCredential('ctCcValid0000001')).toEqual({ status: 'OK', message: connected() });
	});

	it('failures say what to fix; no secret in the message', async () => {
		const notApproved = await server.testCredential('ctJwtNotApprove1');
		expect(notApproved.status).toBe('Error');
		expect(notApproved.message).toMatch(/user hasn't approved this consumer.*Admin approved users are pre-authorized/);
		const badKey = await server.testCredential('ctJwtBadKey00001');
		expect(badKey).toMatchObject({ status: 'Error', message: expect.stringMatching(/not a PEM key/) });
		const wrongSecret = await server.testCredential('ctCcWrongSecret1');
		expect(wrongSecret.message).toMatch(/invalid_client.*Consumer Secret/);
		expect(wrongSecret.message).not.toContain('Wr0ng-S3cret-123');
	});
});
