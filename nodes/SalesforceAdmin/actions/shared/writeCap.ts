/**
 * "Max Users" of the write actions, per execution of the workflow through one node (see
 * salesforce/executionCap.ts): a run reserves the users it would change before its first
 * write, or fails naming the count; after its writes it keeps who changed and releases the rest.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CapReservation } from '../../salesforce/executionCap';
import { ExecutionCap, executionCapKey } from '../../salesforce/executionCap';
import type { SafetyOptions } from '../../salesforce/safetyOptions';
import type { UserOutcome, UserWrite } from '../../salesforce/writePlan';

/**
 * One count per node per execution, for every run of every write action in this process.
 * n8n runs an execution in one process (in queue mode, on one worker), its loop batches, tool
 * calls and retries included, so this in-process memory sees them all.
 */
const executionCap = new ExecutionCap();

export const CAP_DESCRIPTION =
	'"Max Users" counts every user this node changes during one execution of the workflow: loop batches, AI-agent tool calls (parallel ones too) and retries draw on the same count, so it cannot be passed one batch or one call at a time. A dry run counts what it would change, apart from the real count. Raise "Max Users" if this many changes are intended, or narrow the input (e.g. filters of Get Users).';

/** This execution's count for this node; a run without an execution ID is capped on its own. */
function capKeyOf(this: IExecuteFunctions): string | undefined {
	try {
		const node = this.getNode();
		return executionCapKey(this.getExecutionId(), node.id, node.name);
	} catch {
		return undefined;
	}
}

/** Reserves the users `writes` would change, or throws before any write. */
export function reserveWithinCap(
	this: IExecuteFunctions,
	writes: readonly UserWrite[],
	safety: Pick<SafetyOptions, 'maxUsers' | 'dryRun'>,
	label: string,
): CapReservation {
	const outcome = executionCap.reserve(
		capKeyOf.call(this),
		writes.map((w) => w.userId),
		safety.maxUsers,
		safety.dryRun,
		label,
	);
	if (!outcome.ok) {
		throw new NodeOperationError(this.getNode(), outcome.message, {
			description: CAP_DESCRIPTION,
		});
	}
	return outcome.reservation;
}

/**
 * Keeps the users that changed, and those whose outcome is unknown (they may have changed);
 * releases the others: a failed or already-as-wanted write does not use up the cap.
 */
export function settleCap(
	reservation: CapReservation,
	outcomes: ReadonlyMap<string, UserOutcome>,
): void {
	const kept = new Set<string>();
	for (const userId of reservation.userIds) {
		const outcome = outcomes.get(userId);
		if (
			!outcome ||
			outcome.kind === 'changed' ||
			(outcome.kind === 'failed' && outcome.error.code === 'OUTCOME_UNKNOWN')
		)
			kept.add(userId);
	}
	executionCap.settle(reservation, kept);
}
