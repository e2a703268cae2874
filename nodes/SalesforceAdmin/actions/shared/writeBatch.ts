/**
 * The one path every write action runs through (freeze, unfreeze, deactivate, activate, remove
 * feature licenses). An action only declares what differs: which record and fields it writes,
 * the values it wants, and how its results read. Everything that keeps a nightly run safe is
 * here, in this order:
 *
 *   1. Read-Only credential -> refused, no call.
 *   2. Every item validated -> bad input names the item and the field, no call. The safety
 *      options accept only their own type (salesforce/safetyOptions.ts): a safety switch never
 *      fails open; with Continue On Fail a refused option still counts at its safe side.
 *   3. Sign in; read every named user and their current state in batches (the action's
 *      WriteTarget, writeTargets.ts; reads/writeState.ts); protected entries (IDs and usernames)
 *      must name users of this org.
 *   4. Plan per item (salesforce/writePlan.ts): not found, skipped, unchanged, duplicates;
 *      users an earlier attempt of this node run changed are credited to it (Retry On Fail,
 *      writePolicy.ts, salesforce/attemptMemory.ts).
 *   5. maxUsers cap per execution of the workflow through this node (loop batches, tool calls,
 *      retries): the users that would change are reserved against it at once, or the run fails
 *      before any write (writePolicy.ts, salesforce/executionCap.ts).
 *   6. Dry run stops here. Otherwise write in sObject Collections calls of <= 200 records,
 *      retrying transient failures only after re-reading state (salesforce/writeExecution.ts).
 *   7. One result per item; without Continue On Fail any failure becomes a node error that
 *      still lists who was changed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import type { Parsed } from '../../salesforce/input';
import { itemFieldMessage } from '../../salesforce/input';
import type {
	InvalidSafetyOptions,
	ItemSafetyOptions,
	ProtectedEntry,
	SafetyOptionProblem,
	SafetyOptions,
} from '../../salesforce/safetyOptions';
import {
	combineSafetyOptions,
	forceDryRun,
	protectedEntries,
} from '../../salesforce/safetyOptions';
import type { UserLookupResult } from '../../salesforce/userLookup';
import { findUser } from '../../salesforce/userLookup';
import type { ExecuteOptions, RecordSaveResult, WriteIo } from '../../salesforce/writeExecution';
import { DEFAULT_EXECUTE_OPTIONS, executeWrites } from '../../salesforce/writeExecution';
import type {
	FieldValues,
	WritePlan,
	PlannedUser,
	TargetState,
	UserOutcome,
	UserWrite,
	WriteAction,
	WriteError,
	WriteIntent,
	WriteItemResult,
} from '../../salesforce/writePlan';
import {
	buildResults,
	creditEarlierAttempts,
	failureSummary,
	planWrites,
} from '../../salesforce/writePlan';
import { failedItems, toExecutionData, withDetails } from '../../salesforce/writeResults';
import { unknownProtectedEntries } from '../../reads/lookUpUsers';
import { readAdminPermissionSets } from '../../reads/adminPermissionSets';
import { readUsersAndState } from '../../reads/writeState';
import type { SalesforceSession } from '../../transport';
import {
	assertWriteAllowed,
	connect,
	describeSalesforceError,
	readCredentialSettings,
	toNodeApiError,
	updateRecords,
} from '../../transport';
import type { WriteTarget } from './writeTargets';
import {
	attemptKeyOf,
	earlierAttempts,
	readItemSafetyOptions,
	refuseUnknownProtected,
	rememberAttempt,
	reserveWithinCap,
	resultText,
	settleCap,
} from './writePolicy';
import { readUserLocator } from './userParameter';

/** What one write action declares; writeBatch does the rest. */
export interface WriteActionSpec {
	action: WriteAction;
	/** The action label the node panel shows ("Freeze user"), used in messages. */
	label: string;
	/** The record that holds the state and is written (writeTargets.ts). */
	target: WriteTarget;
	/** The field values item `itemIndex` asks for, validated (no network). */
	wantedValues(this: IExecuteFunctions, itemIndex: number): Parsed<FieldValues>;
	unchangedReason(wanted: FieldValues): string;
	dryRunReason(patch: FieldValues): string;
	changedReason?(patch: FieldValues): string | undefined;
	/** Admin guidance for a record Salesforce refused (deactivation blockers). */
	guidance?(error: WriteError): string | undefined;
	/**
	 * Actions that do more than patch one record per user (entitlement removals, offboard, the
	 * deactivation pre-flight): called after planning, before the cap and the dry run.
	 */
	prepare?(this: IExecuteFunctions, run: WriteRunContext): Promise<PreparedWrite>;
}

