/**
 * The users the "User" list shows (Get user and the writes, From List mode): one SOQL query per
 * page of 200, Salesforce's own paging (`nextRecordsUrl`) for the next page, so scrolling on
 * costs one call a page and never reads the whole org.
 */
import type { IDataObject } from 'n8n-workflow';

import { LIST_PAGE_SIZE } from '../salesforce/limits';
import type { UserSearchRow } from '../salesforce/userLocator';
import { buildUserSearchQuery, userSearchResult } from '../salesforce/userLocator';
import type { SalesforceSession } from '../transport';
import { dataPath, send, stripAttributes } from '../transport';

interface QueryPage {
	done: boolean;
	nextRecordsUrl?: string;
	records: IDataObject[];
}

export interface UserSearchPage {
	results: Array<{ name: string; value: string }>;
	/** The next page's locator, or undefined on the last page. */
	paginationToken?: string;
}

/** `paginationToken`: the locator of the page before (the caller checks isQueryLocatorPath). */
export async function searchUsers(
	session: SalesforceSession,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<UserSearchPage> {
	const url =
		paginationToken ?? dataPath(`/query?q=${encodeURIComponent(buildUserSearchQuery(filter))}`);
	const page = await send<QueryPage>(session, {
		method: 'GET',
		url,
		headers: { 'Sforce-Query-Options': `batchSize=${LIST_PAGE_SIZE}` },
	});
	const rows = page.records.map(stripAttributes) as unknown as UserSearchRow[];
	return {
		results: rows.map(userSearchResult),
		paginationToken: !page.done && page.nextRecordsUrl ? page.nextRecordsUrl : undefined,
	};
}
