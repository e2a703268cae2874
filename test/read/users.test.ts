/**
 * Get users and Get user against a fake org of 5,000+ users: every filter's result equals what
 * the org holds (computed from org.store), API calls are pages + a fixed few, bad input fails
 * before any call, Continue On Fail keeps the other items.
 */
import type { FakeOrg, UserRecord } from '../fake-org';
import { to15 } from '../fake-org';
import { iso, read, startOrg } from './setup';

const DAY = 86_400_000;
const FEATURES: Array<[string, string]> = [
	['UserPermissionsSupportUser', 'Service Cloud'],
	['UserPermissionsInteractionUser', 'Flow'],
	['UserPermissionsLiveAgentUser', 'Chat'],
	['UserPermissionsMarketingUser', 'Marketing'],
	['UserPermissionsMobileUser', 'Apex Mobile'],
	['UserPermissionsKnowledgeUser', 'Knowledge'],
	['UserPermissionsSFContentUser', 'CRM Content'],
	['UserPermissionsOfflineUser', 'Offline'],
];

let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({ users: 5200, loginHistory: 10 });
});
afterAll(async () => await org.stop());

const profileOf = (u: UserRecord) => org.store.profiles.find((p) => p.Id === u.ProfileId)!;
const licenseOf = (u: UserRecord) =>
	org.store.userLicenses.find((l) => l.Id === profileOf(u).UserLicenseId)!.Name;
/** In the seeded org every community, portal, Chatter and guest user has a non-Standard type. */
const isInternal = (u: UserRecord) => u.UserType === 'Standard';
const ids = (users: Array<{ Id?: unknown; id?: unknown }>) =>
	users.map((u) => String(u.Id ?? u.id)).sort();

/**
 * Whole days since a store login time, as the output must count them. The node reads the clock
 * a moment before this does: a run that straddles a day boundary may give one day less.
 */
function daysSince(lastLogin: string | null) {
	if (lastLogin === null) return null;
	const days = Math.floor((Date.now() - Date.parse(iso(lastLogin)!)) / DAY);
	// an asymmetric matcher: usable inside toEqual
	return {
		asymmetricMatch: (actual: unknown) => actual === days || actual === days - 1,
		toAsymmetricMatcher: () => `${days} or ${days - 1}`,
	};
}

/** The output item the design promises for a store user. */
function expectedItem(u: UserRecord) {
	const last = u.LastLoginDate ? Date.parse(iso(u.LastLoginDate)!) : null;
	return {
		id: u.Id,
		username: u.Username,
		name: u.Name,
		email: u.Email,
		isActive: u.IsActive,
		isFrozen: org.store.userLoginFor(u.Id)?.IsFrozen ?? false,
		userType: u.UserType,
		profile: profileOf(u).Name,
		license: licenseOf(u),
		featureLicenses: FEATURES.filter(
			([field]) => (u as unknown as Record<string, boolean>)[field],
		).map(([, label]) => label),
		packageLicenses: org.store.userPackageLicenses
			.filter((a) => a.UserId === u.Id)
			.map(
				(a) => org.store.packageLicenses.find((p) => p.Id === a.PackageLicenseId)!.NamespacePrefix,
			)
			.sort(),
		permissionSetLicenses: org.store.permissionSetLicenseAssigns
			.filter((a) => a.AssigneeId === u.Id)
			.map(
				(a) =>
					org.store.permissionSetLicenses.find((l) => l.Id === a.PermissionSetLicenseId)!
						.MasterLabel,
			)
			.sort((a, b) => a.localeCompare(b)),
		lastLoginDate: iso(u.LastLoginDate),
		daysSinceLastLogin: last === null ? null : daysSince(u.LastLoginDate),
		createdDate: iso(u.CreatedDate),
	};
}

/**
 * What users hold (package and permission set licenses): this org has no such assignments, so
 * each kind costs one query whatever the number of users (the org-wide read, or one IN list for
 * up to 500 users).
 */
const HOLDING_QUERIES = 2;

