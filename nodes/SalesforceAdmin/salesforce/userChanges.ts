/**
 * The user-change trigger, the pure part: from the User and UserLogin rows modified since the
 * last poll and the last known state of the users that are not in the usual state (inactive,
 * frozen), which users were created, deactivated, activated, frozen or unfrozen.
 *
 * Salesforce keeps no history of these fields that the API can read cheaply, only the current
 * values and who modified the record last and when. So a change is the difference between the
 * current value and the last one seen; what happens and is undone between two polls (frozen,
 * then unfrozen) is not seen, and "changed by / at" is the record's last modification.
 */
import type { IDataObject } from 'n8n-workflow';

import { toIsoUtc } from './dates';
import { to18CharId } from './ids';
import type { WindowCursor, WindowOptions, WindowRow } from './pollWindow';
import { advanceCursor, freshRows, salesforceMillis } from './pollWindow';
import type { User, UserLogin } from './records';
import { soqlDateTime, whereAll } from './soql';
import type { DateTime } from 'luxon';

export type UserChange = 'created' | 'deactivated' | 'activated' | 'frozen' | 'unfrozen';

export interface ChangeEvent {
	userId: string;
	change: UserChange;
	changedAt: string | null;
	changedById: string | null;
}

/**
 * What the trigger knows of one state (inactive, frozen): the IDs of the users in it or, when
 * the org has too many of those, of the users not in it (`others`), most recently changed last.
 * Bounded: past `maxTracked` the oldest are forgotten and `complete` turns false; a user it
 * does not know is then in neither list for sure, and a change of theirs is not reported.
 */
export interface TrackedUsers {
	ids: string[];
	/** The IDs are of the users NOT in the state (an org with more inactive users than active ones). */
	others?: boolean;
	complete: boolean;
}

export interface UserStates {
	inactive: TrackedUsers;
	frozen: TrackedUsers;
}

/** The shape versions before TrackedUsers stored: the IDs in the state, one completeness flag. */
interface LegacyUserStates {
	inactive: string[];
	frozen: string[];
	complete: boolean;
}

/** A stored state as UserStates (an older stored shape is read, not thrown away). */
export function upgradeStates(stored: UserStates | LegacyUserStates): UserStates {
	if (!Array.isArray(stored.inactive)) return stored as UserStates;
	const legacy = stored as LegacyUserStates;
	return {
		inactive: { ids: legacy.inactive, complete: legacy.complete },
		frozen: { ids: legacy.frozen, complete: legacy.complete },
	};
}

export const USER_CHANGE_FIELDS = [
	'Id',
	'IsActive',
	'CreatedDate',
	'CreatedById',
	'LastModifiedDate',
	'LastModifiedById',
] as const;
export const USER_LOGIN_CHANGE_FIELDS = [
	'Id',
	'UserId',
	'IsFrozen',
	'LastModifiedDate',
	'LastModifiedById',
] as const;

/** Users modified at or after `from` (creation is a modification), oldest first, one page. */
export function modifiedUsersQuery(from: DateTime, maxRows: number): string {
	return (
		`SELECT ${USER_CHANGE_FIELDS.join(', ')} FROM User` +
		whereAll([`LastModifiedDate >= ${soqlDateTime(from)}`]) +
		` ORDER BY LastModifiedDate ASC, Id ASC LIMIT ${maxRows}`
	);
}

/** UserLogin rows (freeze, unfreeze, password lock) modified at or after `from`, oldest first. */
export function modifiedUserLoginsQuery(from: DateTime, maxRows: number): string {
	return (
		`SELECT ${USER_LOGIN_CHANGE_FIELDS.join(', ')} FROM UserLogin` +
		whereAll([`LastModifiedDate >= ${soqlDateTime(from)}`]) +
		` ORDER BY LastModifiedDate ASC, Id ASC LIMIT ${maxRows}`
	);
}

/** The baseline of a first activation: the users not in the usual state, newest changes first. */
export const INACTIVE_USERS_QUERY =
	'SELECT Id FROM User WHERE IsActive = false ORDER BY LastModifiedDate DESC';
/** When there are more inactive users than can be kept: the active ones instead. */
export const ACTIVE_USERS_QUERY =
	'SELECT Id FROM User WHERE IsActive = true ORDER BY LastModifiedDate DESC';

/** Fetch Test Event's "created": the newest users. */
export function newestUsersQuery(limit: number): string {
	return `SELECT ${USER_CHANGE_FIELDS.join(', ')} FROM User ORDER BY CreatedDate DESC LIMIT ${limit}`;
}

/** Fetch Test Event's "deactivated": inactive users, the last modified first. */
export function lastDeactivatedUsersQuery(limit: number): string {
	return `SELECT ${USER_CHANGE_FIELDS.join(', ')} FROM User WHERE IsActive = false ORDER BY LastModifiedDate DESC LIMIT ${limit}`;
}

const id18 = (value: unknown): string | null => {
	if (typeof value !== 'string' || !value) return null;
	return to18CharId(value) ?? value;
};

/**
 * A baseline query's IDs (newest first; read up to maxTracked + 1, so a full set shows) as the
 * tracked users: complete when they all fit, else the newest maxTracked.
 */
export function trackedBaseline(
	ids: readonly unknown[],
	maxTracked: number,
	others = false,
): TrackedUsers {
	const kept = ids
		.slice(0, maxTracked)
		.map(id18)
		.filter((v): v is string => !!v)
		.reverse();
	return { ids: kept, ...(others ? { others } : {}), complete: ids.length <= maxTracked };
}

