/**
 * SOQL string literals. The parser hands them over raw ("'a\\'b'"); these decode the escape
 * sequences SOQL defines, so that an escaped value is compared as the literal text it stands
 * for, and reject the ones it does not define, as Salesforce does.
 */
import { malformedQuery } from './errors';

const SIMPLE_ESCAPES: Record<string, string> = {
	n: '\n',
	N: '\n',
	r: '\r',
	R: '\r',
	t: '\t',
	T: '\t',
	b: '\b',
	B: '\b',
	f: '\f',
	F: '\f',
	'"': '"',
	"'": "'",
	'\\': '\\',
};

function stripQuotes(raw: string): string {
	if (raw.length < 2 || raw[0] !== "'" || raw[raw.length - 1] !== "'") {
		throw malformedQuery(`Invalid string literal: ${raw}`);
	}
	return raw.slice(1, -1);
}

/**
 * Walks a raw literal, calling `literal` for each character meant literally and `wildcard`
 * for each unescaped LIKE wildcard (only when `like` is set).
 */
function walk(
	raw: string,
	like: boolean,
	literal: (ch: string) => void,
	wildcard: (ch: '%' | '_') => void,
): void {
	const body = stripQuotes(raw);
	for (let i = 0; i < body.length; i++) {
		const ch = body[i];
		if (ch === '\\') {
			const next = body[++i];
			if (next === undefined) throw malformedQuery(`Invalid string literal: ${raw}`);
			if (next in SIMPLE_ESCAPES) {
				literal(SIMPLE_ESCAPES[next]);
			} else if (next === 'u') {
				const hex = body.slice(i + 1, i + 5);
				if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw malformedQuery(`Invalid unicode escape in ${raw}`);
				literal(String.fromCharCode(parseInt(hex, 16)));
				i += 4;
			} else if (next === '%' || next === '_') {
				// Outside LIKE, Salesforce keeps the backslash.
				if (!like) literal('\\');
				literal(next);
			} else {
				throw malformedQuery(`Invalid escape sequence \\${next} in ${raw}`);
			}
		} else if (like && (ch === '%' || ch === '_')) {
			wildcard(ch);
		} else {
			literal(ch);
		}
	}
}

/** The text a raw SOQL string literal stands for. */
export function decodeString(raw: string): string {
	let out = '';
	walk(
		raw,
		false,
		(ch) => (out += ch),
		() => undefined,
	);
	return out;
}

/** A case-insensitive, whole-value RegExp for a raw LIKE pattern. */
export function likeToRegExp(raw: string): RegExp {
	let source = '';
	walk(
		raw,
		true,
		(ch) => (source += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')),
		(w) => (source += w === '%' ? '[\\s\\S]*' : '[\\s\\S]'),
	);
	return new RegExp(`^${source}$`, 'i');
}
