import { Readable } from 'stream';
import { gzipSync } from 'zlib';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	rowTime,
	typeValue,
} from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';
import type { EventRow } from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';
import { gunzipIfNeeded } from '../../nodes/SalesforceAdmin/salesforce/gzip';
import { to18CharId } from '../../nodes/SalesforceAdmin/salesforce/ids';

/** Every typed row of a file, through the same path Get events uses. */
async function parseRows(
	source: AsyncIterable<Buffer | string>,
	types: Map<string, string>,
): Promise<EventRow[]> {
	const rows: EventRow[] = [];
	await forEachEventRow(source, types, (row) => rows.push(row));
	return rows;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const value of source) out.push(value);
	return out;
}

/** Splits bytes into tiny chunks so a quoted field or the gzip header straddles chunk edges. */
function chunked(bytes: Buffer, size = 7): Readable {
	const parts: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
	return Readable.from(parts);
}

const TYPES = fieldTypeMap(
	'EVENT_TYPE,TIMESTAMP,TIMESTAMP_DERIVED,USER_ID,RUN_TIME,IS_API,URI,LOG_DATE,QUERY',
	'String,String,DateTime,Id,Number,Boolean,String,Date,EscapedString',
);

const HEADER =
	'"EVENT_TYPE","TIMESTAMP","TIMESTAMP_DERIVED","USER_ID","RUN_TIME","IS_API","URI","LOG_DATE","QUERY"\n';

describe('Event Log File CSV', () => {
	const csv =
		HEADER +
		'"API","20240531083015.123","2024-05-31T08:30:15.123Z","005000000000001","42","1","/a,b","2024-05-31","say ""hi"""\n' +
		'"API","20240531090000.000","2024-05-31T09:00:00.000Z","005000000000001","","0","","","line one\nline two, with comma"\n' +
		'"URI","20240530000000.5","","","3.5","true","/x","",""\n';

	it('parses quoted fields, embedded commas, quotes and newlines, and types each value', async () => {
		const rows = await parseRows(chunked(Buffer.from(csv)), TYPES);
		expect(rows).toHaveLength(3);
		expect(rows[0]).toEqual({
			EVENT_TYPE: 'API',
			TIMESTAMP: '20240531083015.123',
			TIMESTAMP_DERIVED: '2024-05-31T08:30:15.123Z',
			USER_ID: '005000000000001',
			RUN_TIME: 42,
			IS_API: true,
			URI: '/a,b',
			LOG_DATE: '2024-05-31',
			QUERY: 'say "hi"',
		});
		expect(rows[1]).toMatchObject({
			RUN_TIME: null,
			IS_API: false,
			URI: null,
			LOG_DATE: null,
			QUERY: 'line one\nline two, with comma',
		});
		expect(rows[2]).toMatchObject({
			TIMESTAMP_DERIVED: null,
			USER_ID: null,
			RUN_TIME: 3.5,
			IS_API: true,
		});
	});

	it('reads gzip-compressed files the same as plain ones', async () => {
		const plain = await parseRows(chunked(Buffer.from(csv)), TYPES);
		const gzipped = await parseRows(chunked(gzipSync(Buffer.from(csv)), 1), TYPES);
		expect(gzipped).toEqual(plain);
	});

	it('handles a byte-order mark, CRLF line ends, a header-only and an empty file', async () => {
		const crlf =
			'\ufeff' +
			HEADER.replace('\n', '\r\n') +
			'"Login","20240101000000.000","","005000000000002","1","0","","",""\r\n';
		const rows = await parseRows(Readable.from([Buffer.from(crlf)]), TYPES);
		expect(rows).toEqual([
			expect.objectContaining({ EVENT_TYPE: 'Login', USER_ID: '005000000000002', RUN_TIME: 1 }),
		]);
		expect(await parseRows(Readable.from([Buffer.from(HEADER)]), TYPES)).toEqual([]);
		expect(await parseRows(Readable.from([]), TYPES)).toEqual([]);
	});

	it('fails on a corrupt gzip stream instead of returning partial data silently', async () => {
		const broken = gzipSync(Buffer.from(csv)).subarray(0, 30);
		await expect(parseRows(Readable.from([broken]), TYPES)).rejects.toThrow();
	});

	it('passes plain bytes through gunzipIfNeeded unchanged', async () => {
		const out = Buffer.concat(await collect(gunzipIfNeeded(chunked(Buffer.from('a'), 1))));
		expect(out.toString()).toBe('a');
	});

	it('types values by LogFileFieldTypes and keeps mismatches as text', () => {
		expect(typeValue('', 'Number')).toBeNull();
		expect(typeValue('12.5', 'Number')).toBe(12.5);
		expect(typeValue('n/a', 'Number')).toBe('n/a');
		expect(typeValue('TRUE', 'Boolean')).toBe(true);
		expect(typeValue('2024-05-31T08:30:15.123Z', 'DateTime')).toBe('2024-05-31T08:30:15.123Z');
		expect(typeValue('20240531083015.123', 'DateTime')).toBe('2024-05-31T08:30:15.123Z');
		expect(typeValue('2024-05-31', 'Date')).toBe('2024-05-31');
		expect(typeValue('005000000000001', 'Id')).toBe('005000000000001');
		expect(typeValue('a,b', 'EscapedString')).toBe('a,b');
	});
});

describe('per-user summary', () => {
	it('counts events, first and last time and event types per user (18-char IDs)', () => {
		const summary = new PerUserSummary();
		summary.add(
			{
				USER_ID: '005000000000001',
				TIMESTAMP_DERIVED: '2024-05-31T09:00:00.000Z',
				EVENT_TYPE: 'API',
			},
			'API',
		);
		summary.add({ USER_ID: '005000000000001', TIMESTAMP: '20240531080000.000' }, 'URI');
		summary.add({ USER_ID: '005000000000002', TIMESTAMP: '20240530000000.000' }, 'Login');
		summary.add({ USER_ID: null }, 'Login');
		expect(summary.items()).toEqual([
			{
				userId: to18CharId('005000000000001'),
				eventCount: 2,
				firstEventTime: '2024-05-31T08:00:00.000Z',
				lastEventTime: '2024-05-31T09:00:00.000Z',
				eventTypes: ['API', 'URI'],
			},
			{
				userId: to18CharId('005000000000002'),
				eventCount: 1,
				firstEventTime: '2024-05-30T00:00:00.000Z',
				lastEventTime: '2024-05-30T00:00:00.000Z',
				eventTypes: ['Login'],
			},
			{
				userId: null,
				eventCount: 1,
				firstEventTime: null,
				lastEventTime: null,
				eventTypes: ['Login'],
			},
		]);
	});

	it('prefers USER_ID_DERIVED and TIMESTAMP_DERIVED', () => {
		const summary = new PerUserSummary();
		summary.add({ USER_ID: '005000000000001', USER_ID_DERIVED: '005000000000003AAA' }, 'API');
		expect(summary.items()).toEqual([
			expect.objectContaining({ userId: '005000000000003AAA', eventCount: 1 }),
		]);
		expect(
			rowTime({ TIMESTAMP: '20240101000000.000', TIMESTAMP_DERIVED: '2024-01-02T00:00:00Z' }),
		).toBe(Date.parse('2024-01-02T00:00:00Z'));
	});
});