const restCalls = () => org.calls.log.filter((c) => c.counted);
const queryCalls = () => org.calls.count('query') + org.calls.count('queryMore');

describe('Get users', () => {
	it('returns every active internal user by default, in several pages, with the design fields', async () => {
		const run = await read(org, 'user', 'getMany', { returnAll: true });
		expect(run.error).toBeUndefined();
		const expected = org.store.users.filter((u) => u.IsActive && isInternal(u));
		expect(expected.length).toBeGreaterThan(2000); // more than one page
		expect(ids(run.json)).toEqual(ids(expected));

		const byId = new Map(run.json.map((u) => [u.id, u]));
		for (const u of expected) expect(byId.get(u.Id)).toEqual(expectedItem(u));
		expect(run.json.some((u) => u.isFrozen)).toBe(true);
		expect(run.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		// pages + describe + one frozen-state query + what they hold; never one call per user
		const pages = Math.ceil(expected.length / 2000);
		expect(queryCalls()).toBe(pages + 1 + HOLDING_QUERIES);
		expect(restCalls().length).toBe(pages + 2 + HOLDING_QUERIES);
		expect(org.calls.count('soapLogin')).toBe(1);
	});

	it('counts days since last login; a user who never logged in counts from the day the account was created', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { notLoggedInForDays: 90, status: 'all', includeExternal: true },
		});
		const cutoff = Date.now() - 90 * DAY;
		const olderThanCutoff = (value: string) => Date.parse(iso(value)!) < cutoff;
		const expected = org.store.users.filter((u) =>
			u.LastLoginDate === null ? olderThanCutoff(u.CreatedDate) : olderThanCutoff(u.LastLoginDate),
		);
		expect(expected.some((u) => u.LastLoginDate === null)).toBe(true);
		// the seeded org has users created 30 to 89 days ago who never logged in: they are left out
		expect(
			org.store.users.some((u) => u.LastLoginDate === null && !olderThanCutoff(u.CreatedDate)),
		).toBe(true);
		expect(ids(run.json)).toEqual(ids(expected));
		const byId = new Map(org.store.users.map((u) => [u.Id, u]));
		for (const user of run.json) {
			const stored = byId.get(String(user.id))!;
			expect(user.lastLoginDate).toBe(iso(stored.LastLoginDate));
			expect(user.daysSinceLastLogin).toEqual(daysSince(stored.LastLoginDate));
		}
	});

	it.each([
		['inactive', false, (u: UserRecord) => !u.IsActive && isInternal(u)],
		['all', false, (u: UserRecord) => isInternal(u)],
		['all', true, () => true],
		['active', true, (u: UserRecord) => u.IsActive],
	] as const)(
		'status %s with includeExternal %s matches the org',
		async (status, includeExternal, predicate) => {
			const run = await read(org, 'user', 'getMany', {
				returnAll: true,
				filters: { status, includeExternal },
			});
			expect(ids(run.json)).toEqual(ids(org.store.users.filter(predicate)));
		},
	);

	it('filters by license names and profile names (validated with one query each)', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: {
				licenseNames: ['Salesforce Platform', 'Chatter Free'],
				profileNames: ['Standard Platform User', 'Chatter Free User', 'Read Only'],
				includeExternal: true,
			},
		});
		const expected = org.store.users.filter(
			(u) =>
				u.IsActive &&
				['Salesforce Platform', 'Chatter Free'].includes(licenseOf(u)) &&
				['Standard Platform User', 'Chatter Free User', 'Read Only'].includes(profileOf(u).Name),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(run.json)).toEqual(ids(expected));
		expect(
			org.calls.soql().filter((q) => /FROM (UserLicense|Profile) WHERE Name IN/.test(q)),
		).toHaveLength(2);
	});

	it('filters by usernames, case-insensitively', async () => {
		const picked = org.store.users.filter((u) => u.IsActive && isInternal(u)).slice(10, 13);
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { usernames: picked.map((u) => u.Username.toUpperCase()).join(' , ') },
		});
		expect(ids(run.json)).toEqual(ids(picked));
	});

	it('reads frozen state and holdings alongside the users; a users page that fails still fails the node, with nothing left unhandled', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			// the second page of users fails; the org-wide frozen and holdings reads started with
			// the first page's row count, before it
			org.controls.failNext(1, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator', 'queryMore');
			const run = await read(org, 'user', 'getMany', {
				returnAll: true,
				filters: { status: 'all', includeExternal: true },
			});
			expect(run.error?.message).toMatch(/invalid query locator/);
			expect(org.calls.soql().some((q) => /FROM UserLogin WHERE IsFrozen = true/.test(q))).toBe(
				true,
			);
			await new Promise((resolve) => setImmediate(resolve));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	it('stops paging at the limit and asks Salesforce for no more (LIMIT)', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: false,
			limit: 7,
			filters: { status: 'all' },
		});
		expect(run.json).toHaveLength(7);
		expect(org.calls.soql()[0]).toMatch(/LIMIT 7$/);
		// the users, their frozen state, their package and permission set licenses
		expect(queryCalls()).toBe(4);
		const all = org.store.users
			.filter(isInternal)
			.map((u) => u.Username)
			.sort();
		expect(run.json.map((u) => u.username)).toEqual(all.slice(0, 7));
	});

	it('refuses an unknown license name after one check query, naming item and field', async () => {
		const run = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { licenseNames: ['Salesforce', 'No Such License'] },
		});
		expect(run.error?.message).toMatch(
			/Item 0, "Filters > License Names or IDs".*"No Such License"/,
		);
		expect(org.calls.soql().every((q) => !q.includes('FROM User '))).toBe(true);
	});

	it.each([
		[{ returnAll: false, limit: 0 }, /Item 0, "Limit"/],
		[
			{ returnAll: true, filters: { licenseNames: [] } },
			/Item 0, "Filters > License Names or IDs": .*empty/,
		],
		[
			{ returnAll: true, filters: { usernames: 'not-a-username' } },
			/Item 0, "Filters > Usernames"/,
		],
		[
			{ returnAll: true, filters: { notLoggedInForDays: -3 } },
			/Item 0, "Filters > Not Logged In For \(Days\)"/,
		],
	])('fails bad input %j before any call', async (parameters, message) => {
		const run = await read(org, 'user', 'getMany', parameters);
		expect(run.error?.message).toMatch(message);
		expect(org.calls.count()).toBe(0);
	});

	it('says which feature-license fields it cannot read', async () => {
		org.controls.hideFields('User', [
			'UserPermissionsMarketingUser',
			'UserPermissionsLiveAgentUser',
		]);
		try {
			const run = await read(org, 'user', 'getMany', { returnAll: false, limit: 300 });
			expect(run.error).toBeUndefined();
			const hints = run.runData['Salesforce Admin'][0].hints ?? [];
			expect(hints.map((h) => h.message).join(' ')).toMatch(
				/Chat \(UserPermissionsLiveAgentUser\), Marketing \(UserPermissionsMarketingUser\)/,
			);
			expect(run.json.some((u) => (u.featureLicenses as string[]).includes('Marketing'))).toBe(
				false,
			);
			expect(run.json.some((u) => (u.featureLicenses as string[]).includes('Service Cloud'))).toBe(
				true,
			);
		} finally {
			org.controls.showAllFields();
		}
	});

	it('honours Continue On Fail per item, with paired items', async () => {
		const run = await read(
			org,
			'user',
			'getMany',
			{ returnAll: false, limit: '={{ $json.limit }}', filters: { status: 'all' } },
			{ input: [{ limit: 0 }, { limit: 2 }], continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items[0]).toMatchObject({
			json: { error: expect.stringMatching(/Item 0, "Limit"/) },
			pairedItem: { item: 0 },
		});
		expect(run.items.slice(1).map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 1 }]);
	});
});

