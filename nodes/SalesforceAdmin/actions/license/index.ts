import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as getRecommendations from './getRecommendations.operation';

export const operations = { getMany, getRecommendations };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['license'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get licenses',
				description:
					'List user, permission set and feature licenses with total, used and available seats. Changes nothing.',
			},
			{
				name: 'Get Recommendations',
				value: 'getRecommendations',
				action: 'Get license recommendations',
				description:
					'Say per user whether to freeze, deactivate or remove feature licenses, with the evidence and the monthly savings. Changes nothing.',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getRecommendations.description,
];
