import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';
import { chunk } from '../../salesforce/soql';
import { LOOKUP_BATCH_SIZE } from '../../salesforce/userLookup';
import type { UserName } from '../../salesforce/userNames';
import { userNameEntry, userNamesQuery } from '../../salesforce/userNames';

/** Usernames and names of the given users: one query per 500 distinct IDs, none for none. */
export async function readUserNames(session: SalesforceSession, userIds: Iterable<string | null>): Promise<Map<string, UserName>> {
	const distinct = [...new Set([...userIds].filter((id): id is string => !!id))];
	const names = new Map<string, UserName>();
	for (const group of distinct.length ? chunk(distinct, LOOKUP_BATCH_SIZE) : []) {
		for (const record of await queryAll(session, userNamesQuery(group))) names.set(...userNameEntry(record));
	}
	return names;
}
