import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LicenseType } from '../../salesforce/licenses';
import { booleanValue } from '../../salesforce/filterValues';
import { LICENSE_TYPE_OPTIONS, LICENSE_TYPES, licenseTypesValue } from '../../salesforce/licenses';
import { readLicenses } from '../../reads/orgLicenses';
import type { SalesforceSession } from '../../transport';
import { filtersCollection, returnAllAndLimit } from '../shared/descriptions';
import type { ReadOperation } from '../shared/readRunner';
import { executeRead, toItems } from '../shared/readRunner';
import { readFilter, readFilters, readLimit } from '../shared/parameters';
import { withNotices } from '../shared/notices';

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
			description: 'Which kinds of license to return. Remove the filter to get every kind.',
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
		const types = readFilter(filters, 'types', 'Types', licenseTypesValue) ?? [...LICENSE_TYPES];
		const includeExternal =
			readFilter(filters, 'includeExternal', 'Include External Licenses', booleanValue) ?? false;
		return { types, includeExternal, limit };
	},

	async run(this: IExecuteFunctions, session: SalesforceSession, params: Params) {
		const kept = withNotices(
			this,
			await readLicenses(session, params.types, params.includeExternal),
		);
		return toItems(params.limit === undefined ? kept : kept.slice(0, params.limit));
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getLicenses);
}
