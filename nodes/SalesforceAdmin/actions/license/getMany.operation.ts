import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LicenseItem, LicenseType } from '../../salesforce/licenses';
import {
	featureCountsFromGroups,
	featureUsageQuery,
	keepLicense,
	mapFeatureLicense,
	mapPermissionSetLicense,
	mapUserLicense,
	parseLicenseTypes,
	PERMISSION_SET_LICENSE_QUERY,
	USER_LICENSE_QUERY,
} from '../../salesforce/licenses';
import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';
import { filtersCollection, returnAllAndLimit } from '../shared/descriptions';
import type { ReadOperation } from '../shared/readHelpers';
import { executeRead, InputError, readFilters, readLimit, toItems } from '../shared/readHelpers';
import { readableUserFeatureFields } from '../shared/userReads';

const show = { resource: ['license'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit('license', 'getMany', 'licenses'),
	filtersCollection(show, [
		{
			displayName: 'Include External Licenses',
			name: 'includeExternal',
			type: 'boolean',
			default: false,
			description:
				'Whether to include community, portal, Chatter and guest licenses (such as Customer Community, Partner Community, Chatter Free, Guest User License)',
		},
		{
			displayName: 'Types',
			name: 'types',
			type: 'multiOptions',
			options: [
				{ name: 'User License', value: 'user', description: 'UserLicense: the license on each profile' },
				{ name: 'Permission Set License', value: 'permissionSet', description: 'PermissionSetLicense' },
				{
					name: 'Feature License',
					value: 'feature',
					description: 'Service Cloud, Flow, Chat, Marketing, Apex Mobile and the other UserPermissions* flags',
				},
			],
			default: [],
			description: 'Which kinds of license to return (all when none is picked)',
		},
	]),
];

interface Params {
	types: LicenseType[];
	includeExternal: boolean;
	limit: number | undefined;
}

/** Each kind of license is one query (feature licenses: one describe and one aggregate query). */
const getLicenses: ReadOperation<Params, undefined> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const limit = readLimit(this, itemIndex);
		const filters = readFilters(this, itemIndex);
		const types = parseLicenseTypes(filters.types);
		if (!types.ok) throw new InputError('Filters > Types', types.reason);
		return { types: types.value, includeExternal: filters.includeExternal === true, limit };
	},

	async run(this: IExecuteFunctions, session: SalesforceSession, params: Params) {
		const licenses: LicenseItem[] = [];
		if (params.types.includes('user')) {
			licenses.push(...(await queryAll(session, USER_LICENSE_QUERY)).map(mapUserLicense));
		}
		if (params.types.includes('permissionSet')) {
			licenses.push(...(await queryAll(session, PERMISSION_SET_LICENSE_QUERY)).map(mapPermissionSetLicense));
		}
		if (params.types.includes('feature')) licenses.push(...(await featureLicenses(this, session)));
		const kept = licenses.filter((l) => keepLicense(l, params.includeExternal));
		return toItems(params.limit === undefined ? kept : kept.slice(0, params.limit));
	},
};

/** Feature licenses the connected user can read, with the active users that hold each. */
async function featureLicenses(ctx: IExecuteFunctions, session: SalesforceSession): Promise<LicenseItem[]> {
	const fields = await readableUserFeatureFields(ctx, session);
	if (fields.length === 0) return [];
	const groups = await queryAll(session, featureUsageQuery(fields));
	const counts = featureCountsFromGroups(groups, fields);
	return fields.map((field) => mapFeatureLicense(field, counts.get(field) ?? 0));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getLicenses);
}