/** What a spec's prepare() sees: the signed-in session and the plan with what it rests on. */
export interface WriteRunContext {
	session: SalesforceSession;
	plan: WritePlan;
	intents: readonly WriteIntent[];
	lookup: UserLookupResult;
	state: ReadonlyMap<string, TargetState>;
	dryRun: boolean;
}

/** What prepare() hands back; every part is optional. */
export interface PreparedWrite {
	/** The plan to go on with (e.g. users the pre-flight found blocked are skipped). */
	plan?: WritePlan;
	/** Writes the planned users instead of the Collections update of the target's records. */
	execute?(writes: readonly UserWrite[]): Promise<Map<string, UserOutcome>>;
	/** Output fields per user ID merged into that user's items (filled for the dry run, or by execute). */
	details?: Map<string, IDataObject>;
}

/** How often and how soon a transient write failure is retried (salesforce/writeExecution.ts). */
export type WriteRetryPacing = Pick<ExecuteOptions, 'maxRetries' | 'backoffMs'>;

/**
 * What a caller may tune in a run; the node passes nothing and gets production behaviour. The
 * node tests pass a shorter pause (they need the retry logic, not the wait) through the router.
 */
export interface WriteRunOptions {
	retryPacing?: Partial<WriteRetryPacing>;
}

/** One item's safety options as evaluated, with its index (protected lists name the item). */
interface ItemOptions {
	itemIndex: number;
	options: ItemSafetyOptions;
}

export async function executeWriteAction(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	spec: WriteActionSpec,
	options: WriteRunOptions = {},
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const settings = await readCredentialSettings.call(this);
	assertWriteAllowed.call(this, settings, spec.label);
	const continueOnFail = this.continueOnFail();

	// 2. Validate every item before any call.
	const results: WriteItemResult[] = [];
	const intents: WriteIntent[] = [];
	const itemOptions: ItemOptions[] = [];
	const invalidOptions: InvalidSafetyOptions[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const read = readItem.call(this, itemIndex, spec);
		itemOptions.push({ itemIndex, options: read.options });
		invalidOptions.push(
			...read.safetyProblems.map((p) => ({
				itemIndex,
				option: p.option,
				...(p.option ? { field: p.field } : {}),
			})),
		);
		if (read.ok) {
			intents.push(read.intent);
			continue;
		}
		const message = itemFieldMessage(itemIndex, read.field, read.reason);
		if (!continueOnFail) {
			throw new NodeOperationError(node, message, {
				itemIndex,
				description: 'Nothing was changed: every item is checked before any call to Salesforce.',
			});
		}
		results.push({
			itemIndex,
			id: null,
			username: read.rawUser ?? null,
			action: spec.action,
			result: 'failed',
			error: { code: 'INVALID_PARAMETER', message },
		});
	}
	// With Continue On Fail, refused options still count at their safe side (see combineSafetyOptions).
	const safety = combineSafetyOptions(
		itemOptions.map((o) => o.options),
		invalidOptions,
	);

	if (intents.length > 0) {
		const run: RunContext = {
			spec,
			settings,
			safety,
			continueOnFail,
			protectedEntries: protectedEntries(itemOptions),
			retryPacing: {
				maxRetries: DEFAULT_EXECUTE_OPTIONS.maxRetries,
				backoffMs: DEFAULT_EXECUTE_OPTIONS.backoffMs,
				...options.retryPacing,
			},
		};
		results.push(...(await runValidItems.call(this, run, intents)));
	}
	results.sort((a, b) => a.itemIndex - b.itemIndex);

	if (!continueOnFail) {
		const summary = failureSummary(spec.label, results);
		if (summary) {
			throw new NodeOperationError(node, summary.message, {
				description: summary.description,
				itemIndex: summary.firstFailedItem,
			});
		}
	}
	return results.map(toExecutionData);
}

