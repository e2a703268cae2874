/**
 * The node as an AI-agent tool in real n8n (1.x and 2.x, E2E_N8N): n8n generates the tool
 * variant `salesforceAdminTool` for a `usableAsTool` node, the AI Agent (Tools Agent, v3) calls
 * it with `$fromAI()` parameters, and a local OpenAI-compatible stub (llm-stub.ts) plays the
 * model: it calls the tool, records what the tool returned, then answers.
 *
 * Proves that the credential's access mode and the safety options hold for a tool call as for a
 * workflow: the org's state and calls are checked after every run.
 */
import { FakeOrg, UserRecord } from '../fake-org';
import { CredentialRef, passwordCredential } from './fixtures';
import { LlmStub, StubToolCall } from './llm-stub';
import { CredentialDefinition, ExecutionResult, majorsUnderTest, N8nHarness, WorkflowDefinition, WorkflowNode } from './n8n';

const TOOL_TYPE = 'n8n-nodes-salesforce-admin.salesforceAdminTool';

const CRED = {
	readWrite: { type: 'salesforceAdminPasswordApi', id: 'agPasswordRW0001', name: 'Fake org (Read/Take Action)' },
	readOnly: { type: 'salesforceAdminPasswordApi', id: 'agPasswordRO0001', name: 'Fake org (Read-Only)' },
} as const satisfies Record<string, CredentialRef>;
const OPENAI = { id: 'agOpenAiStub0001', name: 'Local model stub' };

const WF = {
	read: 'wfAgentRead00001',
	readOnly: 'wfAgentReadOnly1',
	dryRun: 'wfAgentDryRun001',
	cap: 'wfAgentCap000001',
	parallel: 'wfAgentParallel1',
} as const;

