/**
 * Get event log files and Get events against the fake org: the file list and the parsed rows
 * equal what the org holds (bodies parsed independently here with csv-parse/sync), plain and
 * gzip downloads, per-user summary, binary output, and the permission error.
 */
import { parse } from 'csv-parse/sync';
import type { INodeParameters } from 'n8n-workflow';

import type { EventLogFileRecord, FakeOrg } from '../fake-org';
import { NODE_NAME } from '../helpers/run-node';
import type { ReadRun } from './setup';
import { iso, read, startOrg } from './setup';

const DAY = 86_400_000;
let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({
		users: 300,
		loginHistory: 10,
		eventLogFiles: { days: 4, rowsPerFile: 40, edgeCases: true },
	});
	// hourly files of one day, next to the daily ones
	const today = Math.floor(Date.now() / DAY) * DAY;
	for (let hour = 0; hour < 3; hour++) {
		org.store.addEventLogFile({
			EventType: 'API',
			LogDate: new Date(today - DAY + hour * 3_600_000),
			Interval: 'Hourly',
			Sequence: hour + 1,
			rows: 15,
			seed: 900 + hour,
		});
	}
});
afterAll(async () => await org.stop());

const fileIds = (files: Array<{ Id?: unknown; id?: unknown }>) =>
	files.map((f) => String(f.Id ?? f.id)).sort();
const body = (file: EventLogFileRecord, from = org) =>
	Buffer.concat([...from.store.logFileSource(file.Id)!.chunks()]);

/** The rows of a file (or of its first bytes) as the design promises them, computed from the raw body. */
function expectedRows(file: EventLogFileRecord, text: Buffer = body(file)) {
	const names = file.LogFileFieldNames.split(',');
	const types = new Map(names.map((n, i) => [n, file.LogFileFieldTypes.split(',')[i]]));
	const records = parse(text, { columns: true }) as Array<Record<string, string>>;
	return records.map((record) => {
		const row: Record<string, unknown> = {};
		for (const [column, value] of Object.entries(record)) {
			const type = types.get(column);
			row[column] =
				value === ''
					? null
					: type === 'Number'
						? Number(value)
						: type === 'Boolean'
							? { true: true, false: false }[value]
							: type === 'DateTime'
								? new Date(value).toISOString()
								: value;
		}
		return { ...row, logFileId: file.Id } as Record<string, unknown>;
	});
}

describe('Get event log files', () => {
	it('lists every file of the last 30 days by default, with the design fields', async () => {
		const run = await read(org, 'eventLog', 'getMany', { returnAll: true });
		expect(run.error).toBeUndefined();
		expect(fileIds(run.json)).toEqual(fileIds(org.store.eventLogFiles));
		const file = org.store.eventLogFiles[0];
		expect(run.json.find((f) => f.id === file.Id)).toEqual({
			id: file.Id,
			eventType: file.EventType,
			logDate: iso(file.LogDate),
			interval: file.Interval,
			sequence: file.Sequence,
			logFileLength: file.LogFileLength,
		});
		expect(org.calls.total()).toBe(1);
	});

	it.each([
		[
			{ eventTypes: ['Login', 'URI'] },
			(f: EventLogFileRecord) => ['Login', 'URI'].includes(f.EventType),
		],
		[{ interval: 'hourly' }, (f: EventLogFileRecord) => f.Interval === 'Hourly'],
		[
			{ interval: 'daily', eventTypes: ['API'] },
			(f: EventLogFileRecord) => f.Interval === 'Daily' && f.EventType === 'API',
		],
	])('filters %j', async (filters, predicate) => {
		const run = await read(org, 'eventLog', 'getMany', { returnAll: true, filters });
		const expected = org.store.eventLogFiles.filter(predicate);
		expect(expected.length).toBeGreaterThan(0);
		expect(fileIds(run.json)).toEqual(fileIds(expected));
	});

	it('filters since / until on LogDate and honours the limit', async () => {
		const since = new Date(Date.now() - 2.5 * DAY).toISOString();
		const until = new Date(Date.now() - 1.5 * DAY).toISOString();
		const run = await read(org, 'eventLog', 'getMany', {
			returnAll: true,
			filters: { since, until },
		});
		const expected = org.store.eventLogFiles.filter((f) => {
			const t = Date.parse(iso(f.LogDate)!);
			return t >= Date.parse(since) && t <= Date.parse(until);
		});
		expect(expected.length).toBeGreaterThan(0);
		expect(fileIds(run.json)).toEqual(fileIds(expected));

		const limited = await read(org, 'eventLog', 'getMany', { returnAll: false, limit: 3 });
		expect(limited.json).toHaveLength(3);
	});
});

