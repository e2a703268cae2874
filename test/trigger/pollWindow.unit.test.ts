/** The read window: overlap, dedupe by ID, backlog draining, bounded memory. */
import {
	advanceCursor,
	freshRows,
	initialCursor,
	pruneSeen,
	salesforceMillis,
} from '../../nodes/SalesforceAdmin/salesforce/pollWindow';

const MIN = 60_000;
const options = (now: number, extra = {}) => ({
	now,
	overlapMs: 15 * MIN,
	maxRows: 3,
	maxSeen: 100,
	...extra,
});
const row = (id: string, time: number) => ({ id, time });

describe('poll window', () => {
	it('starts at activation: nothing before it', () => {
		expect(initialCursor(1000)).toEqual({ from: 1000, seen: {} });
	});

	it('the next window starts the overlap before now, never before the current start', () => {
		const start = initialCursor(100 * MIN);
		expect(advanceCursor(start, [], options(101 * MIN)).from).toBe(100 * MIN);
		expect(advanceCursor(start, [], options(130 * MIN)).from).toBe(115 * MIN);
	});

	it('rows read again in the overlap are not fresh; rows never seen are, once per answer', () => {
		const cursor = advanceCursor(initialCursor(0), [row('a', 10 * MIN)], options(20 * MIN));
		expect(cursor).toEqual({ from: 5 * MIN, seen: { a: 10 * MIN } });
		const answer = [
			row('a', 10 * MIN),
			row('late', 6 * MIN),
			row('late', 6 * MIN),
			row('b', 19 * MIN),
		];
		expect(freshRows(cursor, answer).map((r) => r.id)).toEqual(['late', 'b']);
	});

	it('forgets IDs that fell out of the window', () => {
		const cursor = { from: 0, seen: { old: 1 * MIN, kept: 20 * MIN } };
		expect(advanceCursor(cursor, [], options(30 * MIN)).seen).toEqual({ kept: 20 * MIN });
	});

	it('a full answer (the LIMIT) continues from its last row: a backlog drains one page a poll', () => {
		const rows = [row('a', 1 * MIN), row('b', 2 * MIN), row('c', 2 * MIN)];
		const next = advanceCursor(initialCursor(0), rows, options(600 * MIN));
		expect(next.from).toBe(2 * MIN);
		// the rows at the boundary time are remembered, so the next page does not repeat them
		expect(
			freshRows(next, [row('b', 2 * MIN), row('c', 2 * MIN), row('d', 2 * MIN)]).map((r) => r.id),
		).toEqual(['d']);
	});

	it('past maxSeen the overlap shrinks rather than an ID being forgotten', () => {
		const seen = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`r${i}`, i * MIN]));
		const pruned = pruneSeen({ from: 0, seen }, 4);
		expect(pruned.from).toBe(6 * MIN);
		expect(pruneSeen({ from: 0, seen: { a: 1500, b: 1700, c: 2500 } }, 2)).toEqual({
			from: 1000,
			seen: { a: 1500, b: 1700, c: 2500 },
		});
		expect(Object.keys(pruned.seen).sort()).toEqual(['r6', 'r7', 'r8', 'r9']);
	});

	it('keeps whole seconds, as SOQL datetime literals do: a row in the second before `from` is still known', () => {
		const cursor = advanceCursor(
			initialCursor(0),
			[row('a', 100_250)],
			options(15 * MIN + 100_500),
		);
		expect(cursor.from).toBe(100_000);
		expect(cursor.seen).toEqual({ a: 100_250 });
		expect(freshRows(cursor, [row('a', 100_250)])).toEqual([]);
		expect(initialCursor(1_999).from).toBe(1_000);
	});

	it('reads Salesforce datetimes', () => {
		expect(salesforceMillis('2024-05-31T08:00:00.000+0000')).toBe(Date.UTC(2024, 4, 31, 8));
		expect(salesforceMillis(null)).toBeNaN();
	});
});
