/**
 * Planning of write actions (freeze, unfreeze, deactivate, activate, remove feature licenses),
 * with no I/O: given what the input items ask for, the users Salesforce returned and the
 * current state of the records a write would change, decide per item what happens. Every
 * safety rule of the write actions lives here, so it can be tested on its own.
 */
import type { UserReference } from './ids';
import { to18CharId } from './ids';
import type { SafetyOptions } from './safetyOptions';

export type { InvalidSafetyOptions, ItemSafetyOptions, SafetyOptions } from './safetyOptions';
export {
	DEFAULT_MAX_USERS,
	combineSafetyOptions,
	invalidMaxUsers,
	parseProtectedList,
	parseSafetyOptions,
} from './safetyOptions';

export type WriteAction =
	| 'freeze'
	| 'unfreeze'
	| 'deactivate'
	| 'activate'
	| 'removeFeatureLicenses'
	| 'removePackageLicenses'
	| 'removePermissionSetLicenses'
	| 'removePermissionSets'
	| 'removeFromGroups'
	| 'offboard';
export type WriteResult = 'changed' | 'unchanged' | 'dryRun' | 'skipped' | 'failed';

/** Field name -> the value the action wants it to have (all the fields we write are booleans). */
export type FieldValues = Record<string, boolean>;

export interface WriteError {
	code: string;
	message: string;
	/** What a Salesforce admin can do about it, where we know. */
	guidance?: string;
}

/** The record a write changes (the User itself or its UserLogin) and its current values. */
export interface TargetState {
	recordId: string;
	values: Record<string, unknown>;
}

/** The few User fields the safety rules look at (as queried by lookupUsers). */
export interface PlannedUser {
	Id: string;
	Username: string;
	Profile?: { Name?: string | null; PermissionsModifyAllData?: boolean | null } | null;
	[field: string]: unknown;
}

/** One valid input item: which user it names and what it wants written. */
export interface WriteIntent {
	itemIndex: number;
	ref: Exclude<UserReference, { kind: 'invalid' }>;
	wanted: FieldValues;
}

export type ItemDecision =
	| { kind: 'failed'; error: WriteError }
	| { kind: 'skipped'; reason: string }
	| { kind: 'unchanged'; reason: string }
	/** This item's wish is part of its user's write. */
	| { kind: 'write'; patch: FieldValues }
	/** Already as wanted because an earlier attempt of this node run wrote it (Retry On Fail). */
	| { kind: 'changedEarlier'; patch: FieldValues };

export interface PlannedItem {
	itemIndex: number;
	/** 18-char ID (from Salesforce when found, else from the input). */
	id: string | null;
	username: string | null;
	userId?: string;
	decision: ItemDecision;
	/** The first item that named the same user, when this one is a repeat. */
	duplicateOf?: number;
}

/** One write per user, however many items named them. */
export interface UserWrite {
	userId: string;
	username: string;
	recordId: string;
	patch: FieldValues;
	itemIndexes: number[];
}

export interface WritePlan {
	items: PlannedItem[];
	writes: UserWrite[];
}

export interface PlanContext {
	findUser(ref: WriteIntent['ref']): PlannedUser | undefined;
	/** Current state of each found user's target record, by user ID; missing = no such record. */
	state: ReadonlyMap<string, TargetState>;
	connectedUserId: string;
	safety: SafetyOptions;
	/**
	 * Users granted "Modify All Data" by a permission set (not their profile), with the
	 * permission set's label: administrators too.
	 */
	adminPermissionSets?: ReadonlyMap<string, string>;
	/** "Already frozen", "None of the chosen feature licenses is on", ... */
	unchangedReason(wanted: FieldValues): string;
	/** Error for a found user whose target record is missing (e.g. no UserLogin row). */
	missingTargetError(user: PlannedUser): WriteError;
}

/**
 * A System Administrator: the profile of that name, any profile with Modify All Data, or a
 * permission set that grants Modify All Data.
 */
export function adminReason(
	user: PlannedUser,
	adminPermissionSets?: ReadonlyMap<string, string>,
): string | undefined {
	const profile = user.Profile ?? undefined;
	if (profile?.Name === 'System Administrator') {
		return 'System Administrator (profile "System Administrator"); turn on the "Allow Admins" option to include administrators';
	}
	if (profile?.PermissionsModifyAllData === true) {
		return `Administrator: profile "${profile.Name ?? '?'}" has "Modify All Data"; turn on the "Allow Admins" option to include administrators`;
	}
	const permissionSet = adminPermissionSets?.get(user.Id);
	if (permissionSet !== undefined) {
		return `Administrator: permission set "${permissionSet}" grants "Modify All Data"; turn on the "Allow Admins" option to include administrators`;
	}
	return undefined;
}

