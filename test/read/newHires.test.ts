/**
 * "Not logged in for N days" and new hires, through n8n-core against the fake org: a user who
 * never logged in counts from the day the account was created, so a new hire is never picked
 * (and so never frozen by a nightly reclaim workflow).
 */
import type { FakeOrg } from '../fake-org';
import { read, startOrg } from './setup';

const DAY = 86_400_000;
let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({ users: 0 });
});
afterAll(async () => await org.stop());

it('picks idle and long-ago-created never-logged-in users, never new hires', async () => {
	const now = Date.now();
	const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
	const add = (Username: string, created: number, lastLogin: number | null) =>
		org.store.addUser({
			Username,
			CreatedDate: at(created),
			LastLoginDate: lastLogin === null ? null : at(lastLogin),
		});
	add('hired.today@acme.example.com', 0, null);
	add('hired.last.month@acme.example.com', 30, null);
	add('hired.89.days.ago@acme.example.com', 89, null);
	add('created.91.days.ago@acme.example.com', 91, null);
	add('created.years.ago@acme.example.com', 900, null);
	add('idle@acme.example.com', 400, 120);
	add('recent@acme.example.com', 400, 3);
	add('new.and.active@acme.example.com', 1, 0);

	const run = await read(org, 'user', 'getMany', {
		returnAll: true,
		filters: { notLoggedInForDays: 90, status: 'all' },
	});

	expect(run.error).toBeUndefined();
	expect(run.json.map((u) => [u.username, u.daysSinceLastLogin]).sort()).toEqual([
		['created.91.days.ago@acme.example.com', null],
		['created.years.ago@acme.example.com', null],
		['idle@acme.example.com', 120],
	]);
	// 0 days: everyone who never logged in counts from creation, so only users created before now
	const zero = await read(org, 'user', 'getMany', {
		returnAll: true,
		filters: { notLoggedInForDays: 0, status: 'all' },
	});
	expect(zero.json.map((u) => u.username)).toContain('hired.last.month@acme.example.com');
});
