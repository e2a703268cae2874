/**
 * Entitlements through a real n8n (1.x and 2.x, E2E_N8N) with the packed package, against the
 * demo org with its entitlement seed (package seats, permission set licenses, permission sets
 * and groups, public groups and queues): the reads, the four removals and Offboard user with
 * Dry Run off, the deactivation pre-flight, and the two entitlement examples in their dry run.
 * Each test checks the node's output AND the org's state afterwards; expected values come from
 * the fake org's store, never from the output.
 *
 * One org, one user folder, one import of credentials and of workflows per major; each test is
 * one `n8n execute` and works on its own users (or reads only), so the order does not matter.
 */
import { DEMO_SEED, FakeOrg, UserRecord } from '../fake-org';
import { USER_FEATURE_FLAGS } from '../fake-org/schema';
import { ENTITLEMENT_CATALOG } from '../fake-org/seed';
import { holdingsOf } from '../helpers/holdings';
import { CredentialRef, exampleFiles, exampleId, passwordCredential, prepareExample, runnableByCli, salesforceNode } from './fixtures';
import { linearWorkflow, majorsUnderTest, mustSucceed, N8nHarness, WorkflowNode } from './n8n';

const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;
const CPQ_PSL = 'SalesforceCPQ_CPQStandardPerm';

const CRED = {
	readWrite: { type: 'salesforceAdminPasswordApi', id: 'entPasswordRW001', name: 'Fake org (Read/Take Action)' },
	readOnly: { type: 'salesforceAdminPasswordApi', id: 'entPasswordRO001', name: 'Fake org (Read-Only)' },
} as const satisfies Record<string, CredentialRef>;

const WF = {
	packageLicenses: 'wfEntPackageLic1',
	holdersWithAccess: 'wfEntHoldersAcc1',
	removals: 'wfEntRemovals001',
	licenseBeforeSet: 'wfEntPslFirst001',
	offboardDryRun: 'wfEntOffboardDry',
	offboardLive: 'wfEntOffboardLiv',
	deactivateBlocked: 'wfEntDeactBlock1',
} as const;

const EXAMPLE = {
	offboardLeavers: exampleId('offboard-leavers.json'),
	reclaimOrphaned: exampleId('reclaim-orphaned-package-seats.json'),
};

type StepItem = { step: string; result: string; removed?: string[]; reason?: string; records?: number; error?: { code: string } };
type WriteItem = {
	id: string;
	username: string;
	action: string;
	result: string;
	reason?: string;
	removed?: string[];
	failed?: Array<{ name: string; code: string; message: string; guidance?: string }>;
	error?: { code: string; message: string; guidance?: string };
	steps?: StepItem[];
	plannedCalls?: number;
};

const byText = (a: string, b: string) => a.localeCompare(b);
const iso = (value: string | null) => (value ? new Date(value.replace(/\+0000$/, 'Z')).toISOString() : null);

