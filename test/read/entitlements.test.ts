/**
 * What users hold, read: Get licenses' package licenses, and Get users / Get user reporting
 * package licenses, permission set licenses and (Include Access) permission sets, permission set
 * groups, public groups and queues, with the "holds any of" filters. Every expected value is
 * computed from org.store (the fake org's entitlement seed); calls are counted per page.
 */
import type { FakeOrg, UserRecord } from '../fake-org';
import { to15 } from '../fake-org';
import { holdingsOf } from '../helpers/holdings';
import type { ReadRun } from './setup';
import { bulkAbove, iso, read, startOrg } from './setup';

let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({ users: 2600, loginHistory: 10, entitlements: true });
});
afterAll(async () => await org.stop());

const byText = (a: string, b: string) => a.localeCompare(b);
const hints = (run: ReadRun) =>
	(run.runData['Salesforce Admin']?.[0]?.hints ?? []).map((h) => h.message).join(' ');
/** The queries on an object (its own FROM, not a semi-join's). */
const queriesOf = (sobject: string) =>
	org.calls.soql().filter((q) => new RegExp(`^SELECT [^()]* FROM ${sobject}\\b`).test(q));

/** What a store user holds, as the items must report it. */
const holdings = (u: UserRecord) => holdingsOf(org.store, u.Id);

/** Rows of the org each kind's org-wide read returns. */
const orgRows: Record<string, () => number> = {
	UserPackageLicense: () => org.store.userPackageLicenses.length,
	PermissionSetLicenseAssign: () => org.store.permissionSetLicenseAssigns.length,
	PermissionSetAssignment: () =>
		org.store.permissionSetAssignments.filter(
			(a) => !org.store.permissionSets.find((p) => p.Id === a.PermissionSetId)!.IsOwnedByProfile,
		).length,
	GroupMember: () =>
		org.store.groupMembers.filter((m) =>
			['Regular', 'Queue'].includes(org.store.groups.find((g) => g.Id === m.GroupId)!.Type),
		).length,
};

/**
 * What a kind costs for a read of `users` users in pages of `pageSize`: one IN list per 500
 * users of each page; above 500 users the org-wide read is opened (one call) and read to the
 * end instead when its remaining pages are fewer than those IN lists. `soql`: the queries sent
 * (an org-wide read's further pages are queryMore calls, without SOQL).
 */
function holdingCost(sobject: string, users: number, pageSize = 2000) {
	let inLists = 0;
	for (let left = users; left > 0; left -= pageSize)
		inLists += Math.ceil(Math.min(left, pageSize) / 500);
	if (users <= 500) return { soql: inLists, calls: inLists, orgWide: false };
	const orgWide = Math.max(1, Math.ceil(orgRows[sobject]() / pageSize));
	return orgWide - 1 < Math.ceil(users / 500)
		? { soql: 1, calls: orgWide, orgWide: true }
		: { soql: 1 + inLists, calls: 1 + inLists, orgWide: false };
}
const ALWAYS = ['UserPackageLicense', 'PermissionSetLicenseAssign'];
const WITH_ACCESS = [...ALWAYS, 'PermissionSetAssignment', 'GroupMember'];

