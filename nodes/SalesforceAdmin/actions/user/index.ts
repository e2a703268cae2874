import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as get from './get.operation';
import * as freeze from './freeze.operation';
import * as unfreeze from './unfreeze.operation';
import * as deactivate from './deactivate.operation';
import * as activate from './activate.operation';
import * as removeFeatureLicenses from './removeFeatureLicenses.operation';

export const operations = {
	getMany,
	get,
	freeze,
	unfreeze,
	deactivate,
	activate,
	removeFeatureLicenses,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Activate',
				value: 'activate',
				action: 'Activate user',
				description:
					'Set users active again (they take a license); returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				action: 'Deactivate user',
				description:
					'Set users inactive, which frees their license; returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
			{
				name: 'Freeze',
				value: 'freeze',
				action: 'Freeze user',
				description:
					'Freeze users so they cannot log in (they keep their license); returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get user',
				description:
					'Read one user by ID or username: profile, license, feature licenses, last login, frozen state. Changes nothing.',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get users',
				description:
					'List users with their profile, license, feature licenses, last login and frozen state. Changes nothing.',
			},
			{
				name: 'Remove Feature Licenses',
				value: 'removeFeatureLicenses',
				action: 'Remove feature licenses',
				description:
					'Turn off feature licenses such as Service Cloud or Marketing; returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
			{
				name: 'Unfreeze',
				value: 'unfreeze',
				action: 'Unfreeze user',
				description:
					'Unfreeze frozen users so they can log in again; returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...freeze.description,
	...unfreeze.description,
	...deactivate.description,
	...activate.description,
	...removeFeatureLicenses.description,
];
