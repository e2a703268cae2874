/**
 * The license read of Get licenses, shared with the license-threshold trigger and the
 * recommendations' summary: each kind of license is one query (feature licenses: one describe
 * and one aggregate query).
 */
import type { LicenseItem, LicenseType } from '../salesforce/licenses';
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
} from '../salesforce/licenses';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';
import { readableUserFeatureFields } from './featureFields';
import { unlessObjectRefused } from './heldNames';
import type { WithNotices } from './withNotices';

export async function readLicenses(
	session: SalesforceSession,
	types: readonly LicenseType[],
	includeExternal: boolean,
): Promise<WithNotices<LicenseItem[]>> {
	const licenses: LicenseItem[] = [];
	const notices: string[] = [];
	const take = ({ data, notices: more }: WithNotices<LicenseItem[]>) => {
		licenses.push(...data);
		notices.push(...more);
	};
	if (types.includes('user')) licenses.push(...(await readUserLicenses(session)));
	if (types.includes('permissionSet')) licenses.push(...(await readPermissionSetLicenses(session)));
	if (types.includes('package')) take(await readPackageLicenses(session));
	if (types.includes('feature')) take(await readFeatureLicenses(session));
	return { data: licenses.filter((l) => keepLicense(l, includeExternal)), notices };
}

/**
 * The org's licenses for the recommendations' summary: user, permission set and package
 * licenses, and the feature licenses of the given fields (their use is counted from the users).
 */
export async function readLicenseCatalogue(
	session: SalesforceSession,
	featureFields: readonly string[],
): Promise<WithNotices<LicenseItem[]>> {
	const userLicenses = await readUserLicenses(session);
	const permissionSetLicenses = await readPermissionSetLicenses(session);
	const packages = await readPackageLicenses(session);
	const features = featureFields.map((field) => mapFeatureLicense(field, 0));
	return {
		data: [...userLicenses, ...permissionSetLicenses, ...packages.data, ...features],
		notices: packages.notices,
	};
}

async function readUserLicenses(session: SalesforceSession): Promise<LicenseItem[]> {
	return (await queryAll(session, USER_LICENSE_QUERY)).map(mapUserLicense);
}

async function readPermissionSetLicenses(session: SalesforceSession): Promise<LicenseItem[]> {
	return (await queryAll(session, PERMISSION_SET_LICENSE_QUERY)).map(mapPermissionSetLicense);
}

/** Shown when Salesforce hides PackageLicense from the connected user. */
export const PACKAGE_LICENSES_UNREADABLE_NOTICE =
	'Package licenses are left out: Salesforce does not let the connected user read PackageLicense (it hides the object from Customer Portal users, for example). Connect as an internal user who can see Setup > Installed Packages to include them.';

/**
 * Managed-package licenses. Salesforce answers INVALID_TYPE for an object the user may not see:
 * then a notice says so and the other kinds are still returned.
 */
export async function readPackageLicenses(
	session: SalesforceSession,
): Promise<WithNotices<LicenseItem[]>> {
	let refused = false;
	const rows = await unlessObjectRefused(queryAll(session, PACKAGE_LICENSE_QUERY), () => {
		refused = true;
		return [];
	});
	return {
		data: rows.map(mapPackageLicense),
		notices: refused ? [PACKAGE_LICENSES_UNREADABLE_NOTICE] : [],
	};
}

/** Feature licenses the connected user can read, with the active users that hold each. */
async function readFeatureLicenses(
	session: SalesforceSession,
): Promise<WithNotices<LicenseItem[]>> {
	const { data: fields, notices } = await readableUserFeatureFields(session);
	if (fields.length === 0) return { data: [], notices };
	const groups = await queryAll(session, featureUsageQuery(fields));
	const counts = featureCountsFromGroups(groups, fields);
	return { data: fields.map((field) => mapFeatureLicense(field, counts.get(field) ?? 0)), notices };
}
