import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';

import { Connection } from 'jsforce';

import { FakeOrg, generatedLogFile } from './index';

const VERSION = '62.0';

/** GET with the raw bytes back (no automatic decompression). */
function download(
	url: string,
	token: string,
	gzip: boolean,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				headers: {
					Authorization: `Bearer ${token}`,
					...(gzip ? { 'Accept-Encoding': 'gzip' } : {}),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks),
					}),
				);
			},
		);
		req.on('error', reject);
		req.end();
	});
}

/** A small RFC 4180 parser, only to check the generated CSV is well-formed. */
function parseCsv(text: string): string[][] {
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
		else if (ch === ',') (row.push(value), (value = ''));
		else if (ch === '\n') (row.push(value), rows.push(row), (row = []), (value = ''));
		else value += ch;
	}
	return rows;
}

describe('fake org: Event Log Files', () => {
	let org: FakeOrg;
	let token: string;

	beforeAll(async () => {
		org = await FakeOrg.start({
			seed: { users: 100, eventLogFiles: { days: 2, rowsPerFile: 300 } },
		});
		token = org.issueOAuthTokens().access_token;
	});
	afterAll(() => org.stop());

	it('lists files with LogFileLength, field names and types, and the LogFile URL', async () => {
		const conn = new Connection({ instanceUrl: org.url, accessToken: token, version: VERSION });
		const { records } = await conn.query<Record<string, any>>(
			"SELECT Id, EventType, LogDate, Interval, Sequence, LogFileLength, LogFileFieldNames, LogFileFieldTypes, LogFile FROM EventLogFile WHERE EventType IN ('Login', 'API') AND Interval = 'Daily' ORDER BY LogDate DESC",
		);
		expect(records).toHaveLength(4);
		expect(records[0].LogFile).toBe(
			`/services/data/v${VERSION}/sobjects/EventLogFile/${records[0].Id}/LogFile`,
		);
		const login = records.find((r) => r.EventType === 'Login')!;
		const names = login.LogFileFieldNames.split(',');
		const types = login.LogFileFieldTypes.split(',');
		expect(names).toEqual(
			expect.arrayContaining([
				'EVENT_TYPE',
				'TIMESTAMP',
				'USER_ID',
				'TIMESTAMP_DERIVED',
				'USER_ID_DERIVED',
			]),
		);
		expect(types).toHaveLength(names.length);
		expect(types[names.indexOf('TIMESTAMP_DERIVED')]).toBe('DateTime');
		expect(types[names.indexOf('USER_ID')]).toBe('Id');
		expect(types[names.indexOf('RUN_TIME')]).toBe('Number');
	});

	it('serves the CSV body whose size is LogFileLength; gzip when asked', async () => {
		const file = org.store.eventLogFiles.find((f) => f.EventType === 'Login')!;
		const url = `${org.url}/services/data/v${VERSION}/sobjects/EventLogFile/${file.Id}/LogFile`;
		const plain = await download(url, token, false);
		expect(plain.status).toBe(200);
		expect(plain.headers['content-type']).toBe('text/csv');
		expect(plain.headers['content-length']).toBe(String(file.LogFileLength));
		expect(plain.body.length).toBe(file.LogFileLength);
		const zipped = await download(url, token, true);
		expect(zipped.headers['content-encoding']).toBe('gzip');
		expect(zipped.body.length).toBeLessThan(plain.body.length);
		expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);

		const rows = parseCsv(plain.body.toString('utf8'));
		expect(rows).toHaveLength(301);
		expect(rows[0].join(',')).toBe(file.LogFileFieldNames);
		expect(plain.body.toString('utf8', 0, 14)).toBe('"EVENT_TYPE","');
		const row = Object.fromEntries(rows[0].map((name, i) => [name, rows[1][i]]));
		expect(row.EVENT_TYPE).toBe('Login');
		expect(row.TIMESTAMP).toMatch(/^\d{14}\.\d{3}$/);
		expect(row.TIMESTAMP_DERIVED).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(row.TIMESTAMP_DERIVED.slice(0, 10)).toBe(file.LogDate.slice(0, 10));
		expect(row.USER_ID).toHaveLength(15);
		expect(row.USER_ID_DERIVED.slice(0, 15)).toBe(row.USER_ID);
		expect(org.store.get('User', row.USER_ID_DERIVED)).toBeDefined();
	});

	it('generates edge cases (commas, quotes, newlines, empty values, non-ASCII) with an exact length', async () => {
		const file = org.store.addEventLogFile({
			EventType: 'API',
			LogDate: '2024-11-01T00:00:00Z',
			rows: 500,
			edgeCases: true,
			seed: 5,
		});
		const { body } = await download(
			`${org.url}/services/data/v${VERSION}/sobjects/EventLogFile/${file.Id}/LogFile`,
			token,
			false,
		);
		expect(body.length).toBe(file.LogFileLength);
		const text = body.toString('utf8');
		const rows = parseCsv(text);
		expect(rows).toHaveLength(501);
		expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
		const values = new Set(rows.flat());
		for (const edge of [
			'a,b,c',
			'say "hello"',
			'line one\nline two',
			'windows\r\nline',
			'',
			'Zürich – 日本語 ✓',
		])
			expect(values).toContain(edge);
	});

	it('serves exact bodies given by a test', async () => {
		const csv = '"EVENT_TYPE","USER_ID","URI"\n"URI","005000000000001","/a,b"\n';
		const file = org.store.addEventLogFile({
			EventType: 'URI',
			LogDate: new Date('2024-11-02T00:00:00Z'),
			body: csv,
			fieldTypes: ['String', 'Id', 'EscapedString'],
		});
		expect(file.LogFileFieldNames).toBe('EVENT_TYPE,USER_ID,URI');
		const { body } = await download(
			`${org.url}/services/data/v${VERSION}/sobjects/EventLogFile/${file.Id}/LogFile`,
			token,
			true,
		);
		expect(gunzipSync(body).toString('utf8')).toBe(csv);
	});

	it('computes the length of a 1 GB body without producing it, and streams it exactly', () => {
		const huge = generatedLogFile({
			eventType: 'API',
			logDate: '2024-11-01T00:00:00.000+0000',
			targetBytes: 1e9,
			userIds: org.store.users.map((u) => u.Id),
			orgId: org.store.orgId,
		});
		expect(Math.abs(huge.length - 1e9) / 1e9).toBeLessThan(0.01);
		const small = generatedLogFile({
			eventType: 'LightningPageView',
			logDate: '2024-11-01T05:00:00.000+0000',
			interval: 'Hourly',
			rows: 12_345,
			edgeCases: true,
			userIds: ['0055g0000000001AAA'],
			orgId: org.store.orgId,
		});
		let bytes = 0;
		for (const chunk of small.chunks()) bytes += chunk.length;
		expect(bytes).toBe(small.length);
	});

	it('hides event logs from users without View Event Log Files', async () => {
		const creds = org.addLoginUser(org.store.addUser({ profile: 'Standard User' }));
		const conn = new Connection({ loginUrl: org.url, version: VERSION });
		await conn.login(creds.username, creds.password + creds.securityToken);
		await expect(conn.query('SELECT Id FROM EventLogFile')).rejects.toMatchObject({
			errorCode: 'INVALID_TYPE',
		});
		const file = org.store.eventLogFiles[0];
		const res = await download(
			`${org.url}/services/data/v${VERSION}/sobjects/EventLogFile/${file.Id}/LogFile`,
			conn.accessToken!,
			false,
		);
		expect(res.status).toBe(404);
	});
});
