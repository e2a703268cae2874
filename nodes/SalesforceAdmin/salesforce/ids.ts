/**
 * Salesforce record IDs: 15 characters (case-sensitive) or 18 (the 15 plus a 3-character
 * case-safe checksum). Users paste both; we validate and always work with the 18-char form.
 */

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix Salesforce appends to a 15-character ID. */
export function checksumSuffix(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charCodeAt(chunk * 5 + i);
			if (c >= 65 && c <= 90) bits |= 1 << i; // an uppercase letter sets its bit
		}
		suffix += CHECKSUM_ALPHABET[bits];
	}
	return suffix;
}

/** True for a well-formed 15-char ID or an 18-char ID whose checksum matches. */
export function isSalesforceId(value: string): boolean {
	if (!ID_PATTERN.test(value)) return false;
	if (value.length === 15) return true;
	return checksumSuffix(value.slice(0, 15)) === value.slice(15).toUpperCase();
}

/** The 18-character form of a valid ID, or undefined when the value is not an ID. */
export function to18CharId(value: string): string | undefined {
	if (!ID_PATTERN.test(value)) return undefined;
	const id15 = value.slice(0, 15);
	const suffix = checksumSuffix(id15);
	if (value.length === 15) return id15 + suffix;
	const given = value.slice(15);
	// Already the 18-char form (as every API answer gives it): the same string, not a new one
	// built of two, so a map keyed by IDs hashes each ID string once, not on every look-up.
	if (given === suffix) return value;
	return given.toUpperCase() === suffix ? id15 + suffix : undefined;
}

/** The 3-character key prefix says which object an ID belongs to (005 = User). */
export function hasKeyPrefix(id: string, prefix: string): boolean {
	return id.slice(0, 3) === prefix;
}

export const USER_KEY_PREFIX = '005';

/**
 * What a user typed into a "user" field: an ID (normalized to 18 chars) or a username.
 * Something that looks like neither is reported as invalid with the reason.
 */
export type UserReference =
	| { kind: 'id'; id: string }
	| { kind: 'username'; username: string }
	| { kind: 'invalid'; reason: string };

export function parseUserReference(raw: unknown): UserReference {
	const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (!value)
		return {
			kind: 'invalid',
			reason: 'is empty; give a user ID (15 or 18 characters) or a username',
		};
	if (value.includes('@')) return { kind: 'username', username: value };
	if (/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) {
		const id = to18CharId(value);
		if (!id)
			return {
				kind: 'invalid',
				reason: `"${value}" is not a valid Salesforce ID: its last 3 characters do not match the checksum`,
			};
		if (!hasKeyPrefix(id, USER_KEY_PREFIX)) {
			return { kind: 'invalid', reason: `"${value}" is not a user ID; user IDs start with 005` };
		}
		return { kind: 'id', id };
	}
	return {
		kind: 'invalid',
		reason: `"${value}" is neither a Salesforce user ID (15 or 18 letters and digits, starting with 005) nor a username (name@domain)`,
	};
}
