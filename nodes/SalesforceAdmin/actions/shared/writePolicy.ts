/**
 * The write runner's safety decisions that need n8n or the process; the rules themselves are
 * pure, in salesforce/ (safetyOptions.ts, executionCap.ts, attemptMemory.ts):
 *
 * - each item's safety options, read from its parameters (only their own type is accepted);
 * - a protected entry that names nobody stops the run (Continue On Fail: a dry run);
 * - "Max Users" per execution of the workflow through one node: a run reserves the users it
 *   would change before its first write, or fails naming the count; after its writes it keeps
 *   who changed and releases the rest;
 * - users an earlier attempt of this node run changed (Retry On Fail) are reported as changed.
 *
 * The last two are in-process memories, one each for every run of every write action: n8n runs
 * an execution in one process (in queue mode, on one worker), its loop batches, tool calls and
 * retries included, so a memory here sees them all.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AttemptMemory, attemptKey } from '../../salesforce/attemptMemory';
import type { CapReservation } from '../../salesforce/executionCap';
import { ExecutionCap, executionCapKey } from '../../salesforce/executionCap';
import type {
	ItemSafetyOptions,
	ProtectedEntry,
	SafetyOptionProblem,
	SafetyOptions,
} from '../../salesforce/safetyOptions';
import {
	SAFETY_OPTION_LABELS,
	parseSafetyOptions,
	unknownProtectedEntryReason,
	withDryRunSwitch,
} from '../../salesforce/safetyOptions';
import type { UserLookupResult } from '../../salesforce/userLookup';
import { itemFieldMessage } from '../../salesforce/input';
import { findUser } from '../../salesforce/userLookup';
import type {
	FieldValues,
	ResultText,
	UserOutcome,
	UserWrite,
	WriteAction,
	WriteIntent,
	WriteItemResult,
} from '../../salesforce/writePlan';
import { DRY_RUN_PARAMETER } from './writeDescription';

/** The safety options of one item: the valid ones and every refused one. */
export function readItemSafetyOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): { options: ItemSafetyOptions; problems: SafetyOptionProblem[] } {
	let raw: unknown;
	try {
		raw = this.getNodeParameter('options', itemIndex, {});
	} catch (error) {
		return {
			options: {},
			problems: [{ field: 'Options', reason: `could not be read: ${(error as Error).message}` }],
		};
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		return {
			options: {},
			problems: [{ field: 'Options', reason: 'must be a collection of options' }],
		};
	}
	const rawOptions = raw as Record<string, unknown>;
	return withDryRunSwitch(parseSafetyOptions(rawOptions), rawOptions, () =>
		this.getNodeParameter(DRY_RUN_PARAMETER, itemIndex),
	);
}

/**
 * A protected entry (ID or username) that names nobody stops the run before any write. With
 * Continue On Fail the items that list it fail, and the others run as a dry run: whom it meant
 * to protect is unknown.
 */
export function refuseUnknownProtected(
	this: IExecuteFunctions,
	run: { action: WriteAction; continueOnFail: boolean },
	unknown: readonly ProtectedEntry[],
	intents: WriteIntent[],
	lookup: UserLookupResult,
): { intents: WriteIntent[]; results: WriteItemResult[]; cause: string } {
	const field = SAFETY_OPTION_LABELS.protectedUsernames;
	const messageOf = (e: ProtectedEntry) =>
		itemFieldMessage(e.itemIndex, field, unknownProtectedEntryReason(e));
	if (!run.continueOnFail) {
		throw new NodeOperationError(this.getNode(), messageOf(unknown[0]), {
			itemIndex: unknown[0].itemIndex,
			description:
				'Nothing was changed: protected entries are checked against the org before any write.',
		});
	}
	const byItem = new Map<number, ProtectedEntry>();
	for (const entry of unknown) if (!byItem.has(entry.itemIndex)) byItem.set(entry.itemIndex, entry);
	const results: WriteItemResult[] = intents
		.filter((intent) => byItem.has(intent.itemIndex))
		.map((intent) => ({
			itemIndex: intent.itemIndex,
			id: findUser(lookup, intent.ref)?.Id ?? (intent.ref.kind === 'id' ? intent.ref.id : null),
			username:
				findUser(lookup, intent.ref)?.Username ??
				(intent.ref.kind === 'username' ? intent.ref.username : null),
			action: run.action,
			result: 'failed',
			error: {
				code: 'INVALID_PARAMETER',
				message: messageOf(byItem.get(intent.itemIndex) as ProtectedEntry),
			},
		}));
	return {
		intents: intents.filter((intent) => !byItem.has(intent.itemIndex)),
		results,
		cause: `item ${unknown[0].itemIndex}'s "${field}" lists ${unknown[0].kind === 'id' ? 'an ID' : 'a username'} that names no user`,
	};
}

/** The action's result texts; a forced dry run says why on every dry-run item. */
export function resultText(texts: ResultText, safety: SafetyOptions): ResultText {
	const cause = safety.forcedDryRunCause;
	if (!cause) return texts;
	return {
		...texts,
		dryRunReason: (patch) => `${texts.dryRunReason(patch)} (a dry run because ${cause})`,
	};
}

/** One count per node per execution (see salesforce/executionCap.ts). */
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

/**
 * Users this node run changed, per execution (see salesforce/attemptMemory.ts): n8n's Retry On
 * Fail re-runs the node in the same process, and the re-attempt must still report them.
 */
const attemptMemory = new AttemptMemory();

/** This node run's key: execution, node, run index (a loop runs a node several times) and action. */
export function attemptKeyOf(this: IExecuteFunctions, action: WriteAction): string | undefined {
	try {
		const runIndex = this.getWorkflowDataProxy(0).$runIndex as number | undefined;
		return attemptKey(this.getExecutionId(), this.getNode().name, runIndex, action);
	} catch {
		return undefined; // no execution context (e.g. a tool call): retries are reported as before
	}
}

/** What earlier attempts of this node run changed, by user ID. */
export function earlierAttempts(key: string | undefined): ReadonlyMap<string, FieldValues> {
	return attemptMemory.recall(key);
}

/** Remembers what was written for each user whose write succeeded. */
export function rememberAttempt(
	key: string | undefined,
	writes: readonly UserWrite[],
	outcomes: ReadonlyMap<string, UserOutcome>,
): void {
	attemptMemory.remember(
		key,
		writes
			.filter((w) => outcomes.get(w.userId)?.kind === 'changed')
			.map((w) => [w.userId, w.patch]),
	);
}
