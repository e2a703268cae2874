/**
 * Per-user summary mode must not hold a file in memory. Live memory (heap and Buffers after a
 * forced full GC, see helpers/liveMemory) is sampled every so many rows while a 40 MB file
 * streams: garbage, which a busy machine leaves lying longer, is not counted, so the limit is
 * tight and does not flake; rows or the body kept would be live and far above it.
 */
import { Readable } from 'stream';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../../nodes/SalesforceAdmin/salesforce/eventLogCsv';
import { PeakLiveMemory } from '../helpers/liveMemory';

const HEADER =
	'"EVENT_TYPE","TIMESTAMP","TIMESTAMP_DERIVED","USER_ID","USER_ID_DERIVED","URI","RUN_TIME","QUERY"\n';
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

const MB = 1024 * 1024;
/** Rows between two samples: a full GC each, so not every row. */
const SAMPLE_EVERY = 20_000;

async function liveGrowth(
	bytes: number,
): Promise<{ growth: number; samples: number; users: number; events: number }> {
	const memory = new PeakLiveMemory();
	const summary = new PerUserSummary();
	let n = 0;
	// the same path and options as Get events in per-user mode
	await forEachEventRow(
		generatedCsv(bytes),
		TYPES,
		(row) => {
			summary.add(row, 'API');
			if (++n % SAMPLE_EVERY === 0) memory.sample();
		},
		{ only: SUMMARY_COLUMNS },
	);
	const items = summary.items();
	return {
		growth: memory.growth,
		samples: memory.samples,
		users: items.length,
		events: items.reduce((s, i) => s + (i.eventCount as number), 0),
	};
}

describe('per-user summary memory', () => {
	it('live memory stays flat while a 40 MB file streams', async () => {
		await liveGrowth(1 * MB); // warm-up: JIT and parser code
		const small = await liveGrowth(5 * MB);
		const large = await liveGrowth(40 * MB);

		expect(small.users).toBe(USERS.length);
		expect(large.users).toBe(USERS.length);
		expect(large.events).toBeGreaterThan(small.events * 7);
		expect(large.samples).toBeGreaterThanOrEqual(8);
		// 40 MB of CSV is several hundred MB as row objects: a few MB of parser state is all it may hold
		expect(large.growth).toBeLessThan(12 * MB);
	}, 180_000);
});
