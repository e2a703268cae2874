/**
 * Get login history above the Bulk threshold: the users' names are read while the logins are
 * (reads/userNameReader.ts UserNameReader), in exactly the calls of reading them afterwards.
 * Threshold lowered, results pages of 2,000 rows (several `Sforce-Locator` pages a job).
 */
import type { IDataObject } from 'n8n-workflow';

import type { FakeOrg } from '../fake-org';
import { sfDateTime } from '../fake-org';
import { bulkAbove, read, startOrg } from './setup';

const DAY = 86_400_000;
let org: FakeOrg;

beforeAll(async () => {
	// More users than rows: the newest 2,000 logins (the first REST page) are of 1,500+ distinct
	// users, as in an org whose people each sign in now and then.
	org = await startOrg({ users: 20_000, loginHistory: 12_000 });
});
afterAll(async () => {
	await org.stop();
});
afterEach(() => {
	org.controls.bulk.reset();
});

// A fixed window, ending before the org is seeded: the REST and the Bulk read of one test run
// seconds apart and must see the same rows.
const allLogins = {
	returnAll: true,
	filters: {
		since: new Date(Date.now() - 170 * DAY).toISOString(),
		until: new Date().toISOString(),
	},
};

/** Reads above 1,000 rows through Bulk, results pages of 2,000 rows. */
const BULK = bulkAbove(1000);
function bulkReads(): void {
	org.controls.bulk.setPageSize({ records: 2000 });
}

/**
 * Every login from `start` over the `count` minutes after it, read over REST and then over Bulk:
 * REST returns `expected` items, and Bulk (no error) the very same. The Bulk read's result.
 */
async function restThenBulk(start: number, count: number, expected: number) {
	const window = {
		returnAll: true,
		filters: {
			since: new Date(start - 1000).toISOString(),
			until: new Date(start + count * 60_000).toISOString(),
		},
	};
	const rest = await read(org, 'loginHistory', 'getMany', window);
	expect(rest.json).toHaveLength(expected);
	bulkReads();
	const bulk = await read(org, 'loginHistory', 'getMany', window, { tuning: BULK });
	expect(bulk.error).toBeUndefined();
	expect(bulk.json).toEqual(rest.json);
	return bulk;
}

async function until(condition: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Results pages asked for, by the object of their job. */
function resultsCalls(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const call of org.calls.log) {
		if (call.kind !== 'bulkQueryResults') continue;
		const jobId = call.path.split('/jobs/query/')[1].split('/')[0];
		const object = org.controls.bulk.jobs.get(jobId)!.object;
		counts[object] = (counts[object] ?? 0) + 1;
	}
	return counts;
}

describe('Get login history through Bulk API 2.0: the names are read meanwhile', () => {
	it("starts the users' job while the logins' job runs, reads its pages first, same items and calls", async () => {
		const rest = await read(org, 'loginHistory', 'getMany', allLogins);
		expect(rest.error).toBeUndefined();
		const logins = rest.json.length;
		expect(logins).toBeGreaterThan(4000);
		const distinctUsers = new Set(rest.json.map((l) => l.userId)).size;
		expect(distinctUsers).toBeGreaterThan(1500);

		bulkReads();
		// no job completes until the test says so
		org.controls.bulk.setPollsBeforeComplete(1_000_000);
		const before = new Set(org.controls.bulk.jobs.keys());
		const newJobs = () => [...org.controls.bulk.jobs.values()].filter((j) => !before.has(j.id));
		const running = read(org, 'loginHistory', 'getMany', allLogins, { tuning: BULK });

		// The first REST page's users (its 2,000 logins) already cost more in IN lists than the
		// scan: the users' job is created while the logins' job is still running.
		await until(() => newJobs().length === 2, 'both jobs');
		const job = (object: string) => newJobs().find((j) => j.object === object)!;
		expect(job('LoginHistory').state).not.toBe('JobComplete');
		expect(job('User')).toBeDefined();

		// The users' job is done first: all its pages are read before any of the logins'.
		org.controls.bulk.finishJob(job('User').id);
		const userPages = Math.ceil(org.store.users.length / 2000);
		await until(() => resultsCalls().User === userPages, "the users' results pages");
		expect(resultsCalls().LoginHistory).toBeUndefined();
		org.controls.bulk.finishJob(job('LoginHistory').id);
		const bulk = await running;
		expect(bulk.error).toBeUndefined();
		expect(resultsCalls()).toEqual({ LoginHistory: Math.ceil(logins / 2000), User: userPages });

		// the same items, in the same order, names included
		expect(bulk.json).toEqual(rest.json);
		const named = bulk.json.filter((l: IDataObject) => l.username !== null);
		expect(named).toHaveLength(logins);
		// the calls of reading the names afterwards: 2 first REST pages (the logins', then the
		// users' count), 2 creates, the polls, the results pages; no IN list
		expect(org.calls.count('bulkQueryCreate')).toBe(2);
		expect(org.calls.soql().filter((q) => /FROM User WHERE Id IN/.test(q))).toHaveLength(0);
		expect(org.calls.count('query')).toBe(2);
		expect(org.calls.count('queryMore')).toBe(0);
		expect(org.calls.total()).toBe(
			2 + 2 + org.calls.count('bulkQueryInfo') + Math.ceil(logins / 2000) + userPages,
		);
	});

	it('few users: one IN list once the logins are in (more than one REST page of them), no count and no job for the names', async () => {
		const users = org.store.users.filter((u) => u.IsActive).slice(0, 30);
		const start = Date.now() - 400 * DAY;
		let n = 0;
		for (const user of users) {
			for (let k = 0; k < 80; k++)
				org.store.addLoginHistory({
					UserId: user.Id,
					LoginTime: sfDateTime(new Date(start + n++ * 60_000)),
				});
		}
		const bulk = await restThenBulk(start, n, 2400);
		expect(bulk.json.every((l) => l.username !== null)).toBe(true);
		expect(org.calls.count('bulkQueryCreate')).toBe(1);
		expect(org.calls.soql().filter((q) => /FROM User WHERE Id IN/.test(q))).toHaveLength(1);
		expect(org.calls.soql().filter((q) => q === 'SELECT Id, Username, Name FROM User')).toEqual([]);
	});

	it('more than 500 users of a large org: the count is asked for, the scan not read (IN lists cost less)', async () => {
		// 600 users with 4 logins each, in a window of their own: 2 IN lists beat create + poll + pages
		const users = org.store.users.filter((u) => u.IsActive).slice(0, 600);
		const start = Date.now() - 500 * DAY;
		let n = 0;
		for (let k = 0; k < 4; k++)
			for (const user of users)
				org.store.addLoginHistory({
					UserId: user.Id,
					LoginTime: sfDateTime(new Date(start + n++ * 60_000)),
				});
		await restThenBulk(start, n, 2400);
		expect(org.calls.count('bulkQueryCreate')).toBe(1);
		expect(org.calls.soql().filter((q) => /FROM User WHERE Id IN/.test(q))).toHaveLength(2);
		expect(
			org.calls.soql().filter((q) => q === 'SELECT Id, Username, Name FROM User'),
		).toHaveLength(1);
	});
});
