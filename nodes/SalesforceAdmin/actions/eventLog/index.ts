import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as getEvents from './getEvents.operation';

export const operations = { getMany, getEvents };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['eventLog'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get event log files',
				description:
					'List Event Log Files (type, date, interval, size) without their content. Changes nothing.',
			},
			{
				name: 'Get Events',
				value: 'getEvents',
				action: 'Get events',
				description:
					'Download Event Log Files and return their rows, a per-user summary or the files. Changes nothing.',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getEvents.description,
];
