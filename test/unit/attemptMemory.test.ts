import { AttemptMemory, attemptKey } from '../../nodes/SalesforceAdmin/salesforce/attemptMemory';
import { to18CharId } from '../../nodes/SalesforceAdmin/salesforce/ids';
import type {
	PlanContext,
	PlannedUser,
	TargetState,
	WriteIntent,
} from '../../nodes/SalesforceAdmin/salesforce/writePlan';
import {
	EARLIER_ATTEMPT_NOTE,
	buildResults,
	combineSafetyOptions,
	creditEarlierAttempts,
	failureSummary,
	planWrites,
} from '../../nodes/SalesforceAdmin/salesforce/writePlan';

const uid = (n: number) => to18CharId(`005${String(n).padStart(12, '0')}`) as string;

describe('attemptKey', () => {
	it('tells executions, nodes, run indexes and actions apart', () => {
		const keys = [
			attemptKey('1', 'Freeze', 0, 'freeze'),
			attemptKey('2', 'Freeze', 0, 'freeze'),
			attemptKey('1', 'Freeze 2', 0, 'freeze'),
			attemptKey('1', 'Freeze', 1, 'freeze'),
			attemptKey('1', 'Freeze', 0, 'unfreeze'),
		];
		expect(new Set(keys).size).toBe(5);
	});

	it('is undefined without an execution ID or run index (nothing is remembered)', () => {
		expect(attemptKey('', 'Freeze', 0, 'freeze')).toBeUndefined();
		expect(attemptKey('1', 'Freeze', undefined, 'freeze')).toBeUndefined();
	});
});

describe('AttemptMemory', () => {
	it('recalls what earlier attempts of the same run changed, merging their patches', () => {
		const memory = new AttemptMemory();
		expect(memory.recall('run').size).toBe(0);
		memory.remember('run', [['U1', { A: false }]]);
		memory.remember('run', [
			['U1', { B: false }],
			['U2', { A: false }],
		]);
		expect(memory.recall('run')).toEqual(
			new Map([
				['U1', { A: false, B: false }],
				['U2', { A: false }],
			]),
		);
		expect(memory.recall('other').size).toBe(0);
		memory.remember(undefined, [['U3', { A: true }]]);
		expect(memory.size()).toEqual({ runs: 1, users: 2 });
	});

	it('forgets runs older than maxAgeMs', () => {
		let now = 0;
		const memory = new AttemptMemory({ maxRuns: 10, maxUsers: 100, maxAgeMs: 1000 }, () => now);
		memory.remember('old', [['U1', { A: true }]]);
		now = 900;
		memory.remember('new', [['U2', { A: true }]]);
		now = 1500;
		expect(memory.recall('old').size).toBe(0);
		expect(memory.recall('new').size).toBe(1);
		expect(memory.size().runs).toBe(1);
	});

	it('keeps at most maxRuns runs and about maxUsers users, the least recently touched forgotten first', () => {
		const memory = new AttemptMemory({ maxRuns: 2, maxUsers: 3, maxAgeMs: 60_000 });
		memory.remember('r1', [['U1', { A: true }]]);
		memory.remember('r2', [['U2', { A: true }]]);
		memory.remember('r1', [['U3', { A: true }]]); // r1 touched again: r2 is now the oldest
		memory.remember('r3', [['U4', { A: true }]]);
		expect(memory.recall('r2').size).toBe(0);
		expect(memory.size()).toEqual({ runs: 2, users: 3 });
		memory.remember(
			'big',
			Array.from({ length: 5 }, (_, i): [string, { A: boolean }] => [`B${i}`, { A: true }]),
		);
		// the run just remembered is kept even when larger than the user bound; the others go
		expect(memory.size()).toEqual({ runs: 1, users: 5 });
	});
});

describe('creditEarlierAttempts', () => {
	const users: PlannedUser[] = [1, 2, 3].map((n) => ({
		Id: uid(n),
		Username: `u${n}@acme.com`,
		Profile: { Name: 'Standard User' },
	}));
	const state = new Map<string, TargetState>([
		[uid(1), { recordId: uid(1), values: { M: false, S: false } }],
		[uid(2), { recordId: uid(2), values: { M: true, S: false } }],
		[uid(3), { recordId: uid(3), values: { M: false, S: false } }],
	]);
	const ctx: PlanContext = {
		findUser: (ref) => users.find((u) => ref.kind === 'id' && u.Id === ref.id),
		state,
		connectedUserId: uid(999),
		safety: combineSafetyOptions([{}]),
		unchangedReason: () => 'None on',
		missingTargetError: () => ({ code: 'X', message: 'x' }),
	};
	const intent = (itemIndex: number, n: number, wanted: Record<string, boolean>): WriteIntent => ({
		itemIndex,
		ref: { kind: 'id', id: uid(n) },
		wanted,
	});

	it('turns unchanged items of users an earlier attempt changed into changed, with the part it wrote', () => {
		const intents = [
			intent(0, 1, { M: false }),
			intent(1, 2, { M: false }),
			intent(2, 3, { M: false }),
			intent(3, 1, { S: false }),
		];
		const plan = planWrites(intents, ctx);
		const credited = creditEarlierAttempts(plan, intents, new Map([[uid(1), { M: false }]]));
		expect(credited.items.map((i) => i.decision)).toEqual([
			{ kind: 'changedEarlier', patch: { M: false } },
			{ kind: 'write', patch: { M: false } },
			{ kind: 'unchanged', reason: 'None on' },
			// item 3 wants S, which the earlier attempt did not write: still unchanged
			{ kind: 'unchanged', reason: 'None on' },
		]);
		expect(credited.writes).toEqual(plan.writes);

		const results = buildResults(
			'removeFeatureLicenses',
			credited,
			new Map([[uid(2), { kind: 'changed' }]]),
			false,
			{
				dryRunReason: () => 'dry',
				changedReason: (patch) => `Removed ${Object.keys(patch).join(', ')}`,
			},
		);
		expect(results.map((r) => [r.result, r.reason])).toEqual([
			['changed', `Removed M; ${EARLIER_ATTEMPT_NOTE}`],
			['changed', 'Removed M'],
			['unchanged', 'None on'],
			['unchanged', 'None on (Same user as item 0; acted on once)'],
		]);
		expect(
			failureSummary('Remove feature licenses', [
				...results,
				{ ...results[2], itemIndex: 4, result: 'failed' },
			])?.message,
		).toBe('Remove feature licenses: 1 of 5 items failed; 2 users were changed');
	});

	it('leaves a first attempt as it is', () => {
		const intents = [intent(0, 1, { M: false })];
		const plan = planWrites(intents, ctx);
		expect(creditEarlierAttempts(plan, intents, new Map())).toBe(plan);
	});
});
