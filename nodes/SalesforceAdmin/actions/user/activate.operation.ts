import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { WriteActionSpec } from '../shared/writeBatch';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_RECORD } from '../shared/writeTargets';

export const description = writeProperties('activate', 'activate');

/** Activating sets User.IsActive; it needs a free license of the user's kind. */
export const spec: WriteActionSpec = {
	action: 'activate',
	label: 'Activate user',
	target: USER_RECORD,
	wantedValues: () => ({ ok: true, value: { IsActive: true } }),
	unchangedReason: () => 'Already active',
	dryRunReason: () => 'Dry run: would activate the user',
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
