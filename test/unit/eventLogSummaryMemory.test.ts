/**
 * Per-user summary mode must not hold a file in memory: streaming a file 8x larger may not
 * raise the peak heap by anything like 8x. Peak heap is sampled while the rows stream (no
 * --expose-gc needed): if rows or the body were retained, the peak would grow with the file.
 */
import { Readable } from 'stream';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';

const HEADER = '"EVENT_TYPE","TIMESTAMP","TIMESTAMP_DERIVED","USER_ID","USER_ID_DERIVED","URI","RUN_TIME","QUERY"\n';
const TYPES = fieldTypeMap(
	'EVENT_TYPE,TIMESTAMP,TIMESTAMP_DERIVED,USER_ID,USER_ID_DERIVED,URI,RUN_TIME,QUERY',
	'String,String,DateTime,Id,Id,String,Number,EscapedString',
);
const USERS = Array.from({ length: 50 }, (_, i) => `0050000000${String(i).padStart(5, '0')}`);

/** A generated CSV of about `bytes` bytes, produced chunk by chunk (never held whole). */
function generatedCsv(bytes: number): Readable {
	let produced = 0;
	let row = 0;
	async function* chunks() {
		yield Buffer.from(HEADER);
		while (produced < bytes) {
			let text = '';
			for (let i = 0; i < 500; i++, row++) {
				const second = row % 86400;
				const hh = String(Math.floor(second / 3600)).padStart(2, '0');
				const mm = String(Math.floor((second % 3600) / 60)).padStart(2, '0');
				const ss = String(second % 60).padStart(2, '0');
				const user = USERS[row % USERS.length];
				text += `"API","20240601${hh}${mm}${ss}.000","2024-06-01T${hh}:${mm}:${ss}.000Z","${user}","","/services/data/v62.0/query/${row}","${row % 1000}","SELECT Id, ""Name"" FROM Account WHERE Name = 'a,b'"\n`;
			}
			produced += text.length;
			yield Buffer.from(text);
		}
	}
	return Readable.from(chunks());
}

async function peakHeapGrowth(bytes: number): Promise<{ growth: number; users: number; events: number }> {
	const base = process.memoryUsage().heapUsed;
	let peak = base;
	const summary = new PerUserSummary();
	let n = 0;
	// the same path and options as Get events in per-user mode
	await forEachEventRow(
		generatedCsv(bytes),
		TYPES,
		(row) => {
			summary.add(row, 'API');
			if (++n % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
		},
		{ only: SUMMARY_COLUMNS },
	);
	const items = summary.items();
	return { growth: peak - base, users: items.length, events: items.reduce((s, i) => s + (i.eventCount as number), 0) };
}

describe('per-user summary memory', () => {
	it('does not grow with file size', async () => {
		const MB = 1024 * 1024;
		await peakHeapGrowth(1 * MB); // warm-up: JIT and parser code
		const small = await peakHeapGrowth(5 * MB);
		const large = await peakHeapGrowth(40 * MB);

		expect(small.users).toBe(USERS.length);
		expect(large.users).toBe(USERS.length);
		expect(large.events).toBeGreaterThan(small.events * 7);
		// 40 MB of CSV (several hundred MB as JS strings and row objects) streamed with a bounded
		// heap: the peak growth stays far below the file size and close to the small file's.
		expect(large.growth).toBeLessThan(32 * MB);
		expect(large.growth).toBeLessThan(small.growth + 24 * MB);
	}, 60000);
});
