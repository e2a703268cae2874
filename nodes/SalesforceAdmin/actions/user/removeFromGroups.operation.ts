import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { entitlementRemovalSpec } from '../shared/entitlementRemoval';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';

export const description = writeProperties(
	'removeFromGroups',
	'remove from public groups and queues',
	[
		{
			displayName: 'Group and Queue Names or IDs',
			name: 'groups',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getGroups' },
			default: [],
			description:
				'The public groups and queues to take the user out of (developer name or name). None chosen: every public group and queue the user is a member of. Choose from the list, or specify IDs using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.',
		},
	],
);

/** Deletes the chosen assignments (Collections DELETE of 200, five in one Composite call). */
export const spec = entitlementRemovalSpec(
	'groups',
	'removeFromGroups',
	'Remove from groups and queues',
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
