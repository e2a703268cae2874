import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as get from './get.operation';
import * as freeze from './freeze.operation';
import * as unfreeze from './unfreeze.operation';
import * as deactivate from './deactivate.operation';
import * as activate from './activate.operation';
import * as removeFeatureLicenses from './removeFeatureLicenses.operation';
import * as removePackageLicenses from './removePackageLicenses.operation';
import * as removePermissionSetLicenses from './removePermissionSetLicenses.operation';
import * as removePermissionSets from './removePermissionSets.operation';
import * as removeFromGroups from './removeFromGroups.operation';
import * as offboard from './offboard.operation';

export const operations = {
	getMany,
	get,
	freeze,
	unfreeze,
	deactivate,
	activate,
	removeFeatureLicenses,
	removePackageLicenses,
	removePermissionSetLicenses,
	removePermissionSets,
	removeFromGroups,
	offboard,
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
				name: 'Offboard',
				value: 'offboard',
				action: 'Offboard user',
				description:
					'Take leavers through the whole sequence: freeze, remove permission sets, permission set licenses, package and feature licenses, groups and queues, then deactivate (unless something blocks it); returns one result per user with every step',
			},
			{
				name: 'Remove Feature Licenses',
				value: 'removeFeatureLicenses',
				action: 'Remove feature licenses',
				description:
					'Turn off feature licenses such as Service Cloud or Marketing; returns one result per user: changed, unchanged, dryRun, skipped or failed',
			},
			{
				name: 'Remove From Groups and Queues',
				value: 'removeFromGroups',
				action: 'Remove from groups and queues',
				description:
					'Take users out of public groups and queues, so nothing is routed to them any more; returns one result per user with the groups removed',
			},
			{
				name: 'Remove Package Licenses',
				value: 'removePackageLicenses',
				action: 'Remove package licenses',
				description:
					'Take managed-package seats (CPQ, DocuSign, ...) away, which deactivation alone does not free; returns one result per user with the packages removed',
			},
			{
				name: 'Remove Permission Set Licenses',
				value: 'removePermissionSetLicenses',
				action: 'Remove permission set licenses',
				description:
					'Take permission set licenses away; returns one result per user with the licenses removed',
			},
			{
				name: 'Remove Permission Sets',
				value: 'removePermissionSets',
				action: 'Remove permission sets',
				description:
					'Unassign permission sets and permission set groups (never profile-owned ones); returns one result per user with the names removed',
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
	...removePackageLicenses.description,
	...removePermissionSetLicenses.description,
	...removePermissionSets.description,
	...removeFromGroups.description,
	...offboard.description,
];
