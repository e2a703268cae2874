/**
 * Get license recommendations through n8n-core against the fake org: a small org whose every
 * user is a case of the lifecycle, read over REST (below the Bulk threshold) and over Bulk API
 * 2.0 with pages of a few rows (threshold lowered), with the API calls counted by kind.
 */
import { readFileSync } from 'fs';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { join } from 'path';

import type { FakeOrg, UserRecord } from '../fake-org';
import { sfDateTime } from '../fake-org';
import { runNode } from '../helpers/run-node';
import { bulkAbove, passwordCredential, read, startOrg } from './setup';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

const PRICES = {
	price: [
		{ license: 'Salesforce', monthlyPrice: 150 },
		{ license: 'Service Cloud', monthlyPrice: 25 },
		{ license: 'Salesforce CPQ License', monthlyPrice: 75 },
	],
};

let org: FakeOrg;
/** The same users plus 2,100 active ones with a login each: more than one REST page of each. */
let bigOrg: FakeOrg;
const u: Record<string, UserRecord> = {};

function addUser(
	key: string,
	input: Parameters<FakeOrg['store']['addUser']>[0],
	frozenDaysAgo?: number,
): UserRecord {
	const user = org.store.addUser({
		Username: `${key.toLowerCase()}@acme.example.com`,
		CreatedDate: ago(400),
		...input,
	});
	if (frozenDaysAgo !== undefined) {
		const login = org.store.userLoginFor(user.Id)!;
		login.IsFrozen = true;
		login.LastModifiedDate = ago(frozenDaysAgo).toISOString().replace('Z', '+0000');
	}
	u[key] = user;
	return user;
}

const uiLogin = (user: UserRecord, days: number, Status = 'Success') =>
	org.store.addLoginHistory({ UserId: user.Id, LoginTime: sfDateTime(ago(days)), Status });
const apiLogin = (user: UserRecord, days: number) =>
	org.store.addLoginHistory({
		UserId: user.Id,
		LoginTime: sfDateTime(ago(days)),
		LoginType: 'Other Apex API',
		Application: 'jsforce',
		ApiType: 'SOAP Partner',
		ApiVersion: '62.0',
	});

async function populate(target: FakeOrg): Promise<FakeOrg> {
	org = target;
	uiLogin(org.store.userByUsername(org.admin.username)!, 0);
	const recent = addUser('Recent', { LastLoginDate: ago(2) });
	uiLogin(recent, 2);
	uiLogin(recent, 40);
	const idle = addUser('Idle', { LastLoginDate: ago(120), UserPermissionsSupportUser: true });
	uiLogin(idle, 1, 'Invalid Password'); // a failed login is no activity
	const api = addUser('Api', { LastLoginDate: ago(1) });
	for (const days of [1, 5, 20, 60]) apiLogin(api, days);
	const apiIdle = addUser('ApiIdle', { LastLoginDate: ago(130) });
	void apiIdle;
	const frozenLong = addUser(
		'FrozenLong',
		{ LastLoginDate: ago(200), UserPermissionsSupportUser: true },
		45,
	);
	const cpq = org.store.permissionSetLicenses.find(
		(l) => l.MasterLabel === 'Salesforce CPQ License',
	)!;
	org.store.assignPermissionSetLicense(frozenLong.Id, cpq.Id);
	addUser('FrozenRecent', { LastLoginDate: ago(150) }, 10);
	addUser('NewHire', { CreatedDate: ago(5) });
	addUser('NeverOld', { CreatedDate: ago(100) });
	addUser('Protected', { LastLoginDate: ago(120), UserPermissionsMarketingUser: true });
	addUser('AdminIdle', { profile: 'System Administrator', LastLoginDate: ago(150) });
	addUser('AdminFeatures', {
		profile: 'System Administrator',
		LastLoginDate: ago(150),
		UserPermissionsSupportUser: true,
	});
	addUser('External', { profile: 'Customer Community User', LastLoginDate: ago(300) });
	addUser('Inactive', { IsActive: false, LastLoginDate: ago(300) });
	// no login for 200 days, but API events yesterday (Event Log File): active
	const eventOnly = addUser('EventOnly', { LastLoginDate: ago(200) });
	const yesterday = ago(1);
	const day = new Date(
		Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), yesterday.getUTCDate()),
	);
	const stamp = yesterday.toISOString();
	target.store.addEventLogFile({
		EventType: 'API',
		LogDate: day,
		Interval: 'Daily',
		body: `"EVENT_TYPE","TIMESTAMP_DERIVED","USER_ID_DERIVED"\n"API","${stamp}","${eventOnly.Id}"\n"API","${stamp}","${eventOnly.Id}"\n`,
		fieldTypes: ['String', 'DateTime', 'Id'],
	});
	return target;
}

