/**
 * Workflows as users build them, run by a real n8n (1.x and 2.x, E2E_N8N) with the packed
 * package, against the fake org: the output of every node AND the org's state afterwards.
 *
 * One org, one user folder, one `n8n import:credentials` and one `n8n import:workflow` per n8n
 * major; each test is one `n8n execute`. Every test works on its own users (or reads only), so
 * the order of the tests does not matter, and each checks that nobody else was touched.
 */
import { FakeOrg, generateAppKeys, sfDateTime, to15, UserRecord } from '../fake-org';
import {
	CredentialRef,
	exampleFiles,
	numberFilterNode,
	oauthCredential,
	passwordCredential,
	prepareExample,
	runnableByCli,
	salesforceNode,
} from './fixtures';
import { linearWorkflow, majorsUnderTest, mustSucceed, N8nHarness, WorkflowDefinition } from './n8n';

const DAY = 86_400_000;

const CRED = {
	readWrite: { type: 'salesforceAdminPasswordApi', id: 'wfPasswordRW0001', name: 'Fake org (Read/Take Action)' },
	readOnly: { type: 'salesforceAdminPasswordApi', id: 'wfPasswordRO0001', name: 'Fake org (Read-Only)' },
	oauth: { type: 'salesforceAdminOAuth2Api', id: 'wfOAuth2RO000001', name: 'Fake org (OAuth2, Read-Only)' },
	// What the nightly examples use, as in the demo: JWT bearer against the org's External Client App.
	jwt: { type: 'salesforceAdminJwtApi', id: 'wfJwtBearerRW001', name: 'Fake org (JWT Bearer, Read/Take Action)' },
} as const satisfies Record<string, CredentialRef>;

const WF = {
	freezeReadWrite: 'wfFreezeRW000001',
	freezeReadOnly: 'wfFreezeRO000001',
	dryRun: 'wfDryRun00000001',
	licenses: 'wfLicenses000001',
	loginHistory: 'wfLoginHistory01',
	eventsPerUser: 'wfEventsPerUser1',
	nightlyUndo: 'wfNightlyUndo001',
} as const;

/** Write calls the fake org counts (sObject Collections and single-record PATCH). */
function writeCalls(org: FakeOrg): number {
	return org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch');
}

/** userId → IsFrozen for every user of the org. */
function frozenState(org: FakeOrg): Map<string, boolean> {
	return new Map(org.store.users.map((u) => [u.Id, org.store.userLoginFor(u.Id)?.IsFrozen ?? false]));
}

/** userId → IsActive for every user of the org. */
function activeState(org: FakeOrg): Map<string, boolean> {
	return new Map(org.store.users.map((u) => [u.Id, u.IsActive]));
}

/** The users whose frozen state differs between two snapshots. */
function changedUsers(before: Map<string, boolean>, after: Map<string, boolean>): string[] {
	return [...after].filter(([id, value]) => before.get(id) !== value).map(([id]) => id);
}

/** The "Get users → Filter → Freeze user" workflow of the issue, with one credential. */
function freezeWorkflow(id: string, name: string, usernames: string[], credential: CredentialRef): WorkflowDefinition {
	return linearWorkflow(id, name, [
		salesforceNode(
			'Get users',
			{ resource: 'user', operation: 'getMany', returnAll: true, filters: { status: 'all', usernames: usernames.join(', ') } },
			credential,
		),
		// Idle for 90 days or more, or never logged in (daysSinceLastLogin null).
		numberFilterNode('Idle for 90 days', '={{ $json.daysSinceLastLogin === null ? 100000 : $json.daysSinceLastLogin }}', 'gte', 90),
		salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', userId: '={{ $json.id }}', dryRun: false, options: {} }, credential),
	]);
}

/**
 * The nightly example as a person runs it for real and then undoes it: Dry Run off in Freeze user
 * (wherever the option lives) and the disabled undo branch enabled, in the same execution.
 */
