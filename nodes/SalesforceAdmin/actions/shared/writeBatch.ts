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
 *      WriteTarget, writeTargets.ts); protected entries (IDs and usernames) must name users of
 *      this org.
 *   4. Plan per item (salesforce/writePlan.ts): not found, skipped, unchanged, duplicates;
 *      users an earlier attempt of this node run changed are credited to it (Retry On Fail,
 *      salesforce/attemptMemory.ts).
 *   5. maxUsers cap per execution of the workflow through this node (loop batches, tool calls,
 *      retries): the users that would change are reserved against it at once, or the run fails
 *      before any write (writeCap.ts, salesforce/executionCap.ts).
 *   6. Dry run stops here. Otherwise write in sObject Collections calls of <= 200 records,
 *      retrying transient failures only after re-reading state (salesforce/writeExecution.ts).
 *   7. One result per item; without Continue On Fail any failure becomes a node error that
 *      still lists who was changed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import type {
	InvalidSafetyOptions,
	ItemSafetyOptions,
	ProtectedEntry,
	SafetyOptionProblem,
	SafetyOptions,
} from '../../salesforce/safetyOptions';
import {
	SAFETY_OPTION_LABELS,
	combineSafetyOptions,
	forceDryRun,
	parseSafetyOptions,
	protectedEntries,
	unknownProtectedEntryReason,
	withDryRunSwitch,
} from '../../salesforce/safetyOptions';
import type { UserLookupResult } from '../../salesforce/userLookup';
import { USER_BASE_FIELDS, findUser } from '../../salesforce/userLookup';
import { lookupUsers, unknownProtectedEntries } from '../../reads/lookUpUsers';
import type { RecordSaveResult, WriteIo } from '../../salesforce/writeExecution';
import { DEFAULT_EXECUTE_OPTIONS, executeWrites } from '../../salesforce/writeExecution';
import type {
	FieldValues,
	WritePlan,
	PlannedUser,
	ResultText,
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
import { AttemptMemory, attemptKey } from '../../salesforce/attemptMemory';
import type { SalesforceSession } from '../../transport';
import type { WriteTarget } from './writeTargets';
import { reserveWithinCap, settleCap } from './writeCap';
import { DRY_RUN_PARAMETER } from './writeDescription';
import { readUserLocator } from './userLocator';
import {
	assertWriteAllowed,
	connect,
	describeSalesforceError,
	describeSObject,
	queryAll,
	readCredentialSettings,
	toNodeApiError,
	updateRecords,
} from '../../transport';

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

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
export interface WriteRetryPacing {
	maxRetries: number;
	backoffMs: number;
}

const PRODUCTION_PACING: Readonly<WriteRetryPacing> = Object.freeze({
	maxRetries: DEFAULT_EXECUTE_OPTIONS.maxRetries,
	backoffMs: DEFAULT_EXECUTE_OPTIONS.backoffMs,
});

let retryPacing: Readonly<WriteRetryPacing> = PRODUCTION_PACING;

/**
 * Test hook, never called by the node: the node tests run it through n8n-core, which cannot
 * hand the node an argument, and need the retry logic without the production pauses. Returns
 * the function that puts the production pacing back.
 */
export function setWriteRetryPacingForTests(pacing: Partial<WriteRetryPacing>): () => void {
	retryPacing = Object.freeze({ ...PRODUCTION_PACING, ...pacing });
	return () => {
		retryPacing = PRODUCTION_PACING;
	};
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
		const message = `Item ${itemIndex}: "${read.field}" ${read.reason}`;
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
		const run = {
			spec,
			settings,
			safety,
			continueOnFail,
			protectedEntries: protectedEntries(itemOptions),
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
		const failure: WriteError = { code: info.code, message: info.message };
		return intents.map((intent) => ({
			itemIndex: intent.itemIndex,
			id: intent.ref.kind === 'id' ? intent.ref.id : null,
			username: intent.ref.kind === 'username' ? intent.ref.username : null,
			action: spec.action,
			result: 'failed',
			error: failure,
		}));
	}

	// A protected entry that names nobody: the run stops, or (Continue On Fail) becomes a dry run.
	const earlyResults: WriteItemResult[] = [];
	if (unknownProtected.length > 0) {
		const refused = refuseUnknownProtected.call(this, run, unknownProtected, intents, lookup);
		intents = refused.intents;
		earlyResults.push(...refused.results);
		safety = forceDryRun(safety, refused.cause);
	}

	// 4. Plan; users an earlier attempt of this node run changed are credited to it (Retry On Fail).
	const attempt = attemptKeyOf.call(this, spec);
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
			return failAll(intents, spec, { code: info.code, message: info.message });
		}
		planned = prepared.plan ?? planned;
	}
	const plan = creditEarlierAttempts(planned, intents, attemptMemory.recall(attempt));

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
	// retries): the users are reserved before any write, in a dry run too (writeCap.ts).
	const reservation = reserveWithinCap.call(this, plan.writes, safety, spec.label);

	// 6. Write (unless a dry run); the cap keeps who was changed and releases the others.
	let outcomes = new Map<string, UserOutcome>();
	if (!safety.dryRun && plan.writes.length > 0) {
		const fields = [...new Set(plan.writes.flatMap((w) => Object.keys(w.patch)))];
		// If this throws, whether the records changed is unknown: the reservation stays.
		outcomes = prepared?.execute
			? await prepared.execute(plan.writes)
			: await executeWrites(plan.writes, writeIo(session, spec.target, fields), {
					...retryPacing,
					chunkSize: DEFAULT_EXECUTE_OPTIONS.chunkSize,
					guidance: spec.guidance,
				});
		attemptMemory.remember(attempt, changedPatches(plan.writes, outcomes));
		settleCap(reservation, outcomes);
	}
	const built = buildResults(spec.action, plan, outcomes, safety.dryRun, resultText(spec, safety));
	return [...earlyResults, ...withDetails(built, prepared?.details)];
}

