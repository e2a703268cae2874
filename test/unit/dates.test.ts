/**
 * toIsoUtc and daysSince read Salesforce's own datetime form (2024-11-01T10:20:30.000+0000) by
 * hand and leave every other form to luxon. Whatever the path, the result must be the one luxon
 * alone gives: compared here over generated values and the edge cases around the fast path.
 */
import { DateTime } from 'luxon';

import { daysSince, toIsoUtc } from '../../nodes/SalesforceAdmin/salesforce/dates';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = DateTime.fromISO('2024-06-15T12:00:00.000Z', { zone: 'utc' });

/** What toIsoUtc returned when every value went through luxon. */
function luxonIsoUtc(value: unknown): string | null {
	if (typeof value !== 'string' || value === '') return null;
	const parsed = DateTime.fromISO(value, { zone: 'utc' });
	return parsed.isValid ? (parsed.toUTC().toISO() as string) : value;
}

/** What daysSince returned when every value went through luxon. */
function luxonDaysSince(value: unknown, now: DateTime): number | null {
	if (typeof value !== 'string' || value === '') return null;
	const parsed = DateTime.fromISO(value, { zone: 'utc' });
	if (!parsed.isValid) return null;
	return Math.max(0, Math.floor((now.toMillis() - parsed.toMillis()) / DAY_MS));
}

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Salesforce-form values with every field drawn from a range a little wider than valid. */
function generatedValues(count: number): string[] {
	const next = random(20240601);
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	const year = () => (next() < 0.8 ? int(1970, 2100) : int(0, 9999));
	return Array.from(
		{ length: count },
		() =>
			`${pad(year(), 4)}-${pad(int(0, 13))}-${pad(int(0, 32))}T${pad(int(0, 24))}:${pad(int(0, 60))}:` +
			`${pad(int(0, 60))}.${pad(int(0, 999), 3)}+0000`,
	);
}

const EDGE_CASES: unknown[] = [
	// Salesforce's form, valid
	'2024-11-01T10:20:30.000+0000',
	'2024-02-29T23:59:59.999+0000', // leap day
	'2000-02-29T00:00:00.000+0000', // leap: divisible by 400
	'0000-01-01T00:00:00.000+0000',
	'0099-12-31T23:59:59.999+0000', // two-digit years are years, not 19xx
	'9999-12-31T23:59:59.999+0000',
	'2024-06-15T12:00:00.000+0000', // exactly now
	'2024-06-15T12:00:00.001+0000', // just after now: 0 days, not -1
	'2024-06-14T12:00:00.000+0000',
	'2024-06-14T12:00:00.001+0000',
	'2024-04-30T00:00:00.000+0000',
	'2024-12-31T00:00:00.000+0000',
	// the form, but no such date or time: luxon decides (invalid, or hour 24 rolled over)
	'2023-02-29T00:00:00.000+0000',
	'1900-02-29T00:00:00.000+0000',
	'2100-02-29T00:00:00.000+0000',
	'2024-02-30T00:00:00.000+0000',
	'2024-04-31T00:00:00.000+0000',
	'2024-06-31T00:00:00.000+0000',
	'2024-09-31T00:00:00.000+0000',
	'2024-11-31T00:00:00.000+0000',
	'2024-00-10T00:00:00.000+0000',
	'2024-13-10T00:00:00.000+0000',
	'2024-01-00T00:00:00.000+0000',
	'2024-01-32T00:00:00.000+0000',
	'2024-01-01T24:00:00.000+0000',
	'2024-01-01T23:60:00.000+0000',
	'2024-01-01T23:59:60.000+0000',
	// other offsets and forms: luxon
	'2024-11-01T10:20:30.000+0100',
	'2024-11-01T10:20:30.000-0800',
	'2024-11-01T10:20:30.000+0530',
	'2024-11-01T00:20:30.000+0100', // the offset moves it to the day before
	'2024-11-01T10:20:30.000+00:00',
	'2024-11-01T10:20:30.000Z',
	'2024-11-01T10:20:30+0000', // no milliseconds
	'2024-11-01T10:20:30.1+0000',
	'2024-11-01T10:20:30.12+0000',
	'2024-11-01T10:20:30.1234+0000',
	'2024-11-01t10:20:30.000+0000',
	'2024-11-01T10:20+0000',
	'2024-11-01',
	'20241101T102030.000+0000',
	'+002024-11-01T10:20:30.000+0000',
	' 2024-11-01T10:20:30.000+0000',
	'2024-11-01T10:20:30.000+0000 ',
	'2024-11-01T10:20:30.000+0000\n',
	'2024-11-01 10:20:30.000+0000',
	'not a date',
	// not set
	'',
	null,
	undefined,
	0,
	1730456430000,
	new Date(0),
	{},
];

describe('toIsoUtc and daysSince: Salesforce datetime fast path', () => {
	it('returns the ISO form for Salesforce datetimes', () => {
		expect(toIsoUtc('2024-11-01T10:20:30.000+0000')).toBe('2024-11-01T10:20:30.000Z');
		expect(daysSince('2024-06-01T12:00:00.000+0000', NOW)).toBe(14);
	});

	it.each(EDGE_CASES.map((value) => [JSON.stringify(value) ?? String(value), value]))(
		'equals luxon for %s',
		(_label, value) => {
			expect(toIsoUtc(value)).toBe(luxonIsoUtc(value));
			expect(daysSince(value, NOW)).toBe(luxonDaysSince(value, NOW));
		},
	);

	it('equals luxon on 20,000 generated values, valid and not', () => {
		const values = generatedValues(20_000);
		const mismatches = values.filter(
			(value) =>
				toIsoUtc(value) !== luxonIsoUtc(value) ||
				daysSince(value, NOW) !== luxonDaysSince(value, NOW),
		);
		expect(mismatches).toEqual([]);
		// both paths were exercised: most values are valid, and a good share are not
		const valid = values.filter((value) => DateTime.fromISO(value, { zone: 'utc' }).isValid).length;
		expect(valid).toBeGreaterThan(values.length / 2);
		expect(valid).toBeLessThan(values.length * 0.95);
	});

	it('counts days across the whole valid range the same as luxon', () => {
		// every day of a leap year and of its neighbours, at the last millisecond of the day
		const now = DateTime.fromISO('2030-01-01T00:00:00.000Z', { zone: 'utc' });
		for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2026, 0, 1); ms += DAY_MS) {
			const value = new Date(ms + DAY_MS - 1).toISOString().replace('Z', '+0000');
			expect(daysSince(value, now)).toBe(luxonDaysSince(value, now));
			expect(toIsoUtc(value)).toBe(luxonIsoUtc(value));
		}
	});
});
