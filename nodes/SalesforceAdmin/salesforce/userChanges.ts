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
 * The users not in the usual state, as last seen: inactive and frozen user IDs, most recently
 * changed last. Bounded: past `maxTracked` the oldest are forgotten and `complete` turns false.
 */
export interface UserStates {
	inactive: string[];
	frozen: string[];
	/** False once a set was cut: an untracked user may then have been inactive / frozen before. */
	complete: boolean;
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
export const FROZEN_USERS_QUERY =
	'SELECT UserId FROM UserLogin WHERE IsFrozen = true ORDER BY LastModifiedDate DESC';

const id18 = (value: unknown): string | null => {
	if (typeof value !== 'string' || !value) return null;
	return to18CharId(value) ?? value;
};

/** States from the baseline queries' IDs (newest first, at most maxTracked read). */
export function baselineStates(
	inactiveIds: readonly unknown[],
	frozenIds: readonly unknown[],
	maxTracked: number,
): UserStates {
	const ids = (values: readonly unknown[]) =>
		values
			.map(id18)
			.filter((v): v is string => !!v)
			.reverse();
	return {
		inactive: ids(inactiveIds),
		frozen: ids(frozenIds),
		complete: inactiveIds.length < maxTracked && frozenIds.length < maxTracked,
	};
}

/** Marks a user in or out of a tracked set; the set keeps its most recent `max` entries. */
function track(
	set: string[],
	userId: string,
	inState: boolean,
	max: number,
): { set: string[]; cut: boolean } {
	const kept = set.filter((id) => id !== userId);
	if (inState) kept.push(userId);
	const cut = kept.length > max;
	return { set: cut ? kept.slice(kept.length - max) : kept, cut };
}

/**
 * One record against a tracked set: whether the user's state differs from the last known one,
 * the event base (the record's last modification: when and by whom) and the updated set.
 */
function stateStep(
	set: string[],
	userId: string,
	inState: boolean,
	record: User | UserLogin,
	max: number,
) {
	const changed = inState !== set.includes(userId);
	const event = {
		userId,
		changedAt: toIsoUtc(record.LastModifiedDate),
		changedById: id18(record.LastModifiedById),
	};
	return { changed, event, ...track(set, userId, inState, max) };
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
 * the last known one; a user created in the window has no earlier state.
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
	let complete = states.complete;
	for (const { record } of freshRows(cursor, rows)) {
		const userId = id18(watch.userId(record));
		if (!userId) continue;
		const created = watch.created?.(record);
		const createdAt = salesforceMillis(created?.at);
		const isNew = created !== undefined && createdAt >= cursor.from;
		if (isNew && !(`c:${userId}` in seen)) {
			events.push({
				userId,
				change: 'created',
				changedAt: toIsoUtc(created.at),
				changedById: id18(created.by),
			});
			seen[`c:${userId}`] = createdAt;
		}
		const inState = watch.inState(record);
		const step = stateStep(tracked, userId, inState, record, options.maxTracked);
		if (!isNew && step.changed)
			events.push({ ...step.event, change: watch.changes[inState ? 0 : 1] });
		tracked = step.set;
		complete &&= !step.cut;
	}
	return {
		events,
		cursor: advanceCursor({ from: cursor.from, seen }, rows, options),
		states: { ...states, [watch.set]: tracked, complete },
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
