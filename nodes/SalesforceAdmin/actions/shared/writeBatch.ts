/**
 * The one path every write action runs through (freeze, unfreeze, deactivate, activate, remove
 * feature licenses). An action only declares what differs: which record and fields it writes,
 * the values it wants, and how its results read. Everything that keeps a nightly run safe is
 * here, in this order:
 *
 *   1. Read-Only credential -> refused, no call.
 *   2. Every item validated -> bad input names the item and the field, no call.
 *   3. Sign in; read every named user and their current state in batches.
 *   4. Plan per item (salesforce/writePlan.ts): not found, skipped, unchanged, duplicates.
 *   5. maxUsers cap over the users that would change -> fails before any write.
 *   6. Dry run stops here. Otherwise write in sObject Collections calls of <= 200 records,
 *      retrying transient failures only after re-reading state (salesforce/writeExecution.ts).
 *   7. One result per item; without Continue On Fail any failure becomes a node error that
 *      still lists who was changed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import { parseUserReference } from '../../salesforce/ids';
import { chunk, inList } from '../../salesforce/soql';
import type { UserLookupResult } from '../../salesforce/userLookup';
import { LOOKUP_BATCH_SIZE, USER_BASE_FIELDS, fetchFrozenState, findUser, lookupUsers } from '../../salesforce/userLookup';
import type { RecordSaveResult, WriteIo } from '../../salesforce/writeExecution';
import { DEFAULT_EXECUTE_OPTIONS, executeWrites } from '../../salesforce/writeExecution';
import type {
	FieldValues,
	ItemSafetyOptions,
	PlannedUser,
	TargetState,
	UserOutcome,
	WriteAction,
	WriteError,
	WriteIntent,
	WriteItemResult,
} from '../../salesforce/writePlan';
import {
	buildResults,
	capExceededMessage,
	combineSafetyOptions,
	failureSummary,
	invalidMaxUsers,
	planWrites,
} from '../../salesforce/writePlan';
import type { SalesforceSession } from '../../transport';
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
	/**
	 * The record that holds the state: the user's UserLogin (IsFrozen) or the User itself
	 * (IsActive, UserPermissions*).
	 */
	target: 'User' | 'UserLogin';
	/** The field values item `itemIndex` asks for, validated (no network). */
	wantedValues(this: IExecuteFunctions, itemIndex: number): Parsed<FieldValues>;
	unchangedReason(wanted: FieldValues): string;
	dryRunReason(patch: FieldValues): string;
	changedReason?(patch: FieldValues): string | undefined;
	/** Admin guidance for a record Salesforce refused (deactivation blockers). */
	guidance?(error: WriteError): string | undefined;
}

/** Retry pacing; tests may shorten the pause. */
export const writeRetryOptions = { maxRetries: DEFAULT_EXECUTE_OPTIONS.maxRetries, backoffMs: DEFAULT_EXECUTE_OPTIONS.backoffMs };

interface ValidItem {
	intent: WriteIntent;
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
	const valid: ValidItem[] = [];
	const itemOptions: ItemSafetyOptions[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const parsed = readItem.call(this, itemIndex, spec);
		if (parsed.options) itemOptions.push(parsed.options);
		if (parsed.ok) {
			valid.push({ intent: parsed.intent });
			continue;
		}
		const message = `Item ${itemIndex}: "${parsed.field}" ${parsed.reason}`;
		if (!continueOnFail) {
			throw new NodeOperationError(node, message, { itemIndex, description: 'Nothing was changed: every item is checked before any call to Salesforce.' });
		}
		results.push({
			itemIndex,
			id: null,
			username: parsed.rawUser ?? null,
			action: spec.action,
			result: 'failed',
			error: { code: 'INVALID_PARAMETER', message },
		});
	}
	const safety = combineSafetyOptions(itemOptions);

