/**
 * Get events parses Event Log Files as arrays of cells and keys them itself: rows mode clones one
 * template per file, the per-user summary types only the columns it reads. Both must give what
 * keying every row with csv-parse's `columns: true` and typing every value gives, on files with
 * the awkward shapes real ones have.
 */
import { parse } from 'csv-parse/sync';
import { Readable } from 'stream';
import { gzipSync } from 'zlib';

import type { EventRow } from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';
import {
	eventRowBuilder,
	fieldTypeMap,
	forEachCsvRecord,
	forEachEventRow,
	PerUserSummary,
	rowTime,
	SUMMARY_COLUMNS,
	typeValue,
} from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';
import { to18CharId } from '../../nodes/SalesforceAdmin/salesforce/ids';

const FILE_ID = '0AT000000000001AAA';
const FILE_EVENT_TYPE = 'API';

/** Rows as keying every record with csv-parse `columns: true` and typing every value gives them. */
function referenceRows(csv: string, types: Map<string, string>): EventRow[] {
	const records = parse(csv, {
		columns: true,
		bom: true,
		skip_empty_lines: true,
		relax_column_count: true,
	}) as Array<Record<string, string>>;
	return records.map((record) => {
		const row: EventRow = {};
		for (const [column, raw] of Object.entries(record))
			row[column] = typeValue(raw ?? '', types.get(column));
		return row;
	});
}

/** The per-user summary folded from whole rows, independently of PerUserSummary's own lookups. */
function referenceSummary(rows: EventRow[]) {
	const users = new Map<
		string | null,
		{ count: number; first?: number; last?: number; types: Set<string> }
	>();
	for (const row of rows) {
		const rawUser = row.USER_ID_DERIVED ?? row.USER_ID;
		const userId =
			rawUser === null || rawUser === undefined || rawUser === ''
				? null
				: (to18CharId(String(rawUser)) ?? String(rawUser));
		const user = users.get(userId) ?? { count: 0, types: new Set<string>() };
		users.set(userId, user);
		user.count++;
		const time = rowTime(row);
		if (time !== undefined) {
			user.first = user.first === undefined ? time : Math.min(user.first, time);
			user.last = user.last === undefined ? time : Math.max(user.last, time);
		}
		const eventType = (row.EVENT_TYPE as string | null) ?? FILE_EVENT_TYPE;
		if (eventType) user.types.add(eventType);
	}
	const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
	return [...users]
		.map(([userId, u]) => ({
			userId,
			eventCount: u.count,
			firstEventTime: iso(u.first),
			lastEventTime: iso(u.last),
			eventTypes: [...u.types].sort(),
		}))
		.sort(
			(a, b) => b.eventCount - a.eventCount || String(a.userId).localeCompare(String(b.userId)),
		);
}

/** Bytes in tiny chunks, so quoted fields, CRLFs, the BOM and gzip headers straddle chunk edges. */
function chunked(bytes: Buffer, size = 7): Readable {
	const parts: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
	return Readable.from(parts);
}

async function rowsMode(body: Buffer, types: Map<string, string>): Promise<EventRow[]> {
	const rows: EventRow[] = [];
	await forEachEventRow(chunked(body), types, (row) => rows.push(row), {
		extra: { logFileId: FILE_ID },
	});
	return rows;
}

async function summaryMode(body: Buffer, types: Map<string, string>) {
	const summary = new PerUserSummary();
	await forEachEventRow(chunked(body), types, (row) => summary.add(row, FILE_EVENT_TYPE), {
		only: SUMMARY_COLUMNS,
	});
	return summary.items();
}

/** toEqual ignores key order; the output's keys must come in the CSV's order, as before. */
const keyOrder = (rows: EventRow[]) => rows.map((row) => Object.keys(row));

const U1_15 = '005000000000001';
const U1_18 = to18CharId(U1_15)!;
const U2_15 = '005000000000002';
const U2_18 = to18CharId(U2_15)!;