describe('Get user', () => {
	it('finds users by 15- and 18-character ID and by username, one output per item, batched', async () => {
		const users = org.store.users.slice(100, 400);
		const input = users.map((u, i) => ({
			ref: i % 3 === 0 ? to15(u.Id) : i % 3 === 1 ? u.Id : u.Username.toUpperCase(),
		}));
		const run = await read(org, 'user', 'get', { userId: '={{ $json.ref }}' }, { input });
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual(users.map(expectedItem));
		expect(run.items.map((i) => i.pairedItem)).toEqual(users.map((_, item) => ({ item })));
		// describe + one query by ID + one by username + one frozen-state query + what they hold
		expect(restCalls().length).toBe(4 + HOLDING_QUERIES);
	});

	it('fails a bad ID before any call, and a missing user naming the item', async () => {
		const bad = await read(org, 'user', 'get', { userId: '005000000000001ZZZ' });
		expect(bad.error?.message).toMatch(/Item 0, "User": .*checksum/);
		expect(org.calls.count()).toBe(0);

		const missing = await read(
			org,
			'user',
			'get',
			{ userId: '={{ $json.ref }}' },
			{
				input: [{ ref: org.admin.username }, { ref: 'nobody@acme.example.com' }],
				continueOnFail: true,
			},
		);
		expect(missing.items[0].json.username).toBe(org.admin.username);
		expect(missing.items[1]).toMatchObject({
			json: {
				error: expect.stringMatching(
					/Item 1, "User": no user with username "nobody@acme.example.com"/,
				),
			},
			pairedItem: { item: 1 },
		});
	});
});

