/**
 * Phase 1 of the end-to-end suite: the packed package, installed into a real n8n as a
 * community package, is loaded by n8n (node type and both credential types), signs in to the
 * fake org with each kind of credential, returns data, and the credential test runs through
 * n8n's own REST endpoint. Runs on every n8n major in E2E_N8N (default "1,2").
 */
import { FakeOrg } from '../fake-org';
import { NODE_TYPE, salesforceNode } from './fixtures';
import { CredentialDefinition, linearWorkflow, majorsUnderTest, N8nHarness, N8nServer, resolveInstall } from './n8n';

const CRED = {
	passwordRW: { id: 'e2ePasswordRW001', name: 'Fake org (password, Read/Take Action)' },
	passwordApp: { id: 'e2ePasswordApp01', name: 'Fake org (password + connected app, Read-Only)' },
	oauth: { id: 'e2eOAuth2RO00001', name: 'Fake org (OAuth2, Read-Only)' },
	unreachable: { id: 'e2eUnreachable01', name: 'Nothing listens here' },
} as const;

const WF = {
	licensesPassword: 'e2eLicensesPw001',
	usersOAuth: 'e2eUsersOAuth001',
	licensesConnectedApp: 'e2eLicensesApp01',
	unreachable: 'e2eUnreachable01',
	unknownNode: 'e2eUnknownNode01',
} as const;

