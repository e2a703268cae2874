import {
	FakeOrg,
	OrgStore,
	seedOrg,
	normalizeId,
	idSuffix,
	USER_FEATURE_FLAGS,
	UserRecord,
	ProfileRecord,
} from './index';
import type { SeedOptions } from './index';
import { decodeString, likeToRegExp } from './soql-literals';

describe('fake org: seeding', () => {
	const now = new Date('2026-11-01T12:00:00Z');

	it('is deterministic: the same options give the same org', () => {
		const a = new OrgStore({ now: () => now });
		const b = new OrgStore({ now: () => now });
		seedOrg(a, { users: 500, seed: 9, now });
		seedOrg(b, { users: 500, seed: 9, now });
		expect(a.users).toEqual(b.users);
		expect(a.loginHistory).toEqual(b.loginHistory);
		const c = new OrgStore({ now: () => now });
		seedOrg(c, { users: 500, seed: 10, now });
		expect(c.users.map((u) => u.Username)).not.toEqual(a.users.map((u) => u.Username));
	});

	it('seeds a realistic mix', () => {
		const store = new OrgStore({ now: () => now });
		seedOrg(store, { users: 5000, seed: 1, now });
		const profileName = (u: UserRecord) => store.get<ProfileRecord>('Profile', u.ProfileId)!.Name;
		const byType = new Set(store.users.map((u) => u.UserType));
		expect([...byType].sort()).toEqual([
			'CsnOnly',
			'CspLitePortal',
			'Guest',
			'PowerCustomerSuccess',
			'PowerPartner',
			'Standard',
		]);
		const share = (pred: (u: UserRecord) => boolean) =>
			store.users.filter(pred).length / store.users.length;
		expect(share((u) => !u.IsActive)).toBeGreaterThan(0.05);
		expect(share((u) => u.LastLoginDate === null)).toBeGreaterThan(0.03);
		const idle = share(
			(u) =>
				u.LastLoginDate !== null &&
				now.getTime() - Date.parse(u.LastLoginDate.replace('+0000', 'Z')) > 90 * 86_400_000,
		);
		expect(idle).toBeGreaterThan(0.1);
		expect(store.userLogins.filter((l) => l.IsFrozen).length).toBeGreaterThan(10);
		expect(
			store.users.filter((u) => profileName(u) === 'System Administrator').length,
		).toBeGreaterThanOrEqual(5);
		for (const flag of USER_FEATURE_FLAGS) expect(share((u) => u[flag])).toBeGreaterThan(0.01);
		for (const license of store.userLicenses) {
			expect(license.TotalLicenses).toBeGreaterThanOrEqual(
				store.usedLicenseCounts().get(license.Id) ?? 0,
			);
		}
		expect(store.userLogins).toHaveLength(store.users.length);
	});

	// Salesforce sets User.LastLoginDate and writes the LoginHistory row from the same successful
	// UI or API login, so the two never disagree; the demo's examples compare them (issue 23).
	it.each<[string, SeedOptions]>([
		['the demo org', { users: 400, seed: 2024 }],
		['a bigger org with more rows than users', { users: 2000, loginHistory: 12_000, seed: 7 }],
		['an org with fewer rows than users', { users: 300, loginHistory: 50, seed: 3 }],
	])("%s: every user's LastLoginDate is their newest successful login", (_, options) => {
		const store = new OrgStore({ now: () => now });
		seedOrg(store, { ...options, now });
		const ms = (value: string) => Date.parse(value.replace('+0000', 'Z'));
		const windowStart = now.getTime() - 180 * 86_400_000;
		const rowsOf = new Map<string, Array<{ LoginTime: string; Status: string }>>();
		for (const row of store.loginHistory)
			rowsOf.set(row.UserId, [...(rowsOf.get(row.UserId) ?? []), row]);
		let usersWithRows = 0;
		const disagreements: string[] = [];
		for (const user of store.users) {
			const rows = rowsOf.get(user.Id) ?? [];
			if (rows.length) usersWithRows++;
			const successes = rows.filter((r) => r.Status === 'Success').map((r) => ms(r.LoginTime));
			const newest = successes.length ? Math.max(...successes) : null;
			const last = user.LastLoginDate === null ? null : ms(user.LastLoginDate);
			// Every row is within the account's life and no later than the last login.
			for (const row of rows) {
				if (ms(row.LoginTime) < ms(user.CreatedDate))
					disagreements.push(`${user.Username}: a login before the account existed`);
				if (last === null || ms(row.LoginTime) > last)
					disagreements.push(`${user.Username}: a login after LastLoginDate ${user.LastLoginDate}`);
			}
			if (newest !== null && newest !== last)
				disagreements.push(`${user.Username}: newest success ${newest}, LastLoginDate ${last}`);
			// With rows to spare, a last login inside the kept window has its row.
			const rowsToSpare = store.loginHistory.length >= store.users.length;
			if (rowsToSpare && last !== null && last >= windowStart && newest === null)
				disagreements.push(`${user.Username}: LastLoginDate ${user.LastLoginDate} has no row`);
		}
		expect(disagreements).toEqual([]);
		expect(usersWithRows).toBeGreaterThanOrEqual(Math.min(50, store.loginHistory.length / 2));
		expect(store.loginHistory.length).toBe(
			options.loginHistory ??
				Math.min(20_000, store.users.filter((u) => u.IsActive && u.LastLoginDate).length * 3),
		);
	});

	// About 1 s for the users and 0.6 s for the rows on the 2-core dev machine when idle; the
	// generous budget only guards against quadratic work (which would take minutes), not noise.
	// CPU time of this process, not wall time: a busy machine makes it wait, not work more.
	const cpuMs = (since: NodeJS.CpuUsage) => {
		const used = process.cpuUsage(since);
		return (used.user + used.system) / 1000;
	};
	it('seeds 100,000 users and 200,000 login rows fast', async () => {
		let started = process.cpuUsage();
		const org = await FakeOrg.start({ seed: { users: 100_000, loginHistory: 0, seed: 2 } });
		const usersMs = cpuMs(started);
		started = process.cpuUsage();
		seedOrg(org.store, { users: 0, loginHistory: 200_000, seed: 2 });
		const rowsMs = cpuMs(started);
		try {
			expect(org.store.users).toHaveLength(100_001);
			expect(org.store.loginHistory).toHaveLength(200_000);
			expect(usersMs).toBeLessThan(10_000);
			expect(rowsMs).toBeLessThan(10_000);
		} finally {
			await org.stop();
		}
	}, 180_000);
});

