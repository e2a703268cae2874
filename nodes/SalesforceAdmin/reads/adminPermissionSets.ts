/**
 * Who is an admin through a permission set rather than their profile: the write actions and
 * Get license recommendations leave them out unless Allow Admins is on.
 */
import { ADMIN_PERMISSION_SET_SOQL, adminPermissionSetsOf } from '../salesforce/writeQueries';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';

/** Users who hold "Modify All Data" through a permission set, with its label (one query). */
export async function readAdminPermissionSets(
	session: SalesforceSession,
): Promise<Map<string, string>> {
	return adminPermissionSetsOf(await queryAll(session, ADMIN_PERMISSION_SET_SOQL));
}