beforeAll(async () => {
	bigOrg = await populate(await startOrg({ users: 0 }));
	for (let n = 0; n < 2100; n++) {
		const user = bigOrg.store.addUser({
			Username: `filler${n}@acme.example.com`,
			LastLoginDate: ago(3),
			CreatedDate: ago(400),
		});
		bigOrg.store.addLoginHistory({ UserId: user.Id, LoginTime: sfDateTime(ago(3)) });
	}
	org = await populate(await startOrg({ users: 0 }));
});
afterAll(async () => {
	await org.stop();
	await bigOrg.stop();
});
afterEach(() => {
	bigOrg.controls.bulk.reset();
});

const params = (extra: IDataObject = {}) => ({
	prices: PRICES,
	options: { protectedUsernames: 'protected@acme.example.com' },
	...extra,
});
const byKey = (json: IDataObject[]) =>
	Object.fromEntries(json.map((j) => [String(j.username).split('@')[0], j]));

const EXPECTED: Record<string, [string, number]> = {
	admin: ['keep', 0], // the connected user
	recent: ['keep', 0],
	idle: ['freeze', 0],
	api: ['keep', 0],
	apiidle: ['freeze', 0],
	frozenlong: ['deactivate', 250],
	frozenrecent: ['keep', 0],
	newhire: ['keep', 0],
	neverold: ['freeze', 0],
	protected: ['removeFeatureLicenses', 0],
	adminidle: ['keep', 0],
	adminfeatures: ['removeFeatureLicenses', 25],
	eventonly: ['keep', 0],
};

