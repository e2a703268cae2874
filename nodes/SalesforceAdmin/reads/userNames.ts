/** Usernames and names for items that carry only a user ID (login history, events). */
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';
import type { User } from '../salesforce/records';
import { chunk } from '../salesforce/soql';
import { LOOKUP_BATCH_SIZE } from '../salesforce/userLookup';
import type { UserName } from '../salesforce/userNames';
import { ALL_USER_NAMES_QUERY, userNameEntry, userNamesQuery } from '../salesforce/userNames';
import { openLargeQuery } from './largeQuery';

/**
 * Usernames and names of the given users. Up to 500 distinct users: one query. More: the first
 * page of a scan of every user's name tells the org's user count (one call, as a COUNT() would)
 * and the cost of the rest of the scan (REST pages of 2,000, or a Bulk API 2.0 job for a large
 * org); then whichever costs fewer calls, that scan or one query per 500 IDs, so 200,000 logins
 * of 50,000 users never cost 100.
 */
export async function readUserNames(
	session: SalesforceSession,
	userIds: Iterable<string | null>,
): Promise<Map<string, UserName>> {
	const distinct = [...new Set([...userIds].filter((id): id is string => !!id))];
	const names = new Map<string, UserName>();
	if (distinct.length === 0) return names;
	const inListCalls = Math.ceil(distinct.length / LOOKUP_BATCH_SIZE);
	if (inListCalls > 1) {
		const scan = await openLargeQuery<User>(session, ALL_USER_NAMES_QUERY);
		if (scan.remainingCalls < inListCalls) {
			const wanted = new Set(distinct);
			for await (const page of scan.pages) {
				for (const record of page) {
					const [id, name] = userNameEntry(record);
					if (wanted.has(id)) names.set(id, name);
				}
			}
			return names;
		}
	}
	for (const group of chunk(distinct, LOOKUP_BATCH_SIZE)) {
		for (const record of await queryAll<User>(session, userNamesQuery(group)))
			names.set(...userNameEntry(record));
	}
	return names;
}
