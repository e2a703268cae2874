import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { WriteActionSpec } from '../shared/writeBatch';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_LOGIN } from '../shared/writeTargets';

export const description = writeProperties('unfreeze', 'unfreeze');

/** Unfreezing clears UserLogin.IsFrozen, so the user can sign in again. */
export const spec: WriteActionSpec = {
	action: 'unfreeze',
	label: 'Unfreeze user',
	target: USER_LOGIN,
	wantedValues: () => ({ ok: true, value: { IsFrozen: false } }),
	unchangedReason: () => 'Not frozen',
	dryRunReason: () => 'Dry run: would unfreeze the user',
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
