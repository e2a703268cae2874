import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { skipBlocked } from '../../salesforce/deactivationBlockers';
import { deactivationGuidance } from '../../salesforce/writeGuidance';
import { readDeactivationBlockers } from '../../reads/entitlementHoldings';
import type { WriteActionSpec } from '../shared/writeBatch';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_RECORD } from '../shared/writeTargets';

export const description = writeProperties('deactivate', 'deactivate');

/**
 * Deactivating clears User.IsActive, which frees the user's license. Salesforce refuses it
 * while the user still holds certain roles: what a query can see is checked first (the
 * pre-flight: such users are skipped, reason "blocked: ..."); what only Salesforce's answer
 * reveals gets guidance (freeze instead).
 */
export const spec: WriteActionSpec = {
	action: 'deactivate',
	label: 'Deactivate user',
	target: USER_RECORD,
	wantedValues: () => ({ ok: true, value: { IsActive: false } }),
	unchangedReason: () => 'Already inactive',
	dryRunReason: () => 'Dry run: would deactivate the user',
	guidance: deactivationGuidance,
	async prepare(run) {
		const userIds = run.plan.writes.map((w) => w.userId);
		return { plan: skipBlocked(run.plan, await readDeactivationBlockers(run.session, userIds)) };
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
