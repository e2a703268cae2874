/**
 * Usernames and names for items that only carry a user ID (login history, events), so an alert
 * reads "jane@acme.com" without a second look-up in the workflow. Pure: the SOQL and the map.
 */
import { to18CharId } from './ids';
import { QUERY_PAGE_SIZE } from './limits';
import type { User } from './records';
import { inList } from './soql';
import { LOOKUP_BATCH_SIZE } from './userLookup';

export interface UserName {
	username: string | null;
	name: string | null;
}

/** 18-char user ID -> username and name. */
export type UserNames = ReadonlyMap<string, UserName>;

/** Every user's name, for when most of the org is named (read in pages of 2,000). */
export const ALL_USER_NAMES_QUERY = 'SELECT Id, Username, Name FROM User';

/** How many users the org has (one call; the count comes back as `expr0`). */
export const USER_COUNT_QUERY = 'SELECT COUNT(Id) FROM User';

/** True when reading all `orgUsers` names in pages costs fewer calls than IN lists of `wanted` IDs. */
export function cheaperToScanAllUsers(wanted: number, orgUsers: number): boolean {
	return Math.ceil(orgUsers / QUERY_PAGE_SIZE) < Math.ceil(wanted / LOOKUP_BATCH_SIZE);
}

/** One query for a group of (at most 500) user IDs. */
export function userNamesQuery(userIds: readonly string[]): string {
	return `SELECT Id, Username, Name FROM User WHERE Id IN ${inList(userIds)}`;
}

export function userNameEntry(record: User): [string, UserName] {
	return [
		to18CharId(record.Id) ?? record.Id,
		{ username: record.Username ?? null, name: record.Name ?? null },
	];
}

/** The name fields an item gets; nulls when the user is unknown (or the ID is missing). */
export function namesOf(names: UserNames | undefined, userId: string | null): UserName {
	return (userId && names?.get(userId)) || { username: null, name: null };
}
