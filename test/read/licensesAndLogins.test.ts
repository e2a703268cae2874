/**
 * Get licenses and Get login history against the fake org: results equal what org.store holds,
 * calls are fixed per kind, dates and IDs are validated before any call.
 */
import type { FakeOrg } from '../fake-org';
import { to15 } from '../fake-org';
import { iso, read, startOrg } from './setup';

const DAY = 86_400_000;
const EXTERNAL_LICENSES = [
	'Chatter Free',
	'Chatter External',
	'Customer Community',
	'Customer Community Login',
	'Partner Community',
	'Customer Portal Manager Custom',
	'Guest User License',
];
const FEATURES: Record<string, string> = {
	UserPermissionsSupportUser: 'Service Cloud',
	UserPermissionsInteractionUser: 'Flow',
	UserPermissionsLiveAgentUser: 'Chat',
	UserPermissionsMarketingUser: 'Marketing',
	UserPermissionsMobileUser: 'Apex Mobile',
	UserPermissionsKnowledgeUser: 'Knowledge',
	UserPermissionsSFContentUser: 'CRM Content',
	UserPermissionsOfflineUser: 'Offline',
};

let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({ users: 2500, loginHistory: 6000 });
});
afterAll(async () => await org.stop());

describe('Get licenses', () => {
	it('returns user, permission-set and feature licenses with seats, leaving external ones out', async () => {
		const run = await read(org, 'license', 'getMany', { returnAll: true });
		expect(run.error).toBeUndefined();
		const used = org.store.usedLicenseCounts();

		const userLicenses = org.store.userLicenses
			.filter((l) => !EXTERNAL_LICENSES.includes(l.Name))
			.map((l) => ({
				type: 'user',
				name: l.Name,
				key: l.LicenseDefinitionKey,
				status: l.Status,
				total: l.TotalLicenses,
				used: used.get(l.Id) ?? 0,
				available: l.TotalLicenses - (used.get(l.Id) ?? 0),
			}));
		const psls = org.store.permissionSetLicenses.map((l) => ({
			type: 'permissionSet',
			name: l.MasterLabel,
			key: l.PermissionSetLicenseKey,
			status: l.Status,
			total: l.TotalLicenses,
			used: l.UsedLicenses,
			available: l.TotalLicenses - l.UsedLicenses,
		}));
		const features = Object.entries(FEATURES).map(([field, name]) => ({
			type: 'feature',
			name,
			key: field,
			status: null,
			total: null,
			used: org.store.users.filter(
				(u) => u.IsActive && (u as unknown as Record<string, boolean>)[field],
			).length,
			available: null,
		}));
		const byName = (a: Record<string, unknown>, b: Record<string, unknown>) =>
			String(a.name).localeCompare(String(b.name));
		expect(run.json.filter((l) => l.type === 'user').sort(byName)).toEqual(
			userLicenses.sort(byName),
		);
		expect(run.json.filter((l) => l.type === 'permissionSet').sort(byName)).toEqual(
			psls.sort(byName),
		);
		expect(run.json.filter((l) => l.type === 'feature')).toEqual(features);
		expect(features.every((f) => f.used > 0)).toBe(true);

		// UserLicense, PermissionSetLicense, PackageLicense, describe User, one GROUP BY for every
		// feature flag
		expect(org.calls.total()).toBe(5);
	});

	it('filters by type and includes external licenses on request', async () => {
		const run = await read(org, 'license', 'getMany', {
			returnAll: true,
			filters: { types: ['user'], includeExternal: true },
		});
		expect(run.json.map((l) => l.name).sort()).toEqual(
			org.store.userLicenses.map((l) => l.Name).sort(),
		);
		expect(org.calls.total()).toBe(1);

		const limited = await read(org, 'license', 'getMany', {
			returnAll: false,
			limit: 2,
			filters: { types: ['feature'] },
		});
		expect(limited.json.map((l) => l.name)).toEqual(['Service Cloud', 'Flow']);
	});

	it('refuses an unknown type before any call', async () => {
		const run = await read(org, 'license', 'getMany', {
			returnAll: true,
			filters: { types: '={{ ["user", "seats"] }}' },
		});
		expect(run.error?.message).toMatch(/Item 0, "Filters > Types": "seats"/);
		expect(org.calls.count()).toBe(0);
	});
});

