/**
 * Event Log File CSV: a byte stream (plain or gzip) -> typed rows, one at a time, so a file of
 * any size is never held in memory; and the per-user summary computed from those rows.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { CsvRowReader } from './csvRows';
import { gunzipIfNeeded } from './gzip';
import { to18CharId } from './ids';

export type EventValue = string | number | boolean | null;
export type EventRow = Record<string, EventValue>;

/**
 * Column name -> LogFileFieldTypes type, from the file's LogFileFieldNames / LogFileFieldTypes
 * (two comma-separated lists of the same length).
 */
export function fieldTypeMap(names: unknown, types: unknown): Map<string, string> {
	const map = new Map<string, string>();
	if (typeof names !== 'string' || typeof types !== 'string') return map;
	const nameList = names.split(',').map((n) => n.trim());
	const typeList = types.split(',').map((t) => t.trim());
	nameList.forEach((name, i) => {
		if (name && typeList[i]) map.set(name, typeList[i]);
	});
	return map;
}

/** Salesforce's TIMESTAMP column format: 20240531083015.123 (UTC). */
const COMPACT_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/;
/** ISO 8601 in UTC as Event Log Files write TIMESTAMP_DERIVED: 2024-05-31T08:30:15.123Z. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
/** The same with exactly 3 decimals: already in the form the output uses. */
const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A log-file date or datetime -> epoch milliseconds (UTC). The two forms log files use are
 * parsed by hand (this runs once per row of files with millions of rows); anything else goes
 * through luxon.
 */
export function parseLogTime(raw: string): number | undefined {
	// ISO first: TIMESTAMP_DERIVED is what most rows are timed by (no string matches both forms).
	if (ISO_UTC.test(raw)) {
		const value = Date.parse(raw);
		if (!Number.isNaN(value)) return value;
	}
	const compact = COMPACT_TIMESTAMP.exec(raw);
	if (compact) {
		const [, y, mo, d, h, mi, s, ms] = compact;
		const value = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms ? +ms.padEnd(3, '0') : 0);
		return Number.isNaN(value) ? undefined : value;
	}
	const iso = DateTime.fromISO(raw, { zone: 'utc' });
	if (iso.isValid) return iso.toMillis();
	const sql = DateTime.fromSQL(raw, { zone: 'utc' });
	return sql.isValid ? sql.toMillis() : undefined;
}

