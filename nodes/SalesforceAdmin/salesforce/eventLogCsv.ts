/**
 * Event Log File CSV: a byte stream (plain or gzip) -> typed rows, one at a time, so a file of
 * any size is never held in memory; and the per-user summary computed from those rows.
 */
import { parse } from 'csv-parse';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';
import { pipeline, Readable } from 'stream';
import { createGunzip } from 'zlib';

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
const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * A log-file date or datetime -> epoch milliseconds (UTC). The two forms log files use are
 * parsed by hand (this runs once per row of files with millions of rows); anything else goes
 * through luxon.
 */
export function parseLogTime(raw: string): number | undefined {
	const compact = COMPACT_TIMESTAMP.exec(raw);
	if (compact) {
		const [, y, mo, d, h, mi, s, ms] = compact;
		const value = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms ? +ms.padEnd(3, '0') : 0);
		return Number.isNaN(value) ? undefined : value;
	}
	if (ISO_UTC.test(raw)) {
		const value = Date.parse(raw);
		if (!Number.isNaN(value)) return value;
	}
	const iso = DateTime.fromISO(raw, { zone: 'utc' });
	if (iso.isValid) return iso.toMillis();
	const sql = DateTime.fromSQL(raw, { zone: 'utc' });
	return sql.isValid ? sql.toMillis() : undefined;
}

/** ISO 8601 UTC text of a log-file datetime; already-normalized values are returned as they are. */
function isoDateTime(raw: string): string | undefined {
	const iso = ISO_UTC.exec(raw);
	if (iso && iso[3]?.length === 3) return raw;
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
 * Yields the bytes of a stream, gunzipped when they start with the gzip magic bytes: Salesforce
 * (or a proxy) may send Event Log Files gzip-compressed, with or without Content-Encoding.
 */
export async function* gunzipIfNeeded(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
	const iterator = source[Symbol.asyncIterator]();
	let head = Buffer.alloc(0);
	while (head.length < 2) {
		const next = await iterator.next();
		if (next.done) break;
		head = Buffer.concat([head, Buffer.from(next.value)]);
	}
	async function* rest(): AsyncGenerator<Buffer> {
		if (head.length) yield head;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield Buffer.from(next.value);
		}
	}
	if (head[0] === 0x1f && head[1] === 0x8b) {
		const gunzip = pipeline(Readable.from(rest()), createGunzip(), () => undefined);
		for await (const chunk of gunzip) yield chunk as Buffer;
	} else {
		yield* rest();
	}
}

/**
 * Streams typed rows out of one Event Log File. The header row names the columns; values are
 * typed by `types`. Quoted fields with commas, doubled quotes and newlines are handled by
 * csv-parse; rows are yielded one by one as they are parsed, with back-pressure on the download.
 */
export async function* parseEventLogCsv(
	source: AsyncIterable<Buffer | string>,
	types: Map<string, string>,
): AsyncGenerator<EventRow> {
	const parser = parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
	const rows = pipeline(Readable.from(gunzipIfNeeded(source)), parser, () => undefined);
	for await (const record of rows as AsyncIterable<Record<string, string>>) {
		const row: EventRow = {};
		for (const [column, raw] of Object.entries(record)) row[column] = typeValue(raw ?? '', types.get(column));
		yield row;
	}
}

interface UserSummary {
	userId: string | null;
	eventCount: number;
	first: number | undefined;
	last: number | undefined;
	eventTypes: Set<string>;
}

/** The user of an event row: USER_ID_DERIVED (18 chars) or USER_ID, as an 18-character ID. */
export function rowUserId(row: EventRow): string | null {
	const raw = row.USER_ID_DERIVED ?? row.USER_ID;
	if (raw === null || raw === undefined || raw === '') return null;
	const text = String(raw);
	return to18CharId(text) ?? text;
}

/** The time of an event row: TIMESTAMP_DERIVED (ISO) or TIMESTAMP (20240531083015.123). */
export function rowTime(row: EventRow): number | undefined {
	for (const column of ['TIMESTAMP_DERIVED', 'TIMESTAMP']) {
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

	add(row: EventRow, fileEventType: string | null): void {
		const userId = rowUserId(row);
		let summary = this.users.get(userId);
		if (!summary) {
			summary = { userId, eventCount: 0, first: undefined, last: undefined, eventTypes: new Set() };
			this.users.set(userId, summary);
		}
		summary.eventCount++;
		const time = rowTime(row);
		if (time !== undefined) {
			if (summary.first === undefined || time < summary.first) summary.first = time;
			if (summary.last === undefined || time > summary.last) summary.last = time;
		}
		const eventType = (row.EVENT_TYPE as string | null) ?? fileEventType;
		if (eventType) summary.eventTypes.add(eventType);
	}

	get size(): number {
		return this.users.size;
	}

	/** Summary items, most events first. */
	items(): IDataObject[] {
		const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
		return [...this.users.values()]
			.sort((a, b) => b.eventCount - a.eventCount || String(a.userId).localeCompare(String(b.userId)))
			.map((s) => ({
				userId: s.userId,
				eventCount: s.eventCount,
				firstEventTime: iso(s.first),
				lastEventTime: iso(s.last),
				eventTypes: [...s.eventTypes].sort(),
			}));
	}
}