describe.each(majorsUnderTest())('n8n %s.x runs the packed package', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 60, seed: 7 } });
		n8n = await N8nHarness.create({ major, name: 'loads' });
		const tokens = org.issueOAuthTokens();
		const myDomain = { environment: 'myDomain', myDomainUrl: org.url };
		const credentials: CredentialDefinition[] = [
			{
				...CRED.passwordRW,
				type: 'salesforceAdminPasswordApi',
				data: {
					...myDomain,
					username: org.admin.username,
					password: org.admin.password,
					securityToken: org.admin.securityToken,
					clientId: '',
					clientSecret: '',
					accessMode: 'readWrite',
				},
			},
			{
				...CRED.passwordApp,
				type: 'salesforceAdminPasswordApi',
				data: {
					...myDomain,
					username: org.admin.username,
					password: org.admin.password,
					securityToken: org.admin.securityToken,
					clientId: org.admin.clientId,
					clientSecret: org.admin.clientSecret,
					accessMode: 'readOnly',
				},
			},
			{
				...CRED.oauth,
				type: 'salesforceAdminOAuth2Api',
				data: {
					...myDomain,
					clientId: org.admin.clientId,
					clientSecret: org.admin.clientSecret,
					accessMode: 'readOnly',
					oauthTokenData: tokens,
				},
			},
			{
				...CRED.unreachable,
				type: 'salesforceAdminPasswordApi',
				data: { environment: 'myDomain', myDomainUrl: 'http://127.0.0.1:1', username: 'x@example.com', password: 'x', accessMode: 'readOnly' },
			},
		];
		await n8n.importCredentials(credentials);

		const pw = { type: 'salesforceAdminPasswordApi' as const, ...CRED.passwordRW };
		await n8n.importWorkflows([
			linearWorkflow(WF.licensesPassword, 'E2E Get licenses (password)', [
				salesforceNode('Get licenses', { resource: 'license', operation: 'getMany', returnAll: true }, pw),
			]),
			linearWorkflow(WF.licensesConnectedApp, 'E2E Get licenses (password + connected app)', [
				salesforceNode(
					'Get licenses',
					{ resource: 'license', operation: 'getMany', returnAll: true },
					{ type: 'salesforceAdminPasswordApi', ...CRED.passwordApp },
				),
			]),
			linearWorkflow(WF.usersOAuth, 'E2E Get users (OAuth2)', [
				salesforceNode(
					'Get users',
					{ resource: 'user', operation: 'getMany', returnAll: false, limit: 5, filters: {} },
					{ type: 'salesforceAdminOAuth2Api', ...CRED.oauth },
				),
			]),
			linearWorkflow(WF.unreachable, 'E2E unreachable org', [
				salesforceNode(
					'Get licenses',
					{ resource: 'license', operation: 'getMany', returnAll: true },
					{ type: 'salesforceAdminPasswordApi', ...CRED.unreachable },
				),
			]),
			linearWorkflow(WF.unknownNode, 'E2E unknown node (control)', [
				{ name: 'Nope', type: 'n8n-nodes-salesforce-admin.doesNotExist', typeVersion: 1, parameters: {} },
			]),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	test(`is the n8n ${major}.x that e2e/ pins`, () => {
		expect(resolveInstall(major).version.split('.')[0]).toBe(String(major));
	});

	test('Get licenses with a username/password credential (SOAP login)', async () => {
		const run = await n8n.execute(WF.licensesPassword);
		expect(run.ok).toBe(true);
		const licenses = run.json<{ type: string; name: string; used: number }>('Get licenses');
		expect(licenses.length).toBeGreaterThan(0);
		expect(licenses.map((l) => l.type)).toContain('user');
		expect(licenses.map((l) => l.name)).toContain('Salesforce');
		expect(run.status).toBe('success');
	});

	test('Get licenses with a username/password credential and a connected app (OAuth password flow)', async () => {
		const run = await n8n.execute(WF.licensesConnectedApp);
		if (!run.ok) throw new Error(run.describe());
		expect(run.json('Get licenses').length).toBeGreaterThan(0);
	});

	test('Get users with an OAuth2 credential', async () => {
		const run = await n8n.execute(WF.usersOAuth);
		if (!run.ok) throw new Error(run.describe());
		const users = run.json<{ id: string; username: string }>('Get users');
		expect(users).toHaveLength(5);
		for (const u of users) expect(u.id).toMatch(/^005[A-Za-z0-9]{15}$/);
	});

	test('a failing node: exit code 1 and our NodeApiError in the stored execution', async () => {
		const run = await n8n.execute(WF.unreachable);
		expect(run.cli.code).toBe(1);
		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.node?.type).toBe(NODE_TYPE);
		expect(run.error?.message).toMatch(/Could not reach Salesforce/);
		expect(run.lastNodeExecuted).toBe('Get licenses');
	});

	test('control: a node type the package does not have is refused by n8n', async () => {
		const run = await n8n.execute(WF.unknownNode);
		expect(run.cli.code).toBe(1);
		expect(run.ok).toBe(false);
		expect(run.cli.stdout + run.cli.stderr).toMatch(/Unrecognized node type: n8n-nodes-salesforce-admin\.doesNotExist/);
	});

	describe('n8n start (REST API)', () => {
		let server: N8nServer;

		beforeAll(async () => {
			server = await n8n.startServer();
		});

		afterAll(async () => {
			await server?.stop();
		});

		test('the editor offers the node and the four credential types', async () => {
			const nodes = (await server.nodeTypes()).filter((t) => t.name.startsWith('n8n-nodes-salesforce-admin.'));
			expect(nodes.map((t) => [t.name, t.displayName])).toEqual(expect.arrayContaining([[NODE_TYPE, 'Salesforce Admin']]));
			const credentials = (await server.credentialTypes()).filter((t) => t.name.startsWith('salesforceAdmin'));
			expect(credentials.map((t) => t.name).sort()).toEqual([
				'salesforceAdminClientCredentialsApi',
				'salesforceAdminJwtApi',
				'salesforceAdminOAuth2Api',
				'salesforceAdminPasswordApi',
			]);
			expect(credentials.find((t) => t.name === 'salesforceAdminOAuth2Api')?.extends).toEqual(['oAuth2Api']);
		});

		test('credential test of the username/password credential names the connected user', async () => {
			const ok = await server.testCredential(CRED.passwordRW.id);
			expect(ok.status).toBe('OK');
			expect(ok.message).toContain(org.admin.username);

			const bad = await server.testCredential(CRED.unreachable.id);
			expect(bad.status).toBe('Error');
			expect(bad.message).toMatch(/Could not reach Salesforce/);
		});

		test('the imported credentials belong to the owner', async () => {
			const stored = await server.rest<Array<{ name: string }>>('GET', '/credentials');
			expect(stored.map((c) => c.name)).toEqual(expect.arrayContaining(Object.values(CRED).map((c) => c.name)));
		});
	});
});