describe('Get login history', () => {
	const within = (since: number, until: number) =>
		org.store.loginHistory.filter((l) => {
			const t = Date.parse(iso(l.LoginTime)!);
			return t >= since && t <= until;
		});
	const ids = (rows: Array<{ Id?: unknown; id?: unknown }>) =>
		rows.map((r) => String(r.Id ?? r.id)).sort();

	it('defaults to the last 30 days, newest first, with the design fields', async () => {
		const before = Date.now();
		const run = await read(org, 'loginHistory', 'getMany', { returnAll: true });
		const after = Date.now();
		expect(run.error).toBeUndefined();
		// The window's ends move with the clock while the run lasts (and Since/Until are sent to
		// the second): every row well inside both possible windows is returned, nothing outside.
		const surely = within(after - 30 * DAY + 1000, before - 1000);
		const possibly = within(before - 30 * DAY - 1000, after);
		expect(surely.length).toBeGreaterThan(500);
		expect(ids(run.json)).toEqual(expect.arrayContaining(ids(surely)));
		expect(ids(possibly)).toEqual(expect.arrayContaining(ids(run.json)));
		expect(run.json.length).toBeLessThanOrEqual(possibly.length);
		const times = run.json.map((l) => String(l.loginTime));
		expect(times).toEqual([...times].sort().reverse());

		const sample = surely[0];
		const owner = org.store.users.find((u) => u.Id === sample.UserId)!;
		expect(run.json.find((l) => l.id === sample.Id)).toEqual({
			id: sample.Id,
			userId: sample.UserId,
			username: owner.Username,
			name: owner.Name,
			loginTime: iso(sample.LoginTime),
			loginType: sample.LoginType,
			status: sample.Status,
			sourceIp: sample.SourceIp,
			application: sample.Application,
			browser: sample.Browser,
			platform: sample.Platform,
			loginUrl: sample.LoginUrl,
			apiType: sample.ApiType,
			apiVersion: sample.ApiVersion,
			countryIso: sample.CountryIso,
		});
		// the pages, then the usernames: over 500 distinct users, the first page of a scan of all
		// users tells the org's user count (one call, as COUNT() did); the rest of the scan (here 1
		// page of 2,000) is then cheaper than the 2 IN lists of 500, so the scan goes on
		const distinctUsers = new Set(surely.map((l) => l.UserId)).size;
		expect(distinctUsers).toBeGreaterThan(500);
		expect(distinctUsers).toBeLessThanOrEqual(1000);
		expect(Math.ceil(org.store.users.length / 2000)).toBe(2);
		expect(org.calls.total()).toBe(Math.ceil(surely.length / 2000) + 2);
		expect(org.calls.soql().filter((q) => /FROM User WHERE Id IN/.test(q))).toHaveLength(0);
		for (const login of run.json) {
			const user = org.store.users.find((u) => u.Id === login.userId)!;
			expect([login.username, login.name]).toEqual([user.Username, user.Name]);
		}
	});

	it('filters since / until (ISO strings), users (15 or 18 chars) and status', async () => {
		const since = Date.now() - 120 * DAY;
		const until = Date.now() - 20 * DAY;
		const users = [...new Set(org.store.loginHistory.map((l) => l.UserId))].slice(0, 40);
		for (const status of ['success', 'failure', 'all'] as const) {
			const run = await read(org, 'loginHistory', 'getMany', {
				returnAll: true,
				filters: {
					since: new Date(since).toISOString(),
					until: new Date(until).toISOString(),
					userIds: users.map((id, i) => (i % 2 ? to15(id) : id)).join(','),
					status,
				},
			});
			const expected = within(since, until).filter(
				(l) =>
					users.includes(l.UserId) &&
					(status === 'all' || (status === 'success') === (l.Status === 'Success')),
			);
			expect(expected.length).toBeGreaterThan(0);
			expect(ids(run.json)).toEqual(ids(expected));
		}
	});

	it('accepts an n8n DateTime from an expression and honours the limit', async () => {
		const run = await read(org, 'loginHistory', 'getMany', {
			returnAll: false,
			limit: 5,
			filters: { since: '={{ $now.minus({ days: 10 }) }}' },
		});
		expect(run.error).toBeUndefined();
		const expected = within(Date.now() - 10 * DAY, Date.now())
			.sort((a, b) => b.LoginTime.localeCompare(a.LoginTime))
			.slice(0, 5);
		expect(run.json.map((l) => l.id)).toEqual(expected.map((l) => l.Id));
		expect(org.calls.soql()[0]).toMatch(/LIMIT 5$/);
	});

	it('honours a since beyond the 6 months Salesforce keeps, with a notice', async () => {
		const run = await read(org, 'loginHistory', 'getMany', {
			returnAll: true,
			filters: { since: new Date(Date.now() - 300 * DAY).toISOString() },
		});
		const expected = within(Date.now() - 300 * DAY, Date.now());
		expect(ids(run.json)).toEqual(ids(expected));
		const hints = run.runData['Salesforce Admin'][0].hints ?? [];
		expect(hints.map((h) => h.message).join(' ')).toMatch(/about 6 months/);
	});

	it.each([
		[{ since: 'last tuesday' }, /Item 0, "Filters > Since": "last tuesday" is not a date/],
		[{ until: '2024-13-45' }, /Item 0, "Filters > Until"/],
		[{ since: '2024-06-02', until: '2024-06-01' }, /Item 0, "Filters > Since": .*after "Until"/],
		[{ userIds: '005000000000001, 005ZZZ' }, /Item 0, "Filters > User IDs"/],
		[{ userIds: '005000000000001ZZZ' }, /Item 0, "Filters > User IDs": .*checksum/],
	])('fails %j before any call', async (filters, message) => {
		const run = await read(org, 'loginHistory', 'getMany', { returnAll: true, filters });
		expect(run.error?.message).toMatch(message);
		expect(org.calls.count()).toBe(0);
	});
});
