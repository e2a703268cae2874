/**
 * The license read of Get licenses, shared with the license-threshold trigger and the
 * recommendations' summary: each kind of license is one query (feature licenses: one describe
 * and one aggregate query).
 */
import type { IExecuteFunctions, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';

import type { LicenseItem, LicenseType } from '../../salesforce/licenses';
import {
	featureCountsFromGroups,
	featureUsageQuery,
	keepLicense,
	mapFeatureLicense,
	mapPackageLicense,
	mapPermissionSetLicense,
	mapUserLicense,
	PACKAGE_LICENSE_QUERY,
	PERMISSION_SET_LICENSE_QUERY,
	USER_LICENSE_QUERY,
} from '../../salesforce/licenses';
import { unlessObjectRefused } from '../../reads/userEntitlements';
import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';
import { addNotice } from './notices';
import { readableUserFeatureFields } from './userReads';

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

export async function readLicenses(
	ctx: IExecuteFunctions | IPollFunctions,
	session: SalesforceSession,
	types: readonly LicenseType[],
	includeExternal: boolean,
): Promise<LicenseItem[]> {
	const licenses: LicenseItem[] = [];
	if (types.includes('user')) {
		licenses.push(...(await queryAll(session, USER_LICENSE_QUERY)).map(mapUserLicense));
	}
	if (types.includes('permissionSet')) {
		licenses.push(
			...(await queryAll(session, PERMISSION_SET_LICENSE_QUERY)).map(mapPermissionSetLicense),
		);
	}
	if (types.includes('package')) licenses.push(...(await packageLicenses(ctx, session)));
	if (types.includes('feature')) licenses.push(...(await featureLicenses(ctx, session)));
	return licenses.filter((l) => keepLicense(l, includeExternal));
}

/** Shown when Salesforce hides PackageLicense from the connected user. */
export const PACKAGE_LICENSES_UNREADABLE_NOTICE =
	'Package licenses are left out: Salesforce does not let the connected user read PackageLicense (it hides the object from Customer Portal users, for example). Connect as an internal user who can see Setup > Installed Packages to include them.';

/**
 * Managed-package licenses. Salesforce answers INVALID_TYPE for an object the user may not see:
 * then a notice says so and the other kinds are still returned.
 */
export async function packageLicenses(
	ctx: IExecuteFunctions | IPollFunctions,
	session: SalesforceSession,
): Promise<LicenseItem[]> {
	const rows = await unlessObjectRefused(queryAll(session, PACKAGE_LICENSE_QUERY), () => {
		addNotice(ctx, PACKAGE_LICENSES_UNREADABLE_NOTICE);
		return [];
	});
	return rows.map(mapPackageLicense);
}

/** Feature licenses the connected user can read, with the active users that hold each. */
async function featureLicenses(
	ctx: IExecuteFunctions | IPollFunctions,
	session: SalesforceSession,
): Promise<LicenseItem[]> {
	const fields = await readableUserFeatureFields(ctx, session);
	if (fields.length === 0) return [];
	const groups = await queryAll(session, featureUsageQuery(fields));
	const counts = featureCountsFromGroups(groups, fields);
	return fields.map((field) => mapFeatureLicense(field, counts.get(field) ?? 0));
}