describe.each(majorsUnderTest())('n8n %s.x: entitlements against the fake org', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	const users: Record<string, UserRecord> = {};

	const store = () => org.store;
	const ps = (name: string) => store().permissionSets.find((p) => p.Name === name)!;
	const psg = (developerName: string) => store().permissionSetGroups.find((g) => g.DeveloperName === developerName)!;
	const seat = (userId: string, namespace: string) => store().assignPackageLicense(userId, store().packageLicenseByNamespace(namespace)!.Id);
	const join = (groupName: string, userId: string) => store().addGroupMember(store().groupByDeveloperName(groupName)!.Id, userId);

	/** A standard user with a recognisable username. */
	const addUser = (key: string, extra: Parameters<FakeOrg['store']['addUser']>[0] = {}) => {
		users[key] = store().addUser({ FirstName: 'E2E', LastName: key, Username: `${key.toLowerCase()}@e2e.acme.example.com`, ...extra });
		return users[key];
	};

	/** One of everything: the CPQ package, its permission set license and the permission set that needs it, and more. */
	const holdingEverything = (key: string, extra: Parameters<FakeOrg['store']['addUser']>[0] = {}) => {
		const u = addUser(key, extra);
		const cpqUser = ps(permissionSets.cpqUser);
		seat(u.Id, packages.cpq);
		seat(u.Id, packages.docusign);
		store().assignPermissionSetLicense(u.Id, cpqUser.LicenseId!);
		store().assignPermissionSet(u.Id, cpqUser.Id);
		store().assignPermissionSetGroup(u.Id, psg(permissionSetGroups.salesOperations).Id);
		join(groups.allSales, u.Id);
		join(groups.emeaTeam, u.Id);
		join(queues.supportTier1, u.Id);
		return u;
	};

	/** What a store user holds, named as the node reports it (namespaces, labels, developer names). */
	const holdings = (userId: string) => holdingsOf(store(), userId);
	const profileOwnedAssignments = (userId: string) =>
		store().permissionSetAssignments.filter((a) => a.AssigneeId === userId && store().permissionSets.find((p) => p.Id === a.PermissionSetId)!.IsOwnedByProfile)
			.length;
	const isFrozen = (userId: string) => store().userLoginFor(userId)?.IsFrozen ?? false;
	const isAdmin = (u: UserRecord) => store().profiles.find((p) => p.Id === u.ProfileId)?.Name === 'System Administrator';
	const featureFlags = (u: UserRecord) => USER_FEATURE_FLAGS.filter((f) => (u as unknown as Record<string, unknown>)[f] === true);
	/** Everything every user holds, to prove a run touched nobody it should not. */
	const orgSnapshot = () =>
		JSON.stringify({
			seats: store().userPackageLicenses.map((r) => r.Id).sort(),
			licenses: store().permissionSetLicenseAssigns.map((r) => r.Id).sort(),
			assignments: store().permissionSetAssignments.map((r) => r.Id).sort(),
			members: store().groupMembers.map((r) => r.Id).sort(),
			users: store().users.map((u) => [u.Id, u.IsActive, isFrozen(u.Id), featureFlags(u).length]),
		});
	const writeCalls = () => org.calls.log.filter((c) => c.kind === 'collectionsDelete' || c.kind === 'collectionsPatch' || c.kind === 'sobjectPatch').length;

	const getUsersByName = (keys: string[], extra: Record<string, unknown> = {}): WorkflowNode =>
		salesforceNode(
			'Get users',
			{
				resource: 'user',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'all', usernames: keys.map((k) => users[k].Username).join(',') },
				...extra,
			},
			CRED.readWrite,
		);
	const write = (name: string, operation: string, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode => ({
		...salesforceNode(name, { resource: 'user', operation, userId: '={{ $json.id }}', ...parameters }, CRED.readWrite),
		...extra,
	});

	beforeAll(async () => {
		// The org the demo and the examples are written for (their leavers are its users), without
		// event log files (nothing here reads them).
		org = await FakeOrg.start({ orgName: 'Acme Corporation (demo)', seed: { ...DEMO_SEED, eventLogFiles: undefined, entitlements: true } });

		// The four removals, one after the other, on the same users
		holdingEverything('Remover1');
		holdingEverything('Remover2');
		addUser('RemoverNone');
		// A permission set license its assigned permission set still needs
		const stillNeeded = addUser('LicenseStillNeeded');
		store().assignPermissionSetLicense(stillNeeded.Id, ps(permissionSets.cpqUser).LicenseId!);
		store().assignPermissionSet(stillNeeded.Id, ps(permissionSets.cpqUser).Id);
		// Offboard: one leaver goes all the way; one is another active user's delegated approver
		holdingEverything('Leaver', { UserPermissionsMarketingUser: true });
		holdingEverything('BlockedLeaver', { UserPermissionsMarketingUser: true });
		addUser('Delegator', { DelegatedApproverId: users.BlockedLeaver.Id });
		// Offboard dry run (its own users: the live run would change the plan)
		holdingEverything('DryLeaver');
		holdingEverything('DryBlocked');
		addUser('DryReferrer', { Approver__c: users.DryBlocked.Id });
		// Deactivate user: a pre-flight blocker, and a refusal only Salesforce reveals
		addUser('ApproverOfSomeone');
		addUser('Referrer', { Approver__c: users.ApproverOfSomeone.Id });
		addUser('WebToLeadCreator');
		store().userSettings.webToLeadDefaultCreatorId = users.WebToLeadCreator.Id;
		// Salesforce assigns no seat beyond a package's allowance: make room for the seats given above
		const used = store().usedPackageLicenseCounts();
		for (const license of store().packageLicenses)
			if (license.AllowedLicenses >= 0) license.AllowedLicenses = Math.max(license.AllowedLicenses, (used.get(license.Id) ?? 0) + 3);

		n8n = await N8nHarness.create({ major, name: 'entitlements' });
		await n8n.importCredentials([passwordCredential(org, CRED.readWrite, 'readWrite'), passwordCredential(org, CRED.readOnly, 'readOnly')]);
		const examples = exampleFiles()
			.filter(({ file }) => [EXAMPLE.offboardLeavers, EXAMPLE.reclaimOrphaned].includes(exampleId(file)))
			.map(({ file, workflow }) => runnableByCli(prepareExample(file, workflow, { readOnly: CRED.readOnly, readWrite: CRED.readWrite })));
		expect(examples.map((w) => w.id).sort()).toEqual([EXAMPLE.offboardLeavers, EXAMPLE.reclaimOrphaned].sort());

		await n8n.importWorkflows([
			linearWorkflow(WF.packageLicenses, 'E2E Get licenses (package)', [
				salesforceNode('Get licenses', { resource: 'license', operation: 'getMany', returnAll: true, filters: { types: ['package'] } }, CRED.readOnly),
			]),
			linearWorkflow(WF.holdersWithAccess, 'E2E Get users holding CPQ, with Include Access', [
				salesforceNode(
					'Get users',
					{ resource: 'user', operation: 'getMany', returnAll: true, filters: { status: 'all', packageLicenses: [packages.cpq] }, options: { includeAccess: true } },
					CRED.readOnly,
				),
			]),
			linearWorkflow(WF.removals, 'E2E the four removals, Dry Run off', [
				getUsersByName(['Remover1', 'Remover2', 'RemoverNone']),
				// Permission sets before the permission set license they need: Salesforce's order
				write('Remove permission sets', 'removePermissionSets', { permissionSets: [], dryRun: false }),
				write('Remove permission set licenses', 'removePermissionSetLicenses', { permissionSetLicenses: [CPQ_PSL], dryRun: false }),
				write('Remove package licenses', 'removePackageLicenses', { packageLicenses: [packages.cpq], dryRun: false }),
				write('Remove from groups', 'removeFromGroups', { groups: [groups.allSales, queues.supportTier1], dryRun: false }),
			]),
			linearWorkflow(WF.licenseBeforeSet, 'E2E a permission set license an assigned permission set needs', [
				getUsersByName(['LicenseStillNeeded']),
				write('Remove permission set licenses', 'removePermissionSetLicenses', { permissionSetLicenses: [CPQ_PSL], dryRun: false }, { onError: 'continueRegularOutput' }),
			]),
			linearWorkflow(WF.offboardDryRun, 'E2E Offboard user, dry run (as newly added)', [
				getUsersByName(['DryLeaver', 'DryBlocked']),
				// No Dry Run set anywhere: the default (on) applies
				write('Offboard user', 'offboard', {}),
			]),
			linearWorkflow(WF.offboardLive, 'E2E Offboard user, Dry Run off', [
				getUsersByName(['Leaver', 'BlockedLeaver']),
				write('Offboard user', 'offboard', { dryRun: false }),
			]),
			linearWorkflow(WF.deactivateBlocked, 'E2E Deactivate user: the pre-flight and a refusal only Salesforce reveals', [
				getUsersByName(['ApproverOfSomeone', 'WebToLeadCreator']),
				write('Deactivate user', 'deactivate', { dryRun: false, options: {} }, { onError: 'continueRegularOutput' }),
			]),
			...examples,
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	beforeEach(() => org.calls.reset());

	test('Get licenses, type package: every managed package with its seats; a site license has no total', async () => {
		const run = await n8n.execute(WF.packageLicenses);
		mustSucceed(run);
		const used = store().usedPackageLicenseCounts();
		const expected = store()
			.packageLicenses.map((p) => {
				const total = p.AllowedLicenses < 0 ? null : p.AllowedLicenses;
				const n = used.get(p.Id) ?? 0;
				return { type: 'package', name: p.NamespacePrefix, key: p.Id, status: p.Status, total, used: n, available: total === null ? null : total - n, expirationDate: iso(p.ExpirationDate) };
			})
			.sort((a, b) => byText(a.name, b.name));
		const got = run.json('Get licenses');
		expect([...got].sort((a, b) => byText(String(a.name), String(b.name)))).toEqual(expected);
		expect(got.find((l) => l.name === packages.marketingCloud)).toMatchObject({ status: 'Free', total: null, available: null });
		expect(got.find((l) => l.name === packages.cpq)?.used).toBeGreaterThan(5);
		expect(writeCalls()).toBe(0);
	});

	test('Get users with the package license filter and Include Access: exactly the holders, each with everything held', async () => {
		const run = await n8n.execute(WF.holdersWithAccess);
		mustSucceed(run);
		const cpq = store().packageLicenseByNamespace(packages.cpq)!.Id;
		const holders = new Set(store().userPackageLicenses.filter((r) => r.PackageLicenseId === cpq).map((r) => r.UserId));
		const got = run.json<{ id: string; isActive: boolean } & ReturnType<typeof holdings>>('Get users');
		expect(got.map((u) => u.id).sort()).toEqual([...holders].sort());
		// the seed hands CPQ to active and inactive users alike
		expect(new Set(got.map((u) => u.isActive))).toEqual(new Set([true, false]));
		for (const u of got) {
			expect({
				packageLicenses: u.packageLicenses,
				permissionSetLicenses: u.permissionSetLicenses,
				permissionSets: u.permissionSets,
				permissionSetGroups: u.permissionSetGroups,
				groups: u.groups,
				queues: u.queues,
			}).toEqual(holdings(u.id));
		}
		expect(writeCalls()).toBe(0);
	});

	test('Remove permission sets → permission set licenses → package licenses → from groups (Dry Run off): only what was chosen goes', async () => {
		const [r1, r2, none] = [users.Remover1, users.Remover2, users.RemoverNone];
		const before = orgSnapshot();
		const othersBefore = store()
			.users.filter((u) => ![r1.Id, r2.Id].includes(u.Id))
			.map((u) => [u.Id, holdings(u.Id)]);

		const run = await n8n.execute(WF.removals);
		mustSucceed(run);
		expect(orgSnapshot()).not.toEqual(before);

		const byId = (node: string) => new Map(run.json<WriteItem>(node).map((i) => [i.id, i]));
		const expectStep = (node: string, action: string, removed: string[]) => {
			const items = byId(node);
			expect(items.size).toBe(3);
			for (const u of [r1, r2]) {
				expect(items.get(u.Id)).toMatchObject({ username: u.Username, action, result: 'changed' });
				expect([...(items.get(u.Id)!.removed ?? [])].sort(byText)).toEqual(removed);
			}
			expect(items.get(none.Id)).toMatchObject({ action, result: 'unchanged' });
		};
		expectStep('Remove permission sets', 'removePermissionSets', ['CPQ User', 'Sales Operations']);
		expectStep('Remove permission set licenses', 'removePermissionSetLicenses', ['Salesforce CPQ License']);
		expectStep('Remove package licenses', 'removePackageLicenses', [packages.cpq]);
		expectStep('Remove from groups', 'removeFromGroups', [groups.allSales, queues.supportTier1].sort(byText));

		// The org: what was not chosen stays (DocuSign, EMEA Team), the profile's own permission set too
		for (const u of [r1, r2]) {
			expect(holdings(u.Id)).toEqual({
				packageLicenses: [packages.docusign],
				permissionSetLicenses: [],
				permissionSets: [],
				permissionSetGroups: [],
				groups: [groups.emeaTeam],
				queues: [],
			});
			expect(profileOwnedAssignments(u.Id)).toBe(1);
			expect(store().users.find((x) => x.Id === u.Id)?.IsActive).toBe(true);
		}
		// nobody else lost anything
		expect(
			store()
				.users.filter((u) => ![r1.Id, r2.Id].includes(u.Id))
				.map((u) => [u.Id, holdings(u.Id)]),
		).toEqual(othersBefore);
		// one batched DELETE per removal for both users
		expect(org.calls.log.filter((c) => c.kind === 'collectionsDelete').map((c) => c.records)).toEqual([4, 2, 2, 4]);
	});

	test("a permission set license an assigned permission set still needs: Salesforce's refusal on the item, with guidance; nothing removed", async () => {
		const u = users.LicenseStillNeeded;
		const run = await n8n.execute(WF.licenseBeforeSet);
		mustSucceed(run);
		const [item] = run.json<WriteItem>('Remove permission set licenses');
		expect(item).toMatchObject({ id: u.Id, result: 'failed', removed: [], failed: [{ name: 'Salesforce CPQ License', code: 'FIELD_INTEGRITY_EXCEPTION' }] });
		expect(item.error?.guidance).toMatch(/remove that permission set first/);
		expect(holdings(u.Id)).toMatchObject({ permissionSetLicenses: ['Salesforce CPQ License'], permissionSets: ['CPQ User'] });
	});

	test('Offboard user as newly added (Dry Run on): the whole plan per user and the calls it would spend; nothing changes', async () => {
		const [leaver, blocked] = [users.DryLeaver, users.DryBlocked];
		const before = orgSnapshot();
		const run = await n8n.execute(WF.offboardDryRun);
		mustSucceed(run);

		const items = new Map(run.json<WriteItem>('Offboard user').map((i) => [i.id, i]));
		for (const u of [leaver, blocked]) {
			const item = items.get(u.Id)!;
			expect(item).toMatchObject({ action: 'offboard', result: 'dryRun' });
			const held = holdings(u.Id);
			expect(item.steps!.map((s) => [s.step, s.result, s.records])).toEqual([
				['freeze', 'dryRun', 1],
				['removePermissionSets', 'dryRun', held.permissionSets.length + held.permissionSetGroups.length],
				['removePermissionSetLicenses', 'dryRun', held.permissionSetLicenses.length],
				['removePackageLicenses', 'dryRun', held.packageLicenses.length],
				// no feature licenses held
				['removeFeatureLicenses', 'unchanged', undefined],
				['removeFromGroups', 'dryRun', held.groups.length + held.queues.length],
				u === blocked ? ['deactivate', 'skipped', undefined] : ['deactivate', 'dryRun', 1],
			]);
			// freeze 2, permission sets 4, licenses 2, packages 4, groups 6, deactivate 1 records: one call per step
			expect(item.plannedCalls).toBe(6);
		}
		const blockedStep = items.get(blocked.Id)!.steps!.find((s) => s.step === 'deactivate')!;
		expect(blockedStep.reason).toMatch(new RegExp(`^blocked: named in the hierarchy field "Approver" \\(Approver__c\\) of active user ${users.DryReferrer.Username.replace(/\./g, '\\.')}`));

		expect(writeCalls()).toBe(0);
		expect(orgSnapshot()).toEqual(before);
	});

	test('Offboard user, Dry Run off: frozen, stripped, deactivated; the blocked user stays frozen and stripped, deactivation "blocked:"', async () => {
		const [leaver, blocked] = [users.Leaver, users.BlockedLeaver];
		const othersBefore = store()
			.users.filter((u) => ![leaver.Id, blocked.Id].includes(u.Id))
			.map((u) => [u.Id, u.IsActive, isFrozen(u.Id), holdings(u.Id)]);
		const run = await n8n.execute(WF.offboardLive);
		mustSucceed(run);

		const items = new Map(run.json<WriteItem>('Offboard user').map((i) => [i.id, i]));
		const stripped = { packageLicenses: [], permissionSetLicenses: [], permissionSets: [], permissionSetGroups: [], groups: [], queues: [] };
		for (const u of [leaver, blocked]) {
			const item = items.get(u.Id)!;
			expect(item).toMatchObject({ username: u.Username, action: 'offboard', result: 'changed' });
			expect(item.steps!.map((s) => [s.step, s.result])).toEqual([
				['freeze', 'changed'],
				['removePermissionSets', 'changed'],
				['removePermissionSetLicenses', 'changed'],
				['removePackageLicenses', 'changed'],
				['removeFeatureLicenses', 'changed'],
				['removeFromGroups', 'changed'],
				['deactivate', u === blocked ? 'skipped' : 'changed'],
			]);
			const steps = new Map(item.steps!.map((s) => [s.step, s]));
			expect([...steps.get('removePackageLicenses')!.removed!].sort(byText)).toEqual([packages.cpq, packages.docusign].sort(byText));
			expect([...steps.get('removeFromGroups')!.removed!].sort(byText)).toEqual([groups.allSales, groups.emeaTeam, queues.supportTier1].sort(byText));
			expect(steps.get('removeFeatureLicenses')!.removed).toEqual(['Marketing']);

			// the org: frozen and stripped, the profile's own permission set kept
			expect(isFrozen(u.Id)).toBe(true);
			expect(holdings(u.Id)).toEqual(stripped);
			expect(profileOwnedAssignments(u.Id)).toBe(1);
			expect(featureFlags(store().users.find((x) => x.Id === u.Id)!)).toEqual([]);
		}
		expect(store().users.find((u) => u.Id === leaver.Id)?.IsActive).toBe(false);
		expect(store().users.find((u) => u.Id === blocked.Id)?.IsActive).toBe(true);
		const blockedStep = items.get(blocked.Id)!.steps!.find((s) => s.step === 'deactivate')!;
		expect(blockedStep.reason).toMatch(new RegExp(`^blocked: delegated approver of active user ${users.Delegator.Username.replace(/\./g, '\\.')}`));
		expect(items.get(blocked.Id)!.reason).toMatch(/not deactivated: blocked: /);
		expect(
			store()
				.users.filter((u) => ![leaver.Id, blocked.Id].includes(u.Id))
				.map((u) => [u.Id, u.IsActive, isFrozen(u.Id), holdings(u.Id)]),
		).toEqual(othersBefore);
	});

	test('Deactivate user (Dry Run off): the pre-flight skips a blocked user "blocked:", a refusal only Salesforce reveals fails with guidance', async () => {
		const [approver, creator] = [users.ApproverOfSomeone, users.WebToLeadCreator];
		const run = await n8n.execute(WF.deactivateBlocked);
		mustSucceed(run);
		const items = new Map(run.json<WriteItem>('Deactivate user').map((i) => [i.id, i]));
		expect(items.get(approver.Id)).toMatchObject({ action: 'deactivate', result: 'skipped' });
		expect(items.get(approver.Id)!.reason).toBe(
			`blocked: named in the hierarchy field "Approver" (Approver__c) of active user ${users.Referrer.Username}; clear that field or point it to another user; then deactivate (freeze the user meanwhile: it blocks sign-in at once)`,
		);
		expect(items.get(creator.Id)).toMatchObject({
			action: 'deactivate',
			result: 'failed',
			error: { code: 'FIELD_INTEGRITY_EXCEPTION', message: 'You cannot disable the Web to Lead Default Creator' },
		});
		expect(items.get(creator.Id)!.error?.guidance).toMatch(/default owner in the Lead\/Case settings/);
		for (const u of [approver, creator]) expect(store().users.find((x) => x.Id === u.Id)?.IsActive).toBe(true);
		// the blocked user cost no write: one PATCH, for the one Salesforce refused
		expect(org.calls.log.filter((c) => c.kind === 'collectionsPatch').map((c) => c.records)).toEqual([1]);
	});

	describe('the entitlement examples (examples/*.json), as committed: Dry Run on', () => {
		test('offboard-leavers: each leaver\'s plan, summarised by result; nothing changes', async () => {
			const before = orgSnapshot();
			const run = await n8n.execute(EXAMPLE.offboardLeavers);
			mustSucceed(run);

			const leavers = run.json<{ username: string }>('One item per leaver').map((i) => i.username);
			expect(leavers).toHaveLength(3);
			const leaverUsers = leavers.map((name) => store().users.find((u) => u.Username === name)!);
			expect(leaverUsers.every(Boolean)).toBe(true);

			const items = run.json<WriteItem>('Offboard user');
			expect(items.map((i) => i.username)).toEqual(leavers);
			const expectedResult = (u: UserRecord) => (isAdmin(u) ? 'skipped' : 'dryRun');
			for (const [i, u] of leaverUsers.entries()) {
				const item = items[i];
				expect(item).toMatchObject({ id: u.Id, action: 'offboard', result: expectedResult(u) });
				if (item.result !== 'dryRun') continue;
				const held = holdings(u.Id);
				const planned = (step: string, records: number) => (records > 0 ? [step, 'dryRun', records] : [step, 'unchanged', undefined]);
				expect(item.steps!.map((s) => [s.step, s.result, s.records])).toEqual([
					planned('freeze', isFrozen(u.Id) ? 0 : 1),
					planned('removePermissionSets', held.permissionSets.length + held.permissionSetGroups.length),
					planned('removePermissionSetLicenses', held.permissionSetLicenses.length),
					planned('removePackageLicenses', held.packageLicenses.length),
					planned('removeFeatureLicenses', featureFlags(u).length > 0 ? 1 : 0),
					planned('removeFromGroups', held.groups.length + held.queues.length),
					planned('deactivate', u.IsActive ? 1 : 0),
				]);
				expect(item.plannedCalls).toBeGreaterThan(0);
			}
			// the demo's leavers hold seats the dry run would give back
			expect(leaverUsers.some((u) => holdings(u.Id).packageLicenses.length > 0)).toBe(true);

			const counts: Record<string, number> = {};
			for (const u of leaverUsers) counts[expectedResult(u)] = (counts[expectedResult(u)] ?? 0) + 1;
			const summary = run.json<{ result: string; count_id: number }>('Summary by result');
			expect(Object.fromEntries(summary.map((s) => [s.result, s.count_id]))).toEqual(counts);

			expect(writeCalls()).toBe(0);
			expect(orgSnapshot()).toEqual(before);
		});

		test('reclaim-orphaned-package-seats: every inactive user holding seats would give them back; nothing changes', async () => {
			const before = orgSnapshot();
			const run = await n8n.execute(EXAMPLE.reclaimOrphaned);
			mustSucceed(run);

			const inactive = store().users.filter((u) => !u.IsActive && u.UserType === 'Standard');
			const found = run.json<{ id: string }>('Get inactive users');
			expect(found.map((u) => u.id).sort()).toEqual(inactive.map((u) => u.Id).sort());

			const expected = (u: UserRecord) => (isAdmin(u) ? 'skipped' : holdings(u.Id).packageLicenses.length > 0 ? 'dryRun' : 'unchanged');
			const results = run.json<WriteItem>('Remove package licenses');
			expect(new Map(results.map((r) => [r.id, r.result]))).toEqual(new Map(inactive.map((u) => [u.Id, expected(u)])));
			const orphaned = inactive.filter((u) => expected(u) === 'dryRun');
			expect(orphaned.length).toBeGreaterThan(2);
			for (const u of orphaned) {
				const item = results.find((r) => r.id === u.Id)!;
				expect(item.reason).toMatch(/^Dry run: would remove /);
				for (const namespace of holdings(u.Id).packageLicenses) expect(item.reason).toContain(namespace);
			}

			const counts: Record<string, number> = {};
			for (const u of inactive) counts[expected(u)] = (counts[expected(u)] ?? 0) + 1;
			const summary = run.json<{ result: string; count_id: number }>('Summary by result');
			expect(Object.fromEntries(summary.map((s) => [s.result, s.count_id]))).toEqual(counts);

			expect(writeCalls()).toBe(0);
			expect(orgSnapshot()).toEqual(before);
		});
	});
});