describe('Get license recommendations, per user (REST: below the Bulk threshold)', () => {
	it('recommends by the lifecycle, with reasons, evidence and savings, in 6 API calls', async () => {
		const run = await read(org, 'license', 'getRecommendations', params());
		expect(run.error).toBeUndefined();
		const items = byKey(run.json);
		expect(
			Object.fromEntries(
				Object.entries(items).map(([k, j]) => [k, [j.recommendation, j.monthlySavings]]),
			),
		).toEqual(EXPECTED);

		// the user fields of Get users, plus the recommendation's own
		expect(items.frozenlong).toMatchObject({
			id: u.FrozenLong.Id,
			isActive: true,
			isFrozen: true,
			profile: 'Standard User',
			license: 'Salesforce',
			featureLicenses: ['Service Cloud'],
			currency: 'USD',
			unpricedLicenses: [],
		});
		expect(items.frozenlong.evidence).toMatchObject({
			lastUiLogin: null,
			idleDays: 200,
			frozenDays: 45,
			license: 'Salesforce',
			featureLicenses: ['Service Cloud'],
			permissionSetLicenses: ['Salesforce CPQ License'],
			loginHistoryDays: 90,
			eventLogActivity: {
				lastEventTime: null,
				eventCount: 0,
				eventTypes: [],
				logDates: [expect.any(String)],
			},
		});
		expect(items.eventonly.evidence).toMatchObject({
			eventLogActivity: { eventCount: 2, eventTypes: ['API'] },
		});
		expect(items.eventonly.reason).toMatch(/^Active: last Event Log activity 1 days ago/);
		expect(items.api.evidence).toMatchObject({
			lastUiLogin: null,
			logins: { last30Days: { ui: 0, api: 3 }, last90Days: { ui: 0, api: 4 } },
		});
		expect(items.api.reason).toMatch(/API only: an integration user/);
		expect(items.recent.evidence).toMatchObject({
			logins: { last30Days: { ui: 1, api: 0 }, last90Days: { ui: 2, api: 0 } },
		});
		expect(items.idle.evidence).toMatchObject({ logins: { last30Days: { ui: 0, api: 0 } } });
		expect(items.protected.reason).toMatch(/Protected Usernames/);
		expect(items.protected.unpricedLicenses).toEqual(['Marketing']);
		expect(items.adminidle.reason).toMatch(/System Administrator/);
		expect(items.admin.reason).toMatch(/connected as/);
		expect(items.newhire.reason).toMatch(/grace period/);
		// external and inactive users are out
		expect(items.external).toBeUndefined();
		expect(items.inactive).toBeUndefined();

		// describe User, users, frozen UserLogins, admin permission sets, PSL assignments, package
		// seats, logins, the Event Log File list and its one file (no inactive user holds seats:
		// no look-up of them)
		expect(org.calls.total()).toBe(9);
		expect(org.calls.count('logFile')).toBe(1);
		expect(org.calls.count('bulkQueryCreate')).toBe(0);
	});

	it('includes external users when asked; admins may be recommended when allowed', async () => {
		const run = await read(
			org,
			'license',
			'getRecommendations',
			params({ options: { includeExternal: true, allowAdmins: true } }),
		);
		const items = byKey(run.json);
		expect(items.external.recommendation).toBe('freeze');
		expect(items.adminidle.recommendation).toBe('freeze');
		expect(items.admin.recommendation).toBe('keep'); // never the connected user
		// allowAdmins: no admin permission set query
		expect(org.calls.total()).toBe(8);
	});

	it('refuses a safety option of the wrong type before any call (fails closed like the writes)', async () => {
		for (const options of [
			{ allowAdmins: 'true' },
			{ protectedUsernames: 'nobody' },
			{ includeExternal: 'yes' },
		]) {
			const run = await read(org, 'license', 'getRecommendations', params({ options }));
			expect(run.error?.message).toMatch(/Options > /);
			expect(org.calls.total()).toBe(0);
		}
		const run = await read(org, 'license', 'getRecommendations', params({ freezeAfterDays: '90' }));
		expect(run.error?.message).toMatch(/Freeze After \(Days Idle\)/);
	});

	it.each([
		['freezeAfterDays', 'Freeze After (Days Idle)'],
		['deactivateAfterFrozenDays', 'Deactivate After (Days Frozen)'],
		['newUserGraceDays', 'New User Grace (Days)'],
		['currency', 'Currency'],
		['output', 'Output'],
	])(
		'%s from an expression that gives nothing fails the item before any call, not its default',
		async (key, label) => {
			for (const value of [undefined, null, '']) {
				const run = await read(
					org,
					'license',
					'getRecommendations',
					params({ [key]: '={{ $json.v }}' }),
					{ input: [{ v: value }] },
				);
				expect(run.error?.message).toMatch(
					new RegExp(`^Item 0, "${label.replace(/[()]/g, '\\$&')}": has no value`),
				);
				expect(run.json).toEqual([]);
				expect(org.calls.total()).toBe(0);
			}
		},
	);
});

