import { Connection } from 'jsforce';

import { ENTITLEMENT_CATALOG } from './seed';
import { FakeOrg, UserRecord } from './index';

const VERSION = '62.0';
type Result = {
	id?: string;
	success: boolean;
	errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
};

describe('fake org: entitlements (package seats, permission sets, groups) and their deletes', () => {
	let org: FakeOrg;
	let conn: Connection;
	const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 400, seed: 5, entitlements: true } });
		conn = new Connection({ loginUrl: org.url, version: VERSION });
		await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
	});
	afterAll(() => org.stop());
	beforeEach(() => org.calls.reset());

	const store = () => org.store;
	const standardUsers = () =>
		store().users.filter((u) => u.UserType === 'Standard' && u.Id !== org.admin.userId);
	let fresh = 0;
	/** A new standard user, so tests never share entitlement rows. */
	const newUser = (extra: Partial<UserRecord> = {}) =>
		store().addUser({ LastName: `Ent${++fresh}`, ...extra });
	const deleteIds = (ids: string[], allOrNone = false) =>
		conn.request<Result[]>({
			method: 'DELETE',
			url: `/services/data/v${VERSION}/composite/sobjects?ids=${ids.join(',')}&allOrNone=${allOrNone}`,
		});

	it('PackageLicense: namespace, status, allowance (-1 for a site license), UsedLicenses counted from its UserPackageLicense rows', async () => {
		const { records } = await conn.query<{
			Id: string;
			NamespacePrefix: string;
			Status: string;
			AllowedLicenses: number;
			UsedLicenses: number;
			ExpirationDate: string | null;
		}>(
			'SELECT Id, NamespacePrefix, Status, AllowedLicenses, UsedLicenses, ExpirationDate FROM PackageLicense ORDER BY NamespacePrefix',
		);
		expect(records.map((r) => r.NamespacePrefix)).toEqual(
			[packages.cpq, packages.docusign, packages.legacyDocusign, packages.marketingCloud].sort(
				(a, b) => a.localeCompare(b),
			),
		);
		for (const r of records) {
			const rows = store().userPackageLicenses.filter((u) => u.PackageLicenseId === r.Id).length;
			expect(r.UsedLicenses).toBe(rows);
			if (r.AllowedLicenses >= 0) expect(r.UsedLicenses).toBeLessThanOrEqual(r.AllowedLicenses);
		}
		const site = records.find((r) => r.NamespacePrefix === packages.marketingCloud)!;
		expect(site).toMatchObject({ Status: 'Free', AllowedLicenses: -1 });
		expect(records.find((r) => r.NamespacePrefix === packages.cpq)!.UsedLicenses).toBeGreaterThan(
			0,
		);
		expect(records.find((r) => r.NamespacePrefix === packages.legacyDocusign)).toMatchObject({
			Status: 'Expired',
		});
		expect(records[0].ExpirationDate === null || /\+0000$/.test(records[0].ExpirationDate)).toBe(
			true,
		);
	});

	it('seeds inactive users that still hold package seats (orphaned seats)', async () => {
		const { records } = await conn.query<{ UserId: string }>(
			`SELECT UserId FROM UserPackageLicense WHERE UserId IN (SELECT Id FROM User WHERE IsActive = false)`,
		);
		expect(records.length).toBeGreaterThan(0);
	});

	it('UserPackageLicense: create, read with PackageLicense.NamespacePrefix, delete (UsedLicenses follows)', async () => {
		const user = newUser();
		const cpq = store().packageLicenseByNamespace(packages.cpq)!;
		const before = store().usedPackageLicenseCounts().get(cpq.Id) ?? 0;
		const created = (await conn
			.sobject('UserPackageLicense')
			.create({ UserId: user.Id, PackageLicenseId: cpq.Id })) as Result;
		expect(created.success).toBe(true);
		expect(created.id).toMatch(/^051/);
		const { records } = await conn.query<{
			Id: string;
			PackageLicense: { NamespacePrefix: string };
		}>(
			`SELECT Id, PackageLicense.NamespacePrefix FROM UserPackageLicense WHERE UserId = '${user.Id}'`,
		);
		expect(records.map((r) => r.PackageLicense.NamespacePrefix)).toEqual([packages.cpq]);
		const used = await conn.query<{ UsedLicenses: number }>(
			`SELECT UsedLicenses FROM PackageLicense WHERE Id = '${cpq.Id}'`,
		);
		expect(used.records[0].UsedLicenses).toBe(before + 1);

		await conn.sobject('UserPackageLicense').destroy(created.id!);
		expect(store().userPackageLicenses.some((r) => r.Id === created.id)).toBe(false);
		expect(store().usedPackageLicenseCounts().get(cpq.Id) ?? 0).toBe(before);
	});

	it('UserPackageLicense: a second seat of the same package is a duplicate; a full package refuses a new seat', async () => {
		const user = newUser();
		const legacy = store().packageLicenseByNamespace(packages.legacyDocusign)!;
		store().assignPackageLicense(user.Id, legacy.Id);
		await expect(
			conn.sobject('UserPackageLicense').create({ UserId: user.Id, PackageLicenseId: legacy.Id }),
		).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
		while ((store().usedPackageLicenseCounts().get(legacy.Id) ?? 0) < legacy.AllowedLicenses)
			store().assignPackageLicense(newUser().Id, legacy.Id);
		await expect(
			conn
				.sobject('UserPackageLicense')
				.create({ UserId: newUser().Id, PackageLicenseId: legacy.Id }),
		).rejects.toMatchObject({ errorCode: 'LICENSE_LIMIT_EXCEEDED' });
	});

	it('UserPackageLicense deletes need "Manage Package Licenses": INSUFFICIENT_ACCESS_OR_READONLY without it', async () => {
		const manager = newUser();
		const permissionSet = store().addPermissionSet({
			Name: `User_Admin_${fresh}`,
			PermissionsManageUsers: true,
			PermissionsApiEnabled: true,
		});
		store().assignPermissionSet(manager.Id, permissionSet.Id);
		const login = org.addLoginUser(manager);
		const managerConn = new Connection({ loginUrl: org.url, version: VERSION });
		await managerConn.login(login.username, login.password + login.securityToken);

		const holder = newUser();
		const seat = store().assignPackageLicense(
			holder.Id,
			store().packageLicenseByNamespace(packages.docusign)!.Id,
		);
		const psl = store().permissionSetLicenses.find((l) => l.DeveloperName === 'SalesConsoleUser')!;
		const pslRow = store().assignPermissionSetLicense(holder.Id, psl.Id);
		const results = await managerConn.request<Result[]>({
			method: 'DELETE',
			url: `/services/data/v${VERSION}/composite/sobjects?ids=${seat.Id},${pslRow.Id}&allOrNone=false`,
		});
		expect(results).toEqual([
			{
				id: seat.Id,
				success: false,
				errors: [
					{
						statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
						message: 'insufficient access rights on object id',
						fields: [],
					},
				],
			},
			{ id: pslRow.Id, success: true, errors: [] },
		]);
		expect(store().get('UserPackageLicense', seat.Id)).toBeDefined();
	});

	it('sObject Collections DELETE: one call, results in the order of the IDs, partial failure kept apart', async () => {
		const user = newUser();
		const a = store().assignPackageLicense(
			user.Id,
			store().packageLicenseByNamespace(packages.cpq)!.Id,
		);
		const b = store().assignPackageLicense(
			user.Id,
			store().packageLicenseByNamespace(packages.docusign)!.Id,
		);
		const results = await deleteIds([a.Id, 'notAnId', b.Id, a.Id]);
		expect(results).toEqual([
			{ id: a.Id, success: true, errors: [] },
			{
				success: false,
				errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id notAnId', fields: [] }],
			},
			{ id: b.Id, success: true, errors: [] },
			{
				id: a.Id,
				success: false,
				errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
			},
		]);
		expect(org.calls.count('collectionsDelete')).toBe(1);
		expect(org.calls.log.find((c) => c.kind === 'collectionsDelete')?.records).toBe(4);
	});

	it('sObject Collections DELETE through jsforce destroy() (the reference client) with allOrNone', async () => {
		const user = newUser();
		const seats = [packages.cpq, packages.docusign].map((ns) =>
			store().assignPackageLicense(user.Id, store().packageLicenseByNamespace(ns)!.Id),
		);
		const profileRow = store().permissionSetAssignments.find(
			(a) =>
				a.AssigneeId === user.Id &&
				a.PermissionSetId === store().profileOwnedPermissionSet(user.ProfileId)!.Id,
		)!;
		const rolledBack = (await conn.destroy(
			'UserPackageLicense',
			[seats[0].Id, profileRow.Id, seats[1].Id],
			{ allOrNone: true },
		)) as Result[];
		expect(rolledBack.map((r) => r.errors[0]?.statusCode)).toEqual([
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
			'FIELD_INTEGRITY_EXCEPTION',
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
		]);
		expect(seats.every((s) => store().get('UserPackageLicense', s.Id))).toBe(true);
		const done = (await conn.destroy(
			'UserPackageLicense',
			seats.map((s) => s.Id),
		)) as Result[];
		expect(done.map((r) => r.success)).toEqual([true, true]);
		expect(store().userPackageLicenses.filter((r) => r.UserId === user.Id)).toEqual([]);
	});

	it('sObject Collections DELETE: more than 200 IDs is EXCEEDED_ID_LIMIT, nothing deleted', async () => {
		const user = newUser();
		const seat = store().assignPackageLicense(
			user.Id,
			store().packageLicenseByNamespace(packages.cpq)!.Id,
		);
		await expect(deleteIds(Array(201).fill(seat.Id))).rejects.toMatchObject({
			errorCode: 'EXCEEDED_ID_LIMIT',
		});
		expect(store().get('UserPackageLicense', seat.Id)).toBeDefined();
	});

	it('PermissionSetAssignment: permission sets and groups with their labels; profile-owned rows cannot be deleted', async () => {
		const user = newUser();
		const group = store().permissionSetGroups.find(
			(g) => g.DeveloperName === permissionSetGroups.salesOperations,
		)!;
		store().assignPermissionSetGroup(user.Id, group.Id);
		const created = (await conn.sobject('PermissionSetAssignment').create({
			AssigneeId: user.Id,
			PermissionSetId: store().permissionSets.find(
				(p) => p.Name === permissionSets.salesOpsReports,
			)!.Id,
		})) as Result;
		expect(created.success).toBe(true);
		const { records } = await conn.query<{
			Id: string;
			PermissionSetGroupId: string | null;
			PermissionSet: { Name: string; Label: string; IsOwnedByProfile: boolean; Type: string };
			PermissionSetGroup: { DeveloperName: string; MasterLabel: string } | null;
		}>(
			`SELECT Id, PermissionSetGroupId, PermissionSet.Name, PermissionSet.Label, PermissionSet.IsOwnedByProfile, PermissionSet.Type, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel FROM PermissionSetAssignment WHERE AssigneeId = '${user.Id}' ORDER BY PermissionSet.Type`,
		);
		expect(
			records.map((r) => [
				r.PermissionSet.Type,
				r.PermissionSet.IsOwnedByProfile,
				r.PermissionSetGroup?.MasterLabel ?? r.PermissionSet.Label,
			]),
		).toEqual([
			['Group', false, 'Sales Operations'],
			['Profile', true, 'Standard User'],
			['Regular', false, 'Sales Ops Reports'],
		]);
		const profileRow = records.find((r) => r.PermissionSet.IsOwnedByProfile)!;
		const groupRow = records.find((r) => r.PermissionSetGroupId)!;
		const results = await deleteIds([profileRow.Id, groupRow.Id]);
		expect(results[0]).toEqual({
			id: profileRow.Id,
			success: false,
			errors: [
				{
					statusCode: 'FIELD_INTEGRITY_EXCEPTION',
					message: "You can't delete a permission set assignment that's owned by a profile.",
					fields: [],
				},
			],
		});
		expect(results[1]).toEqual({ id: groupRow.Id, success: true, errors: [] });
		const { totalSize } = await conn.query(
			`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${user.Id}' AND PermissionSet.IsOwnedByProfile = false AND PermissionSetGroupId != null`,
		);
		expect(totalSize).toBe(0);
	});

	it('PermissionSetLicenseAssign: refused while an assigned permission set needs the license; removed once the permission set is gone', async () => {
		const user = newUser();
		const cpqUser = store().permissionSets.find((p) => p.Name === permissionSets.cpqUser)!;
		const pslRow = store().assignPermissionSetLicense(user.Id, cpqUser.LicenseId!);
		const psRow = store().assignPermissionSet(user.Id, cpqUser.Id);
		const { records } = await conn.query<{
			Id: string;
			PermissionSetLicense: { MasterLabel: string; DeveloperName: string };
		}>(
			`SELECT Id, PermissionSetLicense.MasterLabel, PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign WHERE AssigneeId = '${user.Id}'`,
		);
		expect(records.map((r) => r.PermissionSetLicense.MasterLabel)).toEqual([
			'Salesforce CPQ License',
		]);

		const first = await deleteIds([pslRow.Id]);
		expect(first[0]).toEqual({
			id: pslRow.Id,
			success: false,
			errors: [
				{
					statusCode: 'FIELD_INTEGRITY_EXCEPTION',
					message:
						"Can't remove the permission set license Salesforce CPQ License because the user is assigned permission sets that require it: CPQ User",
					fields: [],
				},
			],
		});
		// Permission set first, then its license: both go.
		expect((await deleteIds([psRow.Id])).map((r) => r.success)).toEqual([true]);
		expect((await deleteIds([pslRow.Id])).map((r) => r.success)).toEqual([true]);
	});

	it('Group and GroupMember: public groups and queues by DeveloperName and Type, memberships deleted', async () => {
		const user = newUser();
		const sales = store().groupByDeveloperName(groups.allSales)!;
		const queue = store().groupByDeveloperName(queues.supportTier1)!;
		const created = (await conn
			.sobject('GroupMember')
			.create({ GroupId: sales.Id, UserOrGroupId: user.Id })) as Result;
		expect(created.success).toBe(true);
		store().addGroupMember(queue.Id, user.Id);
		const { records } = await conn.query<{
			Id: string;
			Group: { DeveloperName: string; Type: string; Name: string };
		}>(
			`SELECT Id, Group.DeveloperName, Group.Type, Group.Name FROM GroupMember WHERE UserOrGroupId IN ('${user.Id}') AND Group.Type IN ('Regular', 'Queue') ORDER BY Group.Type`,
		);
		expect(records.map((r) => [r.Group.Type, r.Group.DeveloperName, r.Group.Name])).toEqual([
			['Queue', queues.supportTier1, 'Support Tier 1'],
			['Regular', groups.allSales, 'All Sales'],
		]);
		const results = await deleteIds(records.map((r) => r.Id));
		expect(results.every((r) => r.success)).toBe(true);
		expect(store().groupMembers.some((m) => m.UserOrGroupId === user.Id)).toBe(false);
	});

	it('describe User: the custom hierarchy field and DelegatedApproverId are references to User', async () => {
		const described = await conn.sobject('User').describe();
		const approver = described.fields.find((f) => f.name === 'Approver__c')!;
		expect(approver).toMatchObject({ custom: true, type: 'reference', referenceTo: ['User'] });
		expect(described.fields.find((f) => f.name === 'DelegatedApproverId')).toMatchObject({
			custom: false,
			type: 'reference',
		});
		const upl = await conn.sobject('UserPackageLicense').describe();
		expect(upl).toMatchObject({ createable: true, deletable: true });
	});

	describe('deactivation refusals', () => {
		const deactivate = async (user: UserRecord) =>
			(await conn.sobject('User').update({ Id: user.Id, IsActive: false })) as Result;

		it("named in another active user's custom hierarchy field: FIELD_INTEGRITY_EXCEPTION; an inactive referrer does not block", async () => {
			const target = newUser();
			const referrer = newUser({ Approver__c: target.Id });
			await expect(deactivate(target)).rejects.toMatchObject({
				errorCode: 'FIELD_INTEGRITY_EXCEPTION',
				message: 'Cannot inactivate user that is the value of a hierarchy field: Approver__c',
			});
			expect(target.IsActive).toBe(true);
			referrer.IsActive = false;
			expect((await deactivate(target)).success).toBe(true);
		});

		it("another active user's delegated approver", async () => {
			const target = newUser();
			const delegator = newUser({ DelegatedApproverId: target.Id });
			await expect(deactivate(target)).rejects.toMatchObject({
				errorCode: 'FIELD_INTEGRITY_EXCEPTION',
				message: `Cannot inactivate user that is the delegated approver of another user: ${delegator.Username}`,
			});
		});

		it('Setup settings the data API cannot read (Web-to-Lead default creator, default workflow user)', async () => {
			const creator = newUser();
			const workflow = newUser();
			store().userSettings.webToLeadDefaultCreatorId = creator.Id;
			store().userSettings.defaultWorkflowUserId = workflow.Id;
			await expect(deactivate(creator)).rejects.toMatchObject({
				errorCode: 'FIELD_INTEGRITY_EXCEPTION',
				message: 'You cannot disable the Web to Lead Default Creator',
			});
			await expect(deactivate(workflow)).rejects.toMatchObject({
				message: 'You cannot deactivate the Default Workflow User',
			});
			delete store().userSettings.webToLeadDefaultCreatorId;
			delete store().userSettings.defaultWorkflowUserId;
			expect((await deactivate(creator)).success).toBe(true);
		});
	});

	it('every seeded CPQ seat holder has the CPQ permission set license and permission set; standard users only', () => {
		const cpq = store().packageLicenseByNamespace(packages.cpq)!;
		const cpqUser = store().permissionSets.find((p) => p.Name === permissionSets.cpqUser)!;
		const holders = standardUsers().filter((u) =>
			store().userPackageLicenses.some((r) => r.UserId === u.Id && r.PackageLicenseId === cpq.Id),
		);
		expect(holders.length).toBeGreaterThan(10);
		for (const user of holders.slice(0, 20)) {
			expect(
				store().permissionSetLicenseAssigns.some(
					(a) => a.AssigneeId === user.Id && a.PermissionSetLicenseId === cpqUser.LicenseId,
				),
			).toBe(true);
		}
		const nonStandard = store()
			.users.filter((u) => u.UserType !== 'Standard')
			.map((u) => u.Id);
		expect(store().userPackageLicenses.some((r) => nonStandard.includes(r.UserId))).toBe(false);
	});
});
