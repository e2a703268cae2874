import { Connection } from 'jsforce';

import { FakeOrg, UserRecord } from './index';

const VERSION = '62.0';
type SaveResult = {
	id?: string;
	success: boolean;
	errors: Array<{ statusCode: string; message: string; fields: string[] }>;
};

describe('fake org: updates', () => {
	let org: FakeOrg;
	let conn: Connection;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 600, seed: 3 } });
		conn = new Connection({ loginUrl: org.url, version: VERSION });
		await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
	});
	afterAll(() => org.stop());
	beforeEach(() => {
		org.calls.reset();
		org.controls.clearUpdateRules();
	});

	const activeUsers = (n: number, skip = 0) =>
		org.store.users
			.filter((u) => u.IsActive && u.Id !== org.admin.userId && u.UserType === 'Standard')
			.slice(skip, skip + n);
	const collections = (records: object[], allOrNone = false) =>
		conn.request<SaveResult[]>({
			method: 'PATCH',
			url: `/services/data/v${VERSION}/composite/sobjects`,
			body: JSON.stringify({ allOrNone, records }),
			headers: { 'Content-Type': 'application/json' },
		});

	it('PATCH sobjects/User/{id} answers 204 and changes the record', async () => {
		const [user] = activeUsers(1);
		const res = await fetch(
			`${org.url}/services/data/v${VERSION}/sobjects/User/${user.Id.slice(0, 15)}`,
			{
				method: 'PATCH',
				headers: {
					Authorization: `Bearer ${conn.accessToken}`,
					'Content-Type': 'application/json',
				},
				body: JSON.stringify({
					UserPermissionsMarketingUser: true,
					UserPermissionsSupportUser: false,
				}),
			},
		);
		expect(res.status).toBe(204);
		expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
		expect(user.UserPermissionsMarketingUser).toBe(true);
		expect(user.UserPermissionsSupportUser).toBe(false);
	});

	it('freezes through UserLogin.IsFrozen and reads it back', async () => {
		const [user] = activeUsers(1, 1);
		const login = org.store.userLoginFor(user.Id)!;
		await conn.sobject('UserLogin').update({ Id: login.Id, IsFrozen: true });
		const { records } = await conn.query<{ IsFrozen: boolean }>(
			`SELECT IsFrozen FROM UserLogin WHERE UserId = '${user.Id}'`,
		);
		expect(records[0].IsFrozen).toBe(true);
	});

	it('sObject Collections: per-record results in input order, partial failure kept apart', async () => {
		const users = activeUsers(5, 10);
		org.controls.addUpdateRule({
			sobject: 'User',
			id: users[2].Id,
			when: (changes) => changes.IsActive === false,
			statusCode: 'FIELD_INTEGRITY_EXCEPTION',
			message: 'Cannot inactivate user that is the value of a hierarchy field: Approver__c',
			fields: ['IsActive'],
		});
		const results = await collections(
			users.map((u) => ({ attributes: { type: 'User' }, Id: u.Id, IsActive: false })),
		);
		expect(results.map((r) => r.success)).toEqual([true, true, false, true, true]);
		expect(results.map((r) => r.id)).toEqual(users.map((u) => u.Id));
		expect(results[2].errors).toEqual([
			{
				statusCode: 'FIELD_INTEGRITY_EXCEPTION',
				message: 'Cannot inactivate user that is the value of a hierarchy field: Approver__c',
				fields: ['IsActive'],
			},
		]);
		expect(users.map((u) => u.IsActive)).toEqual([false, false, true, false, false]);
		expect(org.calls.count('collectionsPatch')).toBe(1);
		expect(org.calls.total()).toBe(1);
	});

	it('allOrNone rolls every record back when one fails', async () => {
		const users = activeUsers(3, 20);
		org.controls.addUpdateRule({
			sobject: 'User',
			id: users[1].Id,
			statusCode: 'UNABLE_TO_LOCK_ROW',
			message: 'unable to obtain exclusive access to this record',
		});
		const results = await collections(
			users.map((u) => ({ attributes: { type: 'User' }, Id: u.Id, IsActive: false })),
			true,
		);
		expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
			'UNABLE_TO_LOCK_ROW',
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
		]);
		expect(users.every((u) => u.IsActive)).toBe(true);
	});

	it('a transient rule fails only the first N attempts', async () => {
		const [user] = activeUsers(1, 30);
		org.controls.addUpdateRule({
			sobject: 'User',
			id: user.Id,
			statusCode: 'UNABLE_TO_LOCK_ROW',
			message: 'unable to obtain exclusive access to this record or 1 records: ' + user.Id,
			times: 2,
		});
		const body = [{ attributes: { type: 'User' }, Id: user.Id, IsActive: false }];
		expect((await collections(body))[0].errors[0].statusCode).toBe('UNABLE_TO_LOCK_ROW');
		expect((await collections(body))[0].errors[0].statusCode).toBe('UNABLE_TO_LOCK_ROW');
		expect((await collections(body))[0].success).toBe(true);
		expect(user.IsActive).toBe(false);
	});

	it('refuses more than 200 records with EXCEEDED_ID_LIMIT and changes nothing', async () => {
		const users = activeUsers(201, 40);
		await expect(
			collections(users.map((u) => ({ attributes: { type: 'User' }, Id: u.Id, IsActive: false }))),
		).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
		expect(users.every((u) => u.IsActive)).toBe(true);
	});

	it('freezes 200 users in one call', async () => {
		const logins = activeUsers(200, 100).map((u) => org.store.userLoginFor(u.Id)!);
		expect(logins).toHaveLength(200);
		const results = await collections(
			logins.map((l) => ({ attributes: { type: 'UserLogin' }, Id: l.Id, IsFrozen: true })),
		);
		expect(results.filter((r) => r.success)).toHaveLength(200);
		expect(logins.every((l) => l.IsFrozen)).toBe(true);
	});

	it('models Salesforce rules: own user, read-only fields, unknown fields, bad IDs, duplicates', async () => {
		const self = org.store.userLoginFor(org.admin.userId)!;
		const [other] = activeUsers(1, 50);
		const results = await collections([
			{ attributes: { type: 'User' }, Id: org.admin.userId, IsActive: false },
			{ attributes: { type: 'UserLogin' }, Id: self.Id, IsFrozen: true },
			{ attributes: { type: 'User' }, Id: other.Id, Name: 'New Name' },
			{ attributes: { type: 'User' }, Id: other.Id, Foo__c: 1 },
			{ attributes: { type: 'User' }, Id: '005000000000000', IsActive: false },
			{ attributes: { type: 'User' }, Id: 'garbage', IsActive: false },
		]);
		expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
			'FIELD_INTEGRITY_EXCEPTION',
			'FIELD_INTEGRITY_EXCEPTION',
			'INVALID_FIELD_FOR_INSERT_UPDATE',
			'DUPLICATE_VALUE',
			'INVALID_CROSS_REFERENCE_KEY',
			'MALFORMED_ID',
		]);
		const admin = org.store.get<UserRecord>('User', org.admin.userId)!;
		expect(admin.IsActive).toBe(true);
		expect(self.IsFrozen).toBe(false);
		// A single-record PATCH answers 400 with the errors array; jsforce throws it.
		await expect(conn.sobject('User').update({ Id: other.Id, Foo__c: 1 })).rejects.toMatchObject({
			errorCode: 'INVALID_FIELD',
		});
	});

	it('answers LICENSE_LIMIT_EXCEEDED when activating a user with no seat left', async () => {
		const license = org.store.licenseByName('Salesforce Platform')!;
		const inactive = org.store.users.find(
			(u) =>
				!u.IsActive &&
				org.store.get<{ UserLicenseId: string }>('Profile', u.ProfileId)!.UserLicenseId ===
					license.Id,
		)!;
		const saved = license.TotalLicenses;
		license.TotalLicenses = org.store.usedLicenseCounts().get(license.Id)!;
		try {
			const [result] = await collections([
				{ attributes: { type: 'User' }, Id: inactive.Id, IsActive: true },
			]);
			expect(result.errors[0]).toMatchObject({
				statusCode: 'LICENSE_LIMIT_EXCEEDED',
				message: 'License Limit Exceeded',
			});
			expect(inactive.IsActive).toBe(false);
		} finally {
			license.TotalLicenses = saved;
		}
	});

	it('a user without Manage Users gets INSUFFICIENT_ACCESS_OR_READONLY per record', async () => {
		const creds = org.addLoginUser(org.store.addUser({ profile: 'Standard User' }));
		const weak = new Connection({ loginUrl: org.url, version: VERSION });
		await weak.login(creds.username, creds.password + creds.securityToken);
		const [target] = activeUsers(1, 60);
		const results = await weak.request<SaveResult[]>({
			method: 'PATCH',
			url: `/services/data/v${VERSION}/composite/sobjects`,
			body: JSON.stringify({
				allOrNone: false,
				records: [{ attributes: { type: 'User' }, Id: target.Id, IsActive: false }],
			}),
			headers: { 'Content-Type': 'application/json' },
		});
		expect(results[0].errors[0].statusCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
		expect(target.IsActive).toBe(true);
	});

	it('GET sobjects/{type}/{id} returns the record, 404 NOT_FOUND for an unknown one', async () => {
		const [user] = activeUsers(1, 70);
		const record = await conn.sobject('User').retrieve(user.Id);
		expect(record).toMatchObject({ Id: user.Id, Username: user.Username, IsActive: true });
		await expect(conn.sobject('User').retrieve('005000000000000AAA')).rejects.toMatchObject({
			errorCode: 'NOT_FOUND',
		});
	});
});
