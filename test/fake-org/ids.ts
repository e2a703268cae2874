/**
 * Salesforce record IDs: a 3-character key prefix, 12 more base-62 characters, and for the
 * 18-character form a 3-character suffix that encodes the case of the first 15 characters,
 * so the 18-character ID survives case-insensitive systems.
 */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const KEY_PREFIXES = {
	Organization: '00D',
	User: '005',
	Profile: '00e',
	UserLicense: '100',
	PermissionSetLicense: '0PL',
	PermissionSet: '0PS',
	PermissionSetAssignment: '0Pa',
	PermissionSetLicenseAssign: '2LA',
	PermissionSetGroup: '0PG',
	PackageLicense: '050',
	UserPackageLicense: '051',
	Group: '00G',
	GroupMember: '011',
	UserLogin: '060',
	LoginHistory: '0Ya',
	EventLogFile: '0AT',
	QueryLocator: '01g',
	UserPermissionAccess: '0ux',
} as const;

/** The 3-character case-safe suffix of a 15-character ID. */
export function idSuffix(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charCodeAt(chunk * 5 + i);
			if (c >= 65 && c <= 90) bits |= 1 << i;
		}
		suffix += SUFFIX_CHARS[bits];
	}
	return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/**
 * The canonical 18-character form of a 15- or 18-character ID, or null when the text is not
 * a well-formed ID (wrong length, bad characters, or an 18-character ID whose suffix does not
 * match). An 18-character ID is read case-insensitively, as Salesforce does: its suffix says
 * which of the first 15 characters are upper case.
 */
export function normalizeId(text: string): string | null {
	if (typeof text !== 'string' || !ID_SHAPE.test(text)) {
		if (typeof text === 'string' && text.length === 18 && /^[a-zA-Z0-9]{18}$/.test(text)) {
			return normalizeId(text.slice(0, 15) + text.slice(15).toUpperCase());
		}
		return null;
	}
	if (text.length === 15) return text + idSuffix(text);
	const suffix = text.slice(15);
	let id15 = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		const bits = SUFFIX_CHARS.indexOf(suffix[chunk]);
		for (let i = 0; i < 5; i++) {
			const ch = text[chunk * 5 + i];
			const upper = (bits >> i) & 1;
			if (/[a-zA-Z]/.test(ch)) id15 += upper ? ch.toUpperCase() : ch.toLowerCase();
			else if (upper) return null;
			else id15 += ch;
		}
	}
	return id15 + suffix;
}

/** 15-character form of an ID. */
export const to15 = (id: string): string => id.slice(0, 15);

/** Generates sequential, valid 18-character IDs per key prefix. */
export class IdFactory {
	private readonly counters = new Map<string, number>();

	/** `pod` stands in for the instance characters Salesforce puts after the prefix. */
	constructor(private readonly pod = '5g') {}

	next(prefix: string): string {
		const n = (this.counters.get(prefix) ?? 0) + 1;
		this.counters.set(prefix, n);
		let body = '';
		let v = n;
		for (let i = 0; i < 9; i++) {
			body = BASE62[v % 62] + body;
			v = Math.floor(v / 62);
		}
		const id15 = prefix + this.pod + '0' + body;
		return id15 + idSuffix(id15);
	}
}
