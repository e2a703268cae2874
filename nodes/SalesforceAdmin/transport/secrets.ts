/**
 * Keeps secrets (passwords, security tokens, client secrets, access and refresh tokens, session
 * IDs) out of every message this package produces. Errors can carry response bodies and
 * URLs, so each text is scrubbed twice: of the exact secret values this process has signed in
 * with, and of anything shaped like a secret.
 */

const REDACTED = '[redacted]';

/** Shorter values are not worth scrubbing (and would mangle ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** Bounded, so a long-running n8n process does not keep every token it ever saw. */
const MAX_REMEMBERED = 500;

const remembered = new Set<string>();

/** Registers values that must never appear in a message, an error or an output item. */
export function rememberSecrets(...values: unknown[]): void {
	for (const value of values) {
		if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
		remembered.delete(value);
		remembered.add(value);
		if (remembered.size > MAX_REMEMBERED) {
			const oldest = remembered.values().next().value as string;
			remembered.delete(oldest);
		}
	}
}

/** Shapes of secrets, whether or not this process has seen their values. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
	// Salesforce session IDs / access tokens: <15-18 char org id>!<opaque>
	[/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-+/=]+/g, REDACTED],
	// Authorization headers
	[/\b(Bearer|Basic|OAuth)\s+[A-Za-z0-9._\-+/=!~]+/gi, `$1 ${REDACTED}`],
	// form bodies and query strings
	[
		/\b(password|client_secret|refresh_token|access_token|sessionId|session_id|securityToken|code)=([^&\s"']+)/gi,
		`$1=${REDACTED}`,
	],
	// JSON bodies
	[
		/"(password|client_secret|clientSecret|refresh_token|refreshToken|access_token|accessToken|sessionId|securityToken)"\s*:\s*"[^"]*"/gi,
		`"$1":"${REDACTED}"`,
	],
	// SOAP envelopes
	[/<(password|sessionId)>[^<]*<\/\1>/gi, `<$1>${REDACTED}</$1>`],
];

/** Hex digits of a number, each letter matching either case (%2f and %2F, &#x2f; and &#x2F;). */
function hexPattern(value: number, width: number): string {
	return value
		.toString(16)
		.padStart(width, '0')
		.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const XML_NAMED: Record<string, string> = {
	'&': 'amp',
	'<': 'lt',
	'>': 'gt',
	'"': 'quot',
	"'": 'apos',
};
const JSON_SHORT: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/**
 * Every way one character of a secret can come back inside a message: as it is, percent-encoded
 * (URLs, form bodies; "+" for a space), as an XML / HTML character reference (a SOAP fault, a
 * proxy's error page: &amp; &#38; &#x26;) or as a JSON string escape (\" \\ \u0026).
 * Letters and digits are never escaped, so they match only themselves.
 */
function charPattern(char: string): string {
	if (/^[A-Za-z0-9]$/.test(char)) return char;
	const code = char.codePointAt(0)!;
	const forms = [escapeRegExp(char)];
	forms.push([...Buffer.from(char, 'utf8')].map((byte) => `%${hexPattern(byte, 2)}`).join(''));
	if (char === ' ') forms.push('\\+');
	if (XML_NAMED[char]) forms.push(`&${XML_NAMED[char]};`);
	forms.push(`&#0*${code};`, `&#[xX]0*${hexPattern(code, 1)};`);
	if (JSON_SHORT[char]) forms.push(escapeRegExp(JSON_SHORT[char]));
	// \uXXXX, as a surrogate pair beyond the BMP
	const units = code > 0xffff ? [char.charCodeAt(0), char.charCodeAt(1)] : [code];
	forms.push(units.map((unit) => `\\\\u${hexPattern(unit, 4)}`).join(''));
	return `(?:${forms.join('|')})`;
}

/** Compiled once per secret; bounded like the remembered values. */
const patternCache = new Map<string, RegExp>();

/** A pattern matching a secret in any mix of the encodings of charPattern, character by character. */
function secretPattern(secret: string): RegExp {
	let pattern = patternCache.get(secret);
	if (!pattern) {
		pattern = new RegExp([...secret].map(charPattern).join(''), 'g');
		patternCache.set(secret, pattern);
		if (patternCache.size > MAX_REMEMBERED * 2)
			patternCache.delete(patternCache.keys().next().value as string);
	}
	pattern.lastIndex = 0;
	return pattern;
}

/** Removes every known secret (in any encoding a message may carry it) and anything shaped like one from a text. */
export function scrubSecrets(text: string, extraSecrets: readonly unknown[] = []): string {
	let out = text;
	const exact = [...extraSecrets, ...remembered]
		.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
		// longest first, so "password+token" goes before "password"
		.sort((a, b) => b.length - a.length);
	for (const secret of exact) {
		if (out.includes(secret)) out = out.split(secret).join(REDACTED);
		// A secret of letters and digits only has no other form: the cheap check above was enough.
		if (/^[A-Za-z0-9]*$/.test(secret)) continue;
		out = out.replace(secretPattern(secret), REDACTED);
	}
	for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
	return out;
}
