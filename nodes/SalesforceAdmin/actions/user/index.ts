import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as get from './get.operation';
import * as freeze from './freeze.operation';
import * as unfreeze from './unfreeze.operation';
import * as deactivate from './deactivate.operation';
import * as activate from './activate.operation';
import * as removeFeatureLicenses from './removeFeatureLicenses.operation';

export const operations = { getMany, get, freeze, unfreeze, deactivate, activate, removeFeatureLicenses };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Activate', value: 'activate', action: 'Activate user', description: 'Activate inactive users' },
			{ name: 'Deactivate', value: 'deactivate', action: 'Deactivate user', description: 'Deactivate users, which frees their license' },
			{ name: 'Freeze', value: 'freeze', action: 'Freeze user', description: 'Freeze users so they cannot log in' },
			{ name: 'Get', value: 'get', action: 'Get user', description: 'Get one user by ID or username' },
			{ name: 'Get Many', value: 'getMany', action: 'Get users', description: 'List users with their profile, license, feature licenses and last login' },
			{ name: 'Remove Feature Licenses', value: 'removeFeatureLicenses', action: 'Remove feature licenses', description: 'Turn off feature licenses such as Service Cloud or Marketing' },
			{ name: 'Unfreeze', value: 'unfreeze', action: 'Unfreeze user', description: 'Unfreeze frozen users' },
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