describe('Get license recommendations: a protected entry that names no user of the org fails the item', () => {
	const writeCalls = () => org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch');
	const usernameQueries = () =>
		org.calls.soql().filter((q) => q.startsWith('SELECT Username FROM User WHERE Username IN'));
	const SANDBOX_HINT =
		'check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)';

	it('a production username in a sandbox (the suffix missing): the item fails naming the entry, no recommendation', async () => {
		const run = await read(
			org,
			'license',
			'getRecommendations',
			params({
				options: { protectedUsernames: 'protected@acme.example.com, PROTECTED@acme.example' },
			}),
		);
		expect(run.error?.message).toBe(
			`Item 0, "Options > Protected Usernames": protected entry "PROTECTED@acme.example" names no user in this org; ${SANDBOX_HINT}`,
		);
		expect(run.json).toEqual([]);
		// the entry in scope cost nothing; the other one query, in lower case
		expect(usernameQueries()).toEqual([
			"SELECT Username FROM User WHERE Username IN ('protected@acme.example')",
		]);
		expect(writeCalls()).toBe(0);
	});

	it('an unknown ID fails the item the same way', async () => {
		const ghost = '005000000000999AAA';
		const run = await read(
			org,
			'license',
			'getRecommendations',
			params({ options: { protectedUsernames: ghost } }),
		);
		expect(run.error?.message).toBe(
			`Item 0, "Options > Protected Usernames": protected entry "${ghost}" names no user in this org; check the ID (a user of another org, or a typo that still passes the checksum?)`,
		);
		expect(writeCalls()).toBe(0);
	});

	it('with Continue On Fail the item carries the error', async () => {
		const run = await read(
			org,
			'license',
			'getRecommendations',
			params({ options: { protectedUsernames: 'ceo@acme.example.com' } }),
			{ continueOnFail: true },
		);
		expect(run.json).toEqual([
			{
				error: `Item 0, "Options > Protected Usernames": protected entry "ceo@acme.example.com" names no user in this org; ${SANDBOX_HINT}`,
			},
		]);
		expect(writeCalls()).toBe(0);
	});

	it('an inactive or external user is a user: protecting one is fine', async () => {
		const run = await read(
			org,
			'license',
			'getRecommendations',
			params({
				options: {
					protectedUsernames: `protected@acme.example.com ${u.Inactive.Username.toUpperCase()} ${u.External.Id}`,
				},
			}),
		);
		expect(run.error).toBeUndefined();
		expect(byKey(run.json).protected.recommendation).toBe('removeFeatureLicenses');
		expect(usernameQueries()).toEqual([
			`SELECT Username FROM User WHERE Username IN ('${u.Inactive.Username.toLowerCase()}')`,
		]);
		expect(org.calls.soql()).toContain(`SELECT Id FROM User WHERE Id IN ('${u.External.Id}')`);
	});
});

describe('Get license recommendations, summary', () => {
	it('one item per license with reclaimable seats and savings, the unpriced ones named, and an org total', async () => {
		const run = await read(org, 'license', 'getRecommendations', params({ output: 'summary' }));
		expect(run.error).toBeUndefined();
		const byLicense = Object.fromEntries(run.json.map((j) => [`${j.type}:${j.license}`, j]));
		expect(byLicense['user:Salesforce']).toMatchObject({
			reclaimable: 1,
			monthlySavings: 150,
			total: 100,
			priced: true,
		});
		expect(byLicense['feature:Service Cloud']).toMatchObject({
			reclaimable: 2,
			monthlySavings: 50,
			used: 3,
			total: null,
		});
		expect(byLicense['permissionSet:Salesforce CPQ License']).toMatchObject({
			reclaimable: 1,
			monthlySavings: 75,
		});
		expect(byLicense['feature:Marketing']).toMatchObject({
			reclaimable: 1,
			monthlySavings: 0,
			priced: false,
		});
		expect(byLicense['user:Customer Community']).toBeUndefined();
		expect(run.json.at(-1)).toEqual({
			license: 'All licenses',
			type: 'total',
			total: null,
			used: 13,
			reclaimable: 1,
			monthlySavings: 275,
			currency: 'USD',
			recommendations: {
				freeze: 3,
				deactivate: 1,
				removeFeatureLicenses: 2,
				removePackageLicenses: 0,
				removePermissionSetLicenses: 0,
				keep: 7,
			},
			orphanedSeats: 0,
			unpricedLicenses: ['Marketing'],
		});
		// the per-user reads + UserLicense + PermissionSetLicense + PackageLicense
		expect(org.calls.total()).toBe(12);
	});
});