/** The Salesforce Admin tool node; the model fills only the `$fromAI()` parameters. */
function toolNode(name: string, parameters: Record<string, unknown>, credential: CredentialRef): WorkflowNode {
	return {
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		parameters: { authentication: 'password', ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/**
 * Manual Trigger → AI Agent (prompt defined in the node), with the OpenAI Chat Model (pointed at
 * the stub by its credential) and the given tools attached, as the editor wires them.
 */
function agentWorkflow(id: string, name: string, prompt: string, tools: WorkflowNode[]): WorkflowDefinition {
	const nodes: WorkflowNode[] = [
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: `${id}-agent`,
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3,
			position: [220, 0],
			parameters: { promptType: 'define', text: prompt, options: {} },
		},
		{
			id: `${id}-model`,
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.2,
			position: [120, 200],
			parameters: { model: { __rl: true, value: 'gpt-4o-mini', mode: 'list' }, options: {} },
			credentials: { openAiApi: OPENAI },
		},
		...tools.map((t, i) => ({ id: `${id}-tool${i}`, position: [320 + i * 120, 200] as [number, number], ...t })),
	];
	const connections: WorkflowDefinition['connections'] = {
		Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
	};
	for (const t of tools) connections[t.name] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

const READ_TOOL_DESCRIPTION =
	'Lists Salesforce users (profile, license, feature licenses, last login, frozen state) for the usernames given. Changes nothing.';

/** A write tool that acts: Dry Run turned off (a newly added node starts in dry run). */
const FREEZE_BY_AI = {
	resource: 'user',
	operation: 'freeze',
	dryRun: false,
	// the User resource locator as n8n's editor stores it, the model filling the value
	userId: {
		__rl: true,
		mode: 'id',
		value: "={{ $fromAI('userId', 'The ID (15 or 18 characters) or username of the user to freeze', 'string') }}",
	},
};

function writeCalls(org: FakeOrg): number {
	return org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch');
}

function frozenIds(org: FakeOrg): string[] {
	return org.store.users.filter((u) => org.store.userLoginFor(u.Id)?.IsFrozen).map((u) => u.Id).sort();
}

describe.each(majorsUnderTest())('n8n %s.x: the node as an AI-agent tool', (major) => {
	let org: FakeOrg;
	let stub: LlmStub;
	let n8n: N8nHarness;
	const users: Record<string, UserRecord> = {};
	const addUser = (key: string, profile = 'Standard User') => {
		users[key] = org.store.addUser({
			profile,
			FirstName: 'Agent',
			LastName: key,
			Username: `${key.toLowerCase()}@agent.acme.example.com`,
			LastLoginDate: new Date(Date.now() - 200 * 86_400_000),
			CreatedDate: new Date(Date.now() - 800 * 86_400_000),
		});
		return users[key];
	};
	const prompts: Record<string, string> = {};
	const script = (name: string, rounds: StubToolCall[][]) => (prompts[name] = `${stub.script(`${name}${major}`, rounds)} Please help.`);
	const log = (name: string) => stub.log(`${name}${major}`);
	const results = (name: string, tool?: string) => stub.parsedResults(`${name}${major}`, tool);

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 60, seed: 9 } });
		stub = await LlmStub.start();
		for (const key of ['Read1', 'Read2', 'ReadOnlyTarget', 'DryTarget', 'Cap1', 'Cap2', 'Par1', 'Par2']) addUser(key);

		script('read', [[{ name: 'Get_users', arguments: { usernames: `${users.Read1.Username}, ${users.Read2.Username}` } }]]);
		script('readOnly', [[{ name: 'Freeze_user', arguments: { userId: users.ReadOnlyTarget.Id } }]]);
		script('dryRun', [[{ name: 'Freeze_user', arguments: { userId: users.DryTarget.Username } }]]);
		// Two calls one after the other, each for one user, with Max Users 1 fixed in the tool.
		script('cap', [[{ name: 'Freeze_user', arguments: { userId: users.Cap1.Id } }], [{ name: 'Freeze_user', arguments: { userId: users.Cap2.Id } }]]);
		// Parallel tool calls: two calls in one assistant message, each for one user, Max Users 1.
		// Exactly one may change whether n8n runs them at once or one after the other (1.123 and
		// 2.40 ran them one after the other here); runs that overlap: test/write/executionCap.test.ts.
		script('parallel', [
			[
				{ name: 'Freeze_user', arguments: { userId: users.Par1.Id } },
				{ name: 'Freeze_user', arguments: { userId: users.Par2.Id } },
			],
		]);

		n8n = await N8nHarness.create({ major, name: 'agent-tool' });
		const openAi: CredentialDefinition = { ...OPENAI, type: 'openAiApi', data: { apiKey: 'sk-local-stub', url: stub.url, header: false } };
		await n8n.importCredentials([passwordCredential(org, CRED.readWrite, 'readWrite'), passwordCredential(org, CRED.readOnly, 'readOnly'), openAi]);
		await n8n.importWorkflows([
			agentWorkflow(WF.read, 'Agent: Get users', prompts.read, [
				toolNode(
					'Get users',
					{
						resource: 'user',
						operation: 'getMany',
						returnAll: true,
						filters: { status: 'all', usernames: "={{ $fromAI('usernames', 'Comma-separated Salesforce usernames', 'string') }}" },
						// "Tool Description: Set Manually" (docs/ai-agent.md's suggested text for Get users)
						descriptionType: 'manual',
						toolDescription: READ_TOOL_DESCRIPTION,
					},
					CRED.readOnly,
				),
			]),
			agentWorkflow(WF.readOnly, 'Agent: Freeze user (Read-Only)', prompts.readOnly, [toolNode('Freeze user', { ...FREEZE_BY_AI, options: {} }, CRED.readOnly)]),
			agentWorkflow(WF.dryRun, 'Agent: Freeze user (Dry Run)', prompts.dryRun, [toolNode('Freeze user', { ...FREEZE_BY_AI, options: { dryRun: true } }, CRED.readWrite)]),
			agentWorkflow(WF.cap, 'Agent: Freeze user (Max Users 1)', prompts.cap, [toolNode('Freeze user', { ...FREEZE_BY_AI, options: { maxUsers: 1 } }, CRED.readWrite)]),
			agentWorkflow(WF.parallel, 'Agent: Freeze user, parallel calls (Max Users 1)', prompts.parallel, [
				toolNode('Freeze user', { ...FREEZE_BY_AI, options: { maxUsers: 1 } }, CRED.readWrite),
			]),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await stub?.stop();
		await org?.stop();
	});

	beforeEach(() => org.calls.reset());

	const dump = (run: ExecutionResult) => `${run.describe()}\nstub: ${JSON.stringify([...['read', 'readOnly', 'dryRun', 'cap', 'parallel'].map((s) => [s, log(s)])], null, 1).slice(0, 4000)}`;

	/**
	 * A tool call the node refuses. n8n 1.x stops the execution with the node's error (the agent
	 * never answers); n8n 2.x hands the error to the model as the tool's result,
	 * `[{ "error": "<message>" }]`, and the agent goes on (here: the stub's final answer).
	 */
	function expectRefusal(run: ExecutionResult, scenario: string, message: string): void {
		const toolResults = results(scenario, 'Freeze_user');
		if (major === 1) {
			expect(run.cli.code).toBe(1);
			expect(run.status).toBe('error');
			expect(run.error?.node?.name).toBe('Freeze user');
			expect(run.error?.message).toBe(message);
			expect(toolResults.map((r) => JSON.stringify(r))).not.toContain(JSON.stringify([{ error: message }]));
		} else {
			if (!run.ok) throw new Error(dump(run));
			expect(toolResults[toolResults.length - 1]).toEqual([{ error: message }]);
			expect(log(scenario).finalAnswer).toContain(JSON.stringify(message).slice(1, -1)); // the model's answer quotes it
		}
	}

	test('n8n offers the tool variant salesforceAdminTool', async () => {
		const server = await n8n.startServer();
		try {
			const types = await server.nodeTypes();
			const tool = types.find((t) => t.name === TOOL_TYPE);
			expect(tool).toBeDefined();
			expect(tool?.displayName).toBe('Salesforce Admin Tool');
			expect((tool as unknown as { outputs: unknown }).outputs).toEqual(['ai_tool']);
		} finally {
			await server.stop();
		}
	});

	test('a read through the agent: Get users returns the org users to the model', async () => {
		const run = await n8n.execute(WF.read);
		if (!run.ok) throw new Error(dump(run));
		// What the model is offered: the node's name as the function, the manual description, and
		// only the $fromAI() keys as arguments.
		expect(log('read').tools.map((t) => [t.name, t.description])).toEqual([['Get_users', READ_TOOL_DESCRIPTION]]);
		expect(Object.keys(log('read').tools[0].parameters.properties ?? {})).toEqual(['usernames']);
		const [returned] = results('read', 'Get_users') as Array<Array<{ id: string; username: string; isFrozen: boolean }>>;
		expect(returned.map((u) => [u.id, u.username]).sort()).toEqual(
			[users.Read1, users.Read2].map((u) => [u.Id, u.Username]).sort(),
		);
		expect(writeCalls(org)).toBe(0);
	});

	test('a Read-Only credential refuses a write from the agent as from a workflow; nothing is written', async () => {
		const before = frozenIds(org);
		const run = await n8n.execute(WF.readOnly);

		// The model asked for the write; the tool call failed before any call to Salesforce.
		const message = '"Freeze user" changes users, but the credential is Read-Only';
		expectRefusal(run, 'readOnly', message);
		expect(org.calls.count()).toBe(0); // not even a sign-in
		expect(writeCalls(org)).toBe(0);
		expect(frozenIds(org)).toEqual(before);
	});

	test('Dry Run fixed in the tool: the call reports dryRun and changes nothing', async () => {
		const before = frozenIds(org);
		const run = await n8n.execute(WF.dryRun);
		if (!run.ok) throw new Error(dump(run));
		// "Set Automatically": n8n offers the operation's action label
		expect(log('dryRun').tools.map((t) => [t.name, t.description])).toEqual([['Freeze_user', 'Freeze user in Salesforce Admin']]);
		const [returned] = results('dryRun', 'Freeze_user') as Array<Array<{ id: string; result: string }>>;
		expect(returned).toEqual([expect.objectContaining({ id: users.DryTarget.Id, action: 'freeze', result: 'dryRun' })]);
		expect(log('dryRun').finalAnswer).toContain('"result":"dryRun"');
		expect(writeCalls(org)).toBe(0);
		expect(frozenIds(org)).toEqual(before);
	});

	test('Max Users fixed in the tool holds across the calls of one execution: the second call is refused', async () => {
		const before = frozenIds(org);
		const run = await n8n.execute(WF.cap);

		// First call: one user, within Max Users 1, frozen. Second call: a second user would make
		// two in this execution, so it is refused before any write and the execution fails.
		const [first] = results('cap', 'Freeze_user') as Array<Array<{ id: string; result: string }>>;
		expect(first).toEqual([expect.objectContaining({ id: users.Cap1.Id, result: 'changed' })]);
		expectRefusal(
			run,
			'cap',
			'Freeze user would change 1 more user after 1 in earlier runs of this node in this execution, more than the "Max Users" limit of 1 (counted per execution); nothing was changed by this run',
		);
		expect(org.calls.count('collectionsPatch')).toBe(1);
		expect(frozenIds(org)).toEqual([...before, users.Cap1.Id].sort());
		expect(org.store.userLoginFor(users.Cap2.Id)?.IsFrozen).toBe(false);
	});

	test('Max Users 1 holds for parallel tool calls (two in one model message): exactly one user is changed', async () => {
		const before = frozenIds(org);
		const run = await n8n.execute(WF.parallel);
		const message =
			'Freeze user would change 1 more user after 1 in earlier runs of this node in this execution, more than the "Max Users" limit of 1 (counted per execution); nothing was changed by this run';

		// The org: one of the two frozen (whichever call reserved first), one write call, nothing else.
		const pair = [users.Par1.Id, users.Par2.Id];
		const frozenNow = pair.filter((id) => org.store.userLoginFor(id)?.IsFrozen === true);
		if (frozenNow.length !== 1) throw new Error(`frozen: ${JSON.stringify(frozenNow)}\n${dump(run)}`);
		expect(org.calls.count('collectionsPatch')).toBe(1);
		expect(frozenIds(org)).toEqual([...before, ...frozenNow].sort());

		if (major === 1) {
			// n8n 1.x stops the execution with the refused call's error
			expect(run.status).toBe('error');
			expect(run.error?.node?.name).toBe('Freeze user');
			expect(run.error?.message).toBe(message);
		} else {
			// n8n 2.x hands both results to the model: one change, one refusal
			if (!run.ok) throw new Error(dump(run));
			const toolResults = results('parallel', 'Freeze_user');
			expect(toolResults).toHaveLength(2);
			expect(toolResults).toContainEqual([{ error: message }]);
			expect(toolResults).toContainEqual([expect.objectContaining({ id: frozenNow[0], action: 'freeze', result: 'changed' })]);
		}
	});
});
