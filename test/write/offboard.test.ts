/**
 * Offboard user through n8n-core against the fake org: the steps in their safe order, a
 * pre-flight blocker that keeps the user frozen and stripped, the dry run's plan, partial
 * failures, the write safety rules, and the call count of a thousand leavers.
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import { ENTITLEMENT_CATALOG } from '../fake-org/seed';
import { addUsers, isFrozen, runWrite, user } from './setup';

const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;
type UserRecord = FakeOrg['store']['users'][number];

describe('Offboard user', () => {
	let org: FakeOrg;
	beforeAll(async () => {
		org = await FakeOrg.start();
	});
	afterAll(() => org.stop());

	const store = () => org.store;
	const ps = (name: string) => store().permissionSets.find((p) => p.Name === name)!;

	/** A leaver holding one of everything: the CPQ permission set needs the CPQ license. */
	function leaver(extra: Parameters<FakeOrg['store']['addUser']>[0] = {}): UserRecord {
		const u = store().addUser({ UserPermissionsMarketingUser: true, ...extra });
		const cpqUser = ps(permissionSets.cpqUser);
		store().assignPermissionSetLicense(u.Id, cpqUser.LicenseId!);
		store().assignPermissionSet(u.Id, cpqUser.Id);
		store().assignPermissionSetGroup(
			u.Id,
			store().permissionSetGroups.find(
				(g) => g.DeveloperName === permissionSetGroups.salesOperations,
			)!.Id,
		);
		store().assignPackageLicense(u.Id, store().packageLicenseByNamespace(packages.cpq)!.Id);
		store().addGroupMember(store().groupByDeveloperName(queues.supportTier1)!.Id, u.Id);
		store().addGroupMember(store().groupByDeveloperName(groups.allSales)!.Id, u.Id);
		return u;
	}
	const holds = (u: UserRecord) => ({
		permissionSets: store().permissionSetAssignments.filter(
			(a) =>
				a.AssigneeId === u.Id &&
				!store().get<{ IsOwnedByProfile: boolean }>('PermissionSet', a.PermissionSetId)!
					.IsOwnedByProfile,
		).length,
		profileOwned: store().permissionSetAssignments.filter((a) => a.AssigneeId === u.Id).length,
		permissionSetLicenses: store().permissionSetLicenseAssigns.filter((a) => a.AssigneeId === u.Id)
			.length,
		packageLicenses: store().userPackageLicenses.filter((r) => r.UserId === u.Id).length,
		groups: store().groupMembers.filter((m) => m.UserOrGroupId === u.Id).length,
		marketing: user(org, u.Id).UserPermissionsMarketingUser,
		frozen: isFrozen(org, u.Id),
		active: user(org, u.Id).IsActive,
	});
	const writeCalls = () =>
		org.calls.log
			.filter((c) => c.kind === 'collectionsDelete' || c.kind === 'collectionsPatch')
			.map((c) => `${c.kind}:${c.records}`);

	it('takes a leaver through every step in the safe order and reports each', async () => {
		const u = leaver();
		const run = await runWrite(org, 'offboard', [{ id: u.Id }], { dryRun: false });
		expect(run.error).toBeUndefined();
		expect(holds(u)).toEqual({
			permissionSets: 0,
			profileOwned: 1,
			permissionSetLicenses: 0,
			packageLicenses: 0,
			groups: 0,
			marketing: false,
			frozen: true,
			active: false,
		});
		const item = run.json[0];
		expect(item).toMatchObject({
			id: u.Id,
			username: u.Username,
			action: 'offboard',
			result: 'changed',
		});
		const steps = item.steps as IDataObject[];
		expect(steps.map((s) => [s.step, s.result])).toEqual([
			['freeze', 'changed'],
			['removePermissionSets', 'changed'],
			['removePermissionSetLicenses', 'changed'],
			['removePackageLicenses', 'changed'],
			['removeFeatureLicenses', 'changed'],
			['removeFromGroups', 'changed'],
			['deactivate', 'changed'],
		]);
		expect((steps[1].removed as string[]).sort()).toEqual(['CPQ User', 'Sales Operations']);
		expect(steps[2].removed).toEqual(['Salesforce CPQ License']);
		expect(steps[3].removed).toEqual([packages.cpq]);
		expect(steps[4].removed).toEqual(['Marketing']);
		expect((steps[5].removed as string[]).sort()).toEqual([groups.allSales, queues.supportTier1]);
		// Freeze first, permission sets before the license they need, deactivation last.
		expect(writeCalls()).toEqual([
			'collectionsPatch:1',
			'collectionsDelete:2',
			'collectionsDelete:1',
			'collectionsDelete:1',
			'collectionsPatch:1',
			'collectionsDelete:2',
			'collectionsPatch:1',
		]);
	});

	it('a user the pre-flight blocks stays frozen and stripped; deactivate is skipped "blocked:"', async () => {
		const u = leaver();
		const referrer = store().addUser({ Approver__c: u.Id });
		const run = await runWrite(org, 'offboard', [{ id: u.Id }], { dryRun: false });
		expect(run.error).toBeUndefined();
		expect(holds(u)).toMatchObject({ frozen: true, packageLicenses: 0, groups: 0, active: true });
		const steps = run.json[0].steps as IDataObject[];
		expect(steps[6]).toMatchObject({ step: 'deactivate', result: 'skipped' });
		expect(steps[6].reason).toMatch(
			new RegExp(
				`^blocked: named in the hierarchy field "Approver" \\(Approver__c\\) of active user ${referrer.Username.replace(/\./g, '\\.')}`,
			),
		);
		expect(run.json[0].result).toBe('changed');
		expect(run.json[0].reason).toMatch(/; not deactivated: blocked: /);
		expect(
			org.calls.log.filter((c) => c.kind === 'collectionsPatch').map((c) => c.records),
		).toEqual([1, 1]);

		// Run again: only the deactivation is left, and it is still blocked: skipped, nothing written.
		const again = await runWrite(org, 'offboard', [{ id: u.Id }], { dryRun: false });
		expect(again.json[0]).toMatchObject({ result: 'skipped' });
		expect(again.json[0].reason).toMatch(/^blocked: /);
		expect(writeCalls()).toEqual([]);
	});

	it('dry run: the whole plan per user with the calls it would spend; nothing changes', async () => {
		const [a, b] = [leaver(), leaver()];
		const blocker = store().addUser({ DelegatedApproverId: b.Id });
		const before = [holds(a), holds(b)];
		const run = await runWrite(org, 'offboard', [{ id: a.Id }, { id: b.Id }], {
			dryRun: 'default',
			nodeOptions: { dryRun: true },
		});
		expect([holds(a), holds(b)]).toEqual(before);
		expect(writeCalls()).toEqual([]);
		expect(run.json.map((j) => j.result)).toEqual(['dryRun', 'dryRun']);
		const steps = run.json[0].steps as IDataObject[];
		expect(steps.map((s) => [s.step, s.result, s.records])).toEqual([
			['freeze', 'dryRun', 1],
			['removePermissionSets', 'dryRun', 2],
			['removePermissionSetLicenses', 'dryRun', 1],
			['removePackageLicenses', 'dryRun', 1],
			['removeFeatureLicenses', 'dryRun', 1],
			['removeFromGroups', 'dryRun', 2],
			['deactivate', 'dryRun', 1],
		]);
		expect(steps[3].reason).toBe(`would remove ${packages.cpq}`);
		// One call per step for both users together: 7, even though b's deactivation would be skipped.
		expect(run.json[0].plannedCalls).toBe(7);
		const bSteps = run.json[1].steps as IDataObject[];
		expect(bSteps[6]).toMatchObject({ step: 'deactivate', result: 'skipped' });
		expect(bSteps[6].reason).toContain(`delegated approver of active user ${blocker.Username}`);
	});

	it('chosen steps only, and a step with nothing to do is reported unchanged', async () => {
		const u = leaver({ UserPermissionsMarketingUser: false });
		const run = await runWrite(org, 'offboard', [{ id: u.Id }], {
			dryRun: false,
			parameters: { steps: ['removeFeatureLicenses', 'removePackageLicenses'] },
		});
		expect((run.json[0].steps as IDataObject[]).map((s) => [s.step, s.result])).toEqual([
			['removePackageLicenses', 'changed'],
			['removeFeatureLicenses', 'unchanged'],
		]);
		expect(holds(u)).toMatchObject({ packageLicenses: 0, groups: 2, frozen: false, active: true });
	});

	it('a failed step fails the item, later removals still run, and the user is not deactivated', async () => {
		const u = leaver();
		const admin = store().profileByName('System Administrator')!;
		admin.PermissionsManagePackageLicenses = false;
		let run;
		try {
			run = await runWrite(org, 'offboard', [{ id: u.Id }], {
				dryRun: false,
				continueOnFail: true,
			});
		} finally {
			admin.PermissionsManagePackageLicenses = true;
		}
		const item = run.json[0];
		expect(item.result).toBe('failed');
		expect(item.error).toMatchObject({ code: 'INSUFFICIENT_ACCESS_OR_READONLY' });
		expect((item.error as IDataObject).message).toMatch(/^Remove package licenses: SBQQ: /);
		const steps = item.steps as IDataObject[];
		expect(steps.map((s) => [s.step, s.result])).toEqual([
			['freeze', 'changed'],
			['removePermissionSets', 'changed'],
			['removePermissionSetLicenses', 'changed'],
			['removePackageLicenses', 'failed'],
			['removeFeatureLicenses', 'changed'],
			['removeFromGroups', 'changed'],
			['deactivate', 'skipped'],
		]);
		expect(holds(u)).toMatchObject({ frozen: true, packageLicenses: 1, groups: 0, active: true });

		const noContinue = leaver();
		admin.PermissionsManagePackageLicenses = false;
		try {
			run = await runWrite(org, 'offboard', [{ id: noContinue.Id }], { dryRun: false });
		} finally {
			admin.PermissionsManagePackageLicenses = true;
		}
		expect(run.error?.message).toBe('Offboard user: 1 of 1 items failed; 0 users were changed');
		expect(run.error?.description).toContain('Remove package licenses: SBQQ');
	});

	it('safety: Read-Only refused before any call, bad steps before any call, admins/protected/connected skipped, the cap', async () => {
		const u = leaver();
		const readOnly = await runWrite(org, 'offboard', [{ id: u.Id }], {
			dryRun: false,
			accessMode: 'readOnly',
		});
		expect(readOnly.error?.message).toMatch(/Read-Only/);
		expect(readOnly.calls).toBe(0);

		const badSteps = await runWrite(org, 'offboard', [{ id: u.Id }], {
			dryRun: false,
			parameters: { steps: '={{ "freeze, delete" }}' },
		});
		expect(badSteps.error?.message).toBe(
			'Item 0, "Steps": has "delete", which is not one of the steps (Freeze, ..., Deactivate)',
		);
		expect(badSteps.calls).toBe(0);

		const admin = leaver({ profile: 'System Administrator' });
		const guarded = leaver();
		const run = await runWrite(
			org,
			'offboard',
			[{ id: admin.Id }, { id: guarded.Id }, { id: org.admin.userId }],
			{ dryRun: false, nodeOptions: { protectedUsernames: guarded.Username } },
		);
		expect(run.json.map((j) => j.result)).toEqual(['skipped', 'skipped', 'skipped']);
		expect(writeCalls()).toEqual([]);
		expect(holds(admin)).toMatchObject({ packageLicenses: 1, active: true });

		const many = [leaver(), leaver(), leaver()];
		const capped = await runWrite(
			org,
			'offboard',
			many.map((m) => ({ id: m.Id })),
			{
				dryRun: false,
				nodeOptions: { maxUsers: 2 },
			},
		);
		expect(capped.error?.message).toBe(
			'Offboard user would change 3 users, more than the "Max Users" limit of 2; nothing was changed',
		);
		expect(writeCalls()).toEqual([]);
		expect(many.every((m) => holds(m).frozen === false)).toBe(true);
	});

	it('1,000 leavers cost at most 0.1 calls per user', async () => {
		const users = addUsers(org, 1000, { UserPermissionsSupportUser: true });
		const cpq = store().packageLicenseByNamespace(packages.cpq)!;
		users.forEach((u, i) => {
			store().assignPackageLicense(u.Id, cpq.Id);
			if (i % 2) store().assignPermissionSet(u.Id, ps(permissionSets.salesOpsReports).Id);
			store().addGroupMember(store().groupByDeveloperName(groups.emeaTeam)!.Id, u.Id);
		});
		const run = await runWrite(
			org,
			'offboard',
			users.map((u) => ({ id: u.Id })),
			{
				dryRun: false,
				nodeOptions: { maxUsers: 1000 },
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.json.every((j) => j.result === 'changed')).toBe(true);
		expect(users.every((u) => !user(org, u.Id).IsActive && isFrozen(org, u.Id))).toBe(true);
		expect(store().userPackageLicenses.some((r) => users.some((u) => u.Id === r.UserId))).toBe(
			false,
		);
		expect(run.calls).toBeLessThanOrEqual(100);
		// each removal step's deletes in one Composite request: permission sets (500), seats, groups
		expect(org.calls.count('composite')).toBe(3);
		expect(org.calls.log.filter((c) => c.counted && c.kind === 'collectionsDelete')).toEqual([]);
	});
});
