/**
 * Max Users per execution of the workflow through the node, through n8n-core: a loop (Loop Over
 * Items) runs the node once per batch, an AI agent calls it once per tool call (in parallel when
 * the model asks for several at once), and every run of one execution draws on one count. A run
 * that would take the count past Max Users fails before it writes anything.
 */
import type { ExecutionError } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import { NODE_NAME } from '../helpers/run-node';
import { addUsers, collectionCalls, isFrozen, runWrite } from './setup';

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

const frozen = (users: Array<{ Id: string }>) => users.map((u) => isFrozen(org, u.Id));

/** Every run of our node in the execution: its result items, or its error. */
function nodeRuns(run: Awaited<ReturnType<typeof runWrite>>) {
	return (run.runData[NODE_NAME] ?? []).map((task) => ({
		results: (task.data?.main?.[0] ?? []).map((i) => i.json.result),
		error: (task.error as ExecutionError | undefined)?.message,
	}));
}

let executions = 0;
const sharedExecutionId = () => `cap-execution-${++executions}`;

describe('Max Users in a loop (Loop Over Items): counted per execution, not per batch', () => {
	it('batches of 2, Max Users 2, 6 users: the second batch fails before any write; only 2 users are frozen', async () => {
		const users = addUsers(org, 6);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, loop: { batchSize: 2 }, nodeOptions: { maxUsers: 2 } },
		);

		expect(nodeRuns(run)).toEqual([
			{ results: ['changed', 'changed'], error: undefined },
			{
				results: [],
				error:
					'Freeze user would change 2 more users after 2 in earlier runs of this node in this execution, more than the "Max Users" limit of 2 (counted per execution); nothing was changed by this run',
			},
		]);
		expect(frozen(users)).toEqual([true, true, false, false, false, false]);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([2]);
	});

	it('within the cap the loop runs every batch (the harness loops as n8n does)', async () => {
		const users = addUsers(org, 6);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, loop: { batchSize: 2 }, nodeOptions: { maxUsers: 6 } },
		);
		expect(run.error).toBeUndefined();
		expect(nodeRuns(run).map((r) => r.results)).toEqual([
			['changed', 'changed'],
			['changed', 'changed'],
			['changed', 'changed'],
		]);
		expect(frozen(users)).toEqual([true, true, true, true, true, true]);
	});

	it('a dry run in a loop predicts the real run: the second batch fails the same way, nothing is written', async () => {
		const users = addUsers(org, 4);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: 'default', loop: { batchSize: 2 }, nodeOptions: { maxUsers: 2, dryRun: true } },
		);
		expect(nodeRuns(run)).toEqual([
			{ results: ['dryRun', 'dryRun'], error: undefined },
			{
				results: [],
				error: expect.stringMatching(
					/^Freeze user would change 2 more users after 2 in earlier runs/,
				),
			},
		]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(frozen(users)).toEqual([false, false, false, false]);
	});

	it('a failed write releases its reservation: the next batch may use the room', async () => {
		const [refusing, other] = addUsers(org, 2);
		org.controls.addUpdateRule({
			sobject: 'UserLogin',
			id: org.store.userLoginFor(refusing.Id)!.Id,
			statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'Frozen users need a ticket',
		});
		const run = await runWrite(org, 'freeze', [{ id: refusing.Id }, { id: other.Id }], {
			dryRun: false,
			loop: { batchSize: 1 },
			continueOnFail: true,
			nodeOptions: { maxUsers: 1 },
		});
		expect(nodeRuns(run)).toEqual([
			{ results: ['failed'], error: undefined },
			{ results: ['changed'], error: undefined },
		]);
		expect(frozen([refusing, other])).toEqual([false, true]);
	});
});

describe("Max Users over overlapping runs of one execution (an AI agent's parallel tool calls)", () => {
	it.each([
		['as an AI-agent tool', true],
		['as a workflow node', false],
	])(
		'%s: two runs at once with Max Users 1: exactly one changes, the other fails before writing',
		async (_, asTool) => {
			const [a, b] = addUsers(org, 2);
			const executionId = sharedExecutionId();
			const call = (id: string) =>
				runWrite(org, 'freeze', [{ id }], {
					dryRun: false,
					asTool,
					executionId,
					nodeOptions: { maxUsers: 1 },
				});
			const runs = await Promise.all([call(a.Id), call(b.Id)]);

			// which of the two wins is up to the scheduling; exactly one does
			const outcomes = runs.map((r) => r.error?.message ?? r.json.map((j) => j.result).join());
			expect(outcomes.sort()).toEqual([
				'Freeze user would change 1 more user after 1 in earlier runs of this node in this execution, more than the "Max Users" limit of 1 (counted per execution); nothing was changed by this run',
				'changed',
			]);
			expect(frozen([a, b]).filter(Boolean)).toHaveLength(1);
			expect(collectionCalls(org).map((c) => c.records)).toEqual([1]);
		},
	);

	it('a later execution has its own count', async () => {
		const [a, b] = addUsers(org, 2);
		const first = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			asTool: true,
			nodeOptions: { maxUsers: 1 },
		});
		const second = await runWrite(org, 'freeze', [{ id: b.Id }], {
			dryRun: false,
			asTool: true,
			nodeOptions: { maxUsers: 1 },
		});
		expect([first.json[0].result, second.json[0].result]).toEqual(['changed', 'changed']);
	});

	it('a dry run does not use up the real count: a real run after it in the same execution still has its room', async () => {
		const [a, b, c] = addUsers(org, 3);
		const executionId = sharedExecutionId();
		const dry = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: 'default',
			asTool: true,
			executionId,
			nodeOptions: { maxUsers: 2, dryRun: true },
		});
		expect(dry.json.map((j) => j.result)).toEqual(['dryRun', 'dryRun']);
		const real = await runWrite(org, 'freeze', [{ id: b.Id }, { id: c.Id }], {
			dryRun: false,
			asTool: true,
			executionId,
			nodeOptions: { maxUsers: 2 },
		});
		expect(real.error).toBeUndefined();
		expect(real.json.map((j) => j.result)).toEqual(['changed', 'changed']);
		expect(frozen([a, b, c])).toEqual([false, true, true]);
	});
});

describe('Max Users with Retry On Fail', () => {
	it('users the first attempt changed are counted once: the retry of the same run stays within the cap', async () => {
		const [a, b] = addUsers(org, 2);
		org.controls.addUpdateRule({
			sobject: 'UserLogin',
			id: org.store.userLoginFor(b.Id)!.Id,
			statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'not now',
			times: 1,
		});
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			retryOnFail: { maxTries: 2, waitBetweenTries: 1 },
			nodeOptions: { maxUsers: 2 },
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.result)).toEqual(['changed', 'changed']);
		expect(frozen([a, b])).toEqual([true, true]);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([2, 1]);
	});
});