describe('reads above the threshold go through Bulk API 2.0, page by page', () => {
	const BULK = { tuning: bulkAbove(3) };
	beforeEach(() => {
		bigOrg.controls.bulk.setPageSize({ records: 500 });
		bigOrg.controls.bulk.setPollsBeforeComplete(1);
	});

	it('gives the same recommendations as REST, reading every results page', async () => {
		const run = await read(bigOrg, 'license', 'getRecommendations', params(), BULK);
		expect(run.error).toBeUndefined();
		const items = byKey(run.json);
		expect(run.json).toHaveLength(13 + 2100);
		const named = Object.keys(EXPECTED).map((k) => [
			k,
			[items[k].recommendation, items[k].monthlySavings],
		]);
		expect(Object.fromEntries(named)).toEqual(EXPECTED);
		expect(
			run.json
				.filter((j) => String(j.username).startsWith('filler'))
				.every((j) => j.recommendation === 'keep'),
		).toBe(true);
		expect(items.frozenlong.evidence).toMatchObject({
			permissionSetLicenses: ['Salesforce CPQ License'],
			frozenDays: 45,
		});
		expect(items.api.evidence).toMatchObject({ logins: { last90Days: { ui: 0, api: 4 } } });
		// users (2,113 rows) and logins (2,109 rows) need more than one REST page: Bulk, 500 rows a
		// results page (5 each); the other reads fit in their first REST page
		expect(bigOrg.calls.count('bulkQueryCreate')).toBe(2);
		expect(bigOrg.calls.count('bulkQueryResults')).toBe(10);
		expect(bigOrg.calls.count('bulkQueryInfo')).toBe(4);
		expect(bigOrg.calls.count('queryMore')).toBe(0);
		// describe + 6 first REST pages (users, frozen, admins, permission set license and package
		// assignments, logins; the users' and the logins' dropped for Bulk) + 2 x (create + 2 polls
		// + 5 pages) + the Event Log File list and its file
		expect(bigOrg.calls.total()).toBe(1 + 6 + 2 * 8 + 2);
	});

	it('Get users and Get login history return the same items from Bulk as from REST', async () => {
		const restUsers = await read(bigOrg, 'user', 'getMany', {
			returnAll: true,
			filters: { status: 'all', includeExternal: true },
		});
		// one fixed window for both reads: each run's own sign-in is a login Salesforce records, and
		// the second read would see the first one's
		const window = { returnAll: true, filters: { until: new Date().toISOString() } };
		const restLogins = await read(bigOrg, 'loginHistory', 'getMany', window);
		const bulkUsers = await read(
			bigOrg,
			'user',
			'getMany',
			{ returnAll: true, filters: { status: 'all', includeExternal: true } },
			BULK,
		);
		expect(bigOrg.calls.count('bulkQueryResults')).toBeGreaterThan(2);
		const bulkLogins = await read(bigOrg, 'loginHistory', 'getMany', window, BULK);
		expect(bigOrg.calls.count('bulkQueryResults')).toBeGreaterThan(2);
		expect(bulkUsers.json).toEqual(restUsers.json);
		expect(bulkLogins.json).toEqual(restLogins.json);
	});

	it('a limit at or below the threshold never starts a job', async () => {
		const run = await read(
			bigOrg,
			'user',
			'getMany',
			{ returnAll: false, limit: 3, filters: { status: 'all' } },
			BULK,
		);
		expect(run.json).toHaveLength(3);
		expect(bigOrg.calls.count('bulkQueryCreate')).toBe(0);
		// describe, the users page, their frozen state, package and permission set licenses
		expect(bigOrg.calls.total()).toBe(5);
	});

	it("a failed job fails the item with Salesforce's message", async () => {
		bigOrg.controls.bulk.failNextJobs(1, 'InvalidBatch : something broke');
		const run = await read(
			bigOrg,
			'user',
			'getMany',
			{ returnAll: true, filters: { status: 'all' } },
			BULK,
		);
		expect(run.error?.message).toMatch(/something broke/);
	});
});

