/**
 * Get users / Get user, the pure part: filters as the user typed them -> validated filters ->
 * one SOQL query over User, and a User record -> the output item the design names.
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { daysSince, toIsoUtc } from './dates';
import { EXTERNAL_LICENSE_NAMES, EXTERNAL_USER_TYPES } from './externalUsers';
import { FEATURE_LICENSES, featureLicenseByField, featureLicenseLabels } from './featureLicenses';
import { to18CharId } from './ids';
import { inList, soqlDateTime, whereAll } from './soql';
import { USER_BASE_FIELDS } from './userLookup';

export type UserStatus = 'active' | 'inactive' | 'all';

export interface UserFilters {
	status: UserStatus;
	licenseNames?: string[];
	profileNames?: string[];
	usernames?: string[];
	notLoggedInForDays?: number;
	includeExternal: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

/** Display names of the filter fields, as the node panel shows them (for error messages). */
export const USER_FILTER_LABELS: Record<keyof UserFilters, string> = {
	status: 'Filters > Status',
	licenseNames: 'Filters > License Names or IDs',
	profileNames: 'Filters > Profile Names or IDs',
	usernames: 'Filters > Usernames',
	notLoggedInForDays: 'Filters > Not Logged In For (Days)',
	includeExternal: 'Filters > Include External Users',
};

/**
 * A list of names from a multi-options field (an array) or typed via an expression (an array
 * or a comma-separated string). Undefined = filter not set. An empty list is refused: it would
 * otherwise silently mean "everyone", which is the opposite of what the user asked for.
 */
export function parseNameList(
	raw: unknown,
): { ok: true; value: string[] | undefined } | { ok: false; reason: string } {
	if (raw === undefined || raw === null) return { ok: true, value: undefined };
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) return { ok: false, reason: `expects a list of names, got ${typeof raw}` };
	const names: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') {
			return { ok: false, reason: `expects names (text), got ${JSON.stringify(part)}` };
		}
		const name = String(part).trim();
		if (name) names.push(name);
	}
	if (names.length === 0) {
		return { ok: false, reason: 'is empty; pick at least one value or remove the filter' };
	}
	return { ok: true, value: [...new Set(names)] };
}

export function parseUserFilters(raw: IDataObject): Parsed<UserFilters> {
	const fail = (key: keyof UserFilters, reason: string): Parsed<UserFilters> => ({
		ok: false,
		field: USER_FILTER_LABELS[key],
		reason,
	});

	const status = (raw.status ?? 'active') as string;
	if (!['active', 'inactive', 'all'].includes(status)) {
		return fail('status', `"${status}" is not one of active, inactive, all`);
	}
	const filters: UserFilters = {
		status: status as UserStatus,
		includeExternal: raw.includeExternal === true,
	};

	for (const key of ['licenseNames', 'profileNames', 'usernames'] as const) {
		const parsed = parseNameList(raw[key]);
		if (!parsed.ok) return fail(key, parsed.reason);
		if (parsed.value) filters[key] = parsed.value;
	}
	if (filters.usernames) {
		const notUsername = filters.usernames.find((u) => !/^[^@\s]+@[^@\s]+$/.test(u));
		if (notUsername !== undefined) {
			return fail('usernames', `"${notUsername}" is not a Salesforce username (name@domain)`);
		}
		// Salesforce stores usernames in lower case and compares them case-insensitively.
		filters.usernames = [...new Set(filters.usernames.map((u) => u.toLowerCase()))];
	}

	if (
		raw.notLoggedInForDays !== undefined &&
		raw.notLoggedInForDays !== null &&
		raw.notLoggedInForDays !== ''
	) {
		const days = Number(raw.notLoggedInForDays);
		if (!Number.isInteger(days) || days < 0) {
			return fail(
				'notLoggedInForDays',
				`"${String(raw.notLoggedInForDays)}" is not a whole number of days (0 or more)`,
			);
		}
		filters.notLoggedInForDays = days;
	}
	return { ok: true, value: filters };
}

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
 * "Not logged in for N days": the last login is older than N days, or, for a user who never
 * logged in, the account is: a user counts from the day it was created, so a new hire is never
 * picked. The cutoff is a datetime literal built from a validated number (no user text).
 */
export function notLoggedInCondition(days: number, now: DateTime): string {
	const cutoff = soqlDateTime(now.minus({ days }));
	return `LastLoginDate < ${cutoff} OR (LastLoginDate = null AND CreatedDate < ${cutoff})`;
}

/** The one SOQL query of Get users. LIMIT keeps Salesforce from preparing rows we will not read. */
export function buildUsersQuery(
	filters: UserFilters,
	featureFields: readonly string[],
	options: { now: DateTime; limit?: number },
): string {
	const limit = options.limit !== undefined ? ` LIMIT ${Math.floor(options.limit)}` : '';
	return (
		`SELECT ${userSelectFields(featureFields).join(', ')} FROM User` +
		whereAll(userConditions(filters, options.now)) +
		` ORDER BY Username${limit}`
	);
}

/** A User record (with Profile relationship) -> the design's output item. */
export function mapUser(
	record: IDataObject,
	context: { isFrozen: boolean | null; featureFields: readonly string[]; now: DateTime },
): IDataObject {
	const profile = (record.Profile ?? null) as IDataObject | null;
	const license = (profile?.UserLicense ?? null) as IDataObject | null;
	const id = String(record.Id);
	return {
		id: to18CharId(id) ?? id,
		username: record.Username ?? null,
		name: record.Name ?? null,
		email: record.Email ?? null,
		isActive: record.IsActive === true,
		isFrozen: context.isFrozen,
		userType: record.UserType ?? null,
		profile: profile?.Name ?? null,
		license: license?.Name ?? null,
		featureLicenses: featureLicenseLabels(record, context.featureFields),
		lastLoginDate: toIsoUtc(record.LastLoginDate),
		daysSinceLastLogin: daysSince(record.LastLoginDate, context.now),
		createdDate: toIsoUtc(record.CreatedDate),
	};
}

/** Names the org does not know, compared the way Salesforce does (case-insensitively). */
export function unknownNames(asked: readonly string[], known: Iterable<string>): string[] {
	const knownLower = new Set([...known].map((n) => n.toLowerCase()));
	return asked.filter((n) => !knownLower.has(n.toLowerCase()));
}

/** Which of the known UserPermissions* fields the connected user can read (from describe User). */
export function readableFeatureFields(describedFieldNames: Iterable<string>): string[] {
	const described = new Set(describedFieldNames);
	return FEATURE_LICENSES.filter((f) => described.has(f.field)).map((f) => f.field);
}

/** The standard feature-license fields missing from what the connected user can read. */
export function missingStandardFeatureFields(readable: readonly string[]): string[] {
	return FEATURE_LICENSES.filter((f) => f.standard && !readable.includes(f.field)).map(
		(f) => f.field,
	);
}

/** The notice shown when some standard feature-license fields cannot be read. */
export function missingFeatureFieldsNotice(missing: readonly string[]): string {
	const labels = missing.map(
		(field) => `${featureLicenseByField(field)?.label ?? field} (${field})`,
	);
	return (
		`The connected user cannot read ${labels.join(', ')} on User, so "featureLicenses" leaves ` +
		'them out. Grant the connected user read access to these User fields (field-level security ' +
		'on its profile or a permission set), or use a user with "View All Data".'
	);
}
