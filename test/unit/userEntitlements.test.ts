import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { DateTime } from 'luxon';

import {
	keepLicense,
	mapPackageLicense,
	parseLicenseTypes,
} from '../../nodes/SalesforceAdmin/salesforce/licenses';
import {
	cheaperToReadOrgWide,
	GROUPS_READ,
	HeldNames,
	heldReads,
	knownPermissionSetLicensesQuery,
	PACKAGE_LICENSES_READ,
	packageLicenseHolderCondition,
	PERMISSION_SETS_READ,
	permissionSetLicenseHolderCondition,
} from '../../nodes/SalesforceAdmin/salesforce/userEntitlements';
import { parseUserFilters } from '../../nodes/SalesforceAdmin/salesforce/userFilters';
import { buildUsersQuery } from '../../nodes/SalesforceAdmin/salesforce/userQuery';

const USER_15 = '00530000003xqAb';
const USER_18 = '00530000003xqAbAAI';

describe('package licenses (Get licenses)', () => {
	it('maps a PackageLicense; -1 seats (a site license) has no total and nothing available', () => {
		expect(
			mapPackageLicense({
				Id: '05030000000abcd',
				NamespacePrefix: 'SBQQ',
				Status: 'Active',
				AllowedLicenses: 50,
				UsedLicenses: 12,
				ExpirationDate: '2027-06-30T00:00:00.000+0000',
			}),
		).toEqual({
			type: 'package',
			name: 'SBQQ',
			key: expect.stringMatching(/^05030000000abcd[A-Z0-5]{3}$/),
			status: 'Active',
			total: 50,
			used: 12,
			available: 38,
			expirationDate: '2027-06-30T00:00:00.000Z',
		});
		expect(
			mapPackageLicense({ NamespacePrefix: 'et4ae5', AllowedLicenses: -1, UsedLicenses: 7 }),
		).toMatchObject({ total: null, used: 7, available: null, expirationDate: null });
	});

	it('the types filter knows package and the default includes it; packages are never "external"', () => {
		expect(parseLicenseTypes(['package'])).toEqual({ ok: true, value: ['package'] });
		expect(parseLicenseTypes(undefined)).toEqual({
			ok: true,
			value: ['user', 'permissionSet', 'package', 'feature'],
		});
		const guest = mapPackageLicense({ NamespacePrefix: 'Guest User License', AllowedLicenses: 1 });
		expect(keepLicense(guest, false)).toBe(true);
	});
});

describe('what users hold: SOQL', () => {
	it('one query per batch of user IDs, every value escaped', () => {
		expect(PACKAGE_LICENSES_READ.soql(['005A', "005'B"])).toBe(
			"SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense WHERE UserId IN ('005A','005\\'B')",
		);
		expect(PERMISSION_SETS_READ.soql(['005A'])).toMatch(
			/AND PermissionSet.IsOwnedByProfile = false$/,
		);
		expect(GROUPS_READ.soql(['005A'])).toMatch(/AND Group.Type IN \('Regular', 'Queue'\)$/);
		expect(heldReads(false).map((r) => r.sobject)).toEqual([
			'UserPackageLicense',
			'PermissionSetLicenseAssign',
		]);
		expect(heldReads(true).map((r) => r.sobject)).toEqual([
			'UserPackageLicense',
			'PermissionSetLicenseAssign',
			'PermissionSetAssignment',
			'GroupMember',
		]);
	});

	it('without IDs: every row of the org (the org-wide read), the other conditions kept', () => {
		expect(PACKAGE_LICENSES_READ.soql()).toBe(
			'SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense',
		);
		expect(GROUPS_READ.soql()).toBe(
			"SELECT UserOrGroupId, Group.DeveloperName, Group.Type FROM GroupMember WHERE Group.Type IN ('Regular', 'Queue')",
		);
		for (const read of heldReads(true)) expect(() => parseQuery(read.soql())).not.toThrow();
	});

	it('the org-wide read only when its remaining pages are fewer than IN lists of 500 users', () => {
		expect(cheaperToReadOrgWide(0, 501)).toBe(true); // 1 call (the count) against 2
		expect(cheaperToReadOrgWide(1, 1000)).toBe(true);
		expect(cheaperToReadOrgWide(2, 1000)).toBe(false);
		expect(cheaperToReadOrgWide(24, 50_000)).toBe(true);
		expect(cheaperToReadOrgWide(3, 500)).toBe(false);
	});

	it('holder filters are semi-joins with escaped names', () => {
		expect(packageLicenseHolderCondition(["x' OR Name != '"])).toBe(
			"Id IN (SELECT UserId FROM UserPackageLicense WHERE PackageLicense.NamespacePrefix IN ('x\\' OR Name != \\''))",
		);
		expect(permissionSetLicenseHolderCondition(['CPQ'])).toBe(
			"Id IN (SELECT AssigneeId FROM PermissionSetLicenseAssign WHERE PermissionSetLicense.MasterLabel IN ('CPQ') OR PermissionSetLicense.DeveloperName IN ('CPQ'))",
		);
		expect(knownPermissionSetLicensesQuery(['a'])).toBe(
			"SELECT MasterLabel, DeveloperName FROM PermissionSetLicense WHERE MasterLabel IN ('a') OR DeveloperName IN ('a')",
		);
	});
});

