import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { deactivationGuidance } from '../../salesforce/writeGuidance';
import type { WriteActionSpec } from '../shared/writeBatch';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_RECORD } from '../shared/writeTargets';

export const description = writeProperties('deactivate', 'deactivate');

/**
 * Deactivating clears User.IsActive, which frees the user's license. Salesforce refuses it
 * while the user still holds certain roles; those items get guidance (freeze instead).
 */
export const spec: WriteActionSpec = {
	action: 'deactivate',
	label: 'Deactivate user',
	target: USER_RECORD,
	wantedValues: () => ({ ok: true, value: { IsActive: false } }),
	unchangedReason: () => 'Already inactive',
	dryRunReason: () => 'Dry run: would deactivate the user',
	guidance: deactivationGuidance,
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec);
}
