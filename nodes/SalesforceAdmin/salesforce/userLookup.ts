/**
 * Batched look-ups of users by ID or username, and of their frozen state (UserLogin). Shared by
 * Get user, Get users and every write action, so no operation ever spends one call per user.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';
import type { UserReference } from './ids';
import { chunk, inList, quote } from './soql';

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
	byId: Map<string, IDataObject>;
	/** Keyed by lower-case username: Salesforce usernames are case-insensitive. */
	byUsername: Map<string, IDataObject>;
}

/**
 * Salesforce refuses a request whose URI and headers exceed 16,384 bytes (431/414). Queries go
 * in the URI, so an IN list is also capped by its URL-encoded length: 500 IDs fit (~11,500),
 * 500 long usernames would not.
 */
export const LOOKUP_MAX_ENCODED_CHARS = 12_000;

/** Groups of at most `maxCount` values whose quoted, URL-encoded IN list fits `maxChars`. */
export function chunkForInList(values: readonly string[], maxCount = LOOKUP_BATCH_SIZE, maxChars = LOOKUP_MAX_ENCODED_CHARS): string[][] {
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

/** Reads every referenced user with one query per LOOKUP_BATCH_SIZE IDs or usernames (see chunkForInList). */
export async function lookupUsers(
	session: SalesforceSession,
	refs: readonly UserReference[],
	fields: readonly string[],
): Promise<UserLookupResult> {
	const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
	const usernames = unique(refs.flatMap((r) => (r.kind === 'username' ? [r.username.toLowerCase()] : [])));
	const select = `SELECT ${unique([...fields]).join(', ')} FROM User`;

	const records: IDataObject[] = [];
	for (const group of chunkForInList(ids)) {
		records.push(...(await queryAll(session, `${select} WHERE Id IN ${inList(group)}`)));
	}
	for (const group of chunkForInList(usernames)) {
		records.push(...(await queryAll(session, `${select} WHERE Username IN ${inList(group)}`)));
	}

	const result: UserLookupResult = { byId: new Map(), byUsername: new Map() };
	for (const record of records) {
		result.byId.set(record.Id as string, record);
		result.byUsername.set(String(record.Username).toLowerCase(), record);
	}
	return result;
}

/** The user a reference points to, if the look-up found it. */
export function findUser(lookup: UserLookupResult, ref: UserReference): IDataObject | undefined {
	if (ref.kind === 'id') return lookup.byId.get(ref.id);
	if (ref.kind === 'username') return lookup.byUsername.get(ref.username.toLowerCase());
	return undefined;
}

export interface FrozenState {
	userLoginId: string;
	isFrozen: boolean;
}

/** UserLogin rows of the given users (one query per LOOKUP_BATCH_SIZE users). */
export async function fetchFrozenState(
	session: SalesforceSession,
	userIds: readonly string[],
): Promise<Map<string, FrozenState>> {
	const state = new Map<string, FrozenState>();
	for (const group of chunk(unique([...userIds]), LOOKUP_BATCH_SIZE)) {
		const rows = await queryAll(
			session,
			`SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ${inList(group)}`,
		);
		for (const row of rows) {
			state.set(row.UserId as string, { userLoginId: row.Id as string, isFrozen: row.IsFrozen === true });
		}
	}
	return state;
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