describe('a read-only integration user without Manage Users', () => {
	// Salesforce's object reference: UserLogin (frozen state) needs Manage Users, which is also
	// the permission that allows freezing. Such a user still reads users: isFrozen is unknown.
	let login: FakeOrg['admin'];
	beforeAll(() => {
		const user = org.store.addUser({
			profile: 'Standard User',
			FirstName: 'Rita',
			LastName: 'Readonly',
		});
		expect(org.store.effectivePermissions(user.Id).PermissionsManageUsers).toBeFalsy();
		login = { ...org.admin, ...org.addLoginUser(user) };
	});

	it('Get users: every user with isFrozen null (never false), a hint naming Manage Users, one refused UserLogin query', async () => {
		const run = await read(
			org,
			'user',
			'getMany',
			{ returnAll: true, filters: { status: 'all', includeExternal: true } },
			{ login },
		);
		expect(run.error).toBeUndefined();
		expect(run.json.length).toBe(org.store.users.length);
		expect(run.json.every((u) => u.isFrozen === null)).toBe(true);
		const hints = run.runData['Salesforce Admin'][0].hints ?? [];
		expect(hints.map((h) => h.message).join(' ')).toMatch(
			/"isFrozen" is null: .*UserLogin object needs the "Manage Users" permission/,
		);
		// describe, the pages, and a single UserLogin query that Salesforce refused (not one a page)
		const userLoginQueries = org.calls.soql().filter((q) => /FROM UserLogin/.test(q));
		expect(userLoginQueries).toHaveLength(1);
		expect(org.calls.total()).toBe(
			1 + Math.ceil(org.store.users.length / 2000) + 1 + HOLDING_QUERIES,
		);
	});

	it('Get user: isFrozen null and the same hint; an admin still sees the real frozen state', async () => {
		const frozen = org.store.addUser({ profile: 'Standard User', IsFrozen: true });
		const readOnly = await read(org, 'user', 'get', { userId: frozen.Id }, { login });
		expect(readOnly.json[0]).toMatchObject({ id: frozen.Id, isFrozen: null });
		expect(
			(readOnly.runData['Salesforce Admin'][0].hints ?? []).map((h) => h.message).join(' '),
		).toMatch(/Manage Users/);
		const admin = await read(org, 'user', 'get', { userId: frozen.Id });
		expect(admin.json[0]).toMatchObject({ id: frozen.Id, isFrozen: true });
	});
});
