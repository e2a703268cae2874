import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';

import { Connection } from 'jsforce';

import { FakeOrg, LoginHistoryRecord } from './index';

const VERSION = '62.0';
const BASE = `/services/data/v${VERSION}/jobs/query`;

interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	text: string;
	json: any;
}

/** One HTTP call with the raw answer (no automatic decompression). */
function call(
	org: FakeOrg,
	token: string,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const payload =
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = request(
			`${org.url}${path}`,
			{
				method,
				headers: {
					Authorization: `Bearer ${token}`,
					...(payload !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
					...headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const buf = Buffer.concat(chunks);
					const text = buf.toString('utf8');
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json });
				});
			},
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** RFC 4180, any delimiter and line ending; only to check what the fake org wrote. */
function parseCsv(text: string, delimiter = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let value = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') ((value += '"'), i++);
			else if (ch === '"') quoted = false;
			else value += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === delimiter) (row.push(value), (value = ''));
		else if (ch === '\r' && text[i + 1] === '\n') continue;
		else if (ch === '\n') (row.push(value), rows.push(row), (row = []), (value = ''));
		else value += ch;
	}
	return rows;
}

describe('fake org: Bulk API 2.0 query jobs', () => {
	let org: FakeOrg;
	let token: string;

	const create = (query: string, extra: Record<string, unknown> = {}) =>
		call(org, token, 'POST', BASE, { operation: 'query', query, ...extra });
	const info = (id: string) => call(org, token, 'GET', `${BASE}/${id}`);
	const page = (
		id: string,
		params: Record<string, string | number> = {},
		headers: Record<string, string> = {},
	) => {
		const qs = new URLSearchParams(
			Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
		).toString();
		return call(
			org,
			token,
			'GET',
			`${BASE}/${id}/results${qs ? `?${qs}` : ''}`,
			undefined,
			headers,
		);
	};
	/** Creates a job and polls it to its end; returns its ID. */
	async function run(query: string, extra: Record<string, unknown> = {}): Promise<string> {
		const created = await create(query, extra);
		expect(created.status).toBe(200);
		let state = created.json.state;
		for (let i = 0; i < 20 && (state === 'UploadComplete' || state === 'InProgress'); i++)
			state = (await info(created.json.id)).json.state;
		expect(state).toBe('JobComplete');
		return created.json.id;
	}
	/** Every page of a job's results, following Sforce-Locator. */
	async function allPages(id: string, maxRecords?: number): Promise<Reply[]> {
		const pages: Reply[] = [];
		let locator: string | undefined;
		do {
			const params: Record<string, string | number> = {};
			if (locator) params.locator = locator;
			if (maxRecords) params.maxRecords = maxRecords;
			const reply = await page(id, params);
			expect(reply.status).toBe(200);
			pages.push(reply);
			locator = reply.headers['sforce-locator'] as string;
		} while (locator !== 'null');
		return pages;
	}

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 400, loginHistory: 3500, seed: 7 } });
		token = org.issueOAuthTokens().access_token;
	});
	afterAll(() => org.stop());
	beforeEach(() => {
		org.calls.reset();
		org.controls.bulk.reset();
	});

	it('creates a job: 200 with the job info, state UploadComplete, apiVersion as a number', async () => {
		const reply = await create('SELECT Id, Username FROM User', {
			contentType: 'CSV',
			columnDelimiter: 'COMMA',
			lineEnding: 'LF',
		});
		expect(reply.status).toBe(200);
		expect(reply.headers['content-type']).toMatch(/^application\/json/);
		expect(reply.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/\d+$/);
		expect(Object.keys(reply.json)).toEqual([
			'id',
			'operation',
			'object',
			'createdById',
			'createdDate',
			'systemModstamp',
			'state',
			'concurrencyMode',
			'contentType',
			'apiVersion',
			'lineEnding',
			'columnDelimiter',
		]);
		expect(reply.json).toMatchObject({
			operation: 'query',
			object: 'User',
			createdById: org.admin.userId,
			state: 'UploadComplete',
			concurrencyMode: 'Parallel',
			contentType: 'CSV',
			apiVersion: 62,
			lineEnding: 'LF',
			columnDelimiter: 'COMMA',
		});
		expect(reply.text).toContain('"apiVersion":62.0');
		expect(reply.json.id).toMatch(/^750\w{15}$/);
		expect(reply.json.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
		expect(org.calls.log.map((c) => [c.kind, c.counted])).toEqual([['bulkQueryCreate', true]]);
		expect(org.calls.soql()).toEqual(['SELECT Id, Username FROM User']);
	});

	it('progresses UploadComplete -> InProgress -> JobComplete over polls; results only once complete', async () => {
		org.controls.bulk.setPollsBeforeComplete(2);
		const { json: job } = await create('SELECT Id FROM User WHERE IsActive = true');
		const early = await page(job.id);
		expect(early.status).toBe(412);
		expect(early.json).toEqual([
			{
				errorCode: 'JOB_NOT_COMPLETE',
				message:
					'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: UPLOAD_COMPLETE',
			},
		]);
		const states: string[] = [];
		for (let i = 0; i < 3; i++) states.push((await info(job.id)).json.state);
		expect(states).toEqual(['InProgress', 'InProgress', 'JobComplete']);
		const done = (await info(job.id)).json;
		const active = org.store.users.filter((u) => u.IsActive).length;
		expect(done).toMatchObject({
			id: job.id,
			state: 'JobComplete',
			jobType: 'V2Query',
			numberRecordsProcessed: active,
			retries: 0,
			isPkChunkingSupported: true,
		});
		expect(done.totalProcessingTime).toBeGreaterThan(0);
		expect(done.errorMessage).toBeUndefined();
		expect((await page(job.id)).headers['sforce-numberofrecords']).toBe(String(active));
		// create, results (refused), 4 polls, results: every call counted.
		expect(org.calls.log.map((c) => c.kind)).toEqual([
			'bulkQueryCreate',
			'bulkQueryResults',
			'bulkQueryInfo',
			'bulkQueryInfo',
			'bulkQueryInfo',
			'bulkQueryInfo',
			'bulkQueryResults',
		]);
		expect(org.calls.total()).toBe(7);
	});

	it('pages results with maxRecords and Sforce-Locator; the last page says null; counts add up', async () => {
		const soql = 'SELECT Id, UserId, LoginTime, LoginType, Status FROM LoginHistory';
		const id = await run(soql);
		org.calls.reset();
		const pages = await allPages(id, 1000);
		expect(pages).toHaveLength(4);
		expect(pages.map((p) => p.headers['sforce-numberofrecords'])).toEqual([
			'1000',
			'1000',
			'1000',
			'500',
		]);
		expect(pages.map((p) => p.headers['sforce-locator'])).toEqual([
			'MTAwMA',
			'MjAwMA',
			'MzAwMA',
			'null',
		]);
		const rows = pages.flatMap((p) => {
			expect(p.headers['content-type']).toBe('text/csv');
			const [header, ...data] = parseCsv(p.text);
			// Every page is a CSV file of its own, header first.
			expect(header).toEqual(['Id', 'UserId', 'LoginTime', 'LoginType', 'Status']);
			return data;
		});
		expect(rows).toHaveLength(3500);
		expect(new Set(rows.map((r) => r[0])).size).toBe(3500);
		expect(rows.map((r) => r[0])).toEqual(org.store.loginHistory.map((h) => h.Id));
		// A locator can be read again as long as the job exists.
		expect((await page(id, { locator: 'MjAwMA', maxRecords: 1000 })).text).toBe(pages[2].text);
		expect(org.calls.count('bulkQueryResults')).toBe(5);
		expect(org.calls.total()).toBe(5);
	});

	it('API 48.0 and earlier: numeric locators; before 50.0: columns in alphabetical order', async () => {
		const v48 = '/services/data/v48.0/jobs/query';
		const job = (
			await call(org, token, 'POST', v48, {
				operation: 'query',
				query: 'SELECT Username, Id, Alias FROM User',
			})
		).json;
		expect(job.apiVersion).toBe(48);
		expect((await call(org, token, 'GET', `${v48}/${job.id}`)).json.state).toBe('JobComplete');
		const first = await call(org, token, 'GET', `${v48}/${job.id}/results?maxRecords=100`);
		expect(first.text.split('\n')[0]).toBe('"Alias","Id","Username"');
		expect(first.headers['sforce-locator']).toBe('100');
		expect(
			(await call(org, token, 'GET', `${v48}/${job.id}/results?maxRecords=100&locator=100`))
				.headers['sforce-locator'],
		).toBe('200');
	});

	it('splits by the default page size when maxRecords is absent (records or bytes)', async () => {
		const id = await run('SELECT Id, SourceIp FROM LoginHistory');
		org.controls.bulk.setPageSize({ records: 1500 });
		expect((await allPages(id)).map((p) => p.headers['sforce-numberofrecords'])).toEqual([
			'1500',
			'1500',
			'500',
		]);
		org.controls.bulk.setPageSize({ records: undefined, bytes: 40_000 });
		const bySize = await allPages(id);
		expect(bySize.length).toBeGreaterThan(2);
		for (const p of bySize) expect(p.body.length).toBeLessThanOrEqual(40_000);
		expect(bySize.reduce((n, p) => n + Number(p.headers['sforce-numberofrecords']), 0)).toBe(3500);
		org.controls.bulk.reset();
		const one = await allPages(id);
		expect(one).toHaveLength(1);
		expect(one[0].headers['sforce-numberofrecords']).toBe('3500');
	});

	it("writes Salesforce's CSV: every value quoted, quotes doubled, newlines kept, empty for null, true/false, UTC datetimes with Z, dotted relationship columns", async () => {
		const manager = org.store.addUser({ FirstName: 'Grace', LastName: 'Boss', Department: 'IT' });
		const odd = org.store.addUser({
			FirstName: 'Ann',
			LastName: 'O"Neil, Jr.\nSecond line',
			Department: null,
			ManagerId: manager.Id,
			IsActive: false,
			LastLoginDate: '2024-01-02T03:04:05.000Z',
			profile: 'Chatter Free User',
		});
		const soql = `SELECT Id, LastName, Department, IsActive, LastLoginDate, Profile.Name, Manager.Name, Manager.Manager.Name, Profile.UserLicense.Name FROM User WHERE Id IN ('${odd.Id}', '${manager.Id}') ORDER BY LastName`;
		const id = await run(soql);
		const { text } = await page(id);
		const lines = text.split('\n');
		expect(lines[0]).toBe(
			'"Id","LastName","Department","IsActive","LastLoginDate","Profile.Name","Manager.Name","Manager.Manager.Name","Profile.UserLicense.Name"',
		);
		expect(text).toContain(
			`"${manager.Id}","Boss","IT","true","","Standard User","","","Salesforce"\n`,
		);
		expect(text).toContain(
			`"${odd.Id}","O""Neil, Jr.\nSecond line","","false","2024-01-02T03:04:05.000Z","Chatter Free User","Grace Boss","","Chatter Free"\n`,
		);
		expect(parseCsv(text)).toHaveLength(3);

		const piped = await page(await run(soql, { columnDelimiter: 'PIPE', lineEnding: 'CRLF' }));
		expect(piped.text.startsWith('"Id"|"LastName"|"Department"|')).toBe(true);
		expect(piped.text.endsWith('"Chatter Free"\r\n')).toBe(true);
		// CRLF ends records; a newline inside a value stays as it is.
		expect(piped.text).toContain('"O""Neil, Jr.\nSecond line"|""|"false"');
		expect(parseCsv(piped.text, '|')).toEqual(parseCsv(text));
	});

	it('answers an empty result with the header row only, 0 records and locator null', async () => {
		const id = await run(
			"SELECT Id, Username FROM User WHERE Username = 'nobody@nowhere.example.com'",
		);
		const reply = await page(id, { maxRecords: 100 });
		expect(reply.text).toBe('"Id","Username"\n');
		expect(reply.headers['sforce-numberofrecords']).toBe('0');
		expect(reply.headers['sforce-locator']).toBe('null');
		expect((await info(id)).json.numberRecordsProcessed).toBe(0);
	});

	it('gzips results for Accept-Encoding: gzip, with the same headers', async () => {
		const id = await run('SELECT Id, Browser, Platform FROM LoginHistory');
		const plain = await page(id, { maxRecords: 2000 });
		const zipped = await page(id, { maxRecords: 2000 }, { 'Accept-Encoding': 'gzip, deflate' });
		expect(zipped.headers['content-encoding']).toBe('gzip');
		expect(zipped.headers['sforce-locator']).toBe(plain.headers['sforce-locator']);
		expect(zipped.headers['sforce-numberofrecords']).toBe('2000');
		expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.text);
		expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
		org.controls.bulk.gzipLevel = false;
		expect(
			(await page(id, { maxRecords: 10 }, { 'Accept-Encoding': 'gzip' })).headers[
				'content-encoding'
			],
		).toBeUndefined();
	});

	it('page 1 at the default size is written while the job runs; read again, it is written anew and the same', async () => {
		org.controls.bulk.gzipLevel = 1;
		for (const headers of [{ 'Accept-Encoding': 'gzip' }, {}] as Array<Record<string, string>>) {
			const id = await run('SELECT Id, UserId, LoginTime, Status FROM LoginHistory');
			const first = await page(id, {}, headers); // the page written after the create call
			const again = await page(id, {}, headers); // written when read
			const text = (reply: Reply) =>
				reply.headers['content-encoding'] === 'gzip'
					? gunzipSync(reply.body).toString('utf8')
					: reply.text;
			expect(first.headers['content-encoding']).toBe(again.headers['content-encoding']);
			expect(first.headers['sforce-locator']).toBe('null');
			expect(first.headers['sforce-numberofrecords']).toBe(again.headers['sforce-numberofrecords']);
			expect(text(first)).toBe(text(again));
			// every LoginHistory row the org holds, once, after the header row
			const rows = parseCsv(text(first));
			expect(rows[0]).toEqual(['Id', 'UserId', 'LoginTime', 'Status']);
			expect(rows.length - 1).toBe(org.store.loginHistory.length);
			expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(rows.length - 1);
		}
	});

	it('serves the queries the package sends: LoginHistory by LoginTime, UserId, LoginType, Status; queryAll', async () => {
		const since = org.store.loginHistory[1000].LoginTime.replace('+0000', 'Z');
		const userIds = [...new Set(org.store.loginHistory.slice(0, 50).map((h) => h.UserId))].slice(
			0,
			5,
		);
		const soql = `SELECT Id, UserId, LoginTime, LoginType, Status, SourceIp, Application FROM LoginHistory WHERE LoginTime >= ${since} AND UserId IN ('${userIds.join("','")}') AND LoginType = 'Application' AND Status = 'Success' ORDER BY LoginTime`;
		const expected = org.store.loginHistory.filter(
			(h: LoginHistoryRecord) =>
				h.LoginTime >= org.store.loginHistory[1000].LoginTime &&
				userIds.includes(h.UserId) &&
				h.LoginType === 'Application' &&
				h.Status === 'Success',
		);
		const id = await run(soql, { operation: 'queryAll' });
		expect((await info(id)).json).toMatchObject({
			operation: 'queryAll',
			object: 'LoginHistory',
			numberRecordsProcessed: expected.length,
		});
		const rows = parseCsv((await page(id)).text).slice(1);
		expect(rows.map((r) => r[0])).toEqual(expected.map((h) => h.Id));
		expect(rows.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r[2]))).toBe(true);
	});

	it('serves User, LoginHistory, UserLogin, PermissionSetLicense, UserLicense and EventLogFile; refuses UserPermissionAccess', async () => {
		for (const soql of [
			'SELECT Id, Username, Profile.Name, Profile.UserLicense.Name FROM User',
			'SELECT Id, UserId, LoginTime FROM LoginHistory',
			'SELECT Id, UserId, IsFrozen, IsPasswordLocked FROM UserLogin',
			'SELECT Id, DeveloperName, TotalLicenses, UsedLicenses, ExpirationDate FROM PermissionSetLicense',
			'SELECT Id, Name, TotalLicenses, UsedLicenses FROM UserLicense',
			'SELECT Id, EventType, LogDate, LogFileLength FROM EventLogFile',
		]) {
			expect((await create(soql)).status).toBe(200);
		}
		const refused = await create('SELECT Id, PermissionsApiEnabled FROM UserPermissionAccess');
		expect(refused.status).toBe(400);
		expect(refused.json).toEqual([
			{
				errorCode: 'INVALIDENTITY',
				message: "Entity 'UserPermissionAccess' is not supported by the Bulk API.",
			},
		]);
	});

	it('answers SOQL errors as the query resource does, and refuses what Bulk API 2.0 query does not support', async () => {
		const jobs = org.controls.bulk.jobs.size;
		const bad = await create('SELECT Id, Nope FROM User');
		expect(bad.status).toBe(400);
		expect(bad.json[0].errorCode).toBe('INVALID_FIELD');
		expect(bad.json[0].message).toContain("No such column 'Nope' on entity 'User'");
		expect((await create('SELECT Id FROM Nothing')).json[0].errorCode).toBe('INVALID_TYPE');
		expect((await create('SELEC Id FROM User')).json[0].errorCode).toBe('MALFORMED_QUERY');
		const refusals: Array<[string, string]> = [
			[
				'SELECT Id, (SELECT Id FROM Users) FROM Profile',
				'Aggregate Relationships not supported in Bulk Query',
			],
			['SELECT COUNT() FROM User', 'Aggregate queries are not supported in Bulk Query'],
			[
				'SELECT ProfileId, COUNT(Id) FROM User GROUP BY ProfileId',
				'Aggregate queries are not supported in Bulk Query',
			],
			['SELECT Id FROM User OFFSET 10', 'OFFSET is not supported in Bulk Query'],
			['SELECT FIELDS(STANDARD) FROM User', 'Selecting compound data not supported in Bulk Query'],
			['SELECT Id, LogFile FROM EventLogFile', 'Binary field not supported'],
		];
		for (const [soql, message] of refusals) {
			const reply = await create(soql);
			expect([soql, reply.status, reply.json]).toEqual([
				soql,
				400,
				[{ errorCode: 'API_ERROR', message }],
			]);
		}
		expect((await call(org, token, 'POST', BASE, { query: 'SELECT Id FROM User' })).json).toEqual([
			{ errorCode: 'INVALIDJOB', message: 'Operation is required' },
		]);
		expect(
			(await call(org, token, 'POST', BASE, { operation: 'insert', query: 'SELECT Id FROM User' }))
				.json[0].errorCode,
		).toBe('INVALIDJOB');
		expect(
			(await create('SELECT Id FROM User', { columnDelimiter: 'COLON' })).json[0].errorCode,
		).toBe('INVALIDJOB');
		expect((await call(org, token, 'POST', BASE, '{"operation":')).json[0].errorCode).toBe(
			'JSON_PARSER_ERROR',
		);
		// Refused creates are API calls too.
		expect(org.calls.count('bulkQueryCreate')).toBe(org.calls.total());
		expect(org.controls.bulk.jobs.size).toBe(jobs);
	});

	it('404 for an unknown job, 409 for results read with another API version, 400 for a bad locator', async () => {
		const missing = await info('750000000000000AAA');
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
		const id = await run('SELECT Id FROM User');
		expect(
			(await call(org, token, 'GET', `/services/data/v61.0/jobs/query/${id}/results`)).status,
		).toBe(409);
		expect((await page(id, { locator: 'bm9wZQ' })).status).toBe(400);
		expect((await page(id, { maxRecords: 0 })).status).toBe(400);
		expect(
			(
				await call(org, token, 'POST', '/services/data/v46.0/jobs/query', {
					operation: 'query',
					query: 'SELECT Id FROM User',
				})
			).status,
		).toBe(404);
		const unauth = await call(org, 'not-a-token', 'GET', `${BASE}/${id}`);
		expect(unauth.status).toBe(401);
		expect(unauth.json[0].errorCode).toBe('INVALID_SESSION_ID');
	});

	it('Failed and Aborted jobs by fault injection, with errorMessage; abort by PATCH; delete', async () => {
		org.controls.bulk.failNextJobs(1, 'InvalidBatch : Failed to process query: too many retries');
		const failed = (await create('SELECT Id FROM User')).json;
		const failedInfo = (await info(failed.id)).json;
		expect(failedInfo).toMatchObject({
			state: 'Failed',
			errorMessage: 'InvalidBatch : Failed to process query: too many retries',
			numberRecordsProcessed: 0,
		});
		expect((await page(failed.id)).json[0].message).toMatch(/Current status: FAILED$/);

		org.controls.bulk.failNextJobs(1, 'Aborted by the org', 'Aborted');
		const aborted = (await create('SELECT Id FROM User')).json;
		expect((await info(aborted.id)).json).toMatchObject({
			state: 'Aborted',
			errorMessage: 'Aborted by the org',
		});

		org.controls.bulk.setPollsBeforeComplete(5);
		const running = (await create('SELECT Id FROM User')).json;
		expect((await info(running.id)).json.state).toBe('InProgress');
		const del = await call(org, token, 'DELETE', `${BASE}/${running.id}`);
		expect([del.status, del.json]).toEqual([
			400,
			[
				{
					errorCode: 'API_ERROR',
					message: 'Error encountered when deleting the job because the job is not terminated',
				},
			],
		]);
		const patch = await call(org, token, 'PATCH', `${BASE}/${running.id}`, { state: 'Aborted' });
		expect(patch.status).toBe(200);
		expect(Object.keys(patch.json)).toEqual([
			'id',
			'operation',
			'object',
			'createdById',
			'createdDate',
			'systemModstamp',
			'state',
			'concurrencyMode',
			'contentType',
			'apiVersion',
		]);
		expect(patch.json).toMatchObject({ id: running.id, state: 'Aborted', apiVersion: 62 });
		expect((await info(running.id)).json.state).toBe('Aborted');
		const again = await call(org, token, 'PATCH', `${BASE}/${running.id}`, { state: 'Aborted' });
		expect(again.status).toBe(400);
		expect(again.json[0].errorCode).toBe('INVALIDJOBSTATE');

		const done = await run('SELECT Id FROM User');
		expect((await call(org, token, 'PATCH', `${BASE}/${done}`, { state: 'Aborted' })).json).toEqual(
			[{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' }],
		);
		const deleted = await call(org, token, 'DELETE', `${BASE}/${done}`);
		expect(deleted.status).toBe(204);
		expect(deleted.body.length).toBe(0);
		expect((await info(done)).status).toBe(404);
		expect((await page(done)).status).toBe(404);
		expect(
			org.calls.log.filter((c) => c.kind.startsWith('bulkQuery')).every((c) => c.counted),
		).toBe(true);
	});

	it('lists jobs and shows DailyBulkV2QueryJobs in /limits', async () => {
		const before = org.controls.bulk.jobsCreated;
		const id = await run('SELECT Id FROM UserLicense');
		const list = await call(org, token, 'GET', BASE);
		expect(list.json).toMatchObject({ done: true, nextRecordsUrl: null });
		expect(list.json.records.map((j: { id: string }) => j.id)).toContain(id);
		const limits = await call(org, token, 'GET', `/services/data/v${VERSION}/limits`);
		expect(limits.json.DailyBulkV2QueryJobs).toEqual({ Max: 10000, Remaining: 10000 - before - 1 });
	});

	describe('200,000 LoginHistory rows', () => {
		let big: FakeOrg;
		let bigToken: string;
		beforeAll(async () => {
			big = await FakeOrg.start({ seed: { users: 1000, loginHistory: 200_000, seed: 5 } });
			bigToken = big.issueOAuthTokens().access_token;
		}, 120_000);
		afterAll(() => big.stop());

		it('reads them in 4 pages of 50,000 (maxRecords), gzipped, in 6 API calls; one page of CSV at a time', async () => {
			const soql =
				'SELECT Id, UserId, LoginTime, LoginType, Status, SourceIp, Application, Browser, Platform, CountryIso FROM LoginHistory WHERE LoginTime >= 2000-01-01T00:00:00Z';
			const job = (await call(big, bigToken, 'POST', BASE, { operation: 'query', query: soql }))
				.json;
			expect((await call(big, bigToken, 'GET', `${BASE}/${job.id}`)).json).toMatchObject({
				state: 'JobComplete',
				numberRecordsProcessed: 200_000,
			});
			let locator = '';
			const counts: number[] = [];
			let last = '';
			do {
				const reply = await call(
					big,
					bigToken,
					'GET',
					`${BASE}/${job.id}/results?maxRecords=50000${locator ? `&locator=${locator}` : ''}`,
					undefined,
					{ 'Accept-Encoding': 'gzip' },
				);
				expect(reply.headers['content-encoding']).toBe('gzip');
				const text = gunzipSync(reply.body).toString('utf8');
				const lines = text.split('\n');
				expect(lines[0]).toBe(
					'"Id","UserId","LoginTime","LoginType","Status","SourceIp","Application","Browser","Platform","CountryIso"',
				);
				expect(lines).toHaveLength(50_002);
				last = lines[lines.length - 2];
				counts.push(Number(reply.headers['sforce-numberofrecords']));
				locator = reply.headers['sforce-locator'] as string;
			} while (locator !== 'null');
			expect(counts).toEqual([50_000, 50_000, 50_000, 50_000]);
			expect(last.startsWith(`"${big.store.loginHistory[199_999].Id}",`)).toBe(true);
			expect(big.calls.total()).toBeLessThanOrEqual(10);
			expect(big.calls.log.map((c) => c.kind)).toEqual([
				'bulkQueryCreate',
				'bulkQueryInfo',
				'bulkQueryResults',
				'bulkQueryResults',
				'bulkQueryResults',
				'bulkQueryResults',
			]);
		});
	});

	describe('jsforce 3.10.16 conn.bulk2.query()', () => {
		let conn: Connection;
		beforeEach(() => {
			conn = new Connection({ instanceUrl: org.url, accessToken: token, version: VERSION });
			conn.bulk2.pollInterval = 5;
			conn.bulk2.pollTimeout = 10_000;
		});

		/** Everything bulk2.query() yields: records, or the error its record stream raises. */
		async function bulk2Query(
			soql: string,
		): Promise<{ records: Array<Record<string, string>>; error?: Error }> {
			const stream = await conn.bulk2.query(soql);
			const records: Array<Record<string, string>> = [];
			return new Promise((resolve) => {
				stream.on('record', (r: Record<string, string>) => records.push(r));
				stream.on('error', (error: Error) => resolve({ records, error }));
				stream.on('end', () => resolve({ records }));
			});
		}

		it('reads a one-page result correctly', async () => {
			const { records, error } = await bulk2Query('SELECT Id, Username, IsActive FROM User');
			expect(error).toBeUndefined();
			expect(records).toHaveLength(org.store.users.length);
			expect(records[0]).toEqual({
				Id: org.store.users[0].Id,
				Username: org.store.users[0].Username,
				IsActive: 'true',
			});
			expect(org.calls.count('bulkQueryCreate')).toBe(1);
			expect(org.calls.count('bulkQueryResults')).toBe(1);
		});

		it('page by page with jsforce HttpApi (its response event carries Sforce-Locator): every row once', async () => {
			// Deep import: HttpApi is not on jsforce's main export, but it keeps jsforce's session
			// refresh and error handling, and parses each text/csv page on its own.
			// eslint-disable-next-line @typescript-eslint/no-var-requires
			const HttpApi = require('jsforce/lib/http-api').default;
			const { id } = await conn.request<{ id: string }>({
				method: 'POST',
				url: `${BASE}`,
				body: JSON.stringify({
					operation: 'query',
					query: 'SELECT Id, UserId, LoginTime FROM LoginHistory',
				}),
				headers: { 'Content-Type': 'application/json' },
			});
			expect((await conn.request<{ state: string }>(`${BASE}/${id}`)).state).toBe('JobComplete');
			const ids: string[] = [];
			let locator: string | undefined;
			do {
				const api = new HttpApi(conn, {});
				let headers: Record<string, string> = {};
				api.on(
					'response',
					(response: { headers: Record<string, string> }) => (headers = response.headers),
				);
				const url = `${org.url}${BASE}/${id}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`;
				const rows: Array<Record<string, string>> = await api.request({
					method: 'GET',
					url,
					headers: { Accept: 'text/csv' },
				});
				expect(rows).toHaveLength(Number(headers['sforce-numberofrecords']));
				ids.push(...rows.map((r) => r.Id));
				locator = headers['sforce-locator'];
			} while (locator !== 'null');
			expect(ids).toEqual(org.store.loginHistory.map((h) => h.Id));
			expect(org.calls.count('bulkQueryResults')).toBe(4);
		});

		it('breaks on a result of more than one page (finding: the product reads pages one by one)', async () => {
			org.controls.bulk.setPageSize({ records: 1000 });
			const { records, error } = await bulk2Query('SELECT Id, UserId, LoginTime FROM LoginHistory');
			expect(org.calls.count('bulkQueryResults')).toBe(4);
			// jsforce 3.10.16 pipes every page into one CSV parser. Each page is a CSV file with its
			// own header row, so (observed here, every run) pages 2..4 each leak their header as a
			// record ({ Id: 'Id', ... }) and no error is raised: 3,503 "records" for 3,500 rows.
			// DESIGN.md reports CSV_RECORD_INCONSISTENT_COLUMNS against a real org: either way the
			// result of bulk2.query() over several pages is wrong.
			const leaked = records.filter((r) => r.Id === 'Id');
			expect(Boolean(error) || leaked.length > 0).toBe(true);
			if (!error) {
				expect(leaked).toEqual(
					[1, 2, 3].map(() => ({ Id: 'Id', UserId: 'UserId', LoginTime: 'LoginTime' })),
				);
				expect(records).toHaveLength(3503);
			}
		});
	});
});
