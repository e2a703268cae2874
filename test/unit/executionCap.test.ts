/**
 * Max Users per execution of the workflow through one node (salesforce/executionCap.ts): loop
 * batches, tool calls (parallel ones too) and retries draw on one count; reservations are taken
 * before any write and released for what did not change; dry runs never use up the real count.
 * Through n8n-core: test/write/executionCap.test.ts; in real n8n: test/e2e/agent-tool.e2e.test.ts.
 */
import { ExecutionCap, executionCapKey } from '../../nodes/SalesforceAdmin/salesforce/executionCap';

const KEY = executionCapKey('exec-1', 'node-id', 'Freeze user') as string;
const reserve = (cap: ExecutionCap, ids: string[], max: number, dryRun = false, key = KEY) =>
	cap.reserve(key, ids, max, dryRun, 'Freeze user');

describe('executionCapKey', () => {
	it('one count per execution and node; none without an execution ID', () => {
		const keys = [
			executionCapKey('1', 'a', 'Freeze'),
			executionCapKey('2', 'a', 'Freeze'),
			executionCapKey('1', 'b', 'Freeze'),
			executionCapKey('1', 'a', 'Freeze 2'),
		];
		expect(new Set(keys).size).toBe(4);
		expect(executionCapKey(undefined, 'a', 'Freeze')).toBeUndefined();
		expect(executionCapKey('', 'a', 'Freeze')).toBeUndefined();
	});
});

describe('ExecutionCap', () => {
	it('counts distinct users over the runs of an execution: the run that would pass the cap is refused', () => {
		const cap = new ExecutionCap();
		expect(reserve(cap, ['a', 'b'], 2)).toMatchObject({ ok: true });
		expect(reserve(cap, ['c'], 2)).toEqual({
			ok: false,
			earlier: 2,
			fresh: 1,
			message:
				'Freeze user would change 1 more user after 2 in earlier runs of this node in this execution, more than the "Max Users" limit of 2 (counted per execution); nothing was changed by this run',
		});
		// users already counted are not counted again
		expect(reserve(cap, ['a', 'b'], 2)).toMatchObject({ ok: true });
		// another execution, or another node, has its own count
		expect(
			reserve(cap, ['c'], 2, false, executionCapKey('exec-2', 'node-id', 'Freeze user')),
		).toMatchObject({ ok: true });
		expect(
			reserve(cap, ['c'], 2, false, executionCapKey('exec-1', 'other', 'Freeze 2')),
		).toMatchObject({ ok: true });
	});

	it('the first run of an execution is refused with its own count', () => {
		const cap = new ExecutionCap();
		expect(reserve(cap, ['a', 'b', 'c'], 2)).toMatchObject({
			ok: false,
			message:
				'Freeze user would change 3 users, more than the "Max Users" limit of 2; nothing was changed',
		});
		expect(cap.size()).toBe(0); // a refused run reserves nothing
	});

	it('a reservation counts at once, before its writes end: a second, overlapping run is refused', () => {
		const cap = new ExecutionCap();
		const first = reserve(cap, ['a'], 1);
		const second = reserve(cap, ['b'], 1);
		expect(first.ok).toBe(true);
		expect(second).toMatchObject({ ok: false, earlier: 1, fresh: 1 });
	});

	it('settle keeps the users that changed and releases the others', () => {
		const cap = new ExecutionCap();
		const run = reserve(cap, ['a', 'b', 'c'], 3);
		if (!run.ok) throw new Error(run.message);
		cap.settle(run.reservation, new Set(['a']));
		expect(cap.counts(KEY)).toEqual({ counted: 1, predicted: 0 });
		expect(reserve(cap, ['d', 'e'], 3)).toMatchObject({ ok: true });
		expect(reserve(cap, ['f'], 3)).toMatchObject({ ok: false, earlier: 3 });
	});

	it('a run that changed nothing releases everything; its count is forgotten', () => {
		const cap = new ExecutionCap();
		const run = reserve(cap, ['a'], 1);
		if (!run.ok) throw new Error(run.message);
		cap.settle(run.reservation, new Set());
		expect(cap.size()).toBe(0);
		expect(reserve(cap, ['b'], 1)).toMatchObject({ ok: true });
	});

	it('settle releases only what the run itself reserved (a retry re-reserving nothing keeps the earlier users)', () => {
		const cap = new ExecutionCap();
		const first = reserve(cap, ['a', 'b'], 2);
		if (!first.ok) throw new Error(first.message);
		cap.settle(first.reservation, new Set(['a'])); // b failed
		const retry = reserve(cap, ['b'], 2); // the retry writes b again; a is counted once
		if (!retry.ok) throw new Error(retry.message);
		expect(retry.reservation.userIds).toEqual(['b']);
		cap.settle(retry.reservation, new Set());
		expect(cap.counts(KEY)).toEqual({ counted: 1, predicted: 0 });
	});

	it('a dry run is checked against the real count and earlier dry runs, but never adds to the real count', () => {
		const cap = new ExecutionCap();
		const real = reserve(cap, ['a'], 2);
		if (!real.ok) throw new Error(real.message);
		cap.settle(real.reservation, new Set(['a']));
		expect(reserve(cap, ['b'], 2, true)).toMatchObject({ ok: true });
		// a second dry run predicts the refusal a real run would meet
		expect(reserve(cap, ['c'], 2, true)).toMatchObject({ ok: false, earlier: 2, fresh: 1 });
		// the real run still has its room: the dry run's user was only predicted
		expect(reserve(cap, ['c'], 2)).toMatchObject({ ok: true });
		expect(cap.counts(KEY)).toEqual({ counted: 2, predicted: 1 });
	});

	it('without an execution ID a run is capped on its own and nothing is kept', () => {
		const cap = new ExecutionCap();
		expect(cap.reserve(undefined, ['a'], 1, false, 'Freeze user')).toMatchObject({
			ok: true,
		});
		expect(cap.reserve(undefined, ['b'], 1, false, 'Freeze user')).toMatchObject({
			ok: true,
		});
		expect(cap.size()).toBe(0);
	});

	it('forgets counts not touched for the maximum age, and the least recently touched beyond the bound', () => {
		let now = 0;
		const cap = new ExecutionCap({ maxEntries: 2, maxAgeMs: 1000 }, () => now);
		const key = (n: number) => executionCapKey(`exec-${n}`, 'n', 'Freeze') as string;
		reserve(cap, ['a'], 5, false, key(1));
		now = 500;
		reserve(cap, ['a'], 5, false, key(2));
		reserve(cap, ['b'], 5, false, key(1)); // touches execution 1 again
		reserve(cap, ['a'], 5, false, key(3)); // beyond 2: execution 2 goes
		expect([key(1), key(2), key(3)].map((k) => cap.counts(k)?.counted)).toEqual([2, undefined, 1]);
		now = 1600; // execution 1 and 3 last touched at 500
		expect(reserve(cap, ['x'], 1, false, key(1))).toMatchObject({ ok: true });
		expect(cap.size()).toBe(1);
	});
});
