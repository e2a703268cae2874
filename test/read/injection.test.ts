/**
 * Every text filter gets injection strings (quotes, backslashes, `' OR Name != '`): the fake
 * org must receive them as literals — matching nothing, or exactly the record whose name holds
 * that text — and the SOQL it logged must carry the escaped literal.
 */
import type { FakeOrg } from '../fake-org';
import { read, startOrg } from './setup';

const ATTACKS = [
	"x' OR Name != '",
	"\\' OR Name != '",
	'x\\',
	'a\'b"c',
	"' OR IsActive = true OR Name = '",
];
/** How SOQL must spell `value` inside a string literal. */
const escaped = (value: string) =>
	value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"');

let org: FakeOrg;
const TRICKY = `Acme's "Gold" \\ Seats`;

beforeAll(async () => {
	org = await startOrg({ users: 200, loginHistory: 50, eventLogFiles: { days: 1 } });
	// records whose names really contain quotes and backslashes: a literal match must find them
	const license = org.store.addUserLicense({
		Name: TRICKY,
		MasterLabel: TRICKY,
		LicenseDefinitionKey: 'ACME',
		TotalLicenses: 5,
		Status: 'Active',
	});
	org.store.addProfile({ Name: TRICKY, license: license.Name, UserType: 'Standard' });
	org.store.addUser({
		profile: TRICKY,
		Username: "o'brien\\1@acme.example.com",
		LastName: "O'Brien",
	});
});
afterAll(async () => await org.stop());

describe('user values reach SOQL as escaped literals', () => {
	it.each([...ATTACKS, "x'OR(Name!='')OR'", "'OR'a'='a"])('usernames: %s', async (attack) => {
		const username = `${attack}@acme.example.com`;
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { usernames: `=${username}`, status: 'all', includeExternal: true },
		});
		if (/\s/.test(attack)) {
			// a username never holds spaces: refused before any call
			expect(run.error?.message).toMatch(/Item 0, "Filters > Usernames"/);
			expect(org.calls.count()).toBe(0);
			return;
		}
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([]);
		expect(org.calls.soql()[0]).toContain(`Username IN ('${escaped(username.toLowerCase())}')`);
	});

	it('usernames: a real username with a quote and a backslash matches exactly that user', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { usernames: "o'brien\\1@acme.example.com" },
		});
		expect(run.json.map((u) => u.username)).toEqual(["o'brien\\1@acme.example.com"]);
	});

	it.each([
		['licenseNames', 'UserLicense'],
		['profileNames', 'Profile'],
	])('%s: injection strings are unknown names, checked as literals', async (filter, sobject) => {
		for (const attack of ATTACKS) {
			const run = await read(org, 'user', 'getMany', {
				returnAll: true,
				filters: { [filter]: `={{ ${JSON.stringify([attack])} }}` },
			});
			expect(run.error?.message).toMatch(/Item 0, .*the org has no/);
			const [check] = org.calls.soql();
			expect(check).toBe(`SELECT Name FROM ${sobject} WHERE Name IN ('${escaped(attack)}')`);
			expect(org.calls.soql()).toHaveLength(1); // the users were never queried
		}
	});

	it.each(['licenseNames', 'profileNames'])(
		'%s: a real name with quotes and a backslash matches exactly its users',
		async (filter) => {
			const run = await read(org, 'user', 'getMany', {
				returnAll: true,
				filters: { [filter]: [TRICKY] },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.map((u) => u.username)).toEqual(["o'brien\\1@acme.example.com"]);
			expect(org.calls.soql().join('\n')).toContain(`IN ('${escaped(TRICKY)}')`);
		},
	);

	it.each(ATTACKS)(
		'userIds (login history): %s fails validation before any call',
		async (attack) => {
			const run = await read(org, 'loginHistory', 'getMany', {
				returnAll: true,
				filters: { userIds: `=${attack}` },
			});
			expect(run.error?.message).toMatch(/Item 0, "Filters > User IDs"/);
			expect(org.calls.count()).toBe(0);
		},
	);

	it.each(ATTACKS)('eventTypes: %s', async (attack) => {
		for (const operation of ['getMany', 'getEvents']) {
			const run = await read(org, 'eventLog', operation, {
				returnAll: true,
				filters: { eventTypes: `={{ ${JSON.stringify([attack])} }}` },
			});
			expect(run.error).toBeUndefined();
			expect(run.json).toEqual([]);
			expect(org.calls.soql()[0]).toContain(`EventType IN ('${escaped(attack)}')`);
		}
	});

	it('the same filters without an attack do return records (the tests above are not vacuous)', async () => {
		const files = await read(org, 'eventLog', 'getMany', {
			returnAll: true,
			filters: { eventTypes: ['Login'] },
		});
		expect(files.json.length).toBeGreaterThan(0);
		const user = org.store.users.find((u) => u.IsActive && u.UserType === 'Standard')!;
		const users = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { usernames: user.Username },
		});
		expect(users.json.map((u) => u.id)).toEqual([user.Id]);
	});
});
