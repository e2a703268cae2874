/**
 * Usernames and names for items that only carry a user ID (login history, events), so an alert
 * reads "jane@acme.com" without a second look-up in the workflow. Pure: the SOQL and the map.
 */
import type { IDataObject } from 'n8n-workflow';

import { to18CharId } from './ids';
import { inList } from './soql';

export interface UserName {
	username: string | null;
	name: string | null;
}

/** 18-char user ID -> username and name. */
export type UserNames = ReadonlyMap<string, UserName>;

/** One query for a group of (at most LOOKUP_BATCH_SIZE) user IDs. */
export function userNamesQuery(userIds: readonly string[]): string {
	return `SELECT Id, Username, Name FROM User WHERE Id IN ${inList(userIds)}`;
}

export function userNameEntry(record: IDataObject): [string, UserName] {
	const id = String(record.Id);
	return [
		to18CharId(id) ?? id,
		{ username: (record.Username as string | undefined) ?? null, name: (record.Name as string | undefined) ?? null },
	];
}

/** The name fields an item gets; nulls when the user is unknown (or the ID is missing). */
export function namesOf(names: UserNames | undefined, userId: string | null): UserName {
	return (userId && names?.get(userId)) || { username: null, name: null };
}