/** The safety rule that keeps this run away from the user, if any. */
export function skipReason(
	user: PlannedUser,
	ctx: Pick<PlanContext, 'connectedUserId' | 'safety' | 'adminPermissionSets'>,
): string | undefined {
	if (user.Id === to18CharId(ctx.connectedUserId)) {
		return 'This is the user the credential is connected as; write actions never change the connected user';
	}
	if (
		ctx.safety.protectedUsernames.has(user.Username.toLowerCase()) ||
		ctx.safety.protectedIds.has(user.Id)
	) {
		return 'Listed in the "Protected Usernames" option';
	}
	if (!ctx.safety.allowAdmins) return adminReason(user, ctx.adminPermissionSets);
	return undefined;
}

/** The fields whose current value differs from the wanted one, with the wanted value. */
export function diffValues(current: Record<string, unknown>, wanted: FieldValues): FieldValues {
	const patch: FieldValues = {};
	for (const [field, value] of Object.entries(wanted)) {
		if (current[field] !== value) patch[field] = value;
	}
	return patch;
}

function notFound(ref: WriteIntent['ref']): WriteError {
	return ref.kind === 'id'
		? { code: 'USER_NOT_FOUND', message: `No user with ID ${ref.id} in this org` }
		: { code: 'USER_NOT_FOUND', message: `No user with username "${ref.username}" in this org` };
}

/**
 * Decides every item: not found -> failed; connected user, protected, admin -> skipped;
 * already as wanted -> unchanged; else part of its user's single write. Items that name a
 * user an earlier item already named are marked as duplicates; the user is written once.
 */
export function planWrites(intents: readonly WriteIntent[], ctx: PlanContext): WritePlan {
	const items: PlannedItem[] = [];
	const writes = new Map<string, UserWrite>();
	const firstItemOfUser = new Map<string, number>();

	for (const intent of intents) {
		const user = ctx.findUser(intent.ref);
		if (!user) {
			items.push({
				itemIndex: intent.itemIndex,
				id: intent.ref.kind === 'id' ? intent.ref.id : null,
				username: intent.ref.kind === 'username' ? intent.ref.username : null,
				decision: { kind: 'failed', error: notFound(intent.ref) },
			});
			continue;
		}
		const first = firstItemOfUser.get(user.Id);
		if (first === undefined) firstItemOfUser.set(user.Id, intent.itemIndex);
		const planned: PlannedItem = {
			itemIndex: intent.itemIndex,
			id: user.Id,
			username: user.Username,
			userId: user.Id,
			decision: decideForUser(user, intent.wanted, ctx),
			...(first === undefined ? {} : { duplicateOf: first }),
		};
		items.push(planned);
		if (planned.decision.kind !== 'write') continue;

		const target = ctx.state.get(user.Id) as TargetState; // decideForUser checked it exists
		const write = writes.get(user.Id) ?? {
			userId: user.Id,
			username: user.Username,
			recordId: target.recordId,
			patch: {},
			itemIndexes: [],
		};
		Object.assign(write.patch, planned.decision.patch);
		write.itemIndexes.push(intent.itemIndex);
		writes.set(user.Id, write);
	}
	return { items, writes: [...writes.values()] };
}

function decideForUser(user: PlannedUser, wanted: FieldValues, ctx: PlanContext): ItemDecision {
	const skip = skipReason(user, ctx);
	if (skip) return { kind: 'skipped', reason: skip };
	const target = ctx.state.get(user.Id);
	if (!target) return { kind: 'failed', error: ctx.missingTargetError(user) };
	const patch = diffValues(target.values, wanted);
	if (Object.keys(patch).length === 0)
		return { kind: 'unchanged', reason: ctx.unchangedReason(wanted) };
	return { kind: 'write', patch };
}

/** What an earlier attempt wrote that this item wants; empty when it wrote none of it. */
function earlierPart(earlier: FieldValues | undefined, wanted: FieldValues): FieldValues {
	const part: FieldValues = {};
	for (const [field, value] of Object.entries(earlier ?? {}))
		if (wanted[field] === value) part[field] = value;
	return part;
}

/**
 * On a re-attempt of the same node run (n8n's Retry On Fail), a user an earlier attempt changed
 * is already as wanted: such an item is credited to the earlier attempt instead of being called
 * unchanged, so the results and the error say who this execution changed.
 */
export function creditEarlierAttempts(
	plan: WritePlan,
	intents: readonly WriteIntent[],
	earlier: ReadonlyMap<string, FieldValues>,
): WritePlan {
	if (earlier.size === 0) return plan;
	const wantedOf = new Map(intents.map((i) => [i.itemIndex, i.wanted]));
	const items = plan.items.map((item): PlannedItem => {
		if (item.decision.kind !== 'unchanged' || !item.userId) return item;
		const patch = earlierPart(earlier.get(item.userId), wantedOf.get(item.itemIndex) ?? {});
		return Object.keys(patch).length
			? { ...item, decision: { kind: 'changedEarlier', patch } }
			: item;
	});
	return { ...plan, items };
}

