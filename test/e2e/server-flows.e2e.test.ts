/**
 * The JWT bearer and client credentials credentials in a real n8n (1.x and 2.x, E2E_N8N) with the
 * packed package, against the fake org: sign-in, a read, a dry-run write, the token n8n stores
 * with the credential reused by 100 executions (at most 2 token requests, counted by the fake
 * org), and the credential used by n8n's HTTP Request node (the node's "Custom API Call"), which
 * sends the token to Salesforce only.
 */
import type { ServerApp } from '../helpers/credentials';
import { registerServerApp } from '../helpers/credentials';
import { FakeOrg } from '../fake-org';
import type { CredentialRef } from './fixtures';
import { httpWorkflow, salesforceNode } from './fixtures';
import type { CredentialDefinition, WorkflowDefinition, WorkflowNode } from './n8n';
import { linearWorkflow, majorsUnderTest, mustSucceed, N8nHarness } from './n8n';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const EXECUTIONS = 100;

type Flow = 'jwt' | 'clientCredentials';

const FLOWS: Array<{ flow: Flow; grant: string; type: CredentialRef['type'] }> = [
	{ flow: 'jwt', grant: JWT_GRANT, type: 'salesforceAdminJwtApi' },
	{ flow: 'clientCredentials', grant: 'client_credentials', type: 'salesforceAdminClientCredentialsApi' },
];

function credentialData(org: FakeOrg, flow: Flow, app: ServerApp): Record<string, unknown> {
	const common = { myDomainUrl: org.url, clientId: app.clientId, accessMode: 'readWrite' };
	return flow === 'jwt'
		? { ...common, environment: 'myDomain', username: org.admin.username, privateKey: app.privateKey }
		: { ...common, clientSecret: app.clientSecret };
}

const ids = (flow: Flow) => {
	const tag = flow === 'jwt' ? 'Jwt' : 'Ccr';
	return {
		cred: `cred${tag}000000001`.slice(0, 16),
		read: `wfRead${tag}0000001`.slice(0, 16),
		dryRun: `wfDry${tag}00000001`.slice(0, 16),
		parent: `wfLoop${tag}0000001`.slice(0, 16),
		child: `wfOnce${tag}0000001`.slice(0, 16),
		http: `wfHttp${tag}0000001`.slice(0, 16),
		httpElsewhere: `wfElse${tag}0000001`.slice(0, 16),
	};
};

/** Parent: 100 items -> Execute Workflow once per item (each run of the child is an execution of its own). */
function loopWorkflows(flow: Flow, credential: CredentialRef, userId: string): WorkflowDefinition[] {
	const { parent, child } = ids(flow);
	const childWorkflow: WorkflowDefinition = {
		...linearWorkflow(child, `Get admin (${flow})`, [
			salesforceNode('Get user', { resource: 'user', operation: 'get', userId }, credential),
		]),
	};
	// a sub-workflow starts at an Execute Workflow Trigger
	childWorkflow.nodes[0] = {
		...childWorkflow.nodes[0],
		type: 'n8n-nodes-base.executeWorkflowTrigger',
		typeVersion: 1.1,
		parameters: { inputSource: 'passthrough' },
	};
	const items: WorkflowNode = {
		name: 'Make items',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'raw',
			jsonOutput: `={{ JSON.stringify({ n: Array.from({ length: ${EXECUTIONS} }, (_, i) => i) }) }}`,
			options: {},
		},
	};
	const split: WorkflowNode = { name: 'One item each', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'n', options: {} } };
	const call: WorkflowNode = {
		name: 'Run child',
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.1,
		parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: child }, mode: 'each', options: { waitForSubWorkflow: true } },
	};
	return [childWorkflow, linearWorkflow(parent, `Run ${EXECUTIONS} times (${flow})`, [items, split, call])];
}

