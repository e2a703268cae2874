/**
 * The Username/Password credential used by n8n's HTTP Request node (the node's "Custom API
 * Call"), in a real n8n (1.x and 2.x, E2E_N8N) with the packed package, against the fake org:
 * n8n runs the credential's preAuthentication (SOAP login(), or the OAuth username-password flow
 * with a Client ID), stores the session encrypted with the credential and reuses it in the next
 * execution (sign-ins counted by the fake org), signs in once more after the session expired,
 * and never sends the session anywhere but Salesforce. The Salesforce Admin node itself still
 * signs in on every execution with this credential.
 */
import { FakeOrg } from '../fake-org';
import type { CredentialRef } from './fixtures';
import { httpWorkflow, salesforceNode } from './fixtures';
import type { CredentialDefinition, ExecutionResult, WorkflowDefinition } from './n8n';
import { linearWorkflow, majorsUnderTest, mustSucceed, N8nHarness } from './n8n';

type Variant = 'soap' | 'oauth';
const VARIANTS: Variant[] = ['soap', 'oauth'];

const ids = (variant: Variant) => {
	const tag = variant === 'soap' ? 'Soap' : 'Oaup';
	return {
		cred: `credPw${tag}000001`.slice(0, 16),
		http: `wfPwHttp${tag}00001`.slice(0, 16),
		elsewhere: `wfPwElse${tag}00001`.slice(0, 16),
		node: `wfPwNode${tag}00001`.slice(0, 16),
	};
};

describe.each(majorsUnderTest())('n8n %s.x: HTTP Request node with the Username/Password credential', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	const creds = {} as Record<Variant, CredentialRef>;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 43 } });
		n8n = await N8nHarness.create({ major, name: 'server-flows-password' });
		const query = `SELECT Username FROM User WHERE Id = '${org.admin.userId}'`;
		const credentials: CredentialDefinition[] = [];
		const workflows: WorkflowDefinition[] = [];
		for (const variant of VARIANTS) {
			const id = ids(variant);
			creds[variant] = { type: 'salesforceAdminPasswordApi', id: id.cred, name: `Fake org (password, ${variant})` };
			credentials.push({
				...creds[variant],
				// as saved before the credential had its hidden session fields
				data: {
					environment: 'myDomain',
					myDomainUrl: org.url,
					username: org.admin.username,
					password: org.admin.password,
					securityToken: org.admin.securityToken,
					...(variant === 'oauth' ? { clientId: org.admin.clientId, clientSecret: org.admin.clientSecret } : {}),
					accessMode: 'readOnly',
				},
			});
			workflows.push(
				httpWorkflow(id.http, creds[variant], `${org.url}/services/data/v62.0/query?q=${encodeURIComponent(query)}`),
				httpWorkflow(id.elsewhere, creds[variant], 'https://example.invalid/collect'),
				linearWorkflow(id.node, `Node read (${variant})`, [salesforceNode('Get user', { resource: 'user', operation: 'get', userId: org.admin.username }, creds[variant])]),
			);
		}
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(workflows);
	}, 240_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	const secrets = () => [org.admin.password, org.admin.securityToken, org.admin.password + org.admin.securityToken, org.admin.clientSecret];

	describe.each(VARIANTS)('%s', (variant) => {
		const signIns = () => (variant === 'soap' ? org.calls.count('soapLogin') : org.controls.oauth.tokenRequests('password', org.admin.clientId));
		const expectRecord = (run: ExecutionResult) =>
			expect(run.json('HTTP Request')[0]).toMatchObject({ totalSize: 1, records: [expect.objectContaining({ Username: org.admin.username })] });

		it('signs the query with a session n8n got from the sign-in, and reuses it in the next execution', async () => {
			const before = signIns();
			const first = await n8n.execute(ids(variant).http);
			mustSucceed(first);
			expectRecord(first);
			expect(signIns()).toBe(before + 1);
			const second = await n8n.execute(ids(variant).http);
			mustSucceed(second);
			expectRecord(second);
			// one sign-in for both executions: the session came from the credential n8n stored
			expect(signIns()).toBe(before + 1);
			const all = JSON.stringify([first.data, second.data]) + first.cli.stdout + first.cli.stderr + second.cli.stdout + second.cli.stderr;
			for (const secret of secrets()) expect(all).not.toContain(secret);
		}, 120_000);

		it('a session expired at Salesforce: n8n signs in again once and goes on', async () => {
			const before = signIns();
			org.controls.expireSessions(variant === 'oauth' ? org.admin.clientId : undefined);
			const run = await n8n.execute(ids(variant).http);
			mustSucceed(run);
			expectRecord(run);
			expect(signIns()).toBe(before + 1);
			mustSucceed(await n8n.execute(ids(variant).http));
			expect(signIns()).toBe(before + 1);
		}, 120_000);

		it('refuses to send the session anywhere but Salesforce', async () => {
			const run = await n8n.execute(ids(variant).elsewhere);
			expect(run.ok).toBe(false);
			expect(JSON.stringify(run.error)).toMatch(/sends its token only to its own org/);
			const all = JSON.stringify(run.data) + run.cli.stdout + run.cli.stderr;
			for (const secret of secrets()) expect(all).not.toContain(secret);
		}, 120_000);

		it('the Salesforce Admin node still signs in itself, once per execution', async () => {
			const before = signIns();
			const run = await n8n.execute(ids(variant).node);
			mustSucceed(run);
			expect(run.json('Get user')[0]).toMatchObject({ id: org.admin.userId, username: org.admin.username });
			expect(signIns()).toBe(before + 1);
		}, 120_000);
	});
});