/** What runValidItems needs besides the items: the run-wide settings. */
interface RunContext {
	spec: WriteActionSpec;
	settings: Awaited<ReturnType<typeof readCredentialSettings>>;
	safety: SafetyOptions;
	continueOnFail: boolean;
	protectedEntries: ProtectedEntry[];
	retryPacing: WriteRetryPacing;
}

async function runValidItems(
	this: IExecuteFunctions,
	run: RunContext,
	intentsIn: WriteIntent[],
): Promise<WriteItemResult[]> {
	const { spec, settings, continueOnFail } = run;
	const node = this.getNode();
	let intents = intentsIn;
	let safety = run.safety;

	// 3. Sign in and read the current state, in batches.
	let session: SalesforceSession;
	let lookup: UserLookupResult;
	let state: Map<string, TargetState>;
	let adminPermissionSets: Map<string, string> | undefined;
	let unknownProtected: ProtectedEntry[];
	try {
		session = await connect.call(this, settings);
		const read = await readUsersAndState(session, spec.target, intents);
		({ lookup, state, intents } = read);
		unknownProtected = await unknownProtectedEntries(session, run.protectedEntries, {
			ids: lookup.byId,
			usernames: lookup.byUsername,
		});
		if (!safety.allowAdmins && lookup.byId.size > 0)
			adminPermissionSets = await readAdminPermissionSets(session);
	} catch (error) {
		if (!continueOnFail) throw toNodeApiError(node, error);
		const info = describeSalesforceError(error);
		return failedItems(intents, spec.action, { code: info.code, message: info.message });
	}

	// A protected entry that names nobody: the run stops, or (Continue On Fail) becomes a dry run.
	const earlyResults: WriteItemResult[] = [];
	if (unknownProtected.length > 0) {
		const refused = refuseUnknownProtected.call(
			this,
			{ action: spec.action, continueOnFail },
			unknownProtected,
			intents,
			lookup,
		);
		intents = refused.intents;
		earlyResults.push(...refused.results);
		safety = forceDryRun(safety, refused.cause);
	}

	// 4. Plan; users an earlier attempt of this node run changed are credited to it (Retry On Fail).
	const attempt = attemptKeyOf.call(this, spec.action);
	let planned = planWrites(intents, {
		findUser: (ref) => findUser(lookup, ref) as PlannedUser | undefined,
		state,
		connectedUserId: session.userId,
		safety,
		adminPermissionSets,
		unchangedReason: spec.unchangedReason,
		missingTargetError: (user) => spec.target.missingRecord(user),
	});
	let prepared: PreparedWrite | undefined;
	if (spec.prepare) {
		try {
			prepared = await spec.prepare.call(this, {
				session,
				plan: planned,
				intents,
				lookup,
				state,
				dryRun: safety.dryRun,
			});
		} catch (error) {
			if (error instanceof NodeOperationError || !continueOnFail) {
				throw error instanceof NodeOperationError ? error : toNodeApiError(node, error);
			}
			const info = describeSalesforceError(error);
			return failedItems(intents, spec.action, { code: info.code, message: info.message });
		}
		planned = prepared.plan ?? planned;
	}
	const plan = creditEarlierAttempts(planned, intents, earlierAttempts(attempt));

	// Users that cannot be found fail the run before anything is written (unless Continue On Fail).
	const unresolved = plan.items.filter((item) => item.decision.kind === 'failed');
	if (unresolved.length > 0 && !continueOnFail) {
		const lines = unresolved.map((item) => {
			const error = (item.decision as { error: WriteError }).error;
			return `- item ${item.itemIndex}: ${error.code}: ${error.message}`;
		});
		throw new NodeOperationError(
			node,
			`${spec.label}: ${unresolved.length} of ${intents.length} users cannot be acted on; nothing was changed`,
			{
				itemIndex: unresolved[0].itemIndex,
				description: `${lines.join('\n')}\nFix the input, or turn on "Continue On Fail" to act on the others and get these back as failed items.`,
			},
		);
	}

	// 5. The cap, per execution of the workflow through this node (loop batches, tool calls,
	// retries): the users are reserved before any write, in a dry run too (writePolicy.ts).
	const reservation = reserveWithinCap.call(this, plan.writes, safety, spec.label);

	// 6. Write (unless a dry run); the cap keeps who was changed and releases the others.
	let outcomes = new Map<string, UserOutcome>();
	if (!safety.dryRun && plan.writes.length > 0) {
		const fields = [...new Set(plan.writes.flatMap((w) => Object.keys(w.patch)))];
		// If this throws, whether the records changed is unknown: the reservation stays.
		outcomes = prepared?.execute
			? await prepared.execute(plan.writes)
			: await executeWrites(plan.writes, writeIo(session, spec.target, fields), {
					...run.retryPacing,
					chunkSize: DEFAULT_EXECUTE_OPTIONS.chunkSize,
					guidance: spec.guidance,
				});
		rememberAttempt(attempt, plan.writes, outcomes);
		settleCap(reservation, outcomes);
	}
	const built = buildResults(spec.action, plan, outcomes, safety.dryRun, resultText(spec, safety));
	return [...earlyResults, ...withDetails(built, prepared?.details)];
}