function nightlyWithUndo(example: WorkflowDefinition): WorkflowDefinition {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowDefinition;
	copy.id = WF.nightlyUndo;
	copy.name = 'E2E nightly reclaim, real, then its undo branch';
	for (const node of copy.nodes) {
		if (node.name === 'Freeze user') {
			const parameters = node.parameters as { dryRun?: boolean; options?: { dryRun?: boolean } };
			if ('dryRun' in parameters) parameters.dryRun = false;
			if (parameters.options && 'dryRun' in parameters.options) parameters.options.dryRun = false;
		}
		delete (node as { disabled?: boolean }).disabled;
	}
	return copy;
}

describe.each(majorsUnderTest())('n8n %s.x: workflows against the fake org', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	const now = Date.now();
	const at = (daysAgo: number) => new Date(now - daysAgo * DAY);

	/** Users of one scenario, each added with a recognisable username. */
	const users: Record<string, UserRecord> = {};
	const addUser = (key: string, profile: string, lastLoginDaysAgo: number | null, extra: Partial<Parameters<FakeOrg['store']['addUser']>[0]> = {}) => {
		users[key] = org.store.addUser({
			profile,
			FirstName: 'E2E',
			LastName: key,
			Username: `${key.toLowerCase()}@e2e.acme.example.com`,
			LastLoginDate: lastLoginDaysAgo === null ? null : at(lastLoginDaysAgo),
			CreatedDate: at(800),
			...extra,
		});
		return users[key];
	};
	const usernames = (...keys: string[]) => keys.map((k) => users[k].Username);

	beforeAll(async () => {
		// Seeded history ends three hours ago, so "the last hour" holds only the rows added below.
		org = await FakeOrg.start({ seed: { users: 150, seed: 5, now: new Date(now - 3 * 3_600_000) } });

		// Get users → Filter → Freeze user (Read/Take Action)
		addUser('FreezeIdle1', 'Standard User', 200);
		addUser('FreezeIdle2', 'Standard Platform User', 120);
		addUser('FreezeIdle3', 'Standard User', 95);
		addUser('FreezeNever', 'Standard User', null);
		addUser('FreezeRecent', 'Standard User', 5);
		addUser('FreezeAlready', 'Standard User', 300, { IsFrozen: true });
		addUser('FreezeAdmin', 'System Administrator', 150);
		// The same workflow with a Read-Only credential
		addUser('ReadOnlyIdle1', 'Standard User', 200);
		addUser('ReadOnlyIdle2', 'Standard User', null);
		// Dry run
		addUser('DryIdle1', 'Standard User', 400);
		addUser('DryIdle2', 'Standard Platform User', null);
		addUser('DryRecent', 'Standard User', 10);

		// Login history of one user: 4 rows in the last 30 days (one a failure), 2 older.
		const historyUser = addUser('History', 'Standard User', 1);
		for (const [daysAgo, status] of [
			[1, 'Success'],
			[5, 'Invalid Password'],
			[12, 'Success'],
			[29, 'Success'],
			[31, 'Success'],
			[90, 'Success'],
		] as const) {
			org.store.addLoginHistory({ UserId: historyUser.Id, LoginTime: sfDateTime(at(daysAgo)), Status: status, SourceIp: '198.51.100.7' });
		}

		// Failed logins in the last hour (failed-login watch example): 4 for one user, 2 for another,
		// and an older burst that is out of the window.
		const bruteForced = addUser('BruteForced', 'Standard User', 2);
		const typo = addUser('Typo', 'Standard User', 2);
		for (const minutesAgo of [5, 12, 20, 41]) {
			org.store.addLoginHistory({
				UserId: bruteForced.Id,
				LoginTime: sfDateTime(now - minutesAgo * 60_000),
				Status: 'Invalid Password',
				SourceIp: minutesAgo < 15 ? '203.0.113.66' : '203.0.113.67',
			});
		}
		for (const minutesAgo of [8, 30]) {
			org.store.addLoginHistory({ UserId: typo.Id, LoginTime: sfDateTime(now - minutesAgo * 60_000), Status: 'Invalid Password' });
		}
		org.store.addLoginHistory({ UserId: typo.Id, LoginTime: sfDateTime(now - 25 * 60_000), Status: 'Success' });
		for (const minutesAgo of [100, 110, 120, 130, 140]) {
			org.store.addLoginHistory({ UserId: typo.Id, LoginTime: sfDateTime(now - minutesAgo * 60_000), Status: 'Password Lockout' });
		}

		// Event log files with known rows: two Report files, one URI file, one API file (filtered out).
		const [a, b, c] = [users.FreezeRecent, users.History, users.DryRecent];
		const header = '"EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","RUN_TIME","TIMESTAMP_DERIVED","USER_ID_DERIVED"\n';
		const fieldTypes = ['String', 'String', 'String', 'Id', 'Id', 'Number', 'DateTime', 'Id'];
		const row = (type: string, user: UserRecord, when: Date, n: number) => {
			const iso = when.toISOString();
			const compact = iso.replace(/[-:T]/g, '').replace('Z', '');
			return `"${type}","${compact}","REQ${n}","${org.store.orgId.slice(0, 15)}","${to15(user.Id)}","${10 + n}","${iso}","${user.Id}"\n`;
		};
		const day = (d: number, hour: number) => new Date(Math.floor(now / DAY) * DAY - d * DAY + hour * 3_600_000);
		org.store.addEventLogFile({
			EventType: 'Report',
			LogDate: day(2, 0),
			fieldTypes,
			body: header + row('Report', a, day(2, 9), 1) + row('Report', a, day(2, 10), 2) + row('Report', a, day(2, 11), 3) + row('Report', b, day(2, 12), 4),
		});
		org.store.addEventLogFile({
			EventType: 'Report',
			LogDate: day(1, 0),
			fieldTypes,
			body: header + row('Report', a, day(1, 8), 5) + row('Report', c, day(1, 9), 6) + row('Report', c, day(1, 10), 7),
		});
		org.store.addEventLogFile({
			EventType: 'URI',
			LogDate: day(1, 0),
			fieldTypes,
			body: header + row('URI', a, day(1, 15), 8) + row('URI', c, day(1, 16), 9) + row('URI', c, day(1, 17), 10),
		});
		org.store.addEventLogFile({
			EventType: 'API',
			LogDate: day(1, 0),
			fieldTypes,
			body: header + row('API', b, day(1, 7), 11) + row('API', b, day(1, 8), 12) + row('API', b, day(1, 9), 13),
		});

		n8n = await N8nHarness.create({ major, name: 'workflows' });
		// The External Client App with JWT bearer on, as the demo sets it up.
		const appKeys = generateAppKeys();
		org.controls.oauth.updateApp(org.externalClientApp.clientId, { certificate: appKeys.certificate });
		await n8n.importCredentials([
			passwordCredential(org, CRED.readWrite, 'readWrite'),
			passwordCredential(org, CRED.readOnly, 'readOnly'),
			oauthCredential(org, CRED.oauth, 'readOnly'),
			{
				...CRED.jwt,
				data: {
					environment: 'myDomain',
					myDomainUrl: org.url,
					clientId: org.externalClientApp.clientId,
					username: org.admin.username,
					privateKey: appKeys.privateKey,
					accessMode: 'readWrite',
				},
			},
		]);

		const exampleCredentials = { readOnly: CRED.readOnly, readWrite: CRED.readWrite, jwt: CRED.jwt };
		const examples = exampleFiles().map(({ file, workflow }) => runnableByCli(prepareExample(file, workflow, exampleCredentials)));
		const nightly = examples.find((w) => w.id === 'exNightlyLicense')!;
		await n8n.importWorkflows([
			freezeWorkflow(
				WF.freezeReadWrite,
				'E2E Get users → Filter → Freeze (Read/Take Action)',
				usernames('FreezeIdle1', 'FreezeIdle2', 'FreezeIdle3', 'FreezeNever', 'FreezeRecent', 'FreezeAlready', 'FreezeAdmin'),
				CRED.readWrite,
			),
			freezeWorkflow(WF.freezeReadOnly, 'E2E Get users → Filter → Freeze (Read-Only)', usernames('ReadOnlyIdle1', 'ReadOnlyIdle2'), CRED.readOnly),
			linearWorkflow(WF.dryRun, 'E2E Freeze dry run', [
				salesforceNode(
					'Get idle users',
					{
						resource: 'user',
						operation: 'getMany',
						returnAll: true,
						filters: { usernames: usernames('DryIdle1', 'DryIdle2', 'DryRecent').join(','), notLoggedInForDays: 90 },
					},
					CRED.readWrite,
				),
				// as a newly added node: no Dry Run set anywhere, so the default (on) applies
				salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', options: { maxUsers: 100 } }, CRED.readWrite),
			]),
			linearWorkflow(WF.licenses, 'E2E Get licenses (OAuth2)', [
				salesforceNode('Get licenses', { resource: 'license', operation: 'getMany', returnAll: true, filters: {} }, CRED.oauth),
			]),
			linearWorkflow(WF.loginHistory, 'E2E Get login history (expression date)', [
				salesforceNode(
					'Get login history',
					{
						resource: 'loginHistory',
						operation: 'getMany',
						returnAll: true,
						filters: { since: '={{ $now.minus({days: 30}) }}', userIds: users.History.Id },
					},
					CRED.readOnly,
				),
			]),
			linearWorkflow(WF.eventsPerUser, 'E2E Get events per user', [
				salesforceNode(
					'Get events',
					{
						resource: 'eventLog',
						operation: 'getEvents',
						output: 'perUser',
						filters: { eventTypes: ['Report', 'URI'], since: '={{ $now.minus({days: 7}) }}', interval: 'daily' },
					},
					CRED.readOnly,
				),
			]),
			nightlyWithUndo(nightly),
			...examples,
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	beforeEach(() => org.calls.reset());

	test('Get users → Filter → Freeze user (Read/Take Action): the idle users are frozen, nobody else', async () => {
		const frozenBefore = frozenState(org);
		const activeBefore = activeState(org);

		const run = await n8n.execute(WF.freezeReadWrite);
		mustSucceed(run);

		const got = run.json<{ username: string; daysSinceLastLogin: number | null }>('Get users');
		expect(got.map((u) => u.username).sort()).toEqual(
			usernames('FreezeIdle1', 'FreezeIdle2', 'FreezeIdle3', 'FreezeNever', 'FreezeRecent', 'FreezeAlready', 'FreezeAdmin').sort(),
		);
		expect(got.find((u) => u.username === users.FreezeNever.Username)?.daysSinceLastLogin).toBeNull();
		// n8n's Filter node let the idle ones through, in order
		expect(run.json<{ username: string }>('Idle for 90 days').map((u) => u.username).sort()).toEqual(
			usernames('FreezeIdle1', 'FreezeIdle2', 'FreezeIdle3', 'FreezeNever', 'FreezeAlready', 'FreezeAdmin').sort(),
		);

		const results = run.json<{ id: string; username: string; action: string; result: string; reason?: string }>('Freeze user');
		const byUser = new Map(results.map((r) => [r.username, r]));
		expect(results).toHaveLength(6);
		for (const key of ['FreezeIdle1', 'FreezeIdle2', 'FreezeIdle3', 'FreezeNever']) {
			expect(byUser.get(users[key].Username)).toMatchObject({ id: users[key].Id, action: 'freeze', result: 'changed' });
		}
		expect(byUser.get(users.FreezeAlready.Username)?.result).toBe('unchanged');
		expect(byUser.get(users.FreezeAdmin.Username)).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/admin/i) });
		// every output item is paired with the item it came from
		for (const item of run.items('Freeze user')) expect(item.pairedItem).toBeDefined();

		// The org: exactly the four idle users changed; nobody was deactivated
		const changed = changedUsers(frozenBefore, frozenState(org));
		expect(changed.sort()).toEqual(['FreezeIdle1', 'FreezeIdle2', 'FreezeIdle3', 'FreezeNever'].map((k) => users[k].Id).sort());
		for (const id of changed) expect(org.store.userLoginFor(id)?.IsFrozen).toBe(true);
		expect(org.store.userLoginFor(users.FreezeRecent.Id)?.IsFrozen).toBe(false);
		expect(org.store.userLoginFor(users.FreezeAdmin.Id)?.IsFrozen).toBe(false);
		expect(changedUsers(activeBefore, activeState(org))).toEqual([]);
		// one sObject Collections call for the four
		expect(org.calls.count('collectionsPatch')).toBe(1);
		expect(org.calls.count('sobjectPatch')).toBe(0);
	});

	test('the same workflow with a Read-Only credential fails with the Read-Only message and changes nothing', async () => {
		const frozenBefore = frozenState(org);
		const run = await n8n.execute(WF.freezeReadOnly);

		expect(run.cli.code).toBe(1);
		expect(run.status).toBe('error');
		expect(run.lastNodeExecuted).toBe('Freeze user');
		expect(run.error?.node?.name).toBe('Freeze user');
		expect(run.error?.message).toBe('"Freeze user" changes users, but the credential is Read-Only');
		expect(String(run.error?.description)).toMatch(/Access Mode.*Read\/Take Action/);
		// Get users and the Filter ran: the two idle users reached Freeze user
		expect(run.json('Idle for 90 days')).toHaveLength(2);
		expect(run.items('Freeze user')).toEqual([]);

		expect(writeCalls(org)).toBe(0);
		expect(changedUsers(frozenBefore, frozenState(org))).toEqual([]);
		expect(org.store.userLoginFor(users.ReadOnlyIdle1.Id)?.IsFrozen).toBe(false);
	});

	test('a write node with no Dry Run set (as newly added) is a dry run: reports what would change, changes nothing', async () => {
		const frozenBefore = frozenState(org);
		const run = await n8n.execute(WF.dryRun);
		mustSucceed(run);

		expect(run.json<{ username: string }>('Get idle users').map((u) => u.username).sort()).toEqual(usernames('DryIdle1', 'DryIdle2').sort());
		const results = run.json<{ id: string; result: string; action: string }>('Freeze user');
		expect(results.map((r) => [r.id, r.action, r.result]).sort()).toEqual(
			[users.DryIdle1.Id, users.DryIdle2.Id].sort().map((id) => [id, 'freeze', 'dryRun']),
		);
		expect(writeCalls(org)).toBe(0);
		expect(changedUsers(frozenBefore, frozenState(org))).toEqual([]);
	});

	test('Get licenses (OAuth2 credential): seats as the org counts them', async () => {
		const run = await n8n.execute(WF.licenses);
		mustSucceed(run);
		const licenses = run.json<{ type: string; name: string; key: string; status: string | null; total: number | null; used: number; available: number | null }>(
			'Get licenses',
		);

		const used = org.store.usedLicenseCounts();
		for (const name of ['Salesforce', 'Salesforce Platform']) {
			const record = org.store.licenseByName(name)!;
			const n = used.get(record.Id) ?? 0;
			expect(licenses.find((l) => l.type === 'user' && l.name === name)).toEqual({
				type: 'user',
				name,
				key: record.LicenseDefinitionKey,
				status: record.Status,
				total: record.TotalLicenses,
				used: n,
				available: record.TotalLicenses - n,
			});
		}
		// external licenses only when asked for
		expect(licenses.map((l) => l.name)).not.toContain('Customer Community');
		for (const psl of org.store.permissionSetLicenses) {
			expect(licenses.find((l) => l.type === 'permissionSet' && l.key === psl.PermissionSetLicenseKey)).toMatchObject({
				total: psl.TotalLicenses,
				used: psl.UsedLicenses,
				available: psl.TotalLicenses - psl.UsedLicenses,
			});
		}
		const serviceCloud = licenses.find((l) => l.type === 'feature' && l.name === 'Service Cloud');
		expect(serviceCloud).toMatchObject({ total: null, available: null });
		expect(serviceCloud?.used).toBe(org.store.users.filter((u) => u.IsActive && u.UserPermissionsSupportUser).length);
		expect(writeCalls(org)).toBe(0);
	});

	test('Get login history since {{ $now.minus({days: 30}) }}: the last 30 days, newest first', async () => {
		const run = await n8n.execute(WF.loginHistory);
		mustSucceed(run);
		const logins = run.json<{ userId: string; loginTime: string; status: string; sourceIp: string }>('Get login history');

		expect(logins.map((l) => l.status)).toEqual(['Success', 'Invalid Password', 'Success', 'Success']);
		const expectedTimes = org.store.loginHistory
			.filter((h) => h.UserId === users.History.Id && Date.parse(h.LoginTime.replace('+0000', 'Z')) >= now - 30 * DAY)
			.map((h) => Date.parse(h.LoginTime.replace('+0000', 'Z')))
			.sort((x, y) => y - x);
		expect(logins.map((l) => Date.parse(l.loginTime))).toEqual(expectedTimes);
		for (const login of logins) expect(login).toMatchObject({ userId: users.History.Id, sourceIp: '198.51.100.7' });
	});

	test('Get events, one summary per user: counts, first and last event, event types', async () => {
		const run = await n8n.execute(WF.eventsPerUser);
		mustSucceed(run);
		const summary = run.json<{ userId: string; eventCount: number; firstEventTime: string; lastEventTime: string; eventTypes: string[] }>('Get events');
		const dayStart = Math.floor(now / DAY) * DAY;
		const iso = (d: number, hour: number) => new Date(dayStart - d * DAY + hour * 3_600_000).toISOString();

		// Report + URI rows only (the API file is filtered out), most active first
		expect(summary).toEqual([
			{
				userId: users.FreezeRecent.Id,
				eventCount: 5,
				firstEventTime: iso(2, 9),
				lastEventTime: iso(1, 15),
				eventTypes: ['Report', 'URI'],
			},
			{ userId: users.DryRecent.Id, eventCount: 4, firstEventTime: iso(1, 9), lastEventTime: iso(1, 17), eventTypes: ['Report', 'URI'] },
			{ userId: users.History.Id, eventCount: 1, firstEventTime: iso(2, 12), lastEventTime: iso(2, 12), eventTypes: ['Report'] },
		]);
		expect(org.calls.count('logFile')).toBe(3);
	});

	describe('the example workflows (examples/*.json, Schedule Trigger swapped for a Manual Trigger)', () => {
		test('there are nine (the two started by the Salesforce Admin Trigger run in trigger.e2e.test.ts, the two entitlement ones in entitlements.e2e.test.ts)', () => {
			expect(exampleFiles().map((e) => e.file)).toEqual([
				'failed-login-alert.json',
				'failed-login-watch.json',
				'license-reclaim-lifecycle.json',
				'license-report.json',
				'license-running-out.json',
				'nightly-license-reclaim.json',
				'offboard-leavers.json',
				'reclaim-orphaned-package-seats.json',
				'weekly-savings-report.json',
			]);
		});

		test('nightly-license-reclaim: idle paid users, frozen in a dry run, summarised by result; nothing changes', async () => {
			const frozenBefore = frozenState(org);
			const started = Date.now();
			const run = await n8n.execute('exNightlyLicense');
			mustSucceed(run);

			// Who the example should find: active internal users on Salesforce / Salesforce Platform
			// without a login in the last 90 days (one who never logged in counts from the account's creation)
			const licenseOfProfile = new Map(org.store.profiles.map((p) => [p.Id, org.store.get<{ Name: string }>('UserLicense', p.UserLicenseId)?.Name]));
			const profileName = new Map(org.store.profiles.map((p) => [p.Id, p.Name]));
			const cutoff = started - 90 * DAY;
			const idle = org.store.users.filter(
				(u) =>
					u.IsActive &&
					u.UserType === 'Standard' &&
					['Salesforce', 'Salesforce Platform'].includes(licenseOfProfile.get(u.ProfileId) ?? '') &&
					Date.parse((u.LastLoginDate ?? u.CreatedDate).replace('+0000', 'Z')) < cutoff,
			);
			const found = run.json<{ id: string }>('Get idle paid users');
			expect(found.map((u) => u.id).sort()).toEqual(idle.map((u) => u.Id).sort());
			expect(idle.length).toBeGreaterThan(10);

			const expectedResult = (u: UserRecord) =>
				profileName.get(u.ProfileId) === 'System Administrator' ? 'skipped' : frozenBefore.get(u.Id) ? 'unchanged' : 'dryRun';
			const results = run.json<{ id: string; result: string }>('Freeze user');
			expect(new Map(results.map((r) => [r.id, r.result]))).toEqual(new Map(idle.map((u) => [u.Id, expectedResult(u)])));

			const counts: Record<string, number> = {};
			for (const u of idle) counts[expectedResult(u)] = (counts[expectedResult(u)] ?? 0) + 1;
			const summary = run.json<{ result: string; count_id: number; appended_username: string[] }>('Summary by result');
			expect(Object.fromEntries(summary.map((s) => [s.result, s.count_id]))).toEqual(counts);
			expect(summary.find((s) => s.result === 'dryRun')?.appended_username.length).toBe(counts.dryRun);

			expect(writeCalls(org)).toBe(0);
			expect(changedUsers(frozenBefore, frozenState(org))).toEqual([]);
		});

		test('nightly-license-reclaim, its undo branch: unfreezes exactly the users this run froze', async () => {
			const frozenBefore = frozenState(org);
			const run = await n8n.execute(WF.nightlyUndo);
			mustSucceed(run);

			const results = run.json<{ id: string; result: string }>('Freeze user');
			const changed = results.filter((r) => r.result === 'changed').map((r) => r.id);
			const alreadyFrozen = results.filter((r) => r.result === 'unchanged').map((r) => r.id);
			expect(changed.length).toBeGreaterThan(10);
			expect(alreadyFrozen.length).toBeGreaterThan(0);
			for (const id of changed) expect(frozenBefore.get(id)).toBe(false);
			for (const id of alreadyFrozen) expect(frozenBefore.get(id)).toBe(true);

			// only this run's changes reach the undo, and every one of them is unfrozen
			expect(run.json<{ id: string }>('Only users this run froze').map((r) => r.id).sort()).toEqual([...changed].sort());
			const undone = run.json<{ id: string; action: string; result: string }>('Unfreeze user (undo)');
			expect(new Map(undone.map((r) => [r.id, `${r.action} ${r.result}`]))).toEqual(new Map(changed.map((id) => [id, 'unfreeze changed'])));

			// the org is as before: the users frozen before this run are still frozen
			expect(changedUsers(frozenBefore, frozenState(org))).toEqual([]);
			for (const id of alreadyFrozen) expect(org.store.userLoginFor(id)?.IsFrozen).toBe(true);
			// the nightly example signs in with the JWT bearer credential
			expect(org.controls.oauth.tokenRequests('urn:ietf:params:oauth:grant-type:jwt-bearer', org.externalClientApp.clientId)).toBeGreaterThan(0);
		});

		test('weekly-savings-report: an HTML report with a bar per license and the month\'s savings', async () => {
			const run = await n8n.execute('exWeeklySavingsR');
			mustSucceed(run);
			const summary = run.json<{ license: string; type: string; total: number | null; used: number; reclaimable: number; monthlySavings: number; currency: string }>(
				'License savings',
			);
			const total = summary.find((i) => i.type === 'total')!;
			const [report] = run.json<{ html: string }>('HTML report');
			expect(report.html).toContain(`<div class="savings">${total.monthlySavings.toFixed(2)} ${total.currency} per month</div>`);
			expect(total.monthlySavings).toBeGreaterThan(0);
			expect(report.html).not.toContain('{{');

			// one bar per license with seats in use, used vs available, reclaimable marked
			const withSeats = summary.filter((i) => i.type !== 'total' && (i.total ?? 0) > 0 && (i.used > 0 || i.reclaimable > 0));
			expect(withSeats.length).toBeGreaterThan(1);
			const bars = [...report.html.matchAll(/<div class="row"><div class="name">([^<]+)<small>/g)].map((m) => m[1]);
			expect(bars.sort()).toEqual(withSeats.map((i) => i.license).sort());
			for (const i of withSeats) {
				expect(report.html).toContain(`${i.used} used, ${Math.max(0, i.total! - i.used)} available<br>${i.reclaimable} reclaimable`);
				const kept = Math.round((Math.max(0, i.used - i.reclaimable) / i.total!) * 1000) / 10;
				expect(report.html).toContain(`title="${i.used} used of ${i.total}"><div class="kept" style="width:${kept}%">`);
			}
		});

		test('license-report: seats per license, fewest available first', async () => {
			const run = await n8n.execute('exLicenseReport0');
			mustSucceed(run);
			const rows = run.json<{ license: string; type: string; total: number; used: number; available: number; percentUsed: number }>(
				'Fewest seats left first',
			);
			expect(rows.length).toBeGreaterThan(3);
			expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['user', 'permissionSet']));
			const available = rows.map((r) => r.available);
			expect(available).toEqual([...available].sort((x, y) => x - y));

			const salesforce = org.store.licenseByName('Salesforce')!;
			const used = org.store.usedLicenseCounts().get(salesforce.Id) ?? 0;
			expect(rows.find((r) => r.type === 'user' && r.license === 'Salesforce')).toEqual({
				license: 'Salesforce',
				type: 'user',
				status: 'Active',
				total: salesforce.TotalLicenses,
				used,
				available: salesforce.TotalLicenses - used,
				percentUsed: Math.round((used / salesforce.TotalLicenses) * 100),
			});
			const full = rows.find((r) => r.license === 'CRM Analytics Plus');
			expect(full).toMatchObject({ available: 0, percentUsed: 100 });
		});

		test('failed-login-watch: failures of the last hour per user, 3 or more flagged', async () => {
			const run = await n8n.execute('exFailedLoginWat');
			mustSucceed(run);

			const failures = run.json<{ userId: string; status: string; loginTime: string }>('Failed logins, last hour');
			expect(failures).toHaveLength(6);
			for (const f of failures) {
				expect(f.status).not.toBe('Success');
				expect(Date.parse(f.loginTime)).toBeGreaterThan(now - 3_600_000 - 60_000);
			}
			const perUser = run.json<{ userId: string; count_id: number; appended_sourceIp: string[] }>('Failures per user');
			expect(new Map(perUser.map((p) => [p.userId, p.count_id]))).toEqual(
				new Map([
					[users.BruteForced.Id, 4],
					[users.Typo.Id, 2],
				]),
			);
			const flagged = run.json<{ userId: string; username: string; count_id: number; appended_sourceIp: string[] }>('3 or more failures');
			expect(flagged).toHaveLength(1);
			// the alert names the user without a second look-up
			expect(flagged[0]).toMatchObject({ userId: users.BruteForced.Id, username: users.BruteForced.Username, count_id: 4 });
			expect([...new Set(flagged[0].appended_sourceIp)].sort()).toEqual(['203.0.113.66', '203.0.113.67']);
		});
	});
});