/** Every item of a user gets that user's details (removed names, steps, ...). */
function withDetails(
	results: WriteItemResult[],
	details: ReadonlyMap<string, IDataObject> | undefined,
): WriteItemResult[] {
	if (!details || details.size === 0) return results;
	return results.map((r) => {
		const extra = r.id ? details.get(r.id) : undefined;
		if (!extra) return r;
		const merged = { ...r, ...extra } as WriteItemResult;
		// The detailed reason replaces the generic one; the run's own notes (a forced dry run,
		// a repeated user) stay on it.
		const notes = (r.reason?.match(RUN_NOTES) ?? []).map((n) => (n.startsWith('(') ? n : `(${n})`));
		if (typeof extra.reason === 'string' && notes.length)
			merged.reason = `${extra.reason} ${notes.join(' ')}`;
		return merged;
	});
}

/** Notes runValidItems adds to an item's reason: a forced dry run, a user named twice. */
const RUN_NOTES = /\(?(?:a dry run because [^)]*|Same user as item \d+; acted on once)\)?/g;

/** Every item failed with one error (a read the run rests on failed, Continue On Fail). */
function failAll(
	intents: readonly WriteIntent[],
	spec: WriteActionSpec,
	error: WriteError,
): WriteItemResult[] {
	return intents.map((intent) => ({
		itemIndex: intent.itemIndex,
		id: intent.ref.kind === 'id' ? intent.ref.id : null,
		username: intent.ref.kind === 'username' ? intent.ref.username : null,
		action: spec.action,
		result: 'failed',
		error,
	}));
}

/**
 * Users this node run changed, per execution (see salesforce/attemptMemory.ts): n8n's Retry On
 * Fail re-runs the node in the same process, and the re-attempt must still report them.
 */
const attemptMemory = new AttemptMemory();

/** This node run's key: execution, node, run index (a loop runs a node several times) and action. */
function attemptKeyOf(this: IExecuteFunctions, spec: WriteActionSpec): string | undefined {
	try {
		const runIndex = this.getWorkflowDataProxy(0).$runIndex as number | undefined;
		return attemptKey(this.getExecutionId(), this.getNode().name, runIndex, spec.action);
	} catch {
		return undefined; // no execution context (e.g. a tool call): retries are reported as before
	}
}

/** What was written for each user whose write succeeded. */
function changedPatches(
	writes: readonly UserWrite[],
	outcomes: ReadonlyMap<string, UserOutcome>,
): Array<[string, FieldValues]> {
	return writes
		.filter((w) => outcomes.get(w.userId)?.kind === 'changed')
		.map((w) => [w.userId, w.patch]);
}

/** The spec's result texts; a forced dry run says why on every dry-run item. */
function resultText(spec: WriteActionSpec, safety: SafetyOptions): ResultText {
	const cause = safety.forcedDryRunCause;
	if (!cause) return spec;
	return {
		...spec,
		dryRunReason: (patch) => `${spec.dryRunReason(patch)} (a dry run because ${cause})`,
	};
}

/**
 * A protected entry (ID or username) that names nobody stops the run before any write. With
 * Continue On Fail the items that list it fail, and the others run as a dry run: whom it meant
 * to protect is unknown.
 */