describe('Get licenses: package licenses', () => {
	const expectedPackages = () => {
		const used = org.store.usedPackageLicenseCounts();
		return org.store.packageLicenses
			.map((p) => {
				const total = p.AllowedLicenses < 0 ? null : p.AllowedLicenses;
				const n = used.get(p.Id) ?? 0;
				return {
					type: 'package',
					name: p.NamespacePrefix,
					key: p.Id,
					status: p.Status,
					total,
					used: n,
					available: total === null ? null : total - n,
					expirationDate: iso(p.ExpirationDate),
				};
			})
			.sort((a, b) => byText(a.name, b.name));
	};

	it('type package: every PackageLicense with its seats, a site license (-1) with total null, one query', async () => {
		const run = await read(org, 'license', 'getMany', {
			returnAll: true,
			filters: { types: ['package'] },
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual(expectedPackages());
		const site = run.json.find((l) => l.name === 'et4ae5');
		expect(site).toMatchObject({ status: 'Free', total: null, available: null });
		expect(run.json.find((l) => l.name === 'SBQQ')?.used).toBeGreaterThan(0);
		expect(org.calls.soql()).toEqual([
			expect.stringMatching(/^SELECT .*AllowedLicenses.* FROM PackageLicense/),
		]);
	});

	it('all types by default include package licenses', async () => {
		const run = await read(org, 'license', 'getMany', { returnAll: true });
		expect(run.json.filter((l) => l.type === 'package')).toEqual(expectedPackages());
		expect(new Set(run.json.map((l) => l.type))).toEqual(
			new Set(['user', 'permissionSet', 'package', 'feature']),
		);
	});

	it('a user who may not see PackageLicense gets the other licenses and a notice, not a failure', async () => {
		org.controls.hideObjects('PackageLicense');
		try {
			const all = await read(org, 'license', 'getMany', { returnAll: true });
			expect(all.error).toBeUndefined();
			expect(all.json.some((l) => l.type === 'package')).toBe(false);
			expect(all.json.some((l) => l.type === 'user')).toBe(true);
			expect(hints(all)).toMatch(/Package licenses are left out: .*PackageLicense/);

			const only = await read(org, 'license', 'getMany', {
				returnAll: true,
				filters: { types: ['package'] },
			});
			expect(only.error).toBeUndefined();
			expect(only.json).toEqual([]);
			expect(hints(only)).toMatch(/PackageLicense/);
		} finally {
			org.controls.showAllObjects();
		}
	});
});

describe('Get users: what each user holds', () => {
	const everyone = { status: 'all', includeExternal: true };

	it('always package and permission set licenses; a fixed few queries per 2,000 users, never one per user', async () => {
		const run = await read(org, 'user', 'getMany', { returnAll: true, filters: everyone });
		expect(run.error).toBeUndefined();
		const users = org.store.users;
		expect(run.json).toHaveLength(users.length);
		const byId = new Map(run.json.map((u) => [u.id, u]));
		for (const u of users) {
			const { packageLicenses, permissionSetLicenses } = holdings(u);
			expect(byId.get(u.Id)).toMatchObject({ packageLicenses, permissionSetLicenses });
			expect(byId.get(u.Id)).not.toHaveProperty('permissionSets');
		}
		// the seed gives inactive users seats too: the data to reclaim exists
		expect(run.json.some((u) => !u.isActive && (u.packageLicenses as string[]).length)).toBe(true);
		expect(run.json.filter((u) => (u.packageLicenses as string[]).includes('SBQQ')).length).toBe(
			org.store.userPackageLicenses.filter(
				(a) => a.PackageLicenseId === org.store.packageLicenseByNamespace('SBQQ')!.Id,
			).length,
		);

		const pages = Math.ceil(users.length / 2000);
		// a few thousand seats: each kind's org-wide read is one call, fewer than IN lists
		for (const sobject of ALWAYS) {
			expect(holdingCost(sobject, users.length)).toEqual({ soql: 1, calls: 1, orgWide: true });
			expect(queriesOf(sobject)).toHaveLength(1);
		}
		// user pages + frozen state + two kinds of holdings
		expect(org.calls.count('query') + org.calls.count('queryMore')).toBe(pages + 1 + 2);
		expect(queriesOf('PermissionSetAssignment')).toEqual([]);
		expect(queriesOf('GroupMember')).toEqual([]);
	});

	it('Include Access adds permission sets and groups (never profile-owned), public groups and queues', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: everyone,
			options: { includeAccess: true },
		});
		expect(run.error).toBeUndefined();
		const byId = new Map(run.json.map((u) => [u.id, u]));
		for (const u of org.store.users) expect(byId.get(u.Id)).toMatchObject(holdings(u));
		for (const field of ['permissionSets', 'permissionSetGroups', 'groups', 'queues'])
			expect(run.json.some((u) => (u[field] as string[]).length > 0)).toBe(true);
		// every user has its profile's permission set assignment; none is reported
		const profileNames = new Set(org.store.profiles.map((p) => p.Name));
		expect(
			run.json.some((u) => (u.permissionSets as string[]).some((n) => profileNames.has(n))),
		).toBe(false);
		for (const sobject of WITH_ACCESS)
			expect(queriesOf(sobject)).toHaveLength(holdingCost(sobject, org.store.users.length).soql);
	});

	it('per kind the cheaper way: IN lists of 500 users where the org-wide read has more pages', async () => {
		// two public groups everyone is in: the org's group memberships now take more pages than
		// IN lists of the ~600 users read
		const added = [1, 2].map((n) => {
			const group = org.store.addGroup({ DeveloperName: `Everyone_${n}` });
			return org.store.users.map((u) => org.store.addGroupMember(group.Id, u.Id));
		});
		const profiles = ['Standard Platform User', 'Marketing User'];
		try {
			const run = await read(org, 'user', 'getMany', {
				returnAll: true,
				filters: { ...everyone, profileNames: profiles },
				options: { includeAccess: true },
			});
			expect(run.error).toBeUndefined();
			const expected = org.store.users.filter((u) =>
				profiles.includes(org.store.profiles.find((p) => p.Id === u.ProfileId)!.Name),
			);
			expect(expected.length).toBeGreaterThan(500);
			expect(expected.length).toBeLessThanOrEqual(1000);
			const byId = new Map(run.json.map((u) => [u.id, u]));
			expect(byId.size).toBe(expected.length);
			for (const u of expected) expect(byId.get(u.Id)).toMatchObject(holdings(u));
			const cost = Object.fromEntries(WITH_ACCESS.map((o) => [o, holdingCost(o, expected.length)]));
			expect(cost.GroupMember).toEqual({ soql: 3, calls: 3, orgWide: false });
			expect(cost.UserPackageLicense.orgWide).toBe(true);
			for (const sobject of WITH_ACCESS)
				expect(queriesOf(sobject)).toHaveLength(cost[sobject].soql);
			// the profile name check, one page of users, the org's frozen users, the holdings
			expect(org.calls.count('query') + org.calls.count('queryMore')).toBe(
				3 + Object.values(cost).reduce((sum, c) => sum + c.calls, 0),
			);
		} finally {
			for (const m of added.flat()) org.store.remove('GroupMember', m.Id);
			for (const name of ['Everyone_1', 'Everyone_2'])
				org.store.remove('Group', org.store.groupByDeveloperName(name)!.Id);
		}
	});

	it('Include Access must be a boolean: text from an expression fails the item before any call', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			options: { includeAccess: 'true' },
		});
		expect(run.error?.message).toMatch(/Item 0, "Options > Include Access": must be true or false/);
		expect(org.calls.count()).toBe(0);
	});

	it('an object the connected user may not read: its field is null on every item, a notice, one refused query', async () => {
		org.controls.hideObjects('UserPackageLicense');
		try {
			const run = await read(org, 'user', 'getMany', { returnAll: true, filters: everyone });
			expect(run.error).toBeUndefined();
			expect(run.json.every((u) => u.packageLicenses === null)).toBe(true);
			expect(run.json.some((u) => (u.permissionSetLicenses as string[]).length > 0)).toBe(true);
			expect(hints(run)).toMatch(/read UserPackageLicense: the fields they fill are null/);
			expect(queriesOf('UserPackageLicense')).toHaveLength(1);
			expect(queriesOf('PermissionSetLicenseAssign')).toHaveLength(1);
		} finally {
			org.controls.showAllObjects();
		}
	});
});