describe('Get events', () => {
	const loginFiles = () => org.store.eventLogFiles.filter((f) => f.EventType === 'Login');

	it.each([
		['gzip', 1],
		['plain', false],
	] as const)(
		'returns every row typed by LogFileFieldTypes (%s download)',
		async (_mode, gzipLevel) => {
			org.controls.gzipLevel = gzipLevel;
			try {
				const run = await read(org, 'eventLog', 'getEvents', {
					returnAll: true,
					filters: { eventTypes: ['Login'] },
				});
				expect(run.error).toBeUndefined();
				const files = loginFiles();
				const expected = files.flatMap((f) => expectedRows(f));
				const sort = (rows: Array<Record<string, unknown>>) =>
					[...rows].sort((a, b) =>
						`${a.logFileId}${a.REQUEST_ID}`.localeCompare(`${b.logFileId}${b.REQUEST_ID}`),
					);
				expect(sort(run.json)).toEqual(sort(expected));
				// edge cases made it through: embedded commas, quotes, newlines, empty values
				const values = run.json.flatMap((r) => Object.values(r));
				expect(values).toEqual(
					expect.arrayContaining([
						'a,b,c',
						'say "hello"',
						'line one\nline two',
						'windows\r\nline',
						null,
					]),
				);
				expect(org.calls.count('logFile')).toBe(files.length);
				expect(org.calls.total()).toBe(1 + files.length);
			} finally {
				org.controls.gzipLevel = 1;
			}
		},
	);

	it('summarizes per user across files', async () => {
		const run = await read(org, 'eventLog', 'getEvents', {
			output: 'perUser',
			returnAll: true,
			filters: { eventTypes: ['Login', 'API'] },
		});
		expect(run.error).toBeUndefined();
		const rows = org.store.eventLogFiles
			.filter((f) => ['Login', 'API'].includes(f.EventType))
			.flatMap((f) => expectedRows(f));
		const expected = new Map<string, { eventCount: number; times: number[]; types: Set<string> }>();
		for (const row of rows) {
			const user = String(row.USER_ID_DERIVED);
			const entry = expected.get(user) ?? { eventCount: 0, times: [], types: new Set<string>() };
			entry.eventCount++;
			entry.times.push(Date.parse(String(row.TIMESTAMP_DERIVED)));
			entry.types.add(String(row.EVENT_TYPE));
			expected.set(user, entry);
		}
		const items = [...expected].map(([userId, entry]) => ({
			userId,
			eventCount: entry.eventCount,
			firstEventTime: new Date(Math.min(...entry.times)).toISOString(),
			lastEventTime: new Date(Math.max(...entry.times)).toISOString(),
			eventTypes: [...entry.types].sort(),
		}));
		// most events first, then by user ID
		items.sort((a, b) => b.eventCount - a.eventCount || a.userId.localeCompare(b.userId));
		expect(run.json).toEqual(items);
	});

	it('returns each file as binary data', async () => {
		const run = await read(org, 'eventLog', 'getEvents', {
			output: 'binary',
			binaryPropertyName: 'csv',
			filters: { interval: 'hourly' },
		});
		expect(run.error).toBeUndefined();
		const files = org.store.eventLogFiles.filter((f) => f.Interval === 'Hourly');
		expect(run.items).toHaveLength(files.length);
		for (const item of run.items) {
			const file = files.find((f) => f.Id === item.json.id)!;
			const data = item.binary!.csv;
			expect(data.mimeType).toBe('text/csv');
			expect(data.fileName).toMatch(/^API-.*\.csv$/);
			expect(Buffer.from(data.data, 'base64').equals(body(file))).toBe(true);
		}
	});

	it('signs in again when the session expires during a download, once', async () => {
		const files = loginFiles();
		org.calls.reset();
		const run = await read(org, 'eventLog', 'getEvents', {
			output: 'perUser',
			filters: { eventTypes: ['Login'] },
		});
		const baseline = run.json;
		org.controls.failNext(1, 401, 'INVALID_SESSION_ID', 'Session expired or invalid', 'logFile');
		const again = await read(org, 'eventLog', 'getEvents', {
			output: 'perUser',
			filters: { eventTypes: ['Login'] },
		});
		expect(again.error).toBeUndefined();
		expect(again.json).toEqual(baseline);
		expect(org.calls.count('soapLogin')).toBe(2);
		expect(org.calls.count('logFile')).toBe(files.length + 1);
	});

	it('says which permission to grant when the user cannot read event logs', async () => {
		const user = org.store.addUser({
			profile: 'Standard User',
			Username: 'no.eventlogs@acme.example.com',
		});
		const login = { ...org.admin, ...org.addLoginUser(user) };
		for (const operation of ['getMany', 'getEvents']) {
			const run = await read(org, 'eventLog', operation, { returnAll: true }, { login });
			expect(run.error?.message).toMatch(/cannot read Event Log Files/);
			expect(run.error?.description).toMatch(/View Event Log Files.*Permission Sets/);
		}
	});

	it.each([
		[{ filters: { since: 'soon' } }, /Item 0, "Filters > Since"/],
		[{ filters: { interval: 'weekly' } }, /Item 0, "Filters > Interval"/],
		[{ filters: { eventTypes: [] } }, /Item 0, "Filters > Event Type Names or IDs"/],
		[{ output: 'binary', binaryPropertyName: ' ' }, /Item 0, "Put Output File in Field"/],
		[{ returnAll: false, limit: 0 }, /Item 0, "Limit"/],
	])('fails %j before any call', async (parameters, message) => {
		const run = await read(org, 'eventLog', 'getEvents', parameters);
		expect(run.error?.message).toMatch(message);
		expect(org.calls.count()).toBe(0);
	});
});

