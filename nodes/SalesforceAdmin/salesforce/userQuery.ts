/**
 * Get users' SOQL, the pure part: validated filters -> one query over User. Every user value
 * is an escaped literal (inList); the fields are the base fields plus the readable feature ones.
 */
import type { DateTime } from 'luxon';

import { EXTERNAL_LICENSE_NAMES, EXTERNAL_USER_TYPES } from './externalUsers';
import { inList, quote, soqlDateTime, whereAll } from './soql';
import type { UserFilters } from './userFilters';
import {
	packageLicenseHolderCondition,
	permissionSetLicenseHolderCondition,
} from './userEntitlements';
import { USER_BASE_FIELDS } from './userLookup';

/** The fields Get users / Get user read: the base fields plus the readable UserPermissions* fields. */
export function userSelectFields(featureFields: readonly string[]): string[] {
	return [...new Set([...USER_BASE_FIELDS, ...featureFields])];
}

/** WHERE conditions for the filters. Every user value goes through inList (escaped literals). */
export function userConditions(filters: UserFilters, now: DateTime): string[] {
	const conditions: string[] = [];
	if (filters.status === 'active') conditions.push('IsActive = true');
	if (filters.status === 'inactive') conditions.push('IsActive = false');
	if (filters.licenseNames)
		conditions.push(`Profile.UserLicense.Name IN ${inList(filters.licenseNames)}`);
	if (filters.profileNames) conditions.push(`Profile.Name IN ${inList(filters.profileNames)}`);
	if (filters.usernames) conditions.push(`Username IN ${inList(filters.usernames)}`);
	if (filters.notLoggedInForDays !== undefined)
		conditions.push(notLoggedInCondition(filters.notLoggedInForDays, now));
	if (!filters.includeExternal) {
		conditions.push(`UserType NOT IN ${inList(EXTERNAL_USER_TYPES)}`);
		conditions.push(`Profile.UserLicense.Name NOT IN ${inList(EXTERNAL_LICENSE_NAMES)}`);
	}
	return conditions;
}

/**
 * The filters that are semi-joins (users holding any of these package or permission set
 * licenses): top-level conditions, apart from the others (whereAll).
 */
export function userSemiJoins(filters: UserFilters): string[] {
	const semiJoins: string[] = [];
	if (filters.packageLicenses)
		semiJoins.push(packageLicenseHolderCondition(filters.packageLicenses));
	if (filters.permissionSetLicenses)
		semiJoins.push(permissionSetLicenseHolderCondition(filters.permissionSetLicenses));
	return semiJoins;
}

/**
 * "Not logged in for N days": the last login is older than N days, or, for a user who never
 * logged in, the account is: a user counts from the day it was created, so a new hire is never
 * picked. The cutoff is a datetime literal built from a validated number (no user text).
 */
export function notLoggedInCondition(days: number, now: DateTime): string {
	const cutoff = soqlDateTime(now.minus({ days }));
	return `LastLoginDate < ${cutoff} OR (LastLoginDate = null AND CreatedDate < ${cutoff})`;
}

/**
 * The one SOQL query of Get users (and the recommendations' user reads, which add conditions of
 * their own). LIMIT keeps Salesforce from preparing rows we will not read.
 */
export function buildUsersQuery(
	filters: UserFilters,
	featureFields: readonly string[],
	options: {
		now: DateTime;
		limit?: number;
		/** More conditions, added bare at the top level (where semi-joins must be). */
		extraConditions?: readonly string[];
	},
): string {
	const limit = options.limit !== undefined ? ` LIMIT ${Math.floor(options.limit)}` : '';
	return (
		`SELECT ${userSelectFields(featureFields).join(', ')} FROM User` +
		whereAll(userConditions(filters, options.now), [
			...userSemiJoins(filters),
			...(options.extraConditions ?? []),
		]) +
		` ORDER BY Username${limit}`
	);
}

/** The connected user, for the connection test: who, and whether an internal user. */
export function connectedUserQuery(userId: string): string {
	return `SELECT Id, Username, Name, UserType, IsActive FROM User WHERE Id = ${quote(userId)}`;
}

/** The connected user's effective permissions that usage data needs (UserPermissionAccess). */
export const CONNECTED_USER_PERMISSIONS_QUERY =
	'SELECT PermissionsApiEnabled, PermissionsViewEventLogFiles, PermissionsViewAllData FROM UserPermissionAccess';