/**
 * Whether the user was in the state as last known: undefined when the tracked users cannot tell
 * (not complete, and the user is not among those kept).
 */
function knownInState(tracked: TrackedUsers, userId: string): boolean | undefined {
	const kept = tracked.ids.includes(userId);
	if (!kept && !tracked.complete) return undefined;
	return tracked.others ? !kept : kept;
}

/** Notes a user's state; the list keeps its most recent `max` entries, and says when it cut. */
function track(tracked: TrackedUsers, userId: string, inState: boolean, max: number): TrackedUsers {
	const ids = tracked.ids.filter((id) => id !== userId);
	if (inState !== (tracked.others === true)) ids.push(userId);
	const cut = ids.length > max;
	return {
		...tracked,
		ids: cut ? ids.slice(ids.length - max) : ids,
		complete: tracked.complete && !cut,
	};
}

interface RowWithRecord<R> extends WindowRow {
	record: R;
}

/** A modification is identified by record and time: the same user modified again is a new row. */
function modificationRows<R extends User | UserLogin>(records: readonly R[]): RowWithRecord<R>[] {
	return records.map((record) => ({
		id: `${String(record.Id)}@${String(record.LastModifiedDate)}`,
		time: salesforceMillis(record.LastModifiedDate),
		record,
	}));
}

export interface ChangeResult {
	events: ChangeEvent[];
	cursor: WindowCursor;
	states: UserStates;
}

/** What one kind of row tells: which tracked set, whose row it is, and the names of its changes. */
interface Watch<R extends User | UserLogin> {
	set: 'inactive' | 'frozen';
	userId: (record: R) => unknown;
	inState: (record: R) => boolean;
	/** The change into the state, and out of it. */
	changes: [UserChange, UserChange];
	/** User rows also tell creations: when and by whom the user was created. */
	created?: (record: R) => { at: unknown; by: unknown };
}

const ACTIVE_WATCH: Watch<User> = {
	set: 'inactive',
	userId: (record) => record.Id,
	inState: (record) => record.IsActive === false,
	changes: ['deactivated', 'activated'],
	created: (record) => ({ at: record.CreatedDate, by: record.CreatedById }),
};

const FROZEN_WATCH: Watch<UserLogin> = {
	set: 'frozen',
	userId: (record) => record.UserId,
	inState: (record) => record.IsFrozen === true,
	changes: ['frozen', 'unfrozen'],
};

/**
 * The changes in the window's rows not read before. Created: CreatedDate in the window and not
 * reported before (kept in the cursor as `c:<id>`). Into / out of a state: the value differs from
 * the last known one. A user created in the window was created in the usual state (active, not
 * frozen) unless a poll saw otherwise, so a user created and deactivated soon after (in the
 * same poll, or in the next one inside the overlap) reports both. A user the tracked list
 * cannot place (an org with more inactive users than it keeps) reports no change: it may have
 * been in that state for years.
 */
function detect<R extends User | UserLogin>(
	watch: Watch<R>,
	cursor: WindowCursor,
	records: readonly R[],
	states: UserStates,
	options: WindowOptions & { maxTracked: number },
): ChangeResult {
	const rows = modificationRows(records);
	const events: ChangeEvent[] = [];
	const seen = { ...cursor.seen };
	let tracked = states[watch.set];
	for (const { record } of freshRows(cursor, rows)) {
		const userId = id18(watch.userId(record));
		if (!userId) continue;
		const created = watch.created?.(record);
		const createdAt = salesforceMillis(created?.at);
		const isNew = created !== undefined && createdAt >= cursor.from;
		const firstSight = !(`c:${userId}` in seen);
		if (isNew && firstSight) {
			events.push({
				userId,
				change: 'created',
				changedAt: toIsoUtc(created.at),
				changedById: id18(created.by),
			});
			seen[`c:${userId}`] = createdAt;
		}
		const inState = watch.inState(record);
		// a new user: in the usual state at creation, then as the polls since saw them
		const before = isNew
			? !firstSight && knownInState({ ...tracked, complete: true }, userId)
			: knownInState(tracked, userId);
		if (before !== undefined && before !== inState) {
			events.push({
				userId,
				change: watch.changes[inState ? 0 : 1],
				changedAt: toIsoUtc(record.LastModifiedDate),
				changedById: id18(record.LastModifiedById),
			});
		}
		tracked = track(tracked, userId, inState, options.maxTracked);
	}
	return {
		events,
		cursor: advanceCursor({ from: cursor.from, seen }, rows, options),
		states: { ...states, [watch.set]: tracked },
	};
}

type Detect<R> = (
	cursor: WindowCursor,
	records: readonly R[],
	states: UserStates,
	options: WindowOptions & { maxTracked: number },
) => ChangeResult;

/** User rows -> created, deactivated and activated. */
export const detectUserChanges: Detect<User> = (...args) => detect(ACTIVE_WATCH, ...args);

/** UserLogin rows -> frozen and unfrozen (a password lock alone changes nothing). */
export const detectFreezeChanges: Detect<UserLogin> = (...args) => detect(FROZEN_WATCH, ...args);

/** The output item: the user as Get users gives it, the change, and who made it when. */
export function changeItem(
	event: ChangeEvent,
	user: IDataObject | undefined,
	changedBy: { username: string | null; name: string | null },
): IDataObject {
	return {
		...(user ?? { id: event.userId }),
		change: event.change,
		changedAt: event.changedAt,
		changedBy: { id: event.changedById, ...changedBy },
	};
}