function refuseUnknownProtected(
	this: IExecuteFunctions,
	run: RunContext,
	unknown: readonly ProtectedEntry[],
	intents: WriteIntent[],
	lookup: UserLookupResult,
): { intents: WriteIntent[]; results: WriteItemResult[]; cause: string } {
	const field = SAFETY_OPTION_LABELS.protectedUsernames;
	const messageOf = (e: ProtectedEntry) =>
		`Item ${e.itemIndex}: "${field}" ${unknownProtectedEntryReason(e)}`;
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
			action: run.spec.action,
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

/** The safety options of one item: the valid ones and every refused one. */
function readItemOptions(
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

/** Parameters of one item, validated without any call. */
function readItem(this: IExecuteFunctions, itemIndex: number, spec: WriteActionSpec): ItemRead {
	const { options, problems: safetyProblems } = readItemOptions.call(this, itemIndex);
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
 * The named users (one SOQL per 500 IDs or usernames) and the current state of the records the
 * action writes (from the same User rows, or the target's own batched query).
 */
async function readUsersAndState(
	session: SalesforceSession,
	target: WriteTarget,
	intentsIn: WriteIntent[],
): Promise<{ lookup: UserLookupResult; state: Map<string, TargetState>; intents: WriteIntent[] }> {
	let intents = intentsIn;
	const refs = intents.map((i) => i.ref);
	let fields = target.lookupFields(wantedFields(intents));
	let lookup =
		fields.length === 0
			? await lookupUsers(session, refs, USER_BASE_FIELDS)
			: await lookupUnlessInvalidField(session, refs, fields);
	if (!lookup) {
		// A field this org (or the connected user) does not have, e.g. a feature license the
		// org never bought: nobody can hold it, so it is dropped from what the items want.
		const existing = await userFieldNames(session);
		fields = fields.filter((f) => existing.has(f));
		intents = intents.map((intent) => ({
			...intent,
			wanted: Object.fromEntries(
				Object.entries(intent.wanted).filter(([field]) => existing.has(field)),
			),
		}));
		lookup = await lookupUsers(session, refs, [...USER_BASE_FIELDS, ...fields]);
	}
	const wanted = wantedFields(intents);
	return { lookup, state: await target.stateAfterLookup(session, lookup, fields, wanted), intents };
}

/** The look-up with the wanted fields, or undefined when Salesforce says one of them does not exist. */
async function lookupUnlessInvalidField(
	session: SalesforceSession,
	refs: WriteIntent['ref'][],
	fields: readonly string[],
): Promise<UserLookupResult | undefined> {
	return await lookupUsers(session, refs, [...USER_BASE_FIELDS, ...fields]).catch(
		(error: unknown) => {
			if (describeSalesforceError(error).code === 'INVALID_FIELD') return undefined;
			throw error;
		},
	);
}

/** The User fields the connected user can see (one describe). */
async function userFieldNames(session: SalesforceSession): Promise<Set<string>> {
	const described = await describeSObject(session, 'User');
	return new Set(described.fields.map((f) => f.name));
}

/**
 * Users granted "Modify All Data" through a permission set rather than their profile. Asked
 * org-wide (such users are few), so it is one query however many users the run names.
 */
export const ADMIN_PERMISSION_SET_SOQL =
	'SELECT AssigneeId, PermissionSet.Label FROM PermissionSetAssignment WHERE PermissionSet.PermissionsModifyAllData = true AND PermissionSet.IsOwnedByProfile = false';

export async function readAdminPermissionSets(
	session: SalesforceSession,
): Promise<Map<string, string>> {
	const admins = new Map<string, string>();
	for (const row of await queryAll(session, ADMIN_PERMISSION_SET_SOQL)) {
		const label =
			((row.PermissionSet as IDataObject | undefined)?.Label as string | undefined) ?? 'unnamed';
		if (!admins.has(row.AssigneeId as string)) admins.set(row.AssigneeId as string, label);
	}
	return admins;
}

function wantedFields(intents: readonly WriteIntent[]): string[] {
	return [...new Set(intents.flatMap((i) => Object.keys(i.wanted)))];
}

/**
 * Errors of the write path reach item outputs: only Salesforce's code and a scrubbed message
 * travel on, never jsforce's error object (which can hold request bodies).
 */
async function cleanErrors<T>(call: () => Promise<T>): Promise<T> {
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

/**
 * Every result item has the same keys, `reason` and `duplicateOf` null where there is none, so
 * n8n's schema and table views line users up instead of showing one user's reason next to
 * another. `error` is the exception: it is there only on a failed item, as on n8n's own items
 * with Continue On Fail. n8n 1.x's Retry On Fail takes any `error` key on the first item other
 * than undefined (null included) for a failure and runs the node again.
 */
function toExecutionData(item: WriteItemResult): INodeExecutionData {
	const { itemIndex, id, username, action, result, reason, error, duplicateOf, ...more } = item;
	const json: IDataObject = {
		id,
		username,
		action,
		result,
		reason: reason ?? null,
		...(error ? { error: error as unknown as IDataObject } : {}),
		duplicateOf: duplicateOf ?? null,
	};
	for (const [key, value] of Object.entries(more)) json[key] = (value as IDataObject) ?? null;
	return { json, pairedItem: { item: itemIndex } };
}
