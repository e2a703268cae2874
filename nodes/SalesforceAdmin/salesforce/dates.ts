/**
 * Date input as n8n users give it (ISO strings, n8n/luxon DateTime objects, JS Dates, epoch
 * milliseconds) -> luxon DateTime, and the since/until ranges the read operations filter on.
 * Pure: the caller passes "now" and the workflow's time zone.
 */
import { DateTime } from 'luxon';

export type ParsedDate = { ok: true; value: DateTime | undefined } | { ok: false; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Parses one date value. Empty values mean "not set". Strings without an offset are read in
 * `zone` (the workflow's time zone, as n8n's own date parameters are).
 */
export function parseDateInput(raw: unknown, zone = 'UTC'): ParsedDate {
	if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
	let value: DateTime | undefined;
	if (DateTime.isDateTime(raw)) {
		// n8n hands over its own luxon copy's DateTime: rebuild it in ours from the instant.
		value = (raw as DateTime).isValid
			? DateTime.fromMillis((raw as DateTime).toMillis(), { zone: 'utc' })
			: undefined;
	} else if (raw instanceof Date) {
		value = DateTime.fromJSDate(raw, { zone: 'utc' });
	} else if (typeof raw === 'number' && Number.isFinite(raw)) {
		value = DateTime.fromMillis(raw, { zone: 'utc' });
	} else if (typeof raw === 'string') {
		const text = raw.trim();
		for (const parse of [
			DateTime.fromISO,
			DateTime.fromRFC2822,
			DateTime.fromHTTP,
			DateTime.fromSQL,
		]) {
			const candidate = parse(text, { zone, setZone: true });
			if (candidate.isValid) {
				value = candidate;
				break;
			}
		}
	} else if (isDateLikeObject(raw)) {
		// A DateTime that went through JSON (e.g. from a Set node) keeps only its ISO form.
		return parseDateInput(raw.toISO?.() ?? raw.ts, zone);
	}
	if (!value || !value.isValid) {
		return {
			ok: false,
			reason: `${describeValue(raw)} is not a date; use ISO 8601 such as 2024-05-31 or 2024-05-31T08:00:00Z`,
		};
	}
	return { ok: true, value: value.toUTC() };
}

function isDateLikeObject(raw: unknown): raw is { toISO?: () => string; ts?: number } {
	return (
		typeof raw === 'object' &&
		raw !== null &&
		(typeof (raw as { toISO?: unknown }).toISO === 'function' ||
			typeof (raw as { ts?: unknown }).ts === 'number')
	);
}

function describeValue(raw: unknown): string {
	const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

export interface DateRange {
	since: DateTime;
	until: DateTime;
}

export type ParsedRange =
	| { ok: true; range: DateRange }
	| { ok: false; field: 'since' | 'until'; reason: string };

/**
 * since/until with defaults: until defaults to now, since to `defaultDays` before until.
 * since after until is refused (it would silently return nothing).
 */
export function parseDateRange(
	input: { since?: unknown; until?: unknown },
	options: { now: DateTime; defaultDays: number; zone?: string },
): ParsedRange {
	const since = parseDateInput(input.since, options.zone);
	if (!since.ok) return { ok: false, field: 'since', reason: since.reason };
	const until = parseDateInput(input.until, options.zone);
	if (!until.ok) return { ok: false, field: 'until', reason: until.reason };
	const end = until.value ?? options.now.toUTC();
	const start = since.value ?? end.minus({ days: options.defaultDays });
	if (start > end) {
		return {
			ok: false,
			field: 'since',
			reason: `${start.toISO()} is after "Until" (${end.toISO()}); since must come before until`,
		};
	}
	return { ok: true, range: { since: start, until: end } };
}

/**
 * The form Salesforce's REST API writes every datetime in: 2024-11-01T10:20:30.000+0000 (UTC).
 * Recognised by hand because reads map it on each of 100,000s of records, where luxon costs
 * about 3.5 µs a value (this path 0.05 µs); any other form goes through luxon.
 */
// REST writes "+0000", Bulk API 2.0 CSV "Z": both are UTC and take the fast path.
const SALESFORCE_UTC_DATETIME =
	/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}(?:\+0000|Z)$/;

/** The UTC ISO form (…Z) of a value in Salesforce's own datetime form, or undefined. */
function salesforceUtcIso(value: string): string | undefined {
	if (!SALESFORCE_UTC_DATETIME.test(value)) return undefined;
	// The pattern allows day 31 in every month; a day the month lacks is left to luxon (invalid).
	const day = Number(value.slice(8, 10));
	if (day > 28 && day > daysInMonth(Number(value.slice(0, 4)), Number(value.slice(5, 7))))
		return undefined;
	// Bulk's form already is the ISO form: the same string, not a new one built of two
	return value.length === 24 ? value : `${value.slice(0, 23)}Z`;
}

/** Days in a month of the proleptic Gregorian calendar (as luxon counts them). */
function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO 8601 in UTC (2024-05-31T08:00:00.000Z) of a Salesforce datetime, or null. */
export function toIsoUtc(value: unknown): string | null {
	if (typeof value !== 'string' || value === '') return null;
	const fast = salesforceUtcIso(value);
	if (fast !== undefined) return fast;
	const parsed = DateTime.fromISO(value, { zone: 'utc' });
	return parsed.isValid ? (parsed.toUTC().toISO() as string) : value;
}

/** Epoch milliseconds of a Salesforce datetime, or undefined when it is not one. */
function datetimeMillis(value: string): number | undefined {
	const fast = salesforceUtcIso(value);
	if (fast !== undefined) return Date.parse(fast);
	const parsed = DateTime.fromISO(value, { zone: 'utc' });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

/** Whole days between a Salesforce datetime and now (floored), or null when never. */
export function daysSince(value: unknown, now: DateTime): number | null {
	if (typeof value !== 'string' || value === '') return null;
	const millis = datetimeMillis(value);
	if (millis === undefined) return null;
	return Math.max(0, Math.floor((now.toMillis() - millis) / DAY_MS));
}
