/**
 * The read operations' filters fail closed, the pure part. A filter chooses whom a later write
 * hits (Get users -> Freeze user), so a filter the user added to the Filters collection must
 * have a usable value of its own type; only a filter that is absent means "no filter".
 *
 * n8n hands over whatever an expression produced: `{{ $json.idleDays }}` on an item without the
 * field arrives as the key with the value undefined, a missing Set-node field as null or "".
 * Reading those as "not set" would drop the filter and return everyone, so they are refused,
 * as the safety options refuse them (safetyOptions.ts).
 */
import type { DateTime } from 'luxon';

import { parseDateInput } from './dates';
import { parseNameList } from './nameList';
import { describeValue } from './safetyOptions';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** What a parameter accepts: `parse` gets a value that is not empty (see isEmptyValue). */
export interface ValueKind<T> {
	parse(value: unknown): ValueResult<T>;
}

/** undefined, null, "" (or only spaces): what an expression gives for a field an item lacks. */
export function isEmptyValue(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

function emptyReason(value: unknown, remedy: string): string {
	return `has no value: got ${describeValue(value)}; give it a value, or ${remedy}`;
}

/**
 * One filter of a Filters collection: absent -> undefined (no filter); present -> its value
 * checked by `kind`. A present key whose value is empty is refused, never read as absent.
 */
export function filterValue<T>(
	filters: Record<string, unknown>,
	key: string,
	kind: ValueKind<T>,
): ValueResult<T | undefined> {
	if (!Object.prototype.hasOwnProperty.call(filters, key)) return { ok: true, value: undefined };
	const value = filters[key];
	if (isEmptyValue(value))
		return { ok: false, reason: emptyReason(value, 'remove the filter to read without it') };
	return kind.parse(value);
}

/** A parameter that is always there (Limit, Return All, User): empty is refused. */
export function parameterValue<T>(value: unknown, kind: ValueKind<T>): ValueResult<T> {
	if (isEmptyValue(value))
		return {
			ok: false,
			reason: emptyReason(value, 'give the expression a default, e.g. {{ $json.field ?? … }}'),
		};
	return kind.parse(value);
}

/** true or false only: the text "true" is refused (n8n Variables are always text). */
export const booleanValue: ValueKind<boolean> = {
	parse: (value) =>
		typeof value === 'boolean'
			? { ok: true, value }
			: {
					ok: false,
					reason: `must be true or false (a boolean); got ${describeValue(value)}${
						typeof value === 'string'
							? ` — compare in the expression instead, e.g. {{ $vars.flag === 'true' }}`
							: ''
					}`,
				},
};

/**
 * A whole number of at least `min`. A number, or text of digits only: an expression that reads a
 * CSV column or an n8n Variable gives "30", whose meaning is plain (n8n's own number validation
 * converts such text too). Anything else ("30 days", "3.5", "", NaN, true, a list) is refused.
 */
export function wholeNumberValue(min: number): ValueKind<number> {
	return {
		parse(value) {
			const number =
				typeof value === 'number'
					? value
					: typeof value === 'string' && /^\s*\d+\s*$/.test(value)
						? Number(value)
						: NaN;
			if (Number.isInteger(number) && number >= min) return { ok: true, value: number };
			return {
				ok: false,
				reason: `must be a whole number of ${min} or more; got ${describeValue(value)}`,
			};
		},
	};
}

/** One of the option's values, exactly as the node panel stores them. */
export function oneOfValue<T extends string>(values: readonly T[]): ValueKind<T> {
	return {
		parse: (value) =>
			(values as readonly unknown[]).includes(value)
				? { ok: true, value: value as T }
				: {
						ok: false,
						reason: `must be one of ${values.join(', ')}; got ${describeValue(value)}`,
					},
	};
}

/** Text (an ID or a username): a number or a list is another type. */
export const textValue: ValueKind<string> = {
	parse: (value) =>
		typeof value === 'string'
			? { ok: true, value: value.trim() }
			: { ok: false, reason: `must be text; got ${describeValue(value)}` },
};

/**
 * A list of names: the array a multi-options field holds, or an array or comma-separated text
 * from an expression. An empty list ([] or " , ") is refused: it would otherwise mean either
 * "everyone" or "no one", and the user cannot tell which; removing the filter is the way to
 * ask for everyone.
 */
export const nameListValue: ValueKind<string[]> = {
	parse(value) {
		const parsed = parseNameList(value);
		if (!parsed.ok) return parsed;
		// parseNameList reads undefined as "not set": never reached, empty values are refused first
		return parsed.value
			? { ok: true, value: parsed.value }
			: { ok: false, reason: emptyReason(value, 'remove the filter') };
	},
};

/** A date (ISO text, an n8n DateTime, a JS Date, epoch milliseconds); text read in `zone`. */
export function dateValue(zone: string): ValueKind<DateTime> {
	return {
		parse(value) {
			const parsed = parseDateInput(value, zone);
			if (!parsed.ok) return parsed;
			return parsed.value
				? { ok: true, value: parsed.value }
				: { ok: false, reason: emptyReason(value, 'remove the filter') };
		},
	};
}
