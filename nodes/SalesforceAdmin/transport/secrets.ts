/**
 * Keeps secrets (passwords, security tokens, client secrets, access and refresh tokens, session
 * IDs) out of every message this package produces. jsforce errors can carry response bodies and
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

/** Removes every known secret and anything shaped like one from a text. */
export function scrubSecrets(text: string, extraSecrets: readonly unknown[] = []): string {
	let out = text;
	const exact = [...extraSecrets, ...remembered]
		.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
		// longest first, so "password+token" goes before "password"
		.sort((a, b) => b.length - a.length);
	for (const secret of exact) {
		if (out.includes(secret)) out = out.split(secret).join(REDACTED);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
	}
	for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
	return out;
}
