import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { OFFBOARD_STEPS, STEP_LABELS } from '../../salesforce/offboard';
import { offboardSpec } from '../shared/offboardRun';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';

export const description = writeProperties('offboard', 'offboard', [
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'multiOptions',
		options: OFFBOARD_STEPS.map((step) => ({ name: STEP_LABELS[step], value: step })),
		default: [...OFFBOARD_STEPS],
		description:
			'The steps to take, always in this order: freeze (blocks sign-in at once), permission sets and groups, permission set licenses, package licenses, feature licenses, public groups and queues, then deactivate unless the pre-flight finds a blocker (the user then stays frozen and stripped)',
	},
]);

/** Takes a leaver through the whole sequence, each step batched across all users. */
export const spec = offboardSpec;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