describe('the example workflows (their Salesforce Admin nodes, parameters as in examples/*.json)', () => {
	const example = (file: string) =>
		JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as {
			nodes: Array<{ name: string; parameters: IDataObject }>;
		};
	const nodeParams = (
		file: string,
		name: string,
	): { resource: string; operation: string; parameters: INodeParameters } => {
		const {
			authentication: _auth,
			resource,
			operation,
			...parameters
		} = example(file).nodes.find((n) => n.name === name)!.parameters;
		return {
			resource: String(resource),
			operation: String(operation),
			parameters: parameters as INodeParameters,
		};
	};

	// The examples protect ceo@acme.com and integration@acme.com, users of the org they run on
	// (an entry that names no user stops the run): this org has them, both active and in use.
	beforeAll(() => {
		for (const username of ['ceo@acme.com', 'integration@acme.com']) {
			uiLogin(
				org.store.addUser({ Username: username, CreatedDate: ago(400), LastLoginDate: ago(1) }),
				1,
			);
		}
	});

	it('weekly-savings-report: the summary feeds the report', async () => {
		const { resource, operation, parameters } = nodeParams(
			'weekly-savings-report.json',
			'License savings',
		);
		const run = await read(org, resource, operation, parameters);
		expect(run.error).toBeUndefined();
		expect(run.json.at(-1)).toMatchObject({ type: 'total', currency: 'USD' });
		expect(
			run.json.every(
				(j) => typeof j.monthlySavings === 'number' && typeof j.reclaimable === 'number',
			),
		).toBe(true);
	});

	it('license-reclaim-lifecycle: each recommendation feeds its write; a dry run changes nothing', async () => {
		const file = 'license-reclaim-lifecycle.json';
		const recommend = nodeParams(file, 'Get license recommendations');
		const recommendations = await read(org, recommend.resource, recommend.operation, {
			...recommend.parameters,
			options: { protectedUsernames: 'protected@acme.example.com' },
		});
		const before = JSON.stringify([
			org.store.users.map((x) => [
				x.IsActive,
				x.UserPermissionsSupportUser,
				x.UserPermissionsMarketingUser,
			]),
			org.store.userLogins.map((l) => l.IsFrozen),
		]);
		const routes: Record<string, string> = {
			freeze: 'Freeze user',
			deactivate: 'Deactivate user',
			removeFeatureLicenses: 'Remove feature licenses',
		};
		for (const [recommendation, nodeName] of Object.entries(routes)) {
			const input = recommendations.json.filter((j) => j.recommendation === recommendation);
			expect(input.length).toBeGreaterThan(0);
			const write = nodeParams(file, nodeName);
			const credentials = passwordCredential(org);
			credentials.data.accessMode = 'readWrite';
			const run = await runNode({
				resource: write.resource,
				operation: write.operation,
				parameters: write.parameters,
				credentials,
				input,
			});
			expect(run.error).toBeUndefined();
			const results = run.items.map((i) => i.json);
			expect(results.map((r) => [r.username, r.result])).toEqual(
				input.map((j) => [j.username, 'dryRun']),
			);
		}
		expect(
			JSON.stringify([
				org.store.users.map((x) => [
					x.IsActive,
					x.UserPermissionsSupportUser,
					x.UserPermissionsMarketingUser,
				]),
				org.store.userLogins.map((l) => l.IsFrozen),
			]),
		).toBe(before);
	});
});

describe('a credential that may not read Event Log Files', () => {
	it('recommends from logins alone, with a hint, and eventLogActivity null', async () => {
		const user = org.store.addUser({
			profile: 'Standard User',
			Username: 'no.eventlogs@acme.example.com',
		});
		const manager = org.store.permissionSets.find((p) => p.Name === 'User_Manager')!;
		org.store.assignPermissionSet(user.Id, manager.Id);
		const login = { ...org.admin, ...org.addLoginUser(user) };
		const run = await read(org, 'license', 'getRecommendations', params(), { login });
		expect(run.error).toBeUndefined();
		const items = byKey(run.json);
		expect(items.eventonly).toMatchObject({
			recommendation: 'freeze',
			evidence: { eventLogActivity: null },
		});
		expect(items.idle.recommendation).toBe('freeze');
		expect(org.calls.count('logFile')).toBe(0);
		const hints = JSON.stringify(run.runData);
		expect(hints).toMatch(/Event Log File activity was not read/);
	});
});
