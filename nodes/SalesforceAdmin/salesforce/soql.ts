/**
 * SOQL text building. Every value a user typed goes through `quote()` (or `likePattern()`),
 * never into a query string by concatenation, so a value can never change the query.
 */
import { DateTime } from 'luxon';

const STRING_ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/** Escapes a value for use inside a SOQL string literal (the quotes are not added). */
export function escapeSoqlString(value: string): string {
	return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => STRING_ESCAPES[c]);
}

/** A SOQL string literal: `'value'` with the value escaped. */
export function quote(value: string): string {
	return `'${escapeSoqlString(value)}'`;
}

/** A LIKE pattern matching `value` literally, with the wildcards it asks for. */
export function likePattern(value: string, { prefix = false, suffix = false } = {}): string {
	const literal = escapeSoqlString(value).replace(/[%_]/g, (c) => `\\${c}`);
	return `'${prefix ? '%' : ''}${literal}${suffix ? '%' : ''}'`;
}

/** `('a','b')` for IN clauses. An empty list is a caller bug: IN () is not valid SOQL. */
export function inList(values: readonly string[]): string {
	if (values.length === 0) throw new Error('inList needs at least one value');
	return `(${values.map(quote).join(',')})`;
}

/** SOQL datetime literal (unquoted, UTC, whole seconds): 2024-01-31T00:00:00Z. */
export function soqlDateTime(value: DateTime): string {
	return (
		value.toUTC().startOf('second').toISO({ suppressMilliseconds: true, includeOffset: false }) +
		'Z'
	);
}

/** Splits values into groups of `size`, for IN lists that must stay under SOQL's length limit. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
	return out;
}

/**
 * Joins WHERE conditions with AND, wrapping each in parentheses so an OR inside one cannot
 * leak into the others. Empty conditions are dropped. Semi-joins (`Id IN (SELECT ...)`) come
 * last and bare: Salesforce takes them only as top-level conditions ("Semi join sub-selects are
 * only allowed at the top level WHERE expressions and not in nested WHERE expressions").
 */
export function whereAll(
	conditions: Array<string | undefined | false>,
	semiJoins: readonly string[] = [],
): string {
	const kept = [...conditions.filter((c): c is string => !!c).map((c) => `(${c})`), ...semiJoins];
	return kept.length ? ` WHERE ${kept.join(' AND ')}` : '';
}
