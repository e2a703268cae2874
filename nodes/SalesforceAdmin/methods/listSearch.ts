/**
 * Searchable lists of resource locators (n8n's `listSearch`): the users of the "User" parameter
 * of Get user and the writes. A read: one query per page, whatever the credential's access mode.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchUsers as searchUserPage } from '../reads/userSearch';
import { connect } from '../transport';

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const session = await connect.call(this);
	return await searchUserPage(session, filter, paginationToken);
}
