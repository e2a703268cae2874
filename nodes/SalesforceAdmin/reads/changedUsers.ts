/**
 * The User and UserLogin rows the User change trigger compares: the baseline of who is inactive
 * (or active), the rows modified since a time, and the newest users for Fetch Test Event. The
 * frozen users come from the one read of them (lookUpUsers.ts, readFrozenUsers).
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import type { User, UserLogin } from '../salesforce/records';
import { modifiedUserLoginsQuery, modifiedUsersQuery } from '../salesforce/userChanges';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';

/** The `Id`s one query returns, at most `limit` rows (the baseline's lists). */
export async function readUserIds(
	session: SalesforceSession,
	soql: string,
	limit: number,
): Promise<unknown[]> {
	return (await queryAll<IDataObject>(session, soql, { limit })).map((r) => r.Id);
}

/** Users modified at or after `from`, oldest first, at most `maxRows` (one page). */
export async function readModifiedUsers(
	session: SalesforceSession,
	from: DateTime,
	maxRows: number,
): Promise<User[]> {
	return await queryAll<User>(session, modifiedUsersQuery(from, maxRows));
}

/** UserLogin rows modified at or after `from`, oldest first, at most `maxRows` (one page). */
export async function readModifiedUserLogins(
	session: SalesforceSession,
	from: DateTime,
	maxRows: number,
): Promise<UserLogin[]> {
	return await queryAll<UserLogin>(session, modifiedUserLoginsQuery(from, maxRows));
}

/** The users one query returns (Fetch Test Event's newest ones). */
export async function readUsers(session: SalesforceSession, soql: string): Promise<User[]> {
	return await queryAll<User>(session, soql);
}
