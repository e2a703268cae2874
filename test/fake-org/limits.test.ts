import { Connection } from 'jsforce';

import { FakeOrg } from './index';

const VERSION = '62.0';

describe('fake org: API limits and injected faults', () => {
	let org: FakeOrg;
	let conn: Connection;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 20 } });
		const tokens = org.issueOAuthTokens();
		conn = new Connection({
			oauth2: {
				loginUrl: org.url,
				clientId: org.admin.clientId,
				clientSecret: org.admin.clientSecret,
				redirectUri: 'http://localhost/cb',
			},
			instanceUrl: tokens.instance_url,
			accessToken: tokens.access_token,
			refreshToken: tokens.refresh_token,
			version: VERSION,
		});
	});
	afterAll(() => org.stop());
	beforeEach(() => {
		org.calls.reset();
		org.controls.setApiUsage(0, 15000);
	});

	const get = (path: string) =>
		fetch(`${org.url}/services/data/v${VERSION}${path}`, {
			headers: { Authorization: `Bearer ${conn.accessToken}` },
		});

	it('counts every REST call in Sforce-Limit-Info and /limits', async () => {
		const first = await get('/query?q=SELECT+Id+FROM+User');
		expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
		const second = await get('/limits');
		expect(second.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
		expect(second.headers.get('content-type')).toBe('application/json;charset=UTF-8');
		expect(((await second.json()) as { DailyApiRequests: unknown }).DailyApiRequests).toEqual({
			Max: 15000,
			Remaining: 14998,
		});
		expect(org.calls.total()).toBe(2);
		expect(org.calls.count('limits')).toBe(1);
	});

	it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily limit is used up', async () => {
		org.controls.setApiUsage(15000, 15000);
		const res = await get('/query?q=SELECT+Id+FROM+User');
		expect(res.status).toBe(403);
		expect(res.headers.get('sforce-limit-info')).toBe('api-usage=15000/15000');
		expect(await res.json()).toEqual([
			{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
		]);
		await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
			errorCode: 'REQUEST_LIMIT_EXCEEDED',
		});
		expect(org.calls.total()).toBe(0);
	});

	it('fails the next N calls with an injected status, optionally only of one kind', async () => {
		org.controls.failNext(2, 503, undefined, undefined, 'collectionsPatch');
		org.controls.failNext(1, 500);
		// jsforce itself retries a GET after a 5xx (500 ms back-off), so the query still succeeds.
		await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({
			totalSize: org.store.users.length,
		});
		const patch = () =>
			conn.request({
				method: 'PATCH',
				url: `/services/data/v${VERSION}/composite/sobjects`,
				body: JSON.stringify({ allOrNone: false, records: [] }),
				headers: { 'Content-Type': 'application/json' },
			});
		await expect(patch()).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
		await expect(patch()).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
		await expect(patch()).resolves.toEqual([]);
		// PATCH is not retried by jsforce: each injected 503 reaches the caller.
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'query:500',
			'query:200',
			'collectionsPatch:503',
			'collectionsPatch:503',
			'collectionsPatch:200',
		]);
	});

	it('an injected 401 makes jsforce refresh and retry once', async () => {
		org.controls.failNext(1, 401);
		await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({
			totalSize: org.store.users.length,
		});
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'query:401',
			'token:200',
			'query:200',
		]);
	});

	it('answers 404 NOT_FOUND for unknown resources and lists API versions', async () => {
		const missing = await get('/sobjects/User/005000000000000AAA');
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual([
			{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
		]);
		const versions = await (await fetch(`${org.url}/services/data`)).json();
		expect(versions).toContainEqual({
			label: "Winter '25",
			url: '/services/data/v62.0',
			version: '62.0',
		});
		const global = await conn.describeGlobal();
		expect(global.sobjects.map((s) => s.name)).toEqual(
			expect.arrayContaining([
				'User',
				'UserLogin',
				'LoginHistory',
				'EventLogFile',
				'UserLicense',
				'PermissionSetLicense',
			]),
		);
	});
});
