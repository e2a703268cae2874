/**
 * The "User" parameter as a resource locator: the From List search (what the editor's list
 * shows, page by page, through n8n-core's LoadOptionsContext) and each mode through the node,
 * plain strings from workflows built before the list included. Against the fake org; the
 * expected entries are computed from the org's store.
 */
import { FakeOrg } from '../fake-org';
import type { UserRecord } from '../fake-org';
import { to15 } from '../fake-org';
import { listSearch } from '../helpers/contexts';
import { addUsers, isFrozen, runWrite } from '../write/setup';
import { passwordCredential, read } from './setup';

let org: FakeOrg;

beforeAll(async () => {
	org = await FakeOrg.start();
});
afterAll(async () => await org.stop());

const search = async (filter?: string, paginationToken?: string) => {
	org.calls.reset();
	return await listSearch('searchUsers', {
		credentials: passwordCredential(org),
		parameters: { resource: 'user', operation: 'get' },
		filter,
		paginationToken,
	});
};

/** A list entry as the editor must show it: "Name (username)", inactive users marked. */
const entry = (u: UserRecord) => ({
	name: `${u.Name} (${u.Username})${u.IsActive ? '' : ' · inactive'}`,
	value: u.Id,
});
const byName = (a: UserRecord, b: UserRecord) =>
	a.Name === b.Name ? (a.Id < b.Id ? -1 : 1) : a.Name < b.Name ? -1 : 1;
const queryCalls = () => org.calls.count('query') + org.calls.count('queryMore');

describe('From List: searching users', () => {
	let jane: UserRecord;
	let obrien: UserRecord;
	let inactive: UserRecord;
	beforeAll(() => {
		jane = org.store.addUser({
			FirstName: 'Jane',
			LastName: 'Lookup',
			Username: 'jane.lookup@acme.example.com',
		});
		obrien = org.store.addUser({
			FirstName: 'Seán',
			LastName: "O'Brien",
			Username: 'sobrien@acme.example.com',
		});
		inactive = org.store.addUser({ FirstName: 'Ina', LastName: 'Lookup', IsActive: false });
	});

	it('by part of the name, any case: only the matching users, by name, in one query', async () => {
		const page = await search('LOOKUP');
		const expected = org.store.users
			.filter(
				(u) =>
					u.Name.toLowerCase().includes('lookup') || u.Username.toLowerCase().includes('lookup'),
			)
			.sort(byName);
		expect(expected.map((u) => u.Id)).toEqual(expect.arrayContaining([jane.Id, inactive.Id]));
		expect(page.results).toEqual(expected.map(entry));
		expect(page.results.find((r) => r.value === inactive.Id)?.name).toMatch(/ · inactive$/);
		expect(page.paginationToken).toBeUndefined();
		expect(queryCalls()).toBe(1);
	});

	it('by part of the username', async () => {
		const page = await search('sobrien@');
		expect(page.results).toEqual([entry(obrien)]);
	});

	it('a quote, % and _ in the search text are matched literally (escaped SOQL)', async () => {
		expect((await search("o'brien")).results).toEqual([entry(obrien)]);
		const soql = org.calls.soql()[0];
		expect(soql).toContain("LIKE '%o\\'brien%'");
		expect((await search('%')).results).toEqual([]);
		expect((await search('_')).results).toEqual(
			org.store.users
				.filter((u) => u.Name.includes('_') || u.Username.includes('_'))
				.sort(byName)
				.map(entry),
		);
		expect((await search("' OR Name LIKE '")).results).toEqual([]);
	});

	it('pages with Salesforce paging: 200 a page, one call a page, every user once', async () => {
		addUsers(org, 450);
		const all = [...org.store.users].sort(byName).map(entry);
		expect(all.length).toBeGreaterThan(400);
		const seen: unknown[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await search(undefined, token);
			expect(queryCalls()).toBe(1);
			expect(page.results.length).toBeLessThanOrEqual(200);
			seen.push(...page.results);
			token = page.paginationToken as string | undefined;
			pages++;
		} while (token);
		expect(pages).toBe(Math.ceil(all.length / 200));
		expect(seen).toEqual(all);
	});

	it('a page token that is not a Salesforce query locator is refused, no call made', async () => {
		await expect(search(undefined, '/services/data/v62.0/sobjects/User')).rejects.toThrow(
			'The list page to load is not a Salesforce query page',
		);
		expect(org.calls.count()).toBe(0);
	});
});

describe('each mode through the node', () => {
	const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

	it('Get user: From List, By ID (15 and 18 characters), By Username, and plain strings', async () => {
		const [u] = addUsers(org, 1);
		for (const userId of [
			rl('list', u.Id),
			rl('id', u.Id),
			rl('id', to15(u.Id)),
			rl('username', u.Username.toUpperCase()),
			u.Id,
			u.Username,
		]) {
			const run = await read(org, 'user', 'get', { userId });
			expect([userId, run.error?.message, run.json.map((j) => j.id)]).toEqual([
				userId,
				undefined,
				[u.Id],
			]);
		}
	});

	it("Get user: the default takes the input item's id", async () => {
		const [u] = addUsers(org, 1);
		const run = await read(org, 'user', 'get', {}, { input: [{ id: u.Id }] });
		expect(run.json.map((j) => j.id)).toEqual([u.Id]);
	});

	it('Get user: a malformed ID in By ID fails before any call, naming the item and the field', async () => {
		const run = await read(org, 'user', 'get', { userId: rl('id', '005000000000001ZZZ') });
		expect(run.error?.message).toMatch(/Item 0, "User": .*checksum/);
		expect(org.calls.count()).toBe(0);
	});

	it('Freeze user: By Username, From List and a plain username act on that user', async () => {
		const users = addUsers(org, 3);
		const refs = [rl('username', users[0].Username), rl('list', users[1].Id), users[2].Username];
		for (const [i, userId] of refs.entries()) {
			const run = await runWrite(org, 'freeze', [{}], { dryRun: false, parameters: { userId } });
			expect(run.json.map((j) => [j.id, j.result])).toEqual([[users[i].Id, 'changed']]);
		}
		expect(users.map((u) => isFrozen(org, u.Id))).toEqual([true, true, true]);
	});
});
