import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export const operations = { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['license'] } },
		options: [
			{ name: 'Get Many', value: 'getMany', action: 'Get licenses', description: 'List user, permission set and feature licenses with total, used and available seats. Changes nothing.' },
		],
		default: 'getMany',
	},
	...getMany.description,
];
