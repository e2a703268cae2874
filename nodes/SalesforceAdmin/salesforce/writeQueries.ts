/**
 * The SOQL of the write actions' own reads (reads/writeState.ts, reads/offboardState.ts): the
 * users' current field values, and who is an admin through a permission set. Pure text: every
 * ID goes through inList(), and a field name that is not a plain API name is refused.
 */
import { inList } from './soql';

/** An API field name of User (standard or custom): letters, digits and underscores. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `fields` of these users' User records (ID first), one IN list: the caller chunks the IDs. */
export function userFieldsSoql(fields: readonly string[], userIds: readonly string[]): string {
	for (const field of fields) {
		if (!FIELD_NAME.test(field)) throw new Error(`"${field}" is not a User field name`);
	}
	return `SELECT ${['Id', ...fields].join(', ')} FROM User WHERE Id IN ${inList(userIds)}`;
}

/**
 * Users granted "Modify All Data" through a permission set rather than their profile. Asked
 * org-wide (such users are few), so it is one query however many users the run names.
 */
export const ADMIN_PERMISSION_SET_SOQL =
	'SELECT AssigneeId, PermissionSet.Label FROM PermissionSetAssignment WHERE PermissionSet.PermissionsModifyAllData = true AND PermissionSet.IsOwnedByProfile = false';

/** Assignee ID → the label of their first such permission set (rows of ADMIN_PERMISSION_SET_SOQL). */
export function adminPermissionSetsOf(
	rows: ReadonlyArray<Record<string, unknown>>,
): Map<string, string> {
	const admins = new Map<string, string>();
	for (const row of rows) {
		const label =
			((row.PermissionSet as Record<string, unknown> | undefined)?.Label as string | undefined) ??
			'unnamed';
		if (!admins.has(row.AssigneeId as string)) admins.set(row.AssigneeId as string, label);
	}
	return admins;
}
