/**
 * License Threshold through n8n-core's polling path: a license running out fires once, not again
 * while it stays out, again after a recovery; restarts, a failing poll, API calls a poll.
 */
import { FakeOrg } from '../fake-org';
import type { UserRecord } from '../fake-org/store';
import { passwordCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, now } from './clock';

let org: FakeOrg;
let profile: string;
const LICENSE = 'Trigger Test License';

beforeAll(async () => {
	org = await FakeOrg.start({ now });
	org.store.addUserLicense({
		Name: LICENSE,
		LicenseDefinitionKey: 'TRIGGER_TEST',
		TotalLicenses: 5,
	});
	profile = org.store.addProfile({ Name: 'Trigger Test Profile', license: LICENSE }).Name;
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

const holders: UserRecord[] = [];
/** Sets the license's active holders to `n` (its total is 5). */
function holdersTo(n: number) {
	while (holders.filter((u) => u.IsActive).length < n) {
		const idle = holders.find((u) => !u.IsActive);
		if (idle) idle.IsActive = true;
		else holders.push(org.store.addUser({ profile }));
	}
	while (holders.filter((u) => u.IsActive).length > n)
		holders.find((u) => u.IsActive)!.IsActive = false;
}

function harness(parameters = {}) {
	return new PollHarness(passwordCredentials(org), {
		event: 'licenseThreshold',
		thresholdType: 'minAvailable',
		minAvailable: 1,
		licenseTypes: ['user'],
		...parameters,
	});
}

const ours = <T extends { name?: unknown }>(items: T[]) => items.filter((i) => i.name === LICENSE);

describe('licenseThreshold', () => {
	it('fires when the license crosses into "1 seat or fewer left", once, and again only after it recovered', async () => {
		holdersTo(3);
		const h = harness();
		expect((await h.activate()).items).toEqual([]);
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([]);

		holdersTo(4);
		advance(1);
		const fired = ours((await h.poll()).items);
		expect(fired).toEqual([
			{
				type: 'user',
				name: LICENSE,
				key: 'TRIGGER_TEST',
				status: 'Active',
				total: 5,
				used: 4,
				available: 1,
				threshold: {
					crossed: ['minAvailable'],
					minAvailable: 1,
					maxPercentUsed: null,
					percentUsed: 80,
					afterRestart: false,
				},
				previous: { used: 3, available: 2, total: 5, percentUsed: 60 },
			},
		]);

		holdersTo(5);
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([]);
		holdersTo(2);
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([]);
		holdersTo(5);
		advance(1);
		const again = ours((await h.poll()).items);
		expect(again).toHaveLength(1);
		expect(again[0]).toMatchObject({ available: 0, previous: { used: 2, available: 3 } });
	});

	it('a license already running out at activation does not fire (nothing old); Fetch Test Event shows it', async () => {
		holdersTo(5);
		const h = harness();
		await h.activate();
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([]);
		const test = await h.fetchTestEvent();
		expect(ours(test.items)).toEqual([expect.objectContaining({ available: 0, previous: null })]);
	});

	it('Max Percent Used, or Either', async () => {
		holdersTo(3);
		const h = harness({ thresholdType: 'either', minAvailable: 0, maxPercentUsed: 80 });
		await h.activate();
		holdersTo(4);
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([
			expect.objectContaining({
				threshold: {
					crossed: ['maxPercentUsed'],
					minAvailable: 0,
					maxPercentUsed: 80,
					percentUsed: 80,
					afterRestart: false,
				},
			}),
		]);
	});

	it('a failing poll neither repeats nor loses the crossing', async () => {
		holdersTo(2);
		const h = harness();
		await h.activate();
		holdersTo(4);
		advance(1);
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		const failed = await h.poll();
		expect(failed.error).toBeDefined();
		advance(1);
		expect(ours((await h.poll()).items)).toHaveLength(1);
		advance(1);
		expect(ours((await h.poll()).items)).toEqual([]);
		expect(ours(h.history.flatMap((r) => r.items))).toHaveLength(1);
	});

	describe("crossings and recoveries with restarts, under n8n's save rule", () => {
		/** The alerts of one poll: one entry per firing, whether flagged afterRestart. */
		const fired = (result: { items: Array<Record<string, unknown>> }) =>
			ours(result.items).map((i) => (i.threshold as { afterRestart: boolean }).afterRestart);
		const ALERT = [false];
		const REPEAT = [true];
		const NONE: boolean[] = [];

		async function crossed() {
			holdersTo(2);
			const h = harness();
			await h.activate();
			holdersTo(4);
			advance(1);
			expect(fired(await h.poll())).toEqual(ALERT);
			return h;
		}

		it('cross, recover (seen by a poll that emitted nothing, so not saved), cross again, restart: fires at the restart', async () => {
			const h = await crossed();
			const saves = h.saves;
			holdersTo(2);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			expect(h.saves).toBe(saves); // the recovery is in n8n's memory only
			holdersTo(4);
			expect(fired(await h.restart())).toEqual(REPEAT);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
		});

		it('the same with the restart first: cross, recover, restart, cross again: fires', async () => {
			const h = await crossed();
			holdersTo(2);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			await h.restart();
			holdersTo(4);
			advance(1);
			expect(fired(await h.poll())).toEqual(ALERT);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
		});

		it('cross, recover, cross again, poll, restart: the second crossing fires before the restart', async () => {
			const h = await crossed();
			holdersTo(2);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			holdersTo(4);
			advance(1);
			expect(fired(await h.poll())).toEqual(ALERT);
			// still past the threshold at the restart: it may repeat, flagged (see the next test)
			await h.restart();
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
		});

		it('cross, restart while still past: the restart repeats it once, flagged; no more while it stays past', async () => {
			const h = await crossed();
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			expect(fired(await h.restart())).toEqual(REPEAT);
			for (let i = 0; i < 3; i++) {
				advance(1);
				expect(fired(await h.poll())).toEqual(NONE);
			}
		});

		it('cross, recover, restarts while recovered (a restart poll is saved), cross again: fires once', async () => {
			const h = await crossed();
			holdersTo(2);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			expect(fired(await h.restart())).toEqual(NONE);
			expect(fired(await h.restart())).toEqual(NONE);
			holdersTo(4);
			advance(1);
			expect(fired(await h.poll())).toEqual(ALERT);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
		});

		it('cross, recover and cross again without a restart: fires at each crossing, never in between', async () => {
			const h = await crossed();
			for (const [holding, expected] of [
				[4, NONE],
				[2, NONE],
				[3, NONE],
				[5, ALERT],
				[4, NONE],
				[1, NONE],
				[4, ALERT],
			] as const) {
				holdersTo(holding);
				advance(1);
				expect(fired(await h.poll())).toEqual(expected);
			}
		});

		it('a second crossing fired, then a recovery not saved and a third crossing before a restart: fires at the restart', async () => {
			const h = await crossed();
			holdersTo(2);
			advance(1);
			await h.poll();
			holdersTo(4);
			advance(1);
			expect(fired(await h.poll())).toEqual(ALERT);
			holdersTo(2);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
			holdersTo(5);
			expect(fired(await h.restart())).toEqual(REPEAT);
			advance(1);
			expect(fired(await h.poll())).toEqual(NONE);
		});
	});

	it('costs 2 queries a poll for user and permission set licenses, 5 with package and feature licenses', async () => {
		const h = harness({ licenseTypes: ['user', 'permissionSet'] });
		await h.activate();
		org.calls.reset();
		await h.poll();
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual(['query', 'query']);
		const all = harness({ licenseTypes: [] });
		await all.activate();
		org.calls.reset();
		await all.poll();
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual([
			'query',
			'query',
			'query',
			'describe',
			'query',
		]);
	});
});
