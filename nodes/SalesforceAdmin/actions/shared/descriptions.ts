import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** n8n's returnAll + limit pair for a "get many" operation. */
export function returnAllAndLimit(
	resource: string,
	operation: string,
	noun: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			hint: `Reading stops after this many ${noun}`,
			displayOptions: {
				show: { resource: [resource], operation: [operation], returnAll: [false] },
			},
		},
	];
}

/** Since / until filters shared by login history and event logs. */
export function sinceUntilFilters(defaultDays: number, on: string): INodeProperties[] {
	return [
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: `Only ${on} at or after this time (ISO 8601 or a date from an expression). Default: ${defaultDays} days before Until.`,
		},
		{
			displayName: 'Until',
			name: 'until',
			type: 'dateTime',
			default: '',
			description: `Only ${on} at or before this time. Default: now.`,
		},
	];
}

/** The "Filters" collection every read operation offers, shown for one resource and operation. */
export function filtersCollection(
	show: NonNullable<IDisplayOptions['show']>,
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options,
	};
}