describe('what users hold: the SOQL parses', () => {
	it('every read, and Get users with both holder filters', () => {
		for (const read of heldReads(true))
			expect(() =>
				parseQuery(read.soql(['005000000000001AAA', '005000000000002AAA'])),
			).not.toThrow();
		const soql = buildUsersQuery(
			{
				status: 'all',
				includeExternal: false,
				packageLicenses: ['SBQQ'],
				permissionSetLicenses: ['CPQ'],
			},
			[],
			{ now: DateTime.utc() },
		);
		// semi-joins bare at the top level, after the other conditions (Salesforce refuses them nested)
		expect(soql).toMatch(
			/\) AND Id IN \(SELECT UserId FROM UserPackageLicense WHERE [^)]*\)\) AND Id IN \(SELECT AssigneeId FROM PermissionSetLicenseAssign WHERE /,
		);
		expect(() => parseQuery(soql)).not.toThrow();
		expect(() =>
			parseQuery(`SELECT Id FROM User WHERE ${packageLicenseHolderCondition()}`),
		).not.toThrow();
	});
});

describe('what users hold: rows -> names', () => {
	it('sorted unique names per user (15-char IDs read as 18), groups and queues apart, profile-owned sets never', () => {
		const names = new HeldNames();
		names.add(PACKAGE_LICENSES_READ, {
			UserId: USER_15,
			PackageLicense: { NamespacePrefix: 'dfsle' },
		});
		names.add(PACKAGE_LICENSES_READ, {
			UserId: USER_18,
			PackageLicense: { NamespacePrefix: 'SBQQ' },
		});
		names.add(PACKAGE_LICENSES_READ, {
			UserId: USER_18,
			PackageLicense: { NamespacePrefix: 'SBQQ' },
		});
		names.add(PERMISSION_SETS_READ, {
			AssigneeId: USER_18,
			PermissionSet: { Label: 'Sales Operations', IsOwnedByProfile: false },
			PermissionSetGroupId: '0PG000000000001',
			PermissionSetGroup: { MasterLabel: 'Sales Operations' },
		});
		names.add(PERMISSION_SETS_READ, {
			AssigneeId: USER_18,
			PermissionSet: { Label: 'CPQ User', IsOwnedByProfile: false },
			PermissionSetGroupId: null,
		});
		names.add(PERMISSION_SETS_READ, {
			AssigneeId: USER_18,
			PermissionSet: { Label: 'System Administrator', IsOwnedByProfile: true },
		});
		names.add(GROUPS_READ, {
			UserOrGroupId: USER_18,
			Group: { DeveloperName: 'Lead_Inbox', Type: 'Queue' },
		});
		names.add(GROUPS_READ, {
			UserOrGroupId: USER_18,
			Group: { DeveloperName: 'All_Sales', Type: 'Regular' },
		});
		names.add(GROUPS_READ, {
			UserOrGroupId: USER_18,
			Group: { DeveloperName: 'CEO', Type: 'Role' },
		});

		expect(names.fieldsOf(USER_18, heldReads(true))).toEqual({
			packageLicenses: ['dfsle', 'SBQQ'],
			permissionSetLicenses: [],
			permissionSets: ['CPQ User'],
			permissionSetGroups: ['Sales Operations'],
			groups: ['All_Sales'],
			queues: ['Lead_Inbox'],
		});
		expect(names.fieldsOf('005000000000000AAA', heldReads(false))).toEqual({
			packageLicenses: [],
			permissionSetLicenses: [],
		});
	});

	it("copies the users asked for from an org-wide read, only the read's own fields", () => {
		const all = new HeldNames();
		all.add(PACKAGE_LICENSES_READ, {
			UserId: USER_18,
			PackageLicense: { NamespacePrefix: 'SBQQ' },
		});
		all.add(PACKAGE_LICENSES_READ, {
			UserId: '005000000000001AAA',
			PackageLicense: { NamespacePrefix: 'dfsle' },
		});
		const page = new HeldNames();
		page.copyFrom(all, PACKAGE_LICENSES_READ, [USER_18]);
		expect(page.fieldsOf(USER_18, heldReads(false))).toEqual({
			packageLicenses: ['SBQQ'],
			permissionSetLicenses: [],
		});
		expect(page.fieldsOf('005000000000001AAA', heldReads(false)).packageLicenses).toEqual([]);
	});

	it('a kind the user cannot read is null (unknown), not [] (none)', () => {
		const names = new HeldNames();
		names.unreadable.add('packageLicenses');
		expect(names.fieldsOf(USER_18, heldReads(false))).toEqual({
			packageLicenses: null,
			permissionSetLicenses: [],
		});
	});
});

describe('Get users filters: package licenses, permission set licenses', () => {
	it('absent = no filter; a list or comma-separated text = these names', () => {
		expect(parseUserFilters({})).toMatchObject({ ok: true, value: { status: 'active' } });
		const parsed = parseUserFilters({ packageLicenses: ['SBQQ'], permissionSetLicenses: 'a, b' });
		expect(parsed).toEqual({
			ok: true,
			value: expect.objectContaining({
				packageLicenses: ['SBQQ'],
				permissionSetLicenses: ['a', 'b'],
			}),
		});
	});

	it.each([undefined, null, '', ' , ', [], 5 as unknown])(
		'present but %j: refused naming the field',
		(value) => {
			const parsed = parseUserFilters({ packageLicenses: value as never });
			expect(parsed).toMatchObject({ ok: false, field: 'Filters > Package License Names or IDs' });
		},
	);
});
