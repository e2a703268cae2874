/**
 * The "User" parameter of Get user and every write, an n8n resource locator: picked From List,
 * typed By ID or By Username. Pure: what n8n hands over -> a user reference, and the SOQL of
 * the list search.
 *
 * n8n hands over `{ __rl: true, mode, value }`, or a plain string: workflows built before the
 * parameter was a resource locator, or by hand from the design (`userId: "005..."`), keep theirs
 * and n8n passes it on unchanged.
 */
import type { UserReference } from './ids';
import { parseUserReference } from './ids';
import { likePattern } from './soql';

/** A user ID as the By ID mode accepts it (the checksum and the 005 prefix are checked later). */
export const USER_ID_PATTERN = '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$';
/** A username as the By Username mode accepts it: name@domain. */
export const USERNAME_PATTERN = '^[^@\\s]+@[^@\\s]+$';

function isLocatorObject(raw: unknown): raw is { mode?: unknown; value?: unknown } {
	return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw;
}

/**
 * What the User parameter names, read by the value's shape: an ID (checksum and the 005 prefix
 * checked) or a username. The mode only guides the editor (its regex checks what a person
 * types): the default `{{ $json.id }}` is By ID, and items whose `id` holds a username kept
 * working before the list existed, so they still do.
 */
export function parseUserLocator(raw: unknown): UserReference {
	return parseUserReference(isLocatorObject(raw) ? raw.value : raw);
}

/** The value as typed, for result items of a user that could not be read. */
export function userLocatorText(raw: unknown): string | undefined {
	const value = isLocatorObject(raw) ? raw.value : raw;
	return typeof value === 'string' ? value : undefined;
}

/** The fields one entry of the list shows. */
export const USER_SEARCH_FIELDS = ['Id', 'Name', 'Username', 'IsActive'] as const;

/**
 * The list search: users whose name or username contains the text (case-insensitive, as SOQL's
 * LIKE is), by name. The text is escaped, wildcards included, so `%` or
 * `_` typed into the search box match themselves.
 */
export function buildUserSearchQuery(filter: string | undefined): string {
	const text = (filter ?? '').trim();
	const where = text
		? ` WHERE Name LIKE ${likePattern(text, { prefix: true, suffix: true })} OR Username LIKE ${likePattern(text, { prefix: true, suffix: true })}`
		: '';
	return `SELECT ${USER_SEARCH_FIELDS.join(', ')} FROM User${where} ORDER BY Name, Id`;
}

export interface UserSearchRow {
	Id: string;
	Name?: string | null;
	Username?: string | null;
	IsActive?: boolean | null;
}

/** One entry of the list: "Jane Doe (jane@acme.com)", inactive users marked. */
export function userSearchResult(row: UserSearchRow): { name: string; value: string } {
	const name = row.Name || row.Username || row.Id;
	const label = row.Username && row.Username !== name ? `${name} (${row.Username})` : name;
	return { name: row.IsActive === false ? `${label} · inactive` : label, value: row.Id };
}

/**
 * The next page of the list, as Salesforce gave it (`nextRecordsUrl`). The token comes back from
 * the editor, so only Salesforce's own query-locator path is followed, nothing else on the org
 * (and a locator is only ever a path on the org: the transport refuses other hosts).
 */
export function isQueryLocatorPath(token: string): boolean {
	return /^\/services\/data\/v\d+\.\d+\/query\/[A-Za-z0-9]+-\d+$/.test(token);
}