type ItemRead =
	| {
			ok: true;
			intent: WriteIntent;
			options: ItemSafetyOptions;
			safetyProblems: SafetyOptionProblem[];
	  }
	| {
			ok: false;
			field: string;
			reason: string;
			options: ItemSafetyOptions;
			safetyProblems: SafetyOptionProblem[];
			rawUser?: string;
	  };

/** Parameters of one item, validated without any call. */
function readItem(this: IExecuteFunctions, itemIndex: number, spec: WriteActionSpec): ItemRead {
	const { options, problems: safetyProblems } = readItemSafetyOptions.call(this, itemIndex);
	const fail = (field: string, reason: string, rawUser?: string): ItemRead => ({
		ok: false,
		field,
		reason,
		options,
		safetyProblems,
		rawUser,
	});
	if (safetyProblems.length > 0) return fail(safetyProblems[0].field, safetyProblems[0].reason);

	let user: { ref: UserReference; text?: string };
	try {
		user = readUserLocator.call(this, itemIndex);
	} catch (error) {
		return fail('userId', `could not be read: ${(error as Error).message}`);
	}
	const { ref, text: shownUser } = user;
	if (ref.kind === 'invalid') return fail('userId', ref.reason, shownUser);

	let wanted: Parsed<FieldValues>;
	try {
		wanted = spec.wantedValues.call(this, itemIndex);
	} catch (error) {
		return fail('parameters', `could not be read: ${(error as Error).message}`, shownUser);
	}
	if (!wanted.ok) return fail(wanted.field, wanted.reason, shownUser);
	return { ok: true, intent: { itemIndex, ref, wanted: wanted.value }, options, safetyProblems };
}

/**
 * Errors of the write path reach item outputs: only Salesforce's code and its scrubbed message
 * travel on (describeSalesforceError), never the error itself.
 */
export async function cleanErrors<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (error) {
		const info = describeSalesforceError(error);
		throw Object.assign(new Error(info.message), { errorCode: info.code });
	}
}

/** The real I/O behind executeWrites: one Collections call per chunk, batched re-reads. */
function writeIo(session: SalesforceSession, target: WriteTarget, fields: string[]): WriteIo {
	return {
		update: async (records) =>
			await cleanErrors(
				async () => (await updateRecords(session, target.sobject, records)) as RecordSaveResult[],
			),
		readState: async (userIds) =>
			await cleanErrors(async () => await target.readState(session, fields, userIds)),
		sleep: async (ms) => await sleep(ms),
	};
}
