/** The connected user and its effective permissions, for the connection test: two queries. */
import type { IDataObject } from 'n8n-workflow';

import type { User } from '../salesforce/records';
import { CONNECTED_USER_PERMISSIONS_QUERY, connectedUserQuery } from '../salesforce/userQuery';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';

export async function readConnectedUser(
	session: SalesforceSession,
): Promise<{ user: User | undefined; permissions: IDataObject }> {
	const [user] = await queryAll<User>(session, connectedUserQuery(session.userId));
	const [permissions] = await queryAll(session, CONNECTED_USER_PERMISSIONS_QUERY);
	return { user, permissions: permissions ?? {} };
}