	if (valid.length > 0) {
		const intents = valid.map((v) => v.intent);
		results.push(...(await runValidItems.call(this, spec, intents, settings, safety, continueOnFail)));
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

async function runValidItems(
	this: IExecuteFunctions,
	spec: WriteActionSpec,
	intentsIn: WriteIntent[],
	settings: Awaited<ReturnType<typeof readCredentialSettings>>,
	safety: ReturnType<typeof combineSafetyOptions>,
	continueOnFail: boolean,
): Promise<WriteItemResult[]> {
	const node = this.getNode();
	let intents = intentsIn;

	// 3. Sign in and read the current state, in batches.
	let session: SalesforceSession;
	let lookup: UserLookupResult;
	let state: Map<string, TargetState>;
	let adminPermissionSets: Map<string, string> | undefined;
	try {
		session = await connect.call(this, settings);
		const read = await readUsersAndState(session, spec, intents);
		({ lookup, state, intents } = read);
		if (!safety.allowAdmins && lookup.byId.size > 0) adminPermissionSets = await readAdminPermissionSets(session);
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

	// 4. Plan.
	const plan = planWrites(intents, {
		findUser: (ref) => findUser(lookup, ref) as PlannedUser | undefined,
		state,
		connectedUserId: session.userId,
		safety,
		adminPermissionSets,
		unchangedReason: spec.unchangedReason,
		missingTargetError: (user) => ({
			code: 'USER_LOGIN_NOT_FOUND',
			message: `Salesforce has no ${spec.target} record for ${user.Username}, so it cannot be changed`,
		}),
	});

	// Users that cannot be found fail the run before anything is written (unless Continue On Fail).
	const unresolved = plan.items.filter((item) => item.decision.kind === 'failed');
	if (unresolved.length > 0 && !continueOnFail) {
		const lines = unresolved.map((item) => {
			const error = (item.decision as { error: WriteError }).error;
			return `- item ${item.itemIndex}: ${error.code}: ${error.message}`;
		});
		throw new NodeOperationError(node, `${spec.label}: ${unresolved.length} of ${intents.length} users cannot be acted on; nothing was changed`, {
			itemIndex: unresolved[0].itemIndex,
			description: `${lines.join('\n')}\nFix the input, or turn on "Continue On Fail" to act on the others and get these back as failed items.`,
		});
	}

	// 5. The cap: before any write, and in a dry run too, so a dry run predicts the real run.
	const capMessage = capExceededMessage(plan, safety.maxUsers, spec.label);
	if (capMessage) {
		throw new NodeOperationError(node, capMessage, {
			description: 'Raise "Max Users" in the options if this many changes are intended, or narrow the input (e.g. filters of Get Users).',
		});
	}

	// 6. Write (unless a dry run).
	let outcomes = new Map<string, UserOutcome>();
	if (!safety.dryRun && plan.writes.length > 0) {
		const fields = [...new Set(plan.writes.flatMap((w) => Object.keys(w.patch)))];
		outcomes = await executeWrites(plan.writes, writeIo(session, spec, fields), {
			...writeRetryOptions,
			chunkSize: DEFAULT_EXECUTE_OPTIONS.chunkSize,
			guidance: spec.guidance,
		});
	}
	return buildResults(spec.action, plan, outcomes, safety.dryRun, spec);
}

/** Parameters of one item, validated without any call. */
function readItem(
	this: IExecuteFunctions,
	itemIndex: number,
	spec: WriteActionSpec,
):
	| { ok: true; intent: WriteIntent; options: ItemSafetyOptions }
	| { ok: false; field: string; reason: string; options?: ItemSafetyOptions; rawUser?: string } {
	let options: ItemSafetyOptions;
	try {
		const raw = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const problem = invalidMaxUsers(raw.maxUsers);
		if (problem) return { ok: false, field: 'Options > Max Users', reason: problem };
		if (raw.protectedUsernames !== undefined && typeof raw.protectedUsernames !== 'string') {
			return { ok: false, field: 'Options > Protected Usernames', reason: 'must be text (comma-separated usernames)' };
		}
		options = {
			dryRun: raw.dryRun === true,
			allowAdmins: raw.allowAdmins === true,
			maxUsers: raw.maxUsers as number | undefined,
			protectedUsernames: raw.protectedUsernames as string | undefined,
		};
	} catch (error) {
		return { ok: false, field: 'Options', reason: `could not be read: ${(error as Error).message}` };
	}

	let rawUser: unknown;
	try {
		rawUser = this.getNodeParameter('userId', itemIndex);
	} catch (error) {
		return { ok: false, field: 'userId', reason: `could not be read: ${(error as Error).message}`, options };
	}
	const ref: UserReference = parseUserReference(rawUser);
	const shownUser = typeof rawUser === 'string' ? rawUser : undefined;
	if (ref.kind === 'invalid') return { ok: false, field: 'userId', reason: ref.reason, options, rawUser: shownUser };

	let wanted: Parsed<FieldValues>;
	try {
		wanted = spec.wantedValues.call(this, itemIndex);
	} catch (error) {
		return { ok: false, field: 'parameters', reason: `could not be read: ${(error as Error).message}`, options, rawUser: shownUser };
	}
	if (!wanted.ok) return { ok: false, field: wanted.field, reason: wanted.reason, options, rawUser: shownUser };
	return { ok: true, intent: { itemIndex, ref, wanted: wanted.value }, options };
}

/**
 * The named users (one SOQL per 500 IDs or usernames) and the current state of the records the
 * action writes: from the same User rows, or from UserLogin (one SOQL per 500 users).
 */
async function readUsersAndState(
	session: SalesforceSession,
	spec: WriteActionSpec,
	intentsIn: WriteIntent[],
): Promise<{ lookup: UserLookupResult; state: Map<string, TargetState>; intents: WriteIntent[] }> {
	let intents = intentsIn;
	const refs = intents.map((i) => i.ref);
	let fields = spec.target === 'User' ? wantedFields(intents) : [];
	let lookup: UserLookupResult;
	try {
		lookup = await lookupUsers(session, refs, [...USER_BASE_FIELDS, ...fields]);
	} catch (error) {
		if (fields.length === 0 || describeSalesforceError(error).code !== 'INVALID_FIELD') throw error;
		// A field this org (or the connected user) does not have, e.g. a feature license the
		// org never bought: nobody can hold it, so it is dropped from what the items want.
		const described = await describeSObject(session, 'User');
		const existing = new Set(described.fields.map((f) => f.name));
		fields = fields.filter((f) => existing.has(f));
		intents = intents.map((intent) => ({
			...intent,
			wanted: Object.fromEntries(Object.entries(intent.wanted).filter(([field]) => existing.has(field))),
		}));
		lookup = await lookupUsers(session, refs, [...USER_BASE_FIELDS, ...fields]);
	}

	// User fields came with the look-up; UserLogin needs its own (batched) query.
	const state = new Map<string, TargetState>();
	if (spec.target === 'User') {
		for (const user of lookup.byId.values()) state.set(user.Id as string, { recordId: user.Id as string, values: user });
		return { lookup, state, intents };
	}
	return { lookup, state: await readTargetState(session, spec, fields, [...lookup.byId.keys()]), intents };
}

/**
 * Users granted "Modify All Data" through a permission set rather than their profile. Asked
 * org-wide (such users are few), so it is one query however many users the run names.
 */
export const ADMIN_PERMISSION_SET_SOQL =
	'SELECT AssigneeId, PermissionSet.Label FROM PermissionSetAssignment WHERE PermissionSet.PermissionsModifyAllData = true AND PermissionSet.IsOwnedByProfile = false';

async function readAdminPermissionSets(session: SalesforceSession): Promise<Map<string, string>> {
	const admins = new Map<string, string>();
	for (const row of await queryAll(session, ADMIN_PERMISSION_SET_SOQL)) {
		const label = ((row.PermissionSet as IDataObject | undefined)?.Label as string | undefined) ?? 'unnamed';
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
function writeIo(session: SalesforceSession, spec: WriteActionSpec, fields: string[]): WriteIo {
	return {
		update: async (records) =>
			await cleanErrors(async () => (await updateRecords(session, spec.target, records)) as RecordSaveResult[]),
		readState: async (userIds) => await cleanErrors(async () => await readTargetState(session, spec, fields, userIds)),
		sleep: async (ms) => await new Promise<void>((resolve) => setTimeout(resolve, ms)),
	};
}

/** Fresh state of the users' target records (re-read before a retry). */
async function readTargetState(
	session: SalesforceSession,
	spec: WriteActionSpec,
	fields: string[],
	userIds: string[],
): Promise<Map<string, TargetState>> {
	const state = new Map<string, TargetState>();
	if (spec.target === 'UserLogin') {
		for (const [userId, login] of await fetchFrozenState(session, userIds)) {
			state.set(userId, { recordId: login.userLoginId, values: { IsFrozen: login.isFrozen } });
		}
		return state;
	}
	const select = `SELECT ${['Id', ...fields].join(', ')} FROM User`;
	for (const group of chunk(userIds, LOOKUP_BATCH_SIZE)) {
		for (const user of await queryAll(session, `${select} WHERE Id IN ${inList(group)}`)) {
			state.set(user.Id as string, { recordId: user.Id as string, values: user });
		}
	}
	return state;
}

function toExecutionData(result: WriteItemResult): INodeExecutionData {
	const { itemIndex, ...rest } = result;
	const json: IDataObject = { ...rest } as unknown as IDataObject;
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return { json, pairedItem: { item: itemIndex } };
}