export const EARLIER_ATTEMPT_NOTE =
	'changed by an earlier attempt of this execution (the node was retried)';

/** What finally happened to one user's write. */
export type UserOutcome =
	| { kind: 'changed'; note?: string }
	| { kind: 'unchanged'; reason: string }
	| { kind: 'failed'; error: WriteError };

/** The output of one item. */
export interface WriteItemResult {
	itemIndex: number;
	id: string | null;
	username: string | null;
	action: WriteAction;
	result: WriteResult;
	reason?: string;
	error?: WriteError;
	duplicateOf?: number;
}

export interface ResultText {
	/** "Would freeze the user" (dry run), given the item's own patch. */
	dryRunReason(patch: FieldValues): string;
	/** Extra detail for a changed item ("Removed Marketing, Flow"), given its own patch. */
	changedReason?(patch: FieldValues): string | undefined;
}

/** Turns the plan plus each written user's outcome into one result per item. */
export function buildResults(
	action: WriteAction,
	plan: WritePlan,
	outcomes: ReadonlyMap<string, UserOutcome>,
	dryRun: boolean,
	text: ResultText,
): WriteItemResult[] {
	return plan.items.map((item) => {
		const base = { itemIndex: item.itemIndex, id: item.id, username: item.username, action };
		const result = resultOf(item, outcomes, dryRun, text);
		const out: WriteItemResult = { ...base, ...result };
		if (item.duplicateOf !== undefined) {
			out.duplicateOf = item.duplicateOf;
			const note = `Same user as item ${item.duplicateOf}; acted on once`;
			out.reason = out.reason ? `${out.reason} (${note})` : note;
		}
		return out;
	});
}

function resultOf(
	item: PlannedItem,
	outcomes: ReadonlyMap<string, UserOutcome>,
	dryRun: boolean,
	text: ResultText,
): Pick<WriteItemResult, 'result' | 'reason' | 'error'> {
	const d = item.decision;
	if (d.kind === 'failed') return { result: 'failed', error: d.error };
	if (d.kind === 'skipped') return { result: 'skipped', reason: d.reason };
	if (d.kind === 'unchanged') return { result: 'unchanged', reason: d.reason };
	if (d.kind === 'changedEarlier') {
		return {
			result: 'changed',
			reason: [text.changedReason?.(d.patch), EARLIER_ATTEMPT_NOTE].filter(Boolean).join('; '),
		};
	}
	if (dryRun) return { result: 'dryRun', reason: text.dryRunReason(d.patch) };

	const outcome = outcomes.get(item.userId as string);
	if (!outcome) {
		// Cannot happen when every planned write was executed; never report a guess.
		return {
			result: 'failed',
			error: { code: 'OUTCOME_UNKNOWN', message: 'The write for this user was not attempted' },
		};
	}
	if (outcome.kind === 'failed') return { result: 'failed', error: outcome.error };
	if (outcome.kind === 'unchanged') return { result: 'unchanged', reason: outcome.reason };
	const reason = [text.changedReason?.(d.patch), outcome.note].filter(Boolean).join('; ');
	return reason ? { result: 'changed', reason } : { result: 'changed' };
}

function describeUser(r: WriteItemResult): string {
	if (r.username && r.id) return `${r.username} (${r.id})`;
	return r.username ?? r.id ?? `item ${r.itemIndex}`;
}

/**
 * The node error of a run with failed items (without Continue On Fail): a message with the
 * counts, and a description that lists every changed user and every failure, so a partial
 * failure never hides what was done.
 */
export function failureSummary(
	actionLabel: string,
	results: readonly WriteItemResult[],
): { message: string; description: string; firstFailedItem: number } | undefined {
	const failed = results.filter((r) => r.result === 'failed');
	if (failed.length === 0) return undefined;
	const changed = uniqueBy(
		results.filter((r) => r.result === 'changed'),
		(r) => r.id ?? '',
	);
	const message = `${actionLabel}: ${failed.length} of ${results.length} items failed; ${changed.length} users were changed`;
	const lines = [
		changed.length
			? `Changed (${changed.length}): ${changed.map(describeUser).join(', ')}`
			: 'Changed: none',
		`Failed (${failed.length}):`,
		...failed.map(
			(r) =>
				`- item ${r.itemIndex}: ${describeUser(r)}: ${r.error?.code}: ${r.error?.message}${r.error?.guidance ? ` ${r.error.guidance}` : ''}`,
		),
		'Turn on "Continue On Fail" (Settings > On Error) to get one result item per user instead of this error.',
	];
	return { message, description: lines.join('\n'), firstFailedItem: failed[0].itemIndex };
}

function uniqueBy<T>(values: readonly T[], key: (v: T) => string): T[] {
	const seen = new Set<string>();
	return values.filter((v) => {
		const k = key(v);
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}
