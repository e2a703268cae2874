/**
 * Get users' filters, the pure part: the Filters collection as the user filled it in ->
 * validated filters, or the field and the reason they are refused.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseNameList } from './nameList';
import { describeValue } from './safetyOptions';

export type UserStatus = 'active' | 'inactive' | 'all';

export interface UserFilters {
	status: UserStatus;
	licenseNames?: string[];
	profileNames?: string[];
	usernames?: string[];
	notLoggedInForDays?: number;
	includeExternal: boolean;
	/** Users holding any of these package licenses (namespace prefixes). */
	packageLicenses?: string[];
	/** Users holding any of these permission set licenses (labels or API names). */
	permissionSetLicenses?: string[];
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
	packageLicenses: 'Filters > Package License Names or IDs',
	permissionSetLicenses: 'Filters > Permission Set License Names or IDs',
};

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

	// Filters that choose users by what they hold: present means a list of at least one name;
	// a value an expression emptied (undefined, null, "") fails the item, never means "everyone".
	for (const key of ['packageLicenses', 'permissionSetLicenses'] as const) {
		if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
		const parsed = parseNameList(raw[key]);
		if (!parsed.ok) return fail(key, parsed.reason);
		if (!parsed.value)
			return fail(
				key,
				`is empty (got ${describeValue(raw[key])}); pick at least one value or remove the filter`,
			);
		filters[key] = parsed.value;
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