describe('Get users: the package license and permission set license filters', () => {
	const everyone = { status: 'all', includeExternal: true };
	const holdersOf = (field: 'packageLicenses' | 'permissionSetLicenses', names: string[]) =>
		org.store.users
			.filter((u) => holdings(u)[field].some((n) => names.includes(n)))
			.map((u) => u.Id)
			.sort();
	const ids = (run: ReadRun) => run.json.map((u) => String(u.id)).sort();

	it('package licenses: users holding any of them (a semi-join: no call of its own but the name check)', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { ...everyone, packageLicenses: ['SBQQ', 'dfsle'] },
		});
		expect(run.error).toBeUndefined();
		const expected = holdersOf('packageLicenses', ['SBQQ', 'dfsle']);
		expect(expected.length).toBeGreaterThan(100);
		expect(ids(run)).toEqual(expected);
		const userQuery = org.calls.soql().find((q) => / FROM User /.test(q))!;
		expect(userQuery).toContain(
			"Id IN (SELECT UserId FROM UserPackageLicense WHERE PackageLicense.NamespacePrefix IN ('SBQQ','dfsle'))",
		);
		expect(queriesOf('PackageLicense')).toHaveLength(1);
	});

	it('permission set licenses by label or API name, any case; both filters together: users holding both', async () => {
		const cpq = org.store.permissionSetLicenses.find(
			(l) => l.DeveloperName === 'SalesforceCPQ_CPQStandardPerm',
		)!;
		const byLabel = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { ...everyone, permissionSetLicenses: [cpq.MasterLabel.toUpperCase()] },
		});
		const byApiName = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { ...everyone, permissionSetLicenses: cpq.DeveloperName },
		});
		const expected = holdersOf('permissionSetLicenses', [cpq.MasterLabel]);
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(byLabel)).toEqual(expected);
		expect(ids(byApiName)).toEqual(expected);

		const both = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: {
				...everyone,
				permissionSetLicenses: [cpq.DeveloperName],
				packageLicenses: ['dfsle'],
			},
		});
		const docusign = new Set(holdersOf('packageLicenses', ['dfsle']));
		expect(ids(both)).toEqual(expected.filter((id) => docusign.has(id)));
	});

	it('the same users and holdings through Bulk API 2.0 (pages of 400 rows): the semi-join filter works there too', async () => {
		const parameters = {
			returnAll: true,
			filters: { ...everyone, packageLicenses: ['SBQQ'] },
			options: { includeAccess: true },
		};
		const rest = await read(org, 'user', 'getMany', parameters);
		org.controls.bulk.setPageSize({ records: 400 });
		org.controls.setBatchSize(50); // the first REST page is not the whole answer: Bulk
		try {
			const bulk = await read(org, 'user', 'getMany', parameters, { tuning: bulkAbove(3) });
			expect(org.calls.count('bulkQueryCreate')).toBe(1);
			expect(bulk.json).toEqual(rest.json);
			expect(rest.json.length).toBeGreaterThan(0);
		} finally {
			org.controls.bulk.reset();
			org.controls.setBatchSize(2000);
		}
	});

	it('an unknown name fails the item after one check query, before any user is read', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { packageLicenses: ['SBQQ', 'nope_ns'] },
		});
		expect(run.error?.message).toMatch(
			/Item 0, "Filters > Package License Names or IDs": the org has no package license named "nope_ns"/,
		);
		expect(org.calls.soql().some((q) => / FROM User /.test(q))).toBe(false);
	});

	it.each([
		['packageLicenses', 'Package License Names or IDs'],
		['permissionSetLicenses', 'Permission Set License Names or IDs'],
	])(
		'%s that an expression empties (missing field, "", []) fails the item naming the field, before any call',
		async (key, label) => {
			for (const value of ['={{ $json.missing }}', '={{ "" }}', '={{ [] }}', '={{ null }}']) {
				const run = await read(
					org,
					'user',
					'getMany',
					{ returnAll: true, filters: { [key]: value } },
					{ input: [{}], continueOnFail: true },
				);
				expect(run.json).toEqual([
					{ error: expect.stringContaining(`Item 0, "Filters > ${label}":`) },
				]);
				expect(org.calls.count()).toBe(0);
			}
		},
	);
});