const STANDARD_TYPES = fieldTypeMap(
	'EVENT_TYPE,TIMESTAMP,REQUEST_ID,USER_ID,RUN_TIME,IS_API,QUERY,LOG_DATE,TIMESTAMP_DERIVED,USER_ID_DERIVED',
	'String,String,String,Id,Number,Boolean,EscapedString,Date,DateTime,Id',
);
const q = (...cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');

const CASES: Array<{ name: string; csv: string; types?: Map<string, string> }> = [
	{
		name: 'a standard file: 15- and 18-char IDs of one user, rows without a user, quoted newlines',
		csv: [
			q(
				'EVENT_TYPE',
				'TIMESTAMP',
				'REQUEST_ID',
				'USER_ID',
				'RUN_TIME',
				'IS_API',
				'QUERY',
				'LOG_DATE',
				'TIMESTAMP_DERIVED',
				'USER_ID_DERIVED',
			),
			q(
				'API',
				'20240531083015.123',
				'r1',
				U1_15,
				'42',
				'1',
				'say "hi", twice',
				'2024-05-31',
				'2024-05-31T08:30:15.123Z',
				U1_18,
			),
			q(
				'API',
				'20240531090000.000',
				'r2',
				U1_15,
				'',
				'0',
				'line one\nline two',
				'',
				'2024-05-31T09:00:00.000Z',
				'',
			),
			q('URI', '20240530000000.5', 'r3', '', '3.5', 'true', 'windows\r\nline', '', '', ''),
			q(
				'URI',
				'20240601000000.000',
				'r4',
				U2_15,
				'n/a',
				'maybe',
				'',
				'2024-06-01',
				'not a time',
				U2_18,
			),
			q('', 'garbage', 'r5', U2_15, '7', 'FALSE', ',', '', '', ''),
			q('Login', '20240529235959.999', 'r6', '', '', '', '"', '', '2024-05-29T23:59:59Z', ''),
		].join('\n'),
	},
	{
		name: 'no USER_ID_DERIVED column',
		csv: [
			q('EVENT_TYPE', 'TIMESTAMP', 'USER_ID', 'TIMESTAMP_DERIVED'),
			q('API', '20240531083015.123', U1_15, '2024-05-31T08:30:15.123Z'),
			q('API', '20240531083016.123', U1_18, ''),
			q('API', '20240531083017.123', '', '2024-05-31T08:30:17.123Z'),
		].join('\n'),
	},
	{
		name: 'no user, no derived timestamp and no event type columns (the file type is used)',
		csv: [q('TIMESTAMP', 'URI'), q('20240531083015.123', '/a'), q('20240531083014.000', '/b')].join(
			'\n',
		),
	},
	{
		name: 'short and long records (relaxed column count), incl. one ending before the user columns',
		csv: [
			q('EVENT_TYPE', 'TIMESTAMP_DERIVED', 'RUN_TIME', 'USER_ID', 'USER_ID_DERIVED'),
			q('API', '2024-05-31T08:30:15.123Z', '1', U1_15, U1_18),
			q('API', '2024-05-31T08:30:16.123Z', '2', U1_15),
			q('API', '2024-05-31T08:30:17.123Z'),
			q('URI'),
			q('API', '2024-05-31T08:30:18.123Z', '3', U2_15, U2_18, 'extra', 'cells'),
		].join('\n'),
	},
	{
		name: 'repeated column names (first position, last value) and a column named logFileId',
		csv: [
			q('USER_ID', 'EVENT_TYPE', 'logFileId', 'USER_ID', 'TIMESTAMP_DERIVED', 'EVENT_TYPE'),
			q(U1_15, 'API', 'from the file', U2_15, '2024-05-31T08:30:15.123Z', 'URI'),
			q(U1_15, 'API', '', '', '2024-05-31T08:30:16.123Z', ''),
			q(U1_15, 'API', 'x', U2_15),
		].join('\n'),
	},
	{
		name: 'a byte-order mark, CRLF line ends and empty lines',
		csv:
			'\ufeff' +
			[
				q('EVENT_TYPE', 'USER_ID', 'TIMESTAMP'),
				'',
				q('API', U1_15, '20240531083015.123'),
				'',
				'',
				q('API', U2_15, '20240531083015.000'),
				'',
			].join('\r\n'),
	},
	{
		name: 'unquoted values and user IDs that are not IDs',
		csv: [
			'EVENT_TYPE,USER_ID,USER_ID_DERIVED,TIMESTAMP',
			'API,not-an-id,,20240531083015.123',
			'API,,abc,20240531083015.124',
			'API,005ZZZ,,',
		].join('\n'),
	},
	{
		name: 'odd field types: TIMESTAMP typed Number, USER_ID Boolean, TIMESTAMP_DERIVED Date',
		csv: [
			q('EVENT_TYPE', 'TIMESTAMP', 'USER_ID', 'TIMESTAMP_DERIVED'),
			q('API', '20240531083015.123', 'TRUE', '2024-05-31T08:30:15.123Z'),
			q('API', '20240531083015.100', U1_15, '2024-05-31T23:30:15.123Z'),
			q('API', '20240531083015.000', '0', ''),
		].join('\n'),
		types: fieldTypeMap(
			'EVENT_TYPE,TIMESTAMP,USER_ID,TIMESTAMP_DERIVED',
			'String,Number,Boolean,Date',
		),
	},
	{ name: 'a header only', csv: q('EVENT_TYPE', 'USER_ID', 'TIMESTAMP') + '\n' },
	{ name: 'an empty file', csv: '' },
];

describe.each(CASES)('Event Log File with $name', ({ csv, types = STANDARD_TYPES }) => {
	const expected = referenceRows(csv, types);

	it('rows mode gives the keyed and typed rows plus logFileId, keys in the same order', async () => {
		const rows = await rowsMode(Buffer.from(csv), types);
		const withFileId = expected.map((row) => ({ ...row, logFileId: FILE_ID }));
		expect(rows).toEqual(withFileId);
		expect(keyOrder(rows)).toEqual(keyOrder(withFileId));
	});

	it('forEachEventRow without options gives the keyed and typed rows', async () => {
		const rows: EventRow[] = [];
		await forEachEventRow(chunked(Buffer.from(csv)), types, (row) => rows.push(row));
		expect(rows).toEqual(expected);
		expect(keyOrder(rows)).toEqual(keyOrder(expected));
	});

	it('the per-user summary from 5 typed columns equals the one from whole rows', async () => {
		const fromWholeRows = new PerUserSummary();
		for (const row of expected) fromWholeRows.add(row, FILE_EVENT_TYPE);
		const items = await summaryMode(Buffer.from(csv), types);
		expect(items).toEqual(fromWholeRows.items());
		expect(items).toEqual(referenceSummary(expected));
	});

	it('reads the gzip-compressed file the same', async () => {
		const gzipped = gzipSync(Buffer.from(csv));
		expect(await rowsMode(gzipped, types)).toEqual(await rowsMode(Buffer.from(csv), types));
		expect(await summaryMode(gzipped, types)).toEqual(await summaryMode(Buffer.from(csv), types));
	});
});

describe('array-based Event Log File reading', () => {
	it('summarises the standard file as the design says', async () => {
		const items = await summaryMode(Buffer.from(CASES[0].csv), STANDARD_TYPES);
		expect(items).toEqual([
			{
				userId: U1_18,
				eventCount: 2,
				firstEventTime: '2024-05-31T08:30:15.123Z',
				lastEventTime: '2024-05-31T09:00:00.000Z',
				eventTypes: ['API'],
			},
			{
				userId: U2_18,
				eventCount: 2,
				firstEventTime: '2024-06-01T00:00:00.000Z',
				lastEventTime: '2024-06-01T00:00:00.000Z',
				eventTypes: ['API', 'URI'],
			},
			{
				userId: null,
				eventCount: 2,
				firstEventTime: '2024-05-29T23:59:59.000Z',
				lastEventTime: '2024-05-30T00:00:00.500Z',
				eventTypes: ['Login', 'URI'],
			},
		]);
	});

	it('gives every row its own object', () => {
		const toRow = eventRowBuilder(['A', 'B'], new Map(), { extra: { logFileId: FILE_ID } });
		const first = toRow(['1', '2']);
		const second = toRow(['3', '4']);
		first.A = 'changed';
		expect(second).toEqual({ A: '3', B: '4', logFileId: FILE_ID });
		expect(toRow(['5', '6'])).toEqual({ A: '5', B: '6', logFileId: FILE_ID });
	});

	it('keys only the columns asked for', () => {
		const toRow = eventRowBuilder(['A', 'USER_ID', 'B', 'TIMESTAMP'], fieldTypeMap('B', 'Number'), {
			only: SUMMARY_COLUMNS,
		});
		expect(toRow(['a', U1_15, '1', '20240531083015.123'])).toEqual({
			USER_ID: U1_15,
			TIMESTAMP: '20240531083015.123',
		});
		expect(toRow(['a', U1_15])).toEqual({ USER_ID: U1_15 });
	});

	it('rejects when the callback throws, instead of an uncaught exception', async () => {
		const csv = Buffer.from('A\n1\n2\n3\n');
		let calls = 0;
		const reading = forEachEventRow(chunked(csv, 2), new Map(), () => {
			calls++;
			throw new Error('callback failed');
		});
		await expect(reading).rejects.toThrow('callback failed');
		expect(calls).toBe(1);
	});

	it('rejects on a malformed CSV and on a corrupt gzip stream', async () => {
		await expect(
			forEachCsvRecord(chunked(Buffer.from('A,B\n"unclosed,1\n')), () => undefined),
		).rejects.toThrow();
		const broken = gzipSync(Buffer.from('A,B\n1,2\n'.repeat(1000))).subarray(0, 40);
		await expect(forEachCsvRecord(Readable.from([broken]), () => undefined)).rejects.toThrow();
	});

	it('rejects when the download fails midway', async () => {
		async function* failing() {
			yield Buffer.from('A,B\n1,2\n');
			throw new Error('socket hang up');
		}
		const records: string[][] = [];
		await expect(forEachCsvRecord(failing(), (cells) => records.push(cells))).rejects.toThrow(
			'socket hang up',
		);
		expect(records[0]).toEqual(['A', 'B']);
	});

	it.each([
		['plain', (csv: Buffer) => csv],
		['gzip', (csv: Buffer) => gzipSync(csv)],
	])(
		'stops when onRow returns false: no more rows, and the source is closed (%s)',
		async (_mode, encode) => {
			const body = encode(
				Buffer.from('A\n' + Array.from({ length: 50_000 }, (_, i) => `${i}\n`).join('')),
			);
			let pulled = 0;
			let closed = false;
			async function* source() {
				try {
					for (let at = 0; at < body.length; at += 1024) {
						pulled++;
						yield body.subarray(at, at + 1024);
					}
				} finally {
					closed = true;
				}
			}
			const seen: unknown[] = [];
			await forEachEventRow(source(), new Map(), (row) => {
				seen.push(row.A);
				return seen.length < 3;
			});
			expect(seen).toEqual(['0', '1', '2']);
			// closing runs through the stream chain after the promise settles: a few turns of the loop
			for (let turn = 0; turn < 100 && !closed; turn++)
				await new Promise((resolve) => setTimeout(resolve, 5));
			expect(closed).toBe(true);
			expect(pulled).toBeLessThan(Math.ceil(body.length / 1024) / 2);
		},
	);
});

describe('Event Log File bodies without Node streams', () => {
	const csv = Buffer.from('A,B\n' + Array.from({ length: 50_000 }, (_, i) => `${i},x\n`).join(''));

	it.each([
		['plain', csv],
		['gzip', gzipSync(csv)],
	])(
		'reads web-stream chunks (Uint8Array, not Buffer) the same as Buffers (%s)',
		async (_mode, body) => {
			async function* webChunks() {
				for (let at = 0; at < body.length; at += 4096)
					yield new Uint8Array(body.subarray(at, at + 4096));
			}
			const records: string[][] = [];
			await forEachCsvRecord(webChunks(), (cells) => records.push(cells));
			expect(records).toHaveLength(50_001);
			expect(records[0]).toEqual(['A', 'B']);
			expect(records[50_000]).toEqual(['49999', 'x']);
		},
	);

	it('a gzip body is pulled only as fast as its rows are read (bounded memory)', async () => {
		const body = gzipSync(csv);
		const chunks = Math.ceil(body.length / 1024);
		let pulled = 0;
		async function* source() {
			for (let at = 0; at < body.length; at += 1024) {
				pulled++;
				yield body.subarray(at, at + 1024);
			}
		}
		let pulledAtRow1000 = 0;
		let rows = 0;
		await forEachCsvRecord(source(), () => {
			if (++rows === 1000) pulledAtRow1000 = pulled;
		});
		expect(rows).toBe(50_001);
		// 1,000 of 50,000 rows need a few of the chunks, not the whole file read ahead
		expect(pulledAtRow1000).toBeLessThan(chunks / 4);
	});
});
