import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { entitlementRemovalSpec } from '../shared/entitlementRemoval';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';

export const description = writeProperties(
	'removePermissionSets',
	'remove permission sets and permission set groups from',
	[
		{
			displayName: 'Permission Set Names or IDs',
			name: 'permissionSets',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getPermissionSets' },
			default: [],
			description:
				'The permission sets and permission set groups to unassign (API name or label). None chosen: every one the user has. Permission sets owned by a profile are never touched. Choose from the list, or specify IDs using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.',
		},
	],
);

/** Deletes the chosen assignments (Collections DELETE of 200, five in one Composite call). */
export const spec = entitlementRemovalSpec(
	'permissionSets',
	'removePermissionSets',
	'Remove permission sets',
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
