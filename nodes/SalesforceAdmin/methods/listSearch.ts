/**
 * Searchable lists of resource locators (n8n's `listSearch`): the users of the "User" parameter
 * of Get user and the writes. A read: one query per page, whatever the credential's access mode.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { searchUsers as searchUserPage } from '../reads/userSearch';
import { isQueryLocatorPath } from '../salesforce/userLocator';
import { connect } from '../transport';

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// The token comes back from the editor: only Salesforce's own next-page path is followed.
	if (paginationToken !== undefined && !isQueryLocatorPath(paginationToken))
		throw new NodeOperationError(
			this.getNode(),
			'The list page to load is not a Salesforce query page',
		);
	const session = await connect.call(this);
	return await searchUserPage(session, filter, paginationToken);
}
