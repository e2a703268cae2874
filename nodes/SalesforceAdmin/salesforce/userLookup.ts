/**
 * Batched look-ups of users by ID or username, the pure part: batch sizes, the fields read, IN
 * lists that fit Salesforce's URI limit, and finding a user in the result. The queries
 * themselves run in reads/lookUpUsers.ts.
 */
import type { UserReference } from './ids';
import type { User } from './records';
import { inList, quote } from './soql';

/** IDs or usernames per SOQL query: keeps the query text well under Salesforce's 100,000-char limit. */
export const LOOKUP_BATCH_SIZE = 500;

/** Fields every user look-up reads; the caller adds the UserPermissions* fields it can see. */
export const USER_BASE_FIELDS = [
	'Id',
	'Username',
	'Name',
	'Email',
	'IsActive',
	'UserType',
	'ProfileId',
	'Profile.Name',
	'Profile.UserLicense.Name',
	'Profile.PermissionsModifyAllData',
	'LastLoginDate',
	'CreatedDate',
] as const;

export interface UserLookupResult {
	byId: Map<string, User>;
	/** Keyed by lower-case username: Salesforce usernames are case-insensitive. */
	byUsername: Map<string, User>;
}

/**
 * Salesforce refuses a request whose URI and headers exceed 16,384 bytes (431/414). Queries go
 * in the URI, so an IN list is also capped by its URL-encoded length: 500 IDs fit (~11,500),
 * 500 long usernames would not.
 */
export const LOOKUP_MAX_ENCODED_CHARS = 12_000;

/** Groups of at most `maxCount` values whose quoted, URL-encoded IN list fits `maxChars`. */
export function chunkForInList(
	values: readonly string[],
	maxCount = LOOKUP_BATCH_SIZE,
	maxChars = LOOKUP_MAX_ENCODED_CHARS,
): string[][] {
	const groups: string[][] = [];
	let group: string[] = [];
	let length = 0;
	for (const value of values) {
		const size = encodeURIComponent(`${quote(value)},`).length;
		if (group.length > 0 && (group.length >= maxCount || length + size > maxChars)) {
			groups.push(group);
			group = [];
			length = 0;
		}
		group.push(value);
		length += size;
	}
	if (group.length > 0) groups.push(group);
	return groups;
}

/** The user a reference points to, if the look-up found it. */
export function findUser(lookup: UserLookupResult, ref: UserReference): User | undefined {
	if (ref.kind === 'id') return lookup.byId.get(ref.id);
	if (ref.kind === 'username') return lookup.byUsername.get(ref.username.toLowerCase());
	return undefined;
}

/** The users of a group of IDs, each field once (a group from chunkForInList). */
export function usersByIdsQuery(fields: readonly string[], ids: readonly string[]): string {
	return `SELECT ${[...new Set(fields)].join(', ')} FROM User WHERE Id IN ${inList(ids)}`;
}

/** The users of a group of usernames, each field once (a group from chunkForInList). */
export function usersByUsernamesQuery(
	fields: readonly string[],
	usernames: readonly string[],
): string {
	return `SELECT ${[...new Set(fields)].join(', ')} FROM User WHERE Username IN ${inList(usernames)}`;
}

/** The UserLogin rows (frozen state) of a group of users. */
export function userLoginsQuery(userIds: readonly string[]): string {
	return `SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ${inList(userIds)}`;
}

/**
 * The org's frozen users (UserLogin.IsFrozen), with when and by whom each UserLogin was last
 * changed (the best "frozen since" the API offers). `newestFirst` and `limit` for the trigger,
 * which keeps the newest ones.
 */
export function frozenUsersQuery({
	newestFirst = false,
	limit,
}: { newestFirst?: boolean; limit?: number } = {}): string {
	return (
		'SELECT UserId, LastModifiedDate, LastModifiedById FROM UserLogin WHERE IsFrozen = true' +
		(newestFirst ? ' ORDER BY LastModifiedDate DESC' : '') +
		(limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`)
	);
}
