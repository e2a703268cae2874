/**
 * Get licenses, the pure part: UserLicense, PermissionSetLicense, PackageLicense and
 * feature-license counts -> the design's license items (`type`, `name`, `key`, `status`,
 * `total`, `used`, `available`; package licenses also `expirationDate`).
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { toIsoUtc } from './dates';
import { isExternalLicenseName } from './externalUsers';
import { featureLicenseByField } from './featureLicenses';
import { to18CharId } from './ids';
import type { ValueKind } from './filterValues';
import { nameListValue } from './filterValues';

export type LicenseType = 'user' | 'permissionSet' | 'package' | 'feature';
export const LICENSE_TYPES: readonly LicenseType[] = [
	'user',
	'permissionSet',
	'package',
	'feature',
];

/** The kinds of license, as Get licenses' Types filter and the trigger's License Types offer them. */
export const LICENSE_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'User License', value: 'user', description: 'UserLicense: the license on each profile' },
	{ name: 'Permission Set License', value: 'permissionSet', description: 'PermissionSetLicense' },
	{
		name: 'Package License',
		value: 'package',
		description: 'PackageLicense: the seats of each installed managed package (AppExchange app)',
	},
	{
		name: 'Feature License',
		value: 'feature',
		description:
			'Service Cloud, Flow, Chat, Marketing, Apex Mobile and the other UserPermissions* flags',
	},
];

export interface LicenseItem extends IDataObject {
	type: LicenseType;
	name: string;
	key: string | null;
	status: string | null;
	total: number | null;
	used: number | null;
	available: number | null;
	/** Package licenses: when the license expires (ISO 8601 UTC), null if it does not. */
	expirationDate?: string | null;
}

export const USER_LICENSE_QUERY =
	'SELECT Id, Name, LicenseDefinitionKey, Status, TotalLicenses, UsedLicenses FROM UserLicense ORDER BY Name';

export const PERMISSION_SET_LICENSE_QUERY =
	'SELECT Id, MasterLabel, DeveloperName, PermissionSetLicenseKey, Status, TotalLicenses, UsedLicenses FROM PermissionSetLicense ORDER BY MasterLabel';

/** Managed-package licenses (AppExchange apps): one row per installed licensed package. */
export const PACKAGE_LICENSE_QUERY =
	'SELECT Id, NamespacePrefix, Status, AllowedLicenses, UsedLicenses, ExpirationDate FROM PackageLicense ORDER BY NamespacePrefix';

/** The license types asked for: all when the filter is not set or nothing is picked. */
export function parseLicenseTypes(
	raw: unknown,
): { ok: true; value: LicenseType[] } | { ok: false; reason: string } {
	if (raw === undefined || raw === null || raw === '')
		return { ok: true, value: [...LICENSE_TYPES] };
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) return { ok: false, reason: `expects a list of license types, got ${typeof raw}` };
	const types = parts.map((p) => String(p).trim()).filter(Boolean);
	const wrong = types.find((t) => !(LICENSE_TYPES as readonly string[]).includes(t));
	if (wrong !== undefined)
		return { ok: false, reason: `"${wrong}" is not one of ${LICENSE_TYPES.join(', ')}` };
	return {
		ok: true,
		value: types.length ? [...new Set(types as LicenseType[])] : [...LICENSE_TYPES],
	};
}

/**
 * The Types filter of Get licenses once added: an empty pick is refused (remove the filter to
 * get every kind), as every present filter is (filterValues.ts); the trigger's own license-type
 * parameter keeps "nothing picked = all" through parseLicenseTypes.
 */
export const licenseTypesValue: ValueKind<LicenseType[]> = {
	parse(value) {
		const names = nameListValue.parse(value);
		return names.ok ? parseLicenseTypes(names.value) : names;
	},
};

function numberOrNull(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function available(total: number | null, used: number | null): number | null {
	return total === null || used === null ? null : Math.max(0, total - used);
}

export function mapUserLicense(record: IDataObject): LicenseItem {
	const total = numberOrNull(record.TotalLicenses);
	const used = numberOrNull(record.UsedLicenses);
	return {
		type: 'user',
		name: String(record.Name ?? ''),
		key: (record.LicenseDefinitionKey as string) ?? null,
		status: (record.Status as string) ?? null,
		total,
		used,
		available: available(total, used),
	};
}

export function mapPermissionSetLicense(record: IDataObject): LicenseItem {
	const total = numberOrNull(record.TotalLicenses);
	const used = numberOrNull(record.UsedLicenses);
	return {
		type: 'permissionSet',
		name: String(record.MasterLabel ?? record.DeveloperName ?? ''),
		key: ((record.PermissionSetLicenseKey ?? record.DeveloperName) as string) ?? null,
		status: (record.Status as string) ?? null,
		total,
		used,
		available: available(total, used),
	};
}

/**
 * A managed package's license: `name` is its namespace prefix. AllowedLicenses is -1 for a site
 * license (every user of the org may use the package), so `total` and `available` are null there:
 * there is no seat count to run out of.
 */
export function mapPackageLicense(record: IDataObject): LicenseItem {
	const allowed = numberOrNull(record.AllowedLicenses);
	const total = allowed === null || allowed < 0 ? null : allowed;
	const used = numberOrNull(record.UsedLicenses);
	const id = typeof record.Id === 'string' ? (to18CharId(record.Id) ?? record.Id) : null;
	return {
		type: 'package',
		name: String(record.NamespacePrefix ?? ''),
		key: id,
		status: (record.Status as string) ?? null,
		total,
		used,
		available: available(total, used),
		expirationDate: toIsoUtc(record.ExpirationDate),
	};
}

/**
 * A feature license: `used` = active users with the flag on. Salesforce publishes no total for
 * feature licenses in the API (only on the Company Information page), so total and available
 * are null, and there is no status.
 */
export function mapFeatureLicense(field: string, used: number): LicenseItem {
	return {
		type: 'feature',
		name: featureLicenseByField(field)?.label ?? field,
		key: field,
		status: null,
		total: null,
		used,
		available: null,
	};
}

/**
 * One aggregate query for every feature flag: active users grouped by the flags. Each row is one
 * combination of flags with its user count; featureCountsFromGroups sums them per flag.
 */
export function featureUsageQuery(fields: readonly string[]): string {
	return `SELECT ${fields.join(', ')}, COUNT(Id) userCount FROM User WHERE IsActive = true GROUP BY ${fields.join(', ')}`;
}

export function featureCountsFromGroups(
	rows: readonly IDataObject[],
	fields: readonly string[],
): Map<string, number> {
	const counts = new Map(fields.map((f) => [f, 0]));
	for (const row of rows) {
		const n = Number(row.userCount ?? row.expr0 ?? 0);
		for (const field of fields)
			if (row[field] === true) counts.set(field, (counts.get(field) ?? 0) + n);
	}
	return counts;
}

/** External licenses (community, portal, Chatter, guest) are left out unless asked for. */
export function keepLicense(item: LicenseItem, includeExternal: boolean): boolean {
	if (item.type === 'feature' || item.type === 'package') return true;
	return includeExternal || !isExternalLicenseName(item.name);
}