describe('fake org: IDs and SOQL literals', () => {
	it('computes the case-safe suffix and reads IDs case-insensitively', () => {
		expect(idSuffix('001A0000006Vm9r')).toBe('IAC');
		expect(normalizeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
		expect(normalizeId('001a0000006vm9riac')).toBe('001A0000006Vm9rIAC');
		expect(normalizeId('001a0000006vm9rAAA')).toBe('001a0000006vm9rAAA'); // all lower case: another ID
		expect(normalizeId('000000000000000BAA')).toBeNull(); // suffix marks a digit upper case
		expect(normalizeId("005' OR '1'='1")).toBeNull();
	});

	it('decodes every SOQL escape and rejects unknown ones', () => {
		expect(decodeString(String.raw`'a\'b\\c\"d\ne\tf\u00e9'`)).toBe('a\'b\\c"d\ne\tfé');
		expect(decodeString(String.raw`'50\%'`)).toBe('50\\%');
		expect(() => decodeString(String.raw`'\x'`)).toThrow(/Invalid escape/);
		const like = likeToRegExp(String.raw`'a\%b_c%'`);
		expect(like.test('a%bXcanything')).toBe(true);
		expect(like.test('aXbXc')).toBe(false);
		expect(likeToRegExp("'(.*)'").test('(.*)')).toBe(true);
		expect(likeToRegExp("'(.*)'").test('abc')).toBe(false);
	});
});
