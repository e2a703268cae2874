import { Connection } from 'jsforce';

import { DAY_MS } from './dates';
import { FakeOrg, UserRecord, ProfileRecord, UserLicenseRecord } from './index';

const VERSION = '62.0';
type Row = Record<string, any>;

describe('fake org: REST query', () => {
	let org: FakeOrg;
	let conn: Connection;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 5000, loginHistory: 3000, seed: 11 } });
		const tokens = org.issueOAuthTokens();
		conn = new Connection({
			instanceUrl: tokens.instance_url,
			accessToken: tokens.access_token,
			version: VERSION,
		});
	});
	afterAll(() => org.stop());
	beforeEach(() => {
		org.calls.reset();
		org.controls.showAllFields();
	});

	/** All records of a query, following nextRecordsUrl page by page. */
	async function queryAll(
		soql: string,
		headers: Record<string, string> = {},
	): Promise<{ records: Row[]; pages: number; totalSize: number }> {
		let page = await conn.request<Row>({
			method: 'GET',
			url: `/services/data/v${VERSION}/query?q=${encodeURIComponent(soql)}`,
			headers,
		});
		const records = [...page.records];
		let pages = 1;
		const totalSize = page.totalSize;
		while (!page.done) {
			page = await conn.request<Row>({ method: 'GET', url: page.nextRecordsUrl, headers });
			records.push(...page.records);
			pages++;
		}
		return { records, pages, totalSize };
	}

	const licenseOf = (u: UserRecord) => {
		const profile = org.store.get<ProfileRecord>('Profile', u.ProfileId)!;
		return org.store.get<UserLicenseRecord>('UserLicense', profile.UserLicenseId)!.Name;
	};
	const ids = (rows: Row[]) => rows.map((r) => r.Id).sort();

	it('pages 2,000 records at a time with nextRecordsUrl, totalSize and done', async () => {
		const first = await conn.request<Row>(
			`/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM User')}`,
		);
		expect(first.totalSize).toBe(org.store.users.length);
		expect(first.done).toBe(false);
		expect(first.records).toHaveLength(2000);
		expect(first.nextRecordsUrl).toMatch(
			new RegExp(`^/services/data/v${VERSION}/query/01g\\w{15}-2000$`),
		);
		const all = await queryAll('SELECT Id FROM User');
		expect(all.pages).toBe(Math.ceil(org.store.users.length / 2000));
		expect(new Set(all.records.map((r) => r.Id)).size).toBe(org.store.users.length);
		expect(org.calls.count('query')).toBe(2);
		expect(org.calls.count('queryMore')).toBe(all.pages - 1);
	});

	it('honours Sforce-Query-Options batchSize (200..2000) and jsforce autoFetch', async () => {
		const all = await queryAll('SELECT Id FROM User LIMIT 1000', {
			'Sforce-Query-Options': 'batchSize=250',
		});
		expect(all.pages).toBe(4);
		expect(all.records).toHaveLength(1000);
		const small = await queryAll('SELECT Id FROM User LIMIT 450', {
			'Sforce-Query-Options': 'batchSize=10',
		});
		expect(small.pages).toBe(3); // clamped to 200
		const fetched = await conn.query('SELECT Id FROM User').autoFetch(true).maxFetch(100_000);
		expect(fetched.records).toHaveLength(org.store.users.length);
	});

	it('shapes records with attributes and nested relationships (null for an empty lookup)', async () => {
		const { records } = await conn.query<Row>(
			`SELECT Id, Username, Profile.Name, Profile.UserLicense.Name, Manager.Name, LastLoginDate FROM User WHERE Id = '${org.admin.userId}'`,
		);
		expect(records[0]).toEqual({
			attributes: {
				type: 'User',
				url: `/services/data/v${VERSION}/sobjects/User/${org.admin.userId}`,
			},
			Id: org.admin.userId,
			Username: org.admin.username,
			Profile: {
				attributes: { type: 'Profile', url: expect.stringMatching(/\/sobjects\/Profile\/00e/) },
				Name: 'System Administrator',
				UserLicense: {
					attributes: {
						type: 'UserLicense',
						url: expect.stringMatching(/\/sobjects\/UserLicense\/100/),
					},
					Name: 'Salesforce',
				},
			},
			Manager: null,
			LastLoginDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
		});
	});

	it('filters equal what the org holds: status, licenses, idle days, external types', async () => {
		const cutoff = new Date(Date.now() - 90 * DAY_MS).toISOString();
		const soql = `SELECT Id FROM User WHERE IsActive = true AND Profile.UserLicense.Name IN ('Salesforce', 'Salesforce Platform') AND (LastLoginDate < ${cutoff} OR LastLoginDate = null) AND UserType NOT IN ('CsnOnly', 'Guest')`;
		const { records } = await queryAll(soql);
		const expected = org.store.users.filter(
			(u) =>
				u.IsActive &&
				['Salesforce', 'Salesforce Platform'].includes(licenseOf(u)) &&
				(u.LastLoginDate === null ||
					Date.parse(u.LastLoginDate.replace('+0000', 'Z')) < Date.parse(cutoff)) &&
				!['CsnOnly', 'Guest'].includes(u.UserType),
		);
		expect(expected.length).toBeGreaterThan(100);
		expect(ids(records)).toEqual(expected.map((u) => u.Id).sort());
	});

	it('evaluates NOT, nested parentheses, LIKE, date literals and ORDER BY with NULLS', async () => {
		const soql =
			"SELECT Id, LastLoginDate FROM User WHERE NOT (IsActive = false OR Profile.Name LIKE 'Chatter%') AND (LastLoginDate = LAST_N_DAYS:30 OR LastLoginDate = null) ORDER BY LastLoginDate DESC NULLS FIRST, Id";
		const { records } = await queryAll(soql);
		const since = Math.floor(Date.now() / DAY_MS) * DAY_MS - 30 * DAY_MS;
		const expected = org.store.users.filter((u) => {
			const profile = org.store.get<ProfileRecord>('Profile', u.ProfileId)!;
			const last =
				u.LastLoginDate === null ? null : Date.parse(u.LastLoginDate.replace('+0000', 'Z'));
			return (
				u.IsActive &&
				!profile.Name.toLowerCase().startsWith('chatter') &&
				(last === null || last >= since)
			);
		});
		expect(ids(records)).toEqual(expected.map((u) => u.Id).sort());
		const nullCount = expected.filter((u) => u.LastLoginDate === null).length;
		expect(records.slice(0, nullCount).every((r) => r.LastLoginDate === null)).toBe(true);
		const dates = records.slice(nullCount).map((r) => r.LastLoginDate);
		expect(dates).toEqual([...dates].sort().reverse());
	});

	it('compares strings case-insensitively and accepts 15- and 18-character IDs', async () => {
		const admin = org.store.get<UserRecord>('User', org.admin.userId)!;
		const upper = await conn.query<Row>(
			`SELECT Id FROM User WHERE Username = '${admin.Username.toUpperCase()}'`,
		);
		expect(upper.records.map((r) => r.Id)).toEqual([admin.Id]);
		const some = org.store.users.slice(10, 13);
		const mixed = await conn.query<Row>(
			`SELECT Id FROM User WHERE Id IN ('${some[0].Id.slice(0, 15)}', '${some[1].Id}', '${some[2].Id.toLowerCase()}')`,
		);
		expect(ids(mixed.records)).toEqual(some.map((u) => u.Id).sort());
		await expect(conn.query(`SELECT Id FROM User WHERE Id = '005xyz'`)).rejects.toMatchObject({
			errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
			message: expect.stringContaining('invalid ID field: 005xyz'),
		});
	});

	it('takes escaped string literals literally (no SOQL injection)', async () => {
		const tricky = org.store.addUser({
			LastName: 'O\'Brien \\ "Q" 100%_x',
			Username: "o'brien@acme.example.com",
		});
		const byName = await conn.query<Row>(
			`SELECT Id FROM User WHERE LastName = 'O\\'Brien \\\\ \\"Q\\" 100%_x'`,
		);
		expect(byName.records.map((r) => r.Id)).toEqual([tricky.Id]);
		const like = await conn.query<Row>(`SELECT Id FROM User WHERE LastName LIKE '%100\\%\\_x'`);
		expect(like.records.map((r) => r.Id)).toEqual([tricky.Id]);
		const injected = await conn.query<Row>(
			`SELECT Id FROM User WHERE Username = 'x\\' OR Username != \\'y'`,
		);
		expect(injected.totalSize).toBe(0);
		const unicode = await conn.query<Row>(
			`SELECT Id FROM User WHERE Username = 'o\\u0027brien@acme.example.com'`,
		);
		expect(unicode.records.map((r) => r.Id)).toEqual([tricky.Id]);
		expect(org.calls.soql()[2]).toBe(
			`SELECT Id FROM User WHERE Username = 'x\\' OR Username != \\'y'`,
		);
		await expect(
			conn.query(`SELECT Id FROM User WHERE Username = 'bad \\q escape'`),
		).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
	});

	it('answers INVALID_FIELD, MALFORMED_QUERY and INVALID_TYPE as Salesforce does', async () => {
		await expect(conn.query('SELECT Id, Foo FROM User')).rejects.toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringContaining("No such column 'Foo' on entity 'User'"),
		});
		await expect(conn.query('SELECT Id, Profile.Bar.Name FROM User')).rejects.toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringContaining("Didn't understand relationship 'Bar'"),
		});
		await expect(conn.query('SELECT FROM User')).rejects.toMatchObject({
			errorCode: 'MALFORMED_QUERY',
		});
		await expect(conn.query('SELECT Id FROM Widget')).rejects.toMatchObject({
			errorCode: 'INVALID_TYPE',
			message: expect.stringContaining("sObject type 'Widget' is not supported"),
		});
		await expect(conn.query("SELECT Id FROM User WHERE IsActive = 'true'")).rejects.toMatchObject({
			errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
		});
		await expect(
			conn.query('SELECT Id FROM User WHERE CreatedDate > 2024-01-01'),
		).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' });
		const res = await fetch(
			`${org.url}/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Foo FROM User')}`,
			{ headers: { Authorization: `Bearer ${conn.accessToken}` } },
		);
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
	});

	it('hides fields (field-level security) from describe and SOQL', async () => {
		org.controls.hideFields('User', ['UserPermissionsSupportUser']);
		const describe = await conn.sobject('User').describe();
		const names = describe.fields.map((f) => f.name);
		expect(names).not.toContain('UserPermissionsSupportUser');
		expect(names).toContain('UserPermissionsMarketingUser');
		await expect(
			conn.query('SELECT Id, UserPermissionsSupportUser FROM User'),
		).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
	});

	it('counts and groups: COUNT(), COUNT(Id) and GROUP BY on a relationship field', async () => {
		const active = org.store.users.filter((u) => u.IsActive).length;
		const count = await conn.query('SELECT COUNT() FROM User WHERE IsActive = true');
		expect(count.totalSize).toBe(active);
		expect(count.records).toEqual([]);
		const countId = await conn.query<Row>('SELECT COUNT(Id) FROM User WHERE IsActive = true');
		expect(countId.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: active }]);
		const grouped = await conn.query<Row>(
			'SELECT Profile.UserLicense.Name, COUNT(Id) n FROM User WHERE IsActive = true GROUP BY Profile.UserLicense.Name ORDER BY COUNT(Id) DESC',
		);
		const expected = new Map<string, number>();
		for (const u of org.store.users)
			if (u.IsActive) expected.set(licenseOf(u), (expected.get(licenseOf(u)) ?? 0) + 1);
		expect(Object.fromEntries(grouped.records.map((r) => [r.Name, r.n]))).toEqual(
			Object.fromEntries(expected),
		);
		const counts = grouped.records.map((r) => r.n);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
	});

	it('computes UsedLicenses from active users; a deactivation frees a seat', async () => {
		const read = async () =>
			(
				await conn.query<Row>(
					"SELECT Name, TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = 'Salesforce'",
				)
			).records[0];
		const before = await read();
		expect(before.UsedLicenses).toBe(
			org.store.usedLicenseCounts().get(org.store.licenseByName('Salesforce')!.Id),
		);
		const victim = org.store.users.find(
			(u) => u.IsActive && licenseOf(u) === 'Salesforce' && u.Id !== org.admin.userId,
		)!;
		await conn.sobject('User').update({ Id: victim.Id, IsActive: false });
		expect((await read()).UsedLicenses).toBe(before.UsedLicenses - 1);
	});

	it('supports semi-joins, OFFSET and LIMIT', async () => {
		const frozen = await queryAll(
			'SELECT Id FROM User WHERE Id IN (SELECT UserId FROM UserLogin WHERE IsFrozen = true)',
		);
		const expected = org.store.userLogins
			.filter((l) => l.IsFrozen)
			.map((l) => l.UserId)
			.sort();
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(frozen.records)).toEqual(expected);
		const page = await conn.query<Row>('SELECT Id FROM User ORDER BY Id LIMIT 5 OFFSET 10');
		expect(page.records.map((r) => r.Id)).toEqual(org.store.users.slice(10, 15).map((u) => u.Id));
	});

	it('answers UserPermissionAccess for the session user (profile OR permission sets)', async () => {
		const { records } = await conn.query<Row>(
			'SELECT PermissionsApiEnabled, PermissionsViewEventLogFiles, PermissionsViewAllData, PermissionsModifyAllData FROM UserPermissionAccess',
		);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({
			PermissionsApiEnabled: true,
			PermissionsViewEventLogFiles: true,
			PermissionsViewAllData: true,
			PermissionsModifyAllData: true,
		});
		const user = org.store.addUser({ profile: 'Standard User' });
		org.store.assignPermissionSet(
			user.Id,
			org.store.permissionSets.find((p) => p.Name === 'Event_Monitoring_Viewer')!.Id,
		);
		const creds = org.addLoginUser(user);
		const other = new Connection({ loginUrl: org.url, version: VERSION });
		await other.login(creds.username, creds.password + creds.securityToken);
		const mine = await other.query<Row>(
			'SELECT PermissionsApiEnabled, PermissionsViewEventLogFiles, PermissionsViewAllData FROM UserPermissionAccess',
		);
		expect(mine.records[0]).toMatchObject({
			PermissionsApiEnabled: true,
			PermissionsViewEventLogFiles: true,
			PermissionsViewAllData: false,
		});
	});

	it('pages 3,000 LoginHistory rows filtered by time and status', async () => {
		const since = org.store.loginHistory[1000].LoginTime;
		const soql = `SELECT Id, UserId, LoginTime, Status FROM LoginHistory WHERE LoginTime >= ${since.replace('+0000', 'Z')} AND Status != 'Success' ORDER BY LoginTime DESC`;
		const { records } = await queryAll(soql);
		const expected = org.store.loginHistory.filter(
			(l) => l.LoginTime >= since && l.Status !== 'Success',
		);
		expect(expected.length).toBeGreaterThan(20);
		expect(records.map((r) => r.LoginTime)).toEqual(
			expected
				.map((l) => l.LoginTime)
				.sort()
				.reverse(),
		);
		expect(ids(records)).toEqual(expected.map((l) => l.Id).sort());
	});

	it('answers queryAll like query, and INVALID_QUERY_LOCATOR for an unknown cursor', async () => {
		const all = await conn.request<Row>(
			`/services/data/v${VERSION}/queryAll?q=${encodeURIComponent('SELECT Id FROM Profile')}`,
		);
		expect(all.totalSize).toBe(org.store.profiles.length);
		await expect(
			conn.request(`/services/data/v${VERSION}/query/01g5g0000000zzzAAA-2000`),
		).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
	});
});
