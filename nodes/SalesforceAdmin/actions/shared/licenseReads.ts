/**
 * The license read of Get licenses, shared with the license-threshold trigger: each kind of
 * license is one query (feature licenses: one describe and one aggregate query).
 */
import type { IExecuteFunctions, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';

import type { LicenseItem, LicenseType } from '../../salesforce/licenses';
import {
	featureCountsFromGroups,
	featureUsageQuery,
	keepLicense,
	mapFeatureLicense,
	mapPermissionSetLicense,
	mapUserLicense,
	PERMISSION_SET_LICENSE_QUERY,
	USER_LICENSE_QUERY,
} from '../../salesforce/licenses';
import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';
import { readableUserFeatureFields } from './userReads';

/** The kinds of license, as Get licenses' Types filter and the trigger's License Types offer them. */
export const LICENSE_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'User License', value: 'user', description: 'UserLicense: the license on each profile' },
	{ name: 'Permission Set License', value: 'permissionSet', description: 'PermissionSetLicense' },
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
	if (types.includes('feature')) licenses.push(...(await featureLicenses(ctx, session)));
	return licenses.filter((l) => keepLicense(l, includeExternal));
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
