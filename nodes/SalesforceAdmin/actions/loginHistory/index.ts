import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export const operations = { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['loginHistory'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get login history',
				description:
					'List logins, newest first, with user, time, status, source IP and application. Changes nothing.',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
