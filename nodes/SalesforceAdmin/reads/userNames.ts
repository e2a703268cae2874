/** Usernames and names for items that carry only a user ID (login history, events). */
import type { SalesforceSession } from '../transport';
import { queryAll, queryPages } from '../transport';
import { chunk } from '../salesforce/soql';
import { LOOKUP_BATCH_SIZE } from '../salesforce/userLookup';
import type { UserName } from '../salesforce/userNames';
import { ALL_USER_NAMES_QUERY, USER_COUNT_QUERY, cheaperToScanAllUsers, userNameEntry, userNamesQuery } from '../salesforce/userNames';

/**
 * Usernames and names of the given users. Up to 500 distinct users: one query. More: the org's
 * user count (one call) decides between one query per 500 IDs and reading every user's name in
 * pages of 2,000, whichever costs fewer calls, so 200,000 logins of 50,000 users never cost 100.
 */
export async function readUserNames(session: SalesforceSession, userIds: Iterable<string | null>): Promise<Map<string, UserName>> {
	const distinct = [...new Set([...userIds].filter((id): id is string => !!id))];
	const names = new Map<string, UserName>();
	if (distinct.length === 0) return names;
	if (distinct.length > LOOKUP_BATCH_SIZE) {
		const [count] = await queryAll(session, USER_COUNT_QUERY);
		if (cheaperToScanAllUsers(distinct.length, Number(count?.expr0 ?? Infinity))) {
			const wanted = new Set(distinct);
			for await (const page of queryPages(session, ALL_USER_NAMES_QUERY)) {
				for (const record of page) {
					const [id, name] = userNameEntry(record);
					if (wanted.has(id)) names.set(id, name);
				}
			}
			return names;
		}
	}
	for (const group of chunk(distinct, LOOKUP_BATCH_SIZE)) {
		for (const record of await queryAll(session, userNamesQuery(group))) names.set(...userNameEntry(record));
	}
	return names;
}
