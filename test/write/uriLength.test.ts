/**
 * Salesforce refuses a request whose URI plus headers exceed 16,384 bytes (431/414; Salesforce
 * Help 000386264), and so does the fake org. The look-ups send IDs and usernames in GET query
 * strings, so the largest batches a write run sends are checked here.
 */
import { FakeOrg } from '../fake-org';
import { chunkForInList } from '../../nodes/SalesforceAdmin/salesforce/userLookup';
import { addUsers, runWrite } from './setup';

/** Leaves room for the request line and headers (Authorization, Sforce-Query-Options...). */
const URI_BUDGET = 16_384 - 1_500;

let org: FakeOrg;
beforeEach(async () => {
	org = await FakeOrg.start();
});
afterEach(async () => {
	await org.stop();
});

/** The longest request URI of the last run, rebuilt as the transport sends it (path + encoded SOQL). */
const longestGet = () =>
	Math.max(
		...org.calls.log
			.filter((c) => c.soql !== undefined)
			.map((c) => `${c.path}?q=${encodeURIComponent(c.soql!)}`.length),
	);

it("1,000 IDs: two look-ups of 500, each within Salesforce's URI limit", async () => {
	const users = addUsers(org, 1000);
	const run = await runWrite(
		org,
		'freeze',
		users.map((u) => ({ id: u.Id })),
		{ dryRun: 'default', nodeOptions: { dryRun: true, maxUsers: 1000 } },
	);
	expect(run.error).toBeUndefined();
	expect(org.calls.soql().filter((q) => q.includes('FROM User WHERE Id IN'))).toHaveLength(2);
	expect(longestGet()).toBeLessThan(URI_BUDGET);
});

it('500 long usernames are split into look-ups that fit the URI limit', async () => {
	const users = Array.from({ length: 500 }, (_, i) =>
		org.store.addUser({ Username: `firstname.lastname${i}@subsidiary.example-company.com` }),
	);
	const run = await runWrite(
		org,
		'freeze',
		users.map((u) => ({ id: u.Username })),
		{ dryRun: 'default', nodeOptions: { dryRun: true, maxUsers: 1000 } },
	);
	expect(run.error).toBeUndefined();
	expect(run.json.every((j) => j.result === 'dryRun')).toBe(true);
	// ~57 encoded characters each: about 210 usernames per query
	expect(org.calls.soql().filter((q) => q.includes('FROM User WHERE Username IN'))).toHaveLength(3);
	expect(longestGet()).toBeLessThan(URI_BUDGET);
});

it('chunkForInList caps both the count and the encoded length', () => {
	expect(chunkForInList(['a', 'b', 'c'], 2, 1000)).toEqual([['a', 'b'], ['c']]);
	const long = 'x'.repeat(40);
	expect(chunkForInList([long, long, long], 10, 100).map((g) => g.length)).toEqual([2, 1]);
	expect(chunkForInList(['x'.repeat(500)], 10, 100)).toEqual([['x'.repeat(500)]]); // never an empty group
});
