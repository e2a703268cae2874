/**
 * Remove package licenses, permission set licenses, permission sets and groups/queues, and the
 * deactivation pre-flight, through n8n-core against the fake org: what is deleted (and only
 * that), the calls it costs, every write safety rule, Salesforce's refusals on the item.
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import { ENTITLEMENT_CATALOG } from '../fake-org/seed';
import { addUsers, runWrite, user } from './setup';

const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;

describe('entitlement removals and the deactivation pre-flight', () => {
	let org: FakeOrg;
	beforeAll(async () => {
		org = await FakeOrg.start();
	});
	afterAll(() => org.stop());

	const store = () => org.store;
	const pkg = (ns: string) => store().packageLicenseByNamespace(ns)!;
	const seatsOf = (userId: string) =>
		store()
			.userPackageLicenses.filter((r) => r.UserId === userId)
			.map((r) => store().get<{ NamespacePrefix: string }>('PackageLicense', r.PackageLicenseId)!)
			.map((p) => p.NamespacePrefix)
			.sort();
	const deletes = () => org.calls.log.filter((c) => c.kind === 'collectionsDelete');
	const input = (users: Array<{ Id: string }>) => users.map((u) => ({ id: u.Id }));
	const seated = (count: number, namespaces: string[]) => {
		const users = addUsers(org, count);
		for (const u of users)
			for (const ns of namespaces) store().assignPackageLicense(u.Id, pkg(ns).Id);
		return users;
	};

	describe('Remove package licenses', () => {
		it('removes the chosen package from those who hold it, one batched read and one DELETE call', async () => {
			const holders = seated(3, [packages.cpq, packages.docusign]);
			const [other] = seated(1, [packages.docusign]);
			const run = await runWrite(org, 'removePackageLicenses', input([...holders, other]), {
				dryRun: false,
				parameters: { packageLicenses: [packages.cpq] },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.map((j) => j.result)).toEqual(['changed', 'changed', 'changed', 'unchanged']);
			expect(run.json[0]).toMatchObject({ action: 'removePackageLicenses', removed: ['SBQQ'] });
			expect(run.json[3].reason).toBe('Holds none of the chosen package licenses (sbqq)');
			for (const u of holders) expect(seatsOf(u.Id)).toEqual([packages.docusign]);
			expect(seatsOf(other.Id)).toEqual([packages.docusign]);
			expect(deletes()).toHaveLength(1);
			expect(deletes()[0].records).toBe(3);
			const seatReads = org.calls.log.filter((c) => /FROM UserPackageLicense/.test(c.soql ?? ''));
			expect(seatReads).toHaveLength(1);
		});

		it('a user named twice is written once; both items say so, and what went', async () => {
			const [holder] = seated(1, [packages.cpq]);
			const run = await runWrite(org, 'removePackageLicenses', input([holder, holder]), {
				dryRun: false,
				parameters: { packageLicenses: [] },
			});
			expect(run.json.map((j) => [j.result, j.reason])).toEqual([
				['changed', 'Removed SBQQ'],
				['changed', 'Removed SBQQ (Same user as item 0; acted on once)'],
			]);
			expect(deletes().map((c) => c.records)).toEqual([1]);
		});

		it('none chosen: every package the user holds', async () => {
			const [holder] = seated(1, [packages.cpq, packages.docusign]);
			const run = await runWrite(org, 'removePackageLicenses', input([holder]), {
				dryRun: false,
				parameters: { packageLicenses: [] },
			});
			expect(run.json[0]).toMatchObject({ result: 'changed' });
			expect((run.json[0].removed as string[]).sort()).toEqual(
				[packages.cpq, packages.docusign].sort(),
			);
			expect(seatsOf(holder.Id)).toEqual([]);
		});

		it('dry run: reports what would go and the calls, deletes nothing', async () => {
			const holders = seated(2, [packages.cpq]);
			const run = await runWrite(org, 'removePackageLicenses', input(holders), {
				dryRun: 'default',
				parameters: { packageLicenses: [packages.cpq] },
				nodeOptions: { dryRun: true },
			});
			expect(run.json.map((j) => j.result)).toEqual(['dryRun', 'dryRun']);
			expect(run.json[0].reason).toBe(
				'Dry run: would remove SBQQ (1 of 2 records; 1 delete call(s) for the run)',
			);
			expect(run.json[0].removed).toBeUndefined();
			expect(deletes()).toHaveLength(0);
			for (const u of holders) expect(seatsOf(u.Id)).toEqual([packages.cpq]);
		});

		it('Read-Only credential: refused before any call', async () => {
			const [holder] = seated(1, [packages.cpq]);
			const run = await runWrite(org, 'removePackageLicenses', input([holder]), {
				dryRun: false,
				parameters: { packageLicenses: [] },
				accessMode: 'readOnly',
			});
			expect(run.error?.message).toMatch(/Read-Only/);
			expect(run.calls).toBe(0);
			expect(seatsOf(holder.Id)).toEqual([packages.cpq]);
		});

		it('a namespace the org does not have fails the run before any write, naming the item and field', async () => {
			const [holder] = seated(1, [packages.cpq]);
			const run = await runWrite(org, 'removePackageLicenses', input([holder, holder]), {
				dryRun: false,
				parameters: { packageLicenses: ['SBQQ', 'nope__'] },
			});
			expect(run.error?.message).toBe(
				'Item 0, "Package License Names or IDs": names "nope__", which this org does not have',
			);
			expect(deletes()).toHaveLength(0);
			expect(seatsOf(holder.Id)).toEqual([packages.cpq]);
		});

		it('with Continue On Fail only the item naming an unknown namespace fails; its wishes are not written', async () => {
			const [a, b] = seated(2, [packages.cpq, packages.docusign]);
			const run = await runWrite(
				org,
				'removePackageLicenses',
				[
					{ id: a.Id, pick: ['SBQQ', 'nope__'] },
					{ id: a.Id, pick: ['dfsle'] },
					{ id: b.Id, pick: ['SBQQ'] },
				],
				{
					dryRun: false,
					parameters: { packageLicenses: '={{ $json.pick }}' },
					continueOnFail: true,
				},
			);
			expect(run.json.map((j) => j.result)).toEqual(['failed', 'changed', 'changed']);
			expect(run.json[0].error).toEqual({
				code: 'INVALID_PARAMETER',
				message:
					'Item 0, "Package License Names or IDs": names "nope__", which this org does not have',
			});
			expect(seatsOf(a.Id)).toEqual([packages.cpq]);
			expect(seatsOf(b.Id)).toEqual([packages.docusign]);
		});

		it('an expression that gives nothing fails the item before any call (a choice never fails open to "all")', async () => {
			const [holder] = seated(1, [packages.cpq]);
			for (const value of ['={{ "" }}', '={{ null }}', '={{ $json.missing }}', '={{ 5 }}']) {
				const run = await runWrite(org, 'removePackageLicenses', input([holder]), {
					dryRun: false,
					parameters: { packageLicenses: value as unknown as string },
				});
				expect(run.error?.message).toMatch(/^Item 0, "Package License Names or IDs": /);
				expect(run.calls).toBe(0);
			}
			expect(seatsOf(holder.Id)).toEqual([packages.cpq]);
		});

		it('admins, protected users and the connected user are skipped; the cap counts users that would change', async () => {
			const [plain, protectedUser] = seated(2, [packages.cpq]);
			const admin = store().addUser({ profile: 'System Administrator' });
			store().assignPackageLicense(admin.Id, pkg(packages.cpq).Id);
			store().assignPackageLicense(org.admin.userId, pkg(packages.docusign).Id);
			const run = await runWrite(
				org,
				'removePackageLicenses',
				[...input([plain, protectedUser, admin]), { id: org.admin.userId }],
				{
					dryRun: false,
					parameters: { packageLicenses: [] },
					nodeOptions: { protectedUsernames: protectedUser.Username },
				},
			);
			expect(run.json.map((j) => j.result)).toEqual(['changed', 'skipped', 'skipped', 'skipped']);
			expect(seatsOf(protectedUser.Id)).toEqual([packages.cpq]);
			expect(seatsOf(admin.Id)).toEqual([packages.cpq]);
			expect(seatsOf(org.admin.userId)).toEqual([packages.docusign]);

			const many = seated(3, [packages.cpq]);
			const capped = await runWrite(org, 'removePackageLicenses', input(many), {
				dryRun: false,
				parameters: { packageLicenses: [] },
				nodeOptions: { maxUsers: 2 },
			});
			expect(capped.error?.message).toBe(
				'Remove package licenses would change 3 users, more than the "Max Users" limit of 2; nothing was changed',
			);
			expect(deletes()).toHaveLength(0);
			for (const u of many) expect(seatsOf(u.Id)).toEqual([packages.cpq]);
		});

		it('450 users: one Composite call of 3 Collections DELETE (<= 200 each), one seat read, every seat gone', async () => {
			const users = seated(450, [packages.docusign]);
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.docusign] },
				nodeOptions: { maxUsers: 500 },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.every((j) => j.result === 'changed')).toBe(true);
			expect(deletes().map((c) => c.records)).toEqual([200, 200, 50]);
			expect(deletes().every((c) => c.inComposite && !c.counted)).toBe(true);
			expect(org.calls.count('composite')).toBe(1);
			expect(
				org.calls.log.filter((c) => /FROM UserPackageLicense/.test(c.soql ?? '')),
			).toHaveLength(1);
			expect(users.every((u) => seatsOf(u.Id).length === 0)).toBe(true);
		});

		it('1,200 users: one COUNT() shows the org holds fewer seat rows than the 3 ID chunks, so they are read org-wide', async () => {
			const users = seated(1200, [packages.legacyDocusign]);
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.legacyDocusign] },
				nodeOptions: { maxUsers: 1200 },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.every((j) => j.result === 'changed')).toBe(true);
			const seatReads = org.calls.log
				.filter((c) => /FROM UserPackageLicense/.test(c.soql ?? ''))
				.map((c) => c.soql);
			expect(seatReads).toEqual([
				'SELECT COUNT() FROM UserPackageLicense',
				'SELECT Id, UserId, PackageLicenseId, PackageLicense.NamespacePrefix FROM UserPackageLicense',
			]);
			expect(deletes().map((c) => c.records)).toEqual([200, 200, 200, 200, 200, 200]);
			expect(org.calls.count('composite')).toBe(2);
			expect(users.every((u) => seatsOf(u.Id).length === 0)).toBe(true);
		});

		it('without "Manage Package Licenses" every seat fails with Salesforce\'s code, message and guidance', async () => {
			const [holder] = seated(1, [packages.cpq]);
			const admin = store().profileByName('System Administrator')!;
			admin.PermissionsManagePackageLicenses = false;
			try {
				const run = await runWrite(org, 'removePackageLicenses', input([holder]), {
					dryRun: false,
					parameters: { packageLicenses: [] },
					continueOnFail: true,
				});
				expect(run.json[0]).toMatchObject({
					result: 'failed',
					removed: [],
					failed: [
						{
							name: 'SBQQ',
							code: 'INSUFFICIENT_ACCESS_OR_READONLY',
							message: 'insufficient access rights on object id',
						},
					],
					error: { code: 'INSUFFICIENT_ACCESS_OR_READONLY' },
				});
				expect((run.json[0].error as IDataObject).guidance).toMatch(/Manage Package Licenses/);
			} finally {
				admin.PermissionsManagePackageLicenses = true;
			}
			expect(seatsOf(holder.Id)).toEqual([packages.cpq]);
		});
	});

	describe('deletes in Composite requests (5 Collections DELETE of 200 = one API call)', () => {
		/** REST calls the org counted against its limit, and which of them were reads. */
		const counted = () => org.calls.log.filter((c) => c.counted);
		const reads = () => counted().filter((c) => c.kind === 'query' || c.kind === 'queryMore');

		it('1,130 seats: two Composite calls (1,000 + 130), every seat gone, each Composite one API call', async () => {
			const users = seated(1130, [packages.docusign]);
			const usedBefore = org.controls.apiUsed;
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.docusign] },
				nodeOptions: { maxUsers: 1200 },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.every((j) => j.result === 'changed')).toBe(true);
			expect(users.every((u) => seatsOf(u.Id).length === 0)).toBe(true);
			expect(org.calls.count('composite')).toBe(2);
			expect(deletes().map((c) => c.records)).toEqual([200, 200, 200, 200, 200, 130]);
			expect(deletes().every((c) => c.inComposite && !c.counted)).toBe(true);
			// what the org counted: the reads and the two Composite requests, nothing else
			expect(counted().length).toBe(reads().length + 2);
			expect(org.controls.apiUsed - usedBefore).toBe(counted().length);
		});

		it('an endpoint without Composite (404 NOT_FOUND): the deletes go as plain Collections DELETE, 200 a call, and Composite is not asked again', async () => {
			const users = seated(1130, [packages.docusign]);
			org.controls.failNext(
				1,
				404,
				'NOT_FOUND',
				'The requested resource does not exist',
				'composite',
			);
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.docusign] },
				nodeOptions: { maxUsers: 1200 },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.every((j) => j.result === 'changed')).toBe(true);
			expect(users.every((u) => seatsOf(u.Id).length === 0)).toBe(true);
			// the one refused Composite request, then every delete on its own, none inside Composite
			expect(org.calls.count('composite')).toBe(1);
			expect(deletes().map((c) => c.records)).toEqual([200, 200, 200, 200, 200, 130]);
			expect(deletes().every((c) => !c.inComposite && c.counted)).toBe(true);
		});

		it('the dry run counts one delete call per 1,000 records', async () => {
			const users = seated(1130, [packages.cpq]);
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: true,
				parameters: { packageLicenses: [packages.cpq] },
				nodeOptions: { maxUsers: 1200 },
			});
			expect(run.json[0].reason).toBe(
				'Dry run: would remove SBQQ (1 of 1130 records; 2 delete call(s) for the run)',
			);
			expect(org.calls.count('composite')).toBe(0);
			for (const row of store().userPackageLicenses.filter((r) =>
				users.some((u) => u.Id === r.UserId),
			))
				store().remove('UserPackageLicense', row.Id);
		});

		it("a subrequest Salesforce refuses whole fails each of its users with Salesforce's code and message; the others go, and nothing is repeated", async () => {
			const users = seated(450, [packages.docusign]);
			org.controls.failNext(1, 500, undefined, undefined, 'collectionsDelete');
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.docusign] },
				nodeOptions: { maxUsers: 500 },
				continueOnFail: true,
			});
			const failed = run.json.filter((j) => j.result === 'failed');
			expect(failed).toHaveLength(200);
			for (const item of failed) {
				expect(item.failed).toEqual([
					{
						name: packages.docusign,
						code: 'UNKNOWN_EXCEPTION',
						message:
							'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)',
					},
				]);
				expect(seatsOf(item.id as string)).toEqual([packages.docusign]);
			}
			expect(run.json.filter((j) => j.result === 'changed')).toHaveLength(250);
			expect(users.filter((u) => seatsOf(u.Id).length === 0)).toHaveLength(250);
			expect(org.calls.count('composite')).toBe(1);
			expect(deletes().map((c) => [c.records, c.status])).toEqual([
				[200, 500],
				[200, 200],
				[50, 200],
			]);
		});

		it('per-record refusals inside a subrequest fail only those users, across two Composite calls', async () => {
			const cpqUser = store().permissionSets.find((p) => p.Name === permissionSets.cpqUser)!;
			const users = addUsers(org, 1050);
			for (const u of users) store().assignPermissionSetLicense(u.Id, cpqUser.LicenseId!);
			const needing = [users[10], users[600], users[1040]];
			for (const u of needing) store().assignPermissionSet(u.Id, cpqUser.Id);
			const run = await runWrite(org, 'removePermissionSetLicenses', input(users), {
				dryRun: false,
				parameters: { permissionSetLicenses: ['SalesforceCPQ_CPQStandardPerm'] },
				nodeOptions: { maxUsers: 1100 },
				continueOnFail: true,
			});
			const failedIds = run.json.filter((j) => j.result === 'failed').map((j) => j.id);
			expect(failedIds.sort()).toEqual(needing.map((u) => u.Id).sort());
			for (const item of run.json.filter((j) => j.result === 'failed'))
				expect(item.failed).toMatchObject([
					{ name: 'Salesforce CPQ License', code: 'FIELD_INTEGRITY_EXCEPTION' },
				]);
			expect(run.json.filter((j) => j.result === 'changed')).toHaveLength(1047);
			expect(
				store().permissionSetLicenseAssigns.filter((a) => users.some((u) => u.Id === a.AssigneeId)),
			).toHaveLength(3);
			expect(org.calls.count('composite')).toBe(2);
			expect(deletes().map((c) => c.records)).toEqual([200, 200, 200, 200, 200, 50]);
		});

		it('a Composite request whose answer is lost is sent once more; seats already gone count as removed', async () => {
			const users = seated(5, [packages.docusign]);
			org.controls.failNext(1, 503, undefined, undefined, 'composite');
			const run = await runWrite(org, 'removePackageLicenses', input(users), {
				dryRun: false,
				parameters: { packageLicenses: [packages.docusign] },
			});
			expect(run.error).toBeUndefined();
			expect(run.json.map((j) => j.result)).toEqual(Array(5).fill('changed'));
			expect(users.every((u) => seatsOf(u.Id).length === 0)).toBe(true);
			expect(org.calls.count('composite')).toBe(2);
		});
	});

	describe('Remove permission set licenses, permission sets, groups', () => {
		const cpqUser = () => store().permissionSets.find((p) => p.Name === permissionSets.cpqUser)!;

		it("a license a kept permission set needs: that user fails with Salesforce's refusal and guidance; the others are changed", async () => {
			const [needs, free] = addUsers(org, 2);
			for (const u of [needs, free]) store().assignPermissionSetLicense(u.Id, cpqUser().LicenseId!);
			store().assignPermissionSet(needs.Id, cpqUser().Id);
			const run = await runWrite(org, 'removePermissionSetLicenses', input([needs, free]), {
				dryRun: false,
				parameters: { permissionSetLicenses: ['SalesforceCPQ_CPQStandardPerm'] },
				continueOnFail: true,
			});
			expect(run.json[1]).toMatchObject({ result: 'changed', removed: ['Salesforce CPQ License'] });
			expect(run.json[0]).toMatchObject({
				result: 'failed',
				removed: [],
				failed: [{ name: 'Salesforce CPQ License', code: 'FIELD_INTEGRITY_EXCEPTION' }],
			});
			expect((run.json[0].error as IDataObject).guidance).toMatch(
				/remove that permission set first/,
			);
			expect(
				store().permissionSetLicenseAssigns.filter((a) => a.AssigneeId === needs.Id),
			).toHaveLength(1);
		});

		it('a label chooses too (what Get users reports)', async () => {
			const [holder] = addUsers(org, 1);
			store().assignPermissionSetLicense(holder.Id, cpqUser().LicenseId!);
			const run = await runWrite(org, 'removePermissionSetLicenses', input([holder]), {
				dryRun: false,
				parameters: { permissionSetLicenses: 'Salesforce CPQ License' },
			});
			expect(run.json[0]).toMatchObject({ result: 'changed', removed: ['Salesforce CPQ License'] });
		});

		it('permission sets and groups go, the profile-owned assignment never', async () => {
			const [holder] = addUsers(org, 1);
			const group = store().permissionSetGroups.find(
				(g) => g.DeveloperName === permissionSetGroups.salesOperations,
			)!;
			store().assignPermissionSetGroup(holder.Id, group.Id);
			store().assignPermissionSet(holder.Id, cpqUser().Id);
			const run = await runWrite(org, 'removePermissionSets', input([holder]), {
				dryRun: false,
				parameters: { permissionSets: [] },
			});
			expect(run.json[0]).toMatchObject({ result: 'changed' });
			expect((run.json[0].removed as string[]).sort()).toEqual(['CPQ User', 'Sales Operations']);
			const left = store().permissionSetAssignments.filter((a) => a.AssigneeId === holder.Id);
			expect(left).toHaveLength(1);
			expect(
				store().get<{ IsOwnedByProfile: boolean }>('PermissionSet', left[0].PermissionSetId)!
					.IsOwnedByProfile,
			).toBe(true);

			const again = await runWrite(org, 'removePermissionSets', input([holder]), {
				dryRun: false,
				parameters: { permissionSets: [] },
			});
			expect(again.json[0]).toMatchObject({
				result: 'unchanged',
				reason: 'Holds no permission sets and permission set groups',
			});
			expect(deletes()).toHaveLength(0);
		});

		it('groups and queues by developer name', async () => {
			const [member] = addUsers(org, 1);
			for (const name of [groups.allSales, groups.emeaTeam, queues.supportTier1])
				store().addGroupMember(store().groupByDeveloperName(name)!.Id, member.Id);
			const run = await runWrite(org, 'removeFromGroups', input([member]), {
				dryRun: false,
				parameters: { groups: [groups.allSales, queues.supportTier1] },
			});
			expect(run.json[0]).toMatchObject({ result: 'changed' });
			expect((run.json[0].removed as string[]).sort()).toEqual([
				groups.allSales,
				queues.supportTier1,
			]);
			const left = store()
				.groupMembers.filter((m) => m.UserOrGroupId === member.Id)
				.map((m) => store().get<{ DeveloperName: string }>('Group', m.GroupId)!.DeveloperName);
			expect(left).toEqual([groups.emeaTeam]);
		});
	});

	describe('deactivation pre-flight', () => {
		it('a user named in another active user\'s hierarchy field, or their delegated approver, is skipped "blocked:", in a dry run too', async () => {
			const [approver, delegate, free] = addUsers(org, 3);
			const referrer = store().addUser({ Approver__c: approver.Id });
			const delegator = store().addUser({ DelegatedApproverId: delegate.Id });
			for (const dryRun of [true, false]) {
				const run = await runWrite(org, 'deactivate', input([approver, delegate, free]), {
					dryRun: 'default',
					nodeOptions: { dryRun },
				});
				expect(run.json.map((j) => j.result)).toEqual([
					'skipped',
					'skipped',
					dryRun ? 'dryRun' : 'changed',
				]);
				expect(run.json[0].reason).toBe(
					`blocked: named in the hierarchy field "Approver" (Approver__c) of active user ${referrer.Username}; clear that field or point it to another user; then deactivate (freeze the user meanwhile: it blocks sign-in at once)`,
				);
				expect(run.json[1].reason).toMatch(
					new RegExp(
						`^blocked: delegated approver of active user ${delegator.Username.replace(/\./g, '\\.')}; change that user's Delegated Approver`,
					),
				);
			}
			expect(user(org, approver.Id).IsActive).toBe(true);
			expect(user(org, delegate.Id).IsActive).toBe(true);
			expect(user(org, free.Id).IsActive).toBe(false);
			// Patching the deactivation straight away would have been refused: the pre-flight spared the call.
			expect(
				org.calls.log.filter((c) => c.kind === 'collectionsPatch').map((c) => c.records),
			).toEqual([1]);
		});

		it('a refusal only Salesforce reveals (Web-to-Lead default creator) fails with its text and guidance', async () => {
			const [creator] = addUsers(org, 1);
			store().userSettings.webToLeadDefaultCreatorId = creator.Id;
			try {
				const run = await runWrite(org, 'deactivate', input([creator]), {
					dryRun: false,
					continueOnFail: true,
				});
				expect(run.json[0]).toMatchObject({
					result: 'failed',
					error: {
						code: 'FIELD_INTEGRITY_EXCEPTION',
						message: 'You cannot disable the Web to Lead Default Creator',
					},
				});
				expect((run.json[0].error as IDataObject).guidance).toMatch(
					/default owner in the Lead\/Case settings/,
				);
			} finally {
				delete store().userSettings.webToLeadDefaultCreatorId;
			}
		});
	});
});
