/**
 * Get license recommendations against the fake org: package seats priced by namespace prefix in
 * what a deactivation frees, orphaned seats (inactive users still holding package or permission
 * set licenses) as their own items, package licenses in the summary, and a call count that does
 * not grow with the number of orphaned seats.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FakeOrg, UserRecord } from '../fake-org';
import { sfDateTime } from '../fake-org';
import type { ReadRun } from './setup';
import { read, startOrg } from './setup';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const PRICES = {
	price: [
		{ license: 'Salesforce', monthlyPrice: 150 },
		{ license: 'SBQQ', monthlyPrice: 100 },
		{ license: 'Salesforce CPQ License', monthlyPrice: 75 },
	],
};

let org: FakeOrg;
const u: Record<string, UserRecord> = {};

function addUser(key: string, input: Parameters<FakeOrg['store']['addUser']>[0]): UserRecord {
	u[key] = org.store.addUser({
		Username: `${key.toLowerCase()}@acme.example.com`,
		CreatedDate: ago(400),
		...input,
	});
	return u[key];
}
const pkg = (ns: string) => org.store.packageLicenseByNamespace(ns)!.Id;
const cpqPsl = () =>
	org.store.permissionSetLicenses.find((l) => l.MasterLabel === 'Salesforce CPQ License')!.Id;

beforeAll(async () => {
	org = await startOrg({ users: 0 });
	org.store.addLoginHistory({
		UserId: org.store.userByUsername(org.admin.username)!.Id,
		LoginTime: sfDateTime(ago(0)),
	});
	const frozenLong = addUser('FrozenLong', { LastLoginDate: ago(200) });
	const login = org.store.userLoginFor(frozenLong.Id)!;
	login.IsFrozen = true;
	login.LastModifiedDate = sfDateTime(ago(45));
	org.store.assignPackageLicense(frozenLong.Id, pkg('SBQQ'));
	org.store.assignPermissionSetLicense(frozenLong.Id, cpqPsl());

	org.store.assignPackageLicense(addUser('OrphanPkg', { IsActive: false }).Id, pkg('SBQQ'));
	org.store.assignPermissionSetLicense(addUser('OrphanPsl', { IsActive: false }).Id, cpqPsl());
	const both = addUser('OrphanBoth', { IsActive: false, LastLoginDate: ago(70) });
	org.store.assignPackageLicense(both.Id, pkg('dfsle'));
	org.store.assignPermissionSetLicense(both.Id, cpqPsl());
	const admin = addUser('OrphanAdmin', { IsActive: false, profile: 'System Administrator' });
	org.store.assignPackageLicense(admin.Id, pkg('SBQQ'));
	const external = addUser('OrphanExternal', {
		IsActive: false,
		profile: 'Customer Community User',
	});
	org.store.assignPackageLicense(external.Id, pkg('SBQQ'));
	addUser('InactiveBare', { IsActive: false });
});
afterAll(async () => await org.stop());

const run = async (extra: IDataObject = {}) =>
	await read(org, 'license', 'getRecommendations', { prices: PRICES, ...extra });
const byKey = (r: ReadRun) =>
	Object.fromEntries(r.json.map((j) => [String(j.username).split('@')[0], j]));
const hints = (r: ReadRun) =>
	(r.runData['Salesforce Admin']?.[0]?.hints ?? []).map((h) => h.message).join(' ');

describe('orphaned seats and package licenses in the recommendations', () => {
	it('one item per inactive user still holding seats, the recommendation naming the write, the savings', async () => {
		const result = await run();
		expect(result.error).toBeUndefined();
		const items = byKey(result);
		const orphans = Object.fromEntries(
			Object.entries(items)
				.filter(([, j]) => j.isActive === false)
				.map(([k, j]) => [k, [j.recommendation, j.monthlySavings, j.unpricedLicenses]]),
		);
		expect(orphans).toEqual({
			orphanpkg: ['removePackageLicenses', 100, []],
			orphanpsl: ['removePermissionSetLicenses', 75, []],
			orphanboth: ['removePackageLicenses', 75, ['dfsle']],
			orphanadmin: ['keep', 0, []],
		});
		expect(items.orphanboth).toMatchObject({
			id: u.OrphanBoth.Id,
			isActive: false,
			isFrozen: false,
			license: 'Salesforce',
			packageLicenses: ['dfsle'],
			permissionSetLicenses: ['Salesforce CPQ License'],
			currency: 'USD',
			evidence: {
				isActive: false,
				packageLicenses: ['dfsle'],
				permissionSetLicenses: ['Salesforce CPQ License'],
			},
		});
		expect(items.orphanboth.reason).toMatch(/then Remove permission set licenses/);
		expect(items.orphanadmin.reason).toMatch(/System Administrator/);
		// external users only when asked for; an inactive user holding nothing is no item
		expect(items.orphanexternal).toBeUndefined();
		expect(items.inactivebare).toBeUndefined();

		// a deactivation frees the package seat too, priced by namespace prefix
		expect(items.frozenlong).toMatchObject({
			recommendation: 'deactivate',
			monthlySavings: 150 + 100 + 75,
			packageLicenses: ['SBQQ'],
			evidence: { packageLicenses: ['SBQQ'] },
		});
		expect(items.admin.packageLicenses).toEqual([]);

		const external = byKey(await run({ options: { includeExternal: true } }));
		expect(external.orphanexternal).toMatchObject({ recommendation: 'removePackageLicenses' });
	});

	it('the summary lists package licenses with their reclaimable seats; the total counts orphaned seats', async () => {
		const result = await run({ output: 'summary' });
		expect(result.error).toBeUndefined();
		const byLicense = Object.fromEntries(result.json.map((j) => [`${j.type}:${j.license}`, j]));
		const sbqq = org.store.packageLicenseByNamespace('SBQQ')!;
		expect(byLicense['package:SBQQ']).toMatchObject({
			total: sbqq.AllowedLicenses,
			used: org.store.userPackageLicenses.filter((r) => r.PackageLicenseId === sbqq.Id).length,
			reclaimable: 2, // FrozenLong's deactivation and OrphanPkg (not the admin)
			monthlySavings: 200,
			priced: true,
		});
		expect(byLicense['package:dfsle']).toMatchObject({ reclaimable: 1, priced: false });
		expect(byLicense['package:et4ae5']).toMatchObject({ total: null, reclaimable: 0 });
		expect(byLicense['permissionSet:Salesforce CPQ License']).toMatchObject({
			reclaimable: 3,
			monthlySavings: 225,
		});
		expect(result.json.at(-1)).toMatchObject({
			type: 'total',
			recommendations: { deactivate: 1, removePackageLicenses: 2, removePermissionSetLicenses: 1 },
			orphanedSeats: 5,
			monthlySavings: 150 + 200 + 225,
			unpricedLicenses: ['dfsle'],
		});
	});

	it('the calls stay bounded: the few inactive holders by ID, many by one semi-join per kind', async () => {
		const orphanReads = () =>
			org.calls.soql().filter((q) => / FROM User WHERE \(IsActive = false\)/.test(q));
		await run();
		const before = org.calls.total();
		// the holders outside the active users in scope, looked up together
		expect(orphanReads()).toEqual([expect.stringMatching(/ AND Id IN \('005/)]);

		const added = Array.from({ length: 1100 }, (_, i) => {
			const user = org.store.addUser({ Username: `more${i}@acme.example.com`, IsActive: false });
			org.store.assignPackageLicense(user.Id, pkg('et4ae5'));
			org.store.assignPermissionSetLicense(user.Id, cpqPsl());
			return user;
		});
		try {
			const again = await run();
			expect(again.json.filter((j) => String(j.username).startsWith('more'))).toHaveLength(1100);
			// more than 1,000 to look up: one semi-join query per kind instead, one page each here
			expect(orphanReads()).toEqual([
				expect.stringMatching(/ AND Id IN \(SELECT UserId FROM UserPackageLicense\) ORDER BY/),
				expect.stringMatching(
					/ AND Id IN \(SELECT AssigneeId FROM PermissionSetLicenseAssign\) ORDER BY/,
				),
			]);
			expect(org.calls.total()).toBe(before + 1);
		} finally {
			for (const user of added) {
				for (const row of org.store.userPackageLicenses.filter((r) => r.UserId === user.Id))
					org.store.remove('UserPackageLicense', row.Id);
				for (const row of org.store.permissionSetLicenseAssigns.filter(
					(r) => r.AssigneeId === user.Id,
				))
					org.store.remove('PermissionSetLicenseAssign', row.Id);
			}
		}
	});

	it('a credential that may not read UserPackageLicense: permission set licenses still, a notice, packageLicenses null', async () => {
		org.controls.hideObjects('UserPackageLicense');
		try {
			const result = await run();
			expect(result.error).toBeUndefined();
			const items = byKey(result);
			expect(hints(result)).toMatch(/Package seats are left out: .*UserPackageLicense/);
			expect(items.orphanpkg).toBeUndefined();
			expect(items.orphanboth).toMatchObject({
				recommendation: 'removePermissionSetLicenses',
				packageLicenses: null,
			});
			expect(items.frozenlong.monthlySavings).toBe(150 + 75);
		} finally {
			org.controls.showAllObjects();
		}
	});
});