describe('Get user: what the user holds', () => {
	it('per item, with or without Include Access, in one batch of queries per kind', async () => {
		const holders = org.store.users
			.filter((u) => holdings(u).packageLicenses.length > 0)
			.slice(0, 6);
		const input = holders.map((u, i) => ({ ref: i % 2 ? to15(u.Id) : u.Username, access: i < 3 }));
		const run = await read(
			org,
			'user',
			'get',
			{ userId: '={{ $json.ref }}', options: { includeAccess: '={{ $json.access }}' } },
			{ input },
		);
		expect(run.error).toBeUndefined();
		run.json.forEach((item, i) => {
			const all = holdings(holders[i]);
			if (i < 3) expect(item).toMatchObject(all);
			else {
				expect(item).toMatchObject({
					packageLicenses: all.packageLicenses,
					permissionSetLicenses: all.permissionSetLicenses,
				});
				expect(item).not.toHaveProperty('groups');
			}
		});
		// package and permission set licenses for each group of items, the rest once
		expect(queriesOf('UserPackageLicense')).toHaveLength(2);
		expect(queriesOf('PermissionSetLicenseAssign')).toHaveLength(2);
		expect(queriesOf('PermissionSetAssignment')).toHaveLength(1);
		expect(queriesOf('GroupMember')).toHaveLength(1);
	});
});
