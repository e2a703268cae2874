/**
 * Dates as Salesforce's REST API writes them. Datetimes are kept in the store in exactly the
 * form the API returns ("2024-11-01T10:20:30.000+0000", always UTC), which also sorts and
 * compares correctly as plain strings; dates are "2024-11-01".
 */

const DAY_MS = 86_400_000;

/** A Date, epoch milliseconds or ISO 8601 text as a Salesforce datetime string. */
export function sfDateTime(value: Date | number | string): string {
	const d =
		value instanceof Date
			? value
			: new Date(typeof value === 'string' ? parseDateTime(value) : value);
	if (Number.isNaN(d.getTime())) throw new Error(`Not a date/time: ${String(value)}`);
	return d.toISOString().replace('Z', '+0000');
}

/** A Date, epoch milliseconds or ISO text as a Salesforce date string (UTC day). */
export function sfDate(value: Date | number | string): string {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	return sfDateTime(value).slice(0, 10);
}

/** Epoch ms of ISO 8601 text, accepting Salesforce's "+0000" offsets (no colon). */
export function parseDateTime(text: string): number {
	const normalized = text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
	return Date.parse(normalized);
}

export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** [start, end) in epoch ms. */
export type Range = [number, number];

/**
 * The UTC range a SOQL date literal stands for (the fake org's time zone is GMT).
 * Returns undefined for literals the fake org does not model.
 */
export function dateLiteralRange(
	literal: string,
	n: number | undefined,
	now: number,
): Range | undefined {
	const today = startOfUtcDay(now);
	const tomorrow = today + DAY_MS;
	const d = new Date(today);
	const monthStart = (offset: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
	const yearStart = (offset: number) => Date.UTC(d.getUTCFullYear() + offset, 0, 1);
	// Weeks start on Sunday, as in the en_US locale.
	const weekStart = today - d.getUTCDay() * DAY_MS;
	const k = n ?? 0;
	switch (literal.toUpperCase()) {
		case 'TODAY':
			return [today, tomorrow];
		case 'YESTERDAY':
			return [today - DAY_MS, today];
		case 'TOMORROW':
			return [tomorrow, tomorrow + DAY_MS];
		case 'LAST_WEEK':
			return [weekStart - 7 * DAY_MS, weekStart];
		case 'THIS_WEEK':
			return [weekStart, weekStart + 7 * DAY_MS];
		case 'NEXT_WEEK':
			return [weekStart + 7 * DAY_MS, weekStart + 14 * DAY_MS];
		case 'LAST_MONTH':
			return [monthStart(-1), monthStart(0)];
		case 'THIS_MONTH':
			return [monthStart(0), monthStart(1)];
		case 'NEXT_MONTH':
			return [monthStart(1), monthStart(2)];
		case 'THIS_YEAR':
			return [yearStart(0), yearStart(1)];
		case 'LAST_YEAR':
			return [yearStart(-1), yearStart(0)];
		case 'LAST_90_DAYS':
			return [today - 90 * DAY_MS, tomorrow];
		case 'NEXT_90_DAYS':
			return [today, tomorrow + 90 * DAY_MS];
		// LAST_N_DAYS:n covers today and the n days before it.
		case 'LAST_N_DAYS':
			return [today - k * DAY_MS, tomorrow];
		case 'NEXT_N_DAYS':
			return [today, tomorrow + k * DAY_MS];
		case 'N_DAYS_AGO':
			return [today - k * DAY_MS, today - (k - 1) * DAY_MS];
		case 'LAST_N_WEEKS':
			return [weekStart - 7 * k * DAY_MS, weekStart];
		case 'LAST_N_MONTHS':
			return [monthStart(-k), monthStart(0)];
		case 'N_MONTHS_AGO':
			return [monthStart(-k), monthStart(-k + 1)];
		case 'LAST_N_YEARS':
			return [yearStart(-k), yearStart(0)];
		default:
			return undefined;
	}
}

export { DAY_MS };
