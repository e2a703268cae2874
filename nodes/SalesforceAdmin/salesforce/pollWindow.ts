/**
 * The trigger's read window over rows Salesforce appends (LoginHistory, EventLogFile): where the
 * next query starts, which rows are new, and the IDs kept so the overlap never emits a row twice.
 * Pure: times are epoch milliseconds, the caller passes "now".
 *
 * Each poll reads rows with time >= `from`, oldest first, at most `maxRows` (one query page).
 * The next window starts `overlap` before this poll (never before `from`), so a row Salesforce
 * writes up to `overlap` after its own time is still read; rows read twice are dropped by ID.
 */

export interface WindowCursor {
	/** Start (inclusive) of the next query window. */
	from: number;
	/** IDs already handled -> their row time; only rows at or after `from` can come back. */
	seen: Record<string, number>;
}

export interface WindowRow {
	id: string;
	time: number;
}

export interface WindowOptions {
	now: number;
	overlapMs: number;
	/** The query's LIMIT: a full answer means more rows wait for the next poll. */
	maxRows: number;
	/** Most IDs kept; beyond it the overlap shrinks instead (see pruneSeen). */
	maxSeen: number;
}

/**
 * SOQL datetime literals have whole seconds (soqlDateTime drops the milliseconds), so a query
 * from `from` returns rows from the second it falls in: the cursor keeps that second, and the
 * IDs of it, or rows just before `from` would come back unknown.
 */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The cursor of a first activation: nothing before now is ever emitted. */
export function initialCursor(now: number): WindowCursor {
	return { from: toSecond(now), seen: {} };
}

/** The rows of a window answer that were not handled before, in the answer's order. */
export function freshRows<T extends WindowRow>(cursor: WindowCursor, rows: readonly T[]): T[] {
	const inAnswer = new Set<string>();
	return rows.filter((row) => {
		if (row.id in cursor.seen || inAnswer.has(row.id)) return false;
		inAnswer.add(row.id);
		return true;
	});
}

/**
 * The cursor after a successful poll that read `rows` (oldest first). A full answer (maxRows)
 * continues at its last row's time, so a backlog drains at one query a poll; otherwise the next
 * window starts `overlap` before now.
 */
export function advanceCursor(
	cursor: WindowCursor,
	rows: readonly WindowRow[],
	options: WindowOptions,
): WindowCursor {
	const full = rows.length >= options.maxRows && rows.length > 0;
	const next = full ? rows[rows.length - 1].time : options.now - options.overlapMs;
	const from = Math.max(cursor.from, next);
	const seen: Record<string, number> = { ...cursor.seen };
	for (const row of rows) seen[row.id] = row.time;
	return pruneSeen({ from, seen }, options.maxSeen);
}

/**
 * Drops IDs that can no longer come back (time before `from`). If more than `maxSeen` remain,
 * `from` moves up to the oldest kept time: a shorter overlap (a very late row could be missed)
 * rather than a forgotten ID (a row emitted twice).
 */
export function pruneSeen(cursor: WindowCursor, maxSeen: number): WindowCursor {
	let from = toSecond(cursor.from);
	let entries = Object.entries(cursor.seen).filter(([, time]) => time >= from);
	if (entries.length > maxSeen) {
		entries.sort((a, b) => b[1] - a[1]);
		from = toSecond(entries[maxSeen - 1][1]);
		entries = entries.filter(([, time]) => time >= from);
	}
	return { from, seen: Object.fromEntries(entries) };
}

/** Epoch milliseconds of a Salesforce datetime (2024-05-31T08:00:00.000+0000), or NaN. */
export function salesforceMillis(value: unknown): number {
	if (typeof value !== 'string') return NaN;
	return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * One poll of records Salesforce appends, known by their Id: the records not handled before (in
 * the answer's order) and the cursor after the answer. `time` picks the field the window is over.
 */
export function windowStep<R extends { Id?: string }>(
	cursor: WindowCursor,
	records: readonly R[],
	time: (record: R) => unknown,
	options: WindowOptions,
): { fresh: R[]; cursor: WindowCursor } {
	const rows = records.map((record) => ({
		id: String(record.Id),
		time: salesforceMillis(time(record)),
		record,
	}));
	return {
		fresh: freshRows(cursor, rows).map((row) => row.record),
		cursor: advanceCursor(cursor, rows, options),
	};
}
