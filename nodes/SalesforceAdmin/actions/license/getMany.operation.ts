import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LicenseType } from '../../salesforce/licenses';
import { parseLicenseTypes } from '../../salesforce/licenses';
import type { SalesforceSession } from '../../transport';
import { filtersCollection, returnAllAndLimit } from '../shared/descriptions';
import type { ReadOperation } from '../shared/readRunner';
import { executeRead, toItems } from '../shared/readRunner';
import { InputError } from '../shared/inputError';
import { readFilters, readLimit } from '../shared/parameters';
import { LICENSE_TYPE_OPTIONS, readLicenses } from '../shared/licenseReads';

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
			options: LICENSE_TYPE_OPTIONS,
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
		const kept = await readLicenses(this, session, params.types, params.includeExternal);
		return toItems(params.limit === undefined ? kept : kept.slice(0, params.limit));
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getLicenses);
}