describe('Get events limit', () => {
	const MB = 1024 * 1024;
	let small: FakeOrg;
	let big: EventLogFileRecord;
	let reports: EventLogFileRecord[];
	/** CSV bytes the fake org has produced for the big file's downloads (before any gzip). */
	let served = 0;
	/** Whether the org's last download of the big file has ended (finished, or closed by the client). */
	let ended = false;

	beforeAll(async () => {
		small = await startOrg({ users: 80, loginHistory: 1 });
		big = small.store.addEventLogFile({
			EventType: 'URI',
			LogDate: new Date(Date.now() - DAY),
			targetBytes: 64 * MB,
			seed: 5,
		});
		const source = small.store.logFileSource(big.Id)!;
		const chunks = source.chunks.bind(source);
		source.chunks = function* () {
			ended = false;
			try {
				for (const chunk of chunks()) {
					served += chunk.length;
					yield chunk;
				}
			} finally {
				ended = true;
			}
		};
		// two small files of one type, newest first in the listing
		reports = [1, 2].map((days) =>
			small.store.addEventLogFile({
				EventType: 'Report',
				LogDate: new Date(Date.now() - days * DAY),
				rows: 30,
				seed: 40 + days,
			}),
		);
	});
	afterAll(async () => await small.stop());

	const hints = (run: ReadRun) => (run.runData[NODE_NAME]?.[0]?.hints ?? []).map((h) => h.message);
	const readSmall = async (parameters: INodeParameters) => {
		const run = await read(small, 'eventLog', 'getEvents', parameters);
		expect(run.error).toBeUndefined();
		return run;
	};

	it.each([
		['plain', false],
		['gzip', 1],
	] as const)(
		'stops reading a large file at the default limit of 50 and says how to get whole files (%s)',
		async (_mode, gzipLevel) => {
			small.controls.gzipLevel = gzipLevel;
			served = 0;
			try {
				const run = await readSmall({ filters: { eventTypes: ['URI'] } });
				expect(hints(run)).toEqual([
					expect.stringMatching(/first 50 events.*"One Summary per User".*"File as Binary Data"/),
				]);
				// the download was closed: what the org had produced by then (what the sockets buffer
				// included, a few MB) is a small part of the 64 MB file, and stays so
				await new Promise((resolve) => setTimeout(resolve, 300));
				expect(big.LogFileLength).toBeGreaterThan(60 * MB);
				expect(served).toBeLessThan(16 * MB);
				// and not merely paused: the connection was closed, so the org stopped sending
				expect(ended).toBe(true);

				const chunks = small.store.logFileSource(big.Id)!.chunks()[Symbol.iterator]();
				const head = Buffer.concat([chunks.next().value as Buffer, chunks.next().value as Buffer]); // header + 1,000 rows
				expect(run.json).toEqual(expectedRows(big, head).slice(0, 50));
			} finally {
				small.controls.gzipLevel = 1;
			}
		},
	);

	it.each([
		[45, 45, true, 2],
		[30, 30, true, 2], // the second file's first row shows there is more
		[60, 60, false, 2], // exactly everything: no hint
		[500, 60, false, 2],
	])('counts limit %i across files: %i rows, hint %s', async (limit, rows, hinted, downloads) => {
		const run = await readSmall({ limit, filters: { eventTypes: ['Report'] } });
		const expected = reports.flatMap((file) => expectedRows(file, body(file, small)));
		expect(run.json).toEqual(expected.slice(0, rows));
		expect(hints(run)).toHaveLength(hinted ? 1 : 0);
		expect(small.calls.count('logFile')).toBe(downloads);
	});

	it('Return All returns every row, without a hint', async () => {
		const run = await readSmall({ returnAll: true, limit: 5, filters: { eventTypes: ['Report'] } });
		expect(run.json).toHaveLength(60);
		expect(hints(run)).toEqual([]);
	});

	it('Return All: more rows than Max Rows fail the item, naming the per-user and binary outputs', async () => {
		// the two Report files hold 60 rows, the first 30: the second file's rows pass 45
		const run = await read(small, 'eventLog', 'getEvents', {
			returnAll: true,
			maxRows: 45,
			filters: { eventTypes: ['Report'] },
		});
		expect(run.error?.message).toBe(
			'The matching Event Log Files hold more than Max Rows (45) events; reading stopped there',
		);
		expect(run.error?.description).toMatch(
			/"One Summary per User".*"File as Binary Data".*raise Max Rows/,
		);
		expect(run.items).toEqual([]);
		expect(small.calls.count('logFile')).toBe(2);

		// exactly Max Rows is within the bound
		const exact = await readSmall({
			returnAll: true,
			maxRows: 60,
			filters: { eventTypes: ['Report'] },
		});
		expect(exact.json).toHaveLength(60);
	});

	it('Return All: files whose LogFileLength alone is far above Max Rows are refused before any download', async () => {
		// 100 rows x 16 KB = 1.6 MB, and the URI file holds 64 MB of CSV
		served = 0;
		const run = await read(
			small,
			'eventLog',
			'getEvents',
			{ returnAll: true, maxRows: 100, filters: { eventTypes: ['URI'] } },
			{ input: [{}, {}], continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		const size = `${(big.LogFileLength / MB).toFixed(1)} MB`;
		expect(run.items).toEqual(
			[0, 1].map((item) => ({
				json: {
					error: `The matching Event Log File holds ${size} of CSV (LogFileLength), far more than Max Rows (100) events; nothing was downloaded`,
				},
				pairedItem: { item },
			})),
		);
		expect(small.calls.count('logFile')).toBe(0);
		expect(served).toBe(0);
	});

	it('per user: the limit keeps the most active users, and every file is still read', async () => {
		const all = await readSmall({
			output: 'perUser',
			returnAll: true,
			filters: { eventTypes: ['Report'] },
		});
		expect(all.json.length).toBeGreaterThan(3);
		const limited = await readSmall({
			output: 'perUser',
			limit: 3,
			filters: { eventTypes: ['Report'] },
		});
		expect(limited.json).toEqual(all.json.slice(0, 3));
		expect(small.calls.count('logFile')).toBe(2);
		expect(hints(limited)).toEqual([]);
	});

	it('binary: the limit counts files, and only that many are downloaded', async () => {
		const run = await readSmall({
			output: 'binary',
			limit: 1,
			filters: { eventTypes: ['Report'] },
		});
		expect(run.items.map((i) => i.json.id)).toEqual([reports[0].Id]);
		expect(small.calls.count('logFile')).toBe(1);
		expect(small.calls.soql()[0]).toMatch(/ LIMIT 1$/);
	});
});