describe.each(majorsUnderTest())('n8n %s.x: JWT bearer and client credentials', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	const apps = {} as Record<Flow, ServerApp>;
	const creds = {} as Record<Flow, CredentialRef>;
	let target: { Id: string; Username: string };

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 20, seed: 41 } });
		// a Standard User: neither the connected user nor an admin, so the dry run reports it
		target = org.store.addUser({ profile: 'Standard User', FirstName: 'Dora', LastName: 'Dryrun' }) as unknown as { Id: string; Username: string };
		// n8n 2.x runs only published sub-workflows; without a running server its publication
		// outbox never fills, so the CLI reads the published version from the workflow itself
		const env: Record<string, string> = major === 2 ? { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' } : {};
		n8n = await N8nHarness.create({ major, name: 'server-flows', env });
		const credentials: CredentialDefinition[] = [];
		const workflows: WorkflowDefinition[] = [];
		for (const { flow, type } of FLOWS) {
			apps[flow] = registerServerApp(org);
			const id = ids(flow);
			creds[flow] = { type, id: id.cred, name: `Fake org (${flow})` };
			credentials.push({ ...creds[flow], data: credentialData(org, flow, apps[flow]) });
			workflows.push(
				linearWorkflow(id.read, `Read (${flow})`, [salesforceNode('Get user', { resource: 'user', operation: 'get', userId: org.admin.username }, creds[flow])]),
				linearWorkflow(id.dryRun, `Dry run (${flow})`, [
					salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', userId: target.Username, options: { dryRun: true } }, creds[flow]),
				]),
				...loopWorkflows(flow, creds[flow], org.admin.username),
				httpWorkflow(id.http, creds[flow], `${org.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Username FROM User WHERE Username = \'' + org.admin.username + '\'')}`),
				httpWorkflow(id.httpElsewhere, creds[flow], 'https://example.invalid/collect'),
			);
		}
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(workflows);
		// n8n 2.x: "Workflow is not active and cannot be executed" for an unpublished sub-workflow
		if (major === 2) {
			for (const { flow } of FLOWS) {
				const res = await n8n.cli(['publish:workflow', `--id=${ids(flow).child}`]);
				if (res.code !== 0) throw new Error(`publish:workflow failed: ${res.stdout.slice(-1500)} ${res.stderr.slice(-1500)}`);
			}
		}
	}, 240_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	describe.each(FLOWS)('$flow', ({ flow, grant }) => {
		const tokenRequests = () => org.controls.oauth.tokenRequests(grant, apps[flow].clientId);

		it('signs in and reads', async () => {
			const run = await n8n.execute(ids(flow).read);
			mustSucceed(run);
			expect(run.json('Get user')[0]).toMatchObject({ id: org.admin.userId, username: org.admin.username });
			expect(tokenRequests()).toBe(1);
			// nothing secret in what n8n printed and stored
			const all = JSON.stringify(run.data) + run.cli.stdout + run.cli.stderr;
			expect(all).not.toContain(apps[flow].clientSecret);
			for (const line of apps[flow].privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(all).not.toContain(line);
		}, 120_000);

		it('a dry-run freeze changes nothing and reuses the stored token', async () => {
			const before = org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch');
			const run = await n8n.execute(ids(flow).dryRun);
			mustSucceed(run);
			expect(run.json('Freeze user')[0]).toMatchObject({ id: target.Id, result: 'dryRun' });
			expect(org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch')).toBe(before);
			expect(tokenRequests()).toBe(1);
		}, 120_000);

		it(`${EXECUTIONS} executions of one workflow cost at most 2 token requests`, async () => {
			const run = await n8n.execute(ids(flow).parent, { timeoutMs: 600_000 });
			mustSucceed(run);
			expect(run.json('Run child')).toHaveLength(EXECUTIONS);
			expect(run.json('Run child')[EXECUTIONS - 1]).toMatchObject({ username: org.admin.username });
			expect(tokenRequests()).toBeLessThanOrEqual(2);
			// eslint-disable-next-line no-console
			console.log(`n8n ${major}.x ${flow}: ${tokenRequests()} token request(s) in total after ${EXECUTIONS} sub-workflow executions and the runs before them`);
		}, 600_000);

		it('an expired token: the next execution signs in once more and goes on', async () => {
			const before = tokenRequests();
			org.controls.expireSessions(apps[flow].clientId);
			mustSucceed(await n8n.execute(ids(flow).read));
			mustSucceed(await n8n.execute(ids(flow).read));
			expect(tokenRequests()).toBe(before + 1);
		}, 240_000);

		it('n8n\'s HTTP Request node (Custom API Call) signs its requests with the stored token', async () => {
			const run = await n8n.execute(ids(flow).http);
			mustSucceed(run);
			expect(run.json('HTTP Request')[0]).toMatchObject({ totalSize: 1, records: [expect.objectContaining({ Username: org.admin.username })] });
		}, 120_000);

		it('…and refuses to send the token anywhere but Salesforce', async () => {
			const run = await n8n.execute(ids(flow).httpElsewhere);
			expect(run.ok).toBe(false);
			expect(JSON.stringify(run.error)).toMatch(/sends its token only to its own org/);
		}, 120_000);
	});
});
