/**
 * Get users' filters, the pure part: the Filters collection as the user filled it in ->
 * validated filters, or the field and the reason they are refused.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	booleanValue,
	filterValue,
	nameListValue,
	oneOfValue,
	wholeNumberValue,
} from './filterValues';
import type { Parsed } from './input';

export const USER_STATUSES = ['active', 'inactive', 'all'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

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

/**
 * Every filter that is present must have a usable value of its own type (filterValues.ts): one
 * that an expression emptied or turned into another type is refused, never dropped.
 */
export function parseUserFilters(raw: IDataObject): Parsed<UserFilters> {
	const fail = (key: keyof UserFilters, reason: string): Parsed<UserFilters> => ({
		ok: false,
		field: USER_FILTER_LABELS[key],
		reason,
	});

	const status = filterValue(raw, 'status', oneOfValue(USER_STATUSES));
	if (!status.ok) return fail('status', status.reason);
	const includeExternal = filterValue(raw, 'includeExternal', booleanValue);
	if (!includeExternal.ok) return fail('includeExternal', includeExternal.reason);
	const filters: UserFilters = {
		status: status.value ?? 'active',
		includeExternal: includeExternal.value ?? false,
	};

	for (const key of ['licenseNames', 'profileNames', 'usernames'] as const) {
		const parsed = filterValue(raw, key, nameListValue);
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

	// Filters that choose users by what they hold: present means a list of at least one name.
	for (const key of ['packageLicenses', 'permissionSetLicenses'] as const) {
		const held = filterValue(raw, key, nameListValue);
		if (!held.ok) return fail(key, held.reason);
		if (held.value !== undefined) filters[key] = held.value;
	}

	const days = filterValue(raw, 'notLoggedInForDays', wholeNumberValue(0));
	if (!days.ok) return fail('notLoggedInForDays', days.reason);
	if (days.value !== undefined) filters.notLoggedInForDays = days.value;
	return { ok: true, value: filters };
}
