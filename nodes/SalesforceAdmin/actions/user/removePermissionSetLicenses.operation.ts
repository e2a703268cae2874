import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { entitlementRemovalSpec } from '../shared/entitlementRemoval';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';

export const description = writeProperties(
	'removePermissionSetLicenses',
	'remove permission set licenses from',
	[
		{
			displayName: 'Permission Set License Names or IDs',
			name: 'permissionSetLicenses',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getPermissionSetLicenses' },
			default: [],
			description:
				'The permission set licenses to take away (developer name or label). None chosen: every permission set license the user holds. A license that a permission set the user keeps still needs is refused by Salesforce: remove that permission set first, or use Offboard User. Choose from the list, or specify IDs using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.',
		},
	],
);

/** Deletes the chosen assignments (Collections DELETE of 200, five in one Composite call). */
export const spec = entitlementRemovalSpec(
	'permissionSetLicenses',
	'removePermissionSetLicenses',
	'Remove permission set licenses',
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
