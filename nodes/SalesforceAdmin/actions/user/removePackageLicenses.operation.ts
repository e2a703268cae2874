import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { entitlementRemovalSpec } from '../shared/entitlementRemoval';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';

export const description = writeProperties(
	'removePackageLicenses',
	'remove managed-package licenses from',
	[
		{
			displayName: 'Package License Names or IDs',
			name: 'packageLicenses',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getPackageLicenses' },
			default: [],
			description:
				'The managed packages (by namespace prefix) whose seats to take away. None chosen: every package license the user holds. A user who holds none of them is left unchanged. Choose from the list, or specify IDs using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.',
		},
	],
);

/** Deletes the chosen assignments (Collections DELETE of 200, five in one Composite call). */
export const spec = entitlementRemovalSpec(
	'packageLicenses',
	'removePackageLicenses',
	'Remove package licenses',
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