/** ISO 8601 UTC text of a log-file datetime; already-normalized values are returned as they are. */
function isoDateTime(raw: string): string | undefined {
	if (ISO_UTC_MILLIS.test(raw)) return raw;
	const ms = parseLogTime(raw);
	return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * One CSV value typed by its LogFileFieldTypes type: Number -> number, Boolean -> boolean,
 * DateTime / Date -> ISO 8601 string (UTC), everything else (Id, String, EscapedString, ...) ->
 * string; an empty value -> null. A value that does not match its type is kept as text.
 */
export function typeValue(raw: string, type: string | undefined): EventValue {
	if (raw === '') return null;
	switch (type) {
		case 'Number':
		case 'Double':
		case 'Integer': {
			const n = Number(raw);
			return Number.isFinite(n) ? n : raw;
		}
		case 'Boolean': {
			const lower = raw.toLowerCase();
			if (lower === 'true' || lower === '1') return true;
			if (lower === 'false' || lower === '0') return false;
			return raw;
		}
		case 'DateTime':
			return isoDateTime(raw) ?? raw;
		case 'Date': {
			if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
			return isoDateTime(raw)?.slice(0, 10) ?? raw;
		}
		default:
			return raw;
	}
}

/**
 * Calls `onRecord` with each CSV record of a byte stream (plain or gzip), the header first, and
 * resolves after the last one, or as soon as `onRecord` returns false: then the rest of the
 * source is neither read nor parsed (a download is closed). Records are arrays of text (keying
 * and typing them is left to the caller, which may need only a few of the columns: the per-user
 * summary reads 5 of ~25), read by csvRows.ts: a byte order mark dropped, empty lines skipped,
 * short and long records kept as they are, malformed CSV refused.
 */
export async function forEachCsvRecord(
	source: AsyncIterable<Uint8Array | string>,
	onRecord: (cells: string[]) => unknown,
): Promise<void> {
	const reader = new CsvRowReader();
	// leaving the loop early (a stop, a throw) closes the source
	for await (const chunk of gunzipIfNeeded(source)) {
		for (const cells of reader.push(chunk)) if (onRecord(cells) === false) return;
	}
	for (const cells of reader.end()) if (onRecord(cells) === false) return;
}

export interface EventRowOptions {
	/** Only these columns are keyed and typed; the rest of each record is skipped. */
	only?: readonly string[];
	/** Fields every row gets after the CSV's, as `{ ...row, ...extra }` would place them. */
	extra?: EventRow;
}

/**
 * Turns a file's records into typed rows keyed by its header, exactly as csv-parse's
 * `columns: true` would key them: a short record lacks the missing keys, extra cells are dropped and
 * a repeated column name keeps its first position and its last value.
 */
export function eventRowBuilder(
	header: readonly string[],
	types: Map<string, string>,
	options: EventRowOptions = {},
): (cells: readonly string[]) => EventRow {
	const { only, extra = {} } = options;
	const keyed = header
		.map((name, index) => ({ name, index, type: types.get(name) }))
		.filter(({ name }) => !only || only.includes(name));
	const filled = keyed.filter(({ name }) => !Object.prototype.hasOwnProperty.call(extra, name));
	const cellsNeeded = keyed.length ? keyed[keyed.length - 1].index + 1 : 0;
	// Rows are clones of one template holding every key: they share one compact shape. Adding 25
	// keys one by one would turn each row into a dictionary object of several times the size.
	const template: EventRow = {
		...Object.fromEntries(keyed.map(({ name }) => [name, null])),
		...extra,
	};

	const shortRow = (cells: readonly string[]): EventRow => {
		const row: EventRow = {};
		for (const { name, index, type } of keyed) {
			if (index >= cells.length) break; // keyed is in header order
			row[name] = typeValue(cells[index], type);
		}
		return { ...row, ...extra };
	};
	return (cells) => {
		if (cells.length < cellsNeeded) return shortRow(cells);
		const row = { ...template };
		for (const { name, index, type } of filled) row[name] = typeValue(cells[index], type);
		return row;
	};
}

/**
 * Calls `onRow` with each typed row of one Event Log File (options as for eventRowBuilder) and
 * resolves after the last one, or once `onRow` returns false (the rest is not read). Each row is
 * a fresh object the caller may keep.
 */
export async function forEachEventRow(
	source: AsyncIterable<Uint8Array | string>,
	types: Map<string, string>,
	onRow: (row: EventRow) => unknown,
	options?: EventRowOptions,
): Promise<void> {
	let toRow: ((cells: readonly string[]) => EventRow) | undefined;
	await forEachCsvRecord(source, (cells) => {
		if (toRow) return onRow(toRow(cells));
		toRow = eventRowBuilder(cells, types, options);
		return true;
	});
}

interface UserSummary {
	userId: string | null;
	eventCount: number;
	first: number | undefined;
	last: number | undefined;
	eventTypes: Set<string>;
}

/** The columns PerUserSummary reads (user, time, event type); a summary needs no others typed. */
export const SUMMARY_COLUMNS: readonly string[] = [
	'USER_ID_DERIVED',
	'USER_ID',
	'TIMESTAMP_DERIVED',
	'TIMESTAMP',
	'EVENT_TYPE',
];

/** The user ID of an event row as the file writes it (USER_ID_DERIVED, else USER_ID), or null. */
function rowUserText(row: EventRow): string | null {
	const raw = row.USER_ID_DERIVED ?? row.USER_ID;
	return raw === null || raw === undefined || raw === '' ? null : String(raw);
}

const normalizeUserId = (text: string | null): string | null =>
	text === null ? null : (to18CharId(text) ?? text);

const TIME_COLUMNS = ['TIMESTAMP_DERIVED', 'TIMESTAMP'];

/** The time of an event row: TIMESTAMP_DERIVED (ISO) or TIMESTAMP (20240531083015.123). */
export function rowTime(row: EventRow): number | undefined {
	for (const column of TIME_COLUMNS) {
		const value = row[column];
		if (value === null || value === undefined || value === '') continue;
		const parsed = parseLogTime(String(value));
		if (parsed !== undefined) return parsed;
	}
	return undefined;
}

/**
 * One summary per user across every row added: event count, first and last event time, event
 * types. Holds one small record per user, never the rows, so memory does not grow with file
 * size. Rows without a user (some event types have none) are summed under userId null.
 */
export class PerUserSummary {
	private readonly users = new Map<string | null, UserSummary>();
	/** The summary of each user ID as files write it (15 or 18 chars): one lookup a row, no checksum. */
	private readonly byUserText = new Map<string | null, UserSummary>();

	add(row: EventRow, fileEventType: string | null): void {
		const summary = this.summaryOf(rowUserText(row));
		summary.eventCount++;
		const time = rowTime(row);
		if (time !== undefined) {
			if (summary.first === undefined || time < summary.first) summary.first = time;
			if (summary.last === undefined || time > summary.last) summary.last = time;
		}
		const eventType = (row.EVENT_TYPE as string | null) ?? fileEventType;
		if (eventType) summary.eventTypes.add(eventType);
	}

	private summaryOf(userText: string | null): UserSummary {
		let summary = this.byUserText.get(userText);
		if (summary) return summary;
		const userId = normalizeUserId(userText);
		summary = this.users.get(userId);
		if (!summary) {
			summary = { userId, eventCount: 0, first: undefined, last: undefined, eventTypes: new Set() };
			this.users.set(userId, summary);
		}
		this.byUserText.set(userText, summary);
		return summary;
	}

	get size(): number {
		return this.users.size;
	}

	/** Summary items, most events first. */
	items(): IDataObject[] {
		const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
		return [...this.users.values()]
			.sort(
				(a, b) => b.eventCount - a.eventCount || String(a.userId).localeCompare(String(b.userId)),
			)
			.map((s) => ({
				userId: s.userId,
				eventCount: s.eventCount,
				firstEventTime: iso(s.first),
				lastEventTime: iso(s.last),
				eventTypes: [...s.eventTypes].sort(),
			}));
	}
}
