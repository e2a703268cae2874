import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { WriteActionSpec } from '../shared/writeBatch';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_LOGIN } from '../shared/writeTargets';

export const description = writeProperties('freeze', 'freeze');

/** Freezing sets UserLogin.IsFrozen: the user cannot sign in, but keeps their license. */
export const spec: WriteActionSpec = {
	action: 'freeze',
	label: 'Freeze user',
	target: USER_LOGIN,
	wantedValues: () => ({ ok: true, value: { IsFrozen: true } }),
	unchangedReason: () => 'Already frozen',
	dryRunReason: () => 'Dry run: would freeze the user',
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
