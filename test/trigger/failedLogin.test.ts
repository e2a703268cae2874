/**
 * Failed Login through n8n-core's polling path against the fake org: several polls with rows
 * arriving late, restarts with the saved static data, a failing poll, and the API calls a poll
 * costs.
 */
import { FakeOrg } from '../fake-org';
import { sfDateTime } from '../fake-org/dates';
import { passwordCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, minutesAgo, now, skewN8n } from './clock';

let org: FakeOrg;
let users: string[];

beforeAll(async () => {
	org = await FakeOrg.start({ now });
	users = [0, 1, 2].map((i) => org.store.addUser({ FirstName: 'Fail', LastName: `User${i}` }).Id);
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

function fail(userIndex: number, at: Date, ip = '198.51.100.7') {
	return org.store.addLoginHistory({
		UserId: users[userIndex],
		LoginTime: sfDateTime(at),
		Status: 'Invalid Password',
		SourceIp: ip,
	});
}

function harness(parameters = {}) {
	return new PollHarness(passwordCredentials(org), { event: 'failedLogin', ...parameters });
}

const ids = (items: Array<{ id?: unknown }>) => items.map((i) => i.id);

describe('failedLogin', () => {
	it('first activation emits nothing old; later polls emit each new failure once, shaped like Get login history', async () => {
		const old = fail(0, minutesAgo(5));
		org.store.addLoginHistory({
			UserId: users[0],
			LoginTime: sfDateTime(minutesAgo(1)),
			Status: 'Success',
		});
		const h = harness();
		expect((await h.activate()).items).toEqual([]);

		advance(1);
		const a = fail(1, minutesAgo(0.5), '203.0.113.99');
		org.store.addLoginHistory({
			UserId: users[1],
			LoginTime: sfDateTime(minutesAgo(0.4)),
			Status: 'Success',
		});
		const first = await h.poll();
		expect(ids(first.items)).toEqual([a.Id]);
		expect(first.items[0]).toMatchObject({
			userId: users[1],
			username: org.store.get<{ Username: string }>('User', users[1])!.Username,
			name: 'Fail User1',
			status: 'Invalid Password',
			sourceIp: '203.0.113.99',
			loginTime: new Date(a.LoginTime.replace('+0000', 'Z')).toISOString(),
		});
		expect(Object.keys(first.items[0]).sort()).toEqual(
			[
				'id',
				'userId',
				'username',
				'name',
				'loginTime',
				'loginType',
				'status',
				'sourceIp',
				'application',
				'browser',
				'platform',
				'loginUrl',
				'apiType',
				'apiVersion',
				'countryIso',
			].sort(),
		);

		advance(1);
		expect((await h.poll()).items).toEqual([]);
		expect(ids(h.history.flatMap((r) => r.items))).not.toContain(old.Id);
	});

	it('a row Salesforce writes late (LoginTime in the past) is emitted once, within the 15-minute overlap', async () => {
		const h = harness();
		await h.activate();
		advance(20);
		const onTime = fail(0, minutesAgo(2));
		expect(ids((await h.poll()).items)).toEqual([onTime.Id]);

		// written now, but it happened 10 minutes ago (before the last poll)
		advance(1);
		const late = fail(2, minutesAgo(10));
		expect(ids((await h.poll()).items)).toEqual([late.Id]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		advance(5);
		expect((await h.poll()).items).toEqual([]);
	});

	it('a failing poll moves nothing: the next poll emits its failures, once', async () => {
		const h = harness();
		await h.activate();
		advance(1);
		const a = fail(0, minutesAgo(0.5));
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		const failed = await h.poll();
		expect(failed.items).toEqual([]);
		expect(failed.error?.message).toMatch(/REQUEST_LIMIT_EXCEEDED|limit/i);

		advance(1);
		const b = fail(1, minutesAgo(0.5));
		expect(ids((await h.poll()).items)).toEqual([a.Id, b.Id]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
	});

	it('a restart resumes from the saved static data: polls that emitted nothing saved nothing, yet nothing is lost or repeated', async () => {
		const h = harness();
		await h.activate();
		advance(1);
		const a = fail(0, minutesAgo(0.5));
		expect(ids((await h.poll()).items)).toEqual([a.Id]);
		const savesAfterEmit = h.saves;

		// quiet polls: n8n writes nothing to its database
		for (let i = 0; i < 3; i++) {
			advance(10);
			expect((await h.poll()).items).toEqual([]);
		}
		expect(h.saves).toBe(savesAfterEmit);
		expect(h.memory()).not.toEqual({ ...h.saved, __dataChanged: false });

		advance(1);
		const b = fail(1, minutesAgo(0.5));
		// n8n restarts before the next poll: the in-memory state is gone
		const atRestart = await h.restart();
		expect(ids(atRestart.items)).toEqual([b.Id]);
		advance(1);
		const c = fail(2, minutesAgo(0.2));
		expect(ids((await h.poll()).items)).toEqual([c.Id]);

		await h.restart();
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		const all = ids(h.history.flatMap((r) => r.items));
		expect(all.sort()).toEqual([a.Id, b.Id, c.Id].sort());
	});

	it('Min Failures 3: one item per user with 3 or more failures in the window', async () => {
		const h = harness({ minFailures: 3 });
		await h.activate();
		advance(5);
		const burst = [
			fail(0, minutesAgo(4), '198.51.100.1'),
			fail(0, minutesAgo(3), '198.51.100.2'),
			fail(0, minutesAgo(2), '198.51.100.1'),
		];
		fail(1, minutesAgo(3));
		fail(1, minutesAgo(2));
		const { items } = await h.poll();
		expect(items).toEqual([
			{
				userId: users[0],
				username: org.store.get<{ Username: string }>('User', users[0])!.Username,
				name: 'Fail User0',
				failureCount: 3,
				firstLoginTime: new Date(burst[0].LoginTime.replace('+0000', 'Z')).toISOString(),
				lastLoginTime: new Date(burst[2].LoginTime.replace('+0000', 'Z')).toISOString(),
				sourceIps: ['198.51.100.1', '198.51.100.2'],
			},
		]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
	});

	describe('Min Failures 3 in a sliding 10-minute window', () => {
		const bursts = (items: Array<Record<string, unknown>>) =>
			items.map((i) => [i.userId, i.failureCount]);
		const burstHarness = () => harness({ minFailures: 3, windowMinutes: 10 });

		it('a burst split across two polls fires once, in the poll that completes it', async () => {
			const h = burstHarness();
			await h.activate();
			advance(3);
			fail(0, minutesAgo(2));
			fail(0, minutesAgo(1));
			expect((await h.poll()).items).toEqual([]);
			advance(3);
			const third = fail(0, minutesAgo(1));
			const { items } = await h.poll();
			expect(bursts(items)).toEqual([[users[0], 3]]);
			expect(items[0].lastLoginTime).toBe(
				new Date(third.LoginTime.replace('+0000', 'Z')).toISOString(),
			);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
		});

		it('a failure written late (its LoginTime before the last poll) completes the burst', async () => {
			const h = burstHarness();
			await h.activate();
			advance(5);
			fail(1, minutesAgo(4));
			fail(1, minutesAgo(3));
			expect((await h.poll()).items).toEqual([]);
			advance(2);
			// written now, it happened 5 minutes ago: before the last poll
			fail(1, minutesAgo(5));
			expect(bursts((await h.poll()).items)).toEqual([[users[1], 3]]);
		});

		it('failures further apart than the window never make a burst; the window slides', async () => {
			const h = burstHarness();
			await h.activate();
			advance(1);
			fail(2, minutesAgo(0.5));
			expect((await h.poll()).items).toEqual([]);
			advance(6);
			fail(2, minutesAgo(0.5));
			expect((await h.poll()).items).toEqual([]);
			advance(6);
			// 12 minutes after the first: only two failures within 10 minutes
			fail(2, minutesAgo(0.5));
			expect((await h.poll()).items).toEqual([]);
			advance(1);
			fail(2, minutesAgo(0.5));
			// the last three lie within 8 minutes
			expect(bursts((await h.poll()).items)).toEqual([[users[2], 3]]);
		});

		it('each failure counts once: after a burst, three new failures make the next one', async () => {
			const h = burstHarness();
			await h.activate();
			advance(2);
			for (let i = 0; i < 4; i++) fail(0, minutesAgo(1.5 - i * 0.3));
			expect(bursts((await h.poll()).items)).toEqual([[users[0], 4]]);
			advance(1);
			fail(0, minutesAgo(0.5));
			fail(0, minutesAgo(0.4));
			expect((await h.poll()).items).toEqual([]);
			advance(1);
			fail(0, minutesAgo(0.5));
			expect(bursts((await h.poll()).items)).toEqual([[users[0], 3]]);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
		});

		it('a restart after quiet polls (their state not saved) still completes the burst, once', async () => {
			const h = burstHarness();
			await h.activate();
			advance(2);
			fail(1, minutesAgo(1));
			expect((await h.poll()).items).toEqual([]);
			advance(2);
			fail(1, minutesAgo(1));
			expect((await h.poll()).items).toEqual([]);
			const saves = h.saves;
			advance(2);
			fail(1, minutesAgo(1));
			// n8n restarts: the two quiet polls were never saved
			const atRestart = await h.restart();
			expect(h.saves).toBeGreaterThanOrEqual(saves);
			expect(bursts(atRestart.items)).toEqual([[users[1], 3]]);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
			await h.restart();
			advance(1);
			expect((await h.poll()).items).toEqual([]);
			expect(h.history.flatMap((r) => r.items)).toHaveLength(1);
		});

		it('Window (Minutes) that is not a whole number from 1 to 1440 fails before any call', async () => {
			org.calls.reset();
			for (const windowMinutes of [0, 2.5, 1441, '15 minutes']) {
				const h = harness({ minFailures: 3, windowMinutes });
				await expect(h.activate()).rejects.toThrow(
					`"Window (Minutes)": "${windowMinutes}" is not a whole number from 1 to 1440`,
				);
			}
			expect(org.calls.log.filter((c) => c.counted)).toEqual([]);
		});
	});

	describe.each([
		['ahead of', 30],
		['behind', -30],
	])("n8n's clock %s the org's by more than the overlap", (_label, skew) => {
		it('emits every failure once, and nothing from before the activation', async () => {
			const old = fail(0, minutesAgo(2));
			skewN8n(skew);
			const h = harness();
			expect((await h.activate()).items).toEqual([]);
			advance(3);
			const a = fail(1, minutesAgo(0.5));
			expect(ids((await h.poll()).items)).toEqual([a.Id]);
			advance(5);
			const b = fail(2, minutesAgo(0.5));
			// written late: it happened 6 minutes ago, before the last poll
			const late = fail(0, minutesAgo(6));
			expect(ids((await h.poll()).items)).toEqual([late.Id, b.Id]);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
			expect(ids(h.history.flatMap((r) => r.items))).not.toContain(old.Id);
		});
	});

	it('costs one query a poll, plus one user-name query when there are new failures', async () => {
		const h = harness();
		org.calls.reset();
		await h.activate();
		// the activation reads the org once: its clock, and whether the user may read logins
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual(['query']);
		advance(1);
		org.calls.reset();
		await h.poll();
		const quiet = org.calls.log.filter((c) => c.counted);
		expect(quiet.map((c) => c.kind)).toEqual(['query']);

		advance(1);
		for (let i = 0; i < 50; i++) fail(i % 3, minutesAgo(0.5));
		org.calls.reset();
		const busy = await h.poll();
		expect(busy.items).toHaveLength(50);
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual(['query', 'query']);
	});

	it('Fetch Test Event returns the most recent failures and leaves the stored state alone', async () => {
		const h = harness();
		await h.activate();
		const saved = JSON.stringify(h.saved);
		const recent = fail(2, minutesAgo(0.1));
		const test = await h.fetchTestEvent();
		expect(test.error).toBeUndefined();
		expect(test.items.length).toBeGreaterThan(0);
		expect(test.items.length).toBeLessThanOrEqual(10);
		expect(test.items[0].id).toBe(recent.Id);
		expect(JSON.stringify(h.saved)).toBe(saved);
	});
});
