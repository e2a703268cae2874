/**
 * User change: users created, deactivated, activated, frozen or unfrozen. Two window queries a
 * poll (User and UserLogin by LastModifiedDate); the users not in the usual state (inactive,
 * frozen) are remembered so a modification can be told from a change (see salesforce/userChanges).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readUserNames } from '../reads/userNameReader';
import { readableUserFeatureFields } from '../reads/featureFields';
import { FrozenStateReader, lookupUsers, readFrozenUsers } from '../reads/lookUpUsers';
import {
	readModifiedUserLogins,
	readModifiedUsers,
	readUserIds,
	readUsers,
} from '../reads/changedUsers';
import { toIsoUtc } from '../salesforce/dates';
import type { WindowCursor } from '../salesforce/pollWindow';
import type { User, UserLogin } from '../salesforce/records';
import { initialCursor } from '../salesforce/pollWindow';
import type { ChangeEvent, UserChange, UserStates } from '../salesforce/userChanges';
import {
	ACTIVE_USERS_QUERY,
	changeItem,
	detectFreezeChanges,
	detectUserChanges,
	INACTIVE_USERS_QUERY,
	lastDeactivatedUsersQuery,
	newestUsersQuery,
	trackedBaseline,
	upgradeStates,
} from '../salesforce/userChanges';
import { namesOf } from '../salesforce/userNames';
import { mapUser } from '../salesforce/userMapping';
import { userSelectFields } from '../salesforce/userQuery';
import type { PollInput, TriggerEvent } from './event';
import { forEvent, SAMPLE_SIZE } from './event';

/**
 * User and UserLogin rows are written in the transaction that changes them, so they are late
 * only by a transaction's length; 5 minutes is ample. Rows read twice are dropped by
 * (ID, LastModifiedDate).
 */
export const USER_OVERLAP_MS = 5 * 60_000;
export const USER_MAX_ROWS = 2000;
export const USER_MAX_SEEN = 5000;
/**
 * Users remembered at most per state (about 21 characters of static data each): the inactive
 * ones, or the active ones where those are fewer; the frozen ones.
 */
export const USER_MAX_TRACKED = 5000;

const CHANGES: UserChange[] = ['created', 'deactivated', 'activated', 'frozen', 'unfrozen'];

interface Params {
	changes: UserChange[];
}

interface State {
	users: WindowCursor;
	logins: WindowCursor;
	states: UserStates;
}

const windowOptions = (now: number) => ({
	now,
	overlapMs: USER_OVERLAP_MS,
	maxRows: USER_MAX_ROWS,
	maxSeen: USER_MAX_SEEN,
	maxTracked: USER_MAX_TRACKED,
});

/** The events as output items: one look-up of the users (as Get users gives them) and of who changed them. */
async function toItems(input: PollInput<Params>, events: ChangeEvent[]): Promise<IDataObject[]> {
	if (events.length === 0) return [];
	const { session } = input;
	// a poll has no output pane: the read's notices are left out
	const { data: featureFields } = await readableUserFeatureFields(session);
	const ids = [...new Set(events.map((e) => e.userId))];
	const lookup = await lookupUsers(
		session,
		ids.map((id) => ({ kind: 'id' as const, id })),
		userSelectFields(featureFields),
	);
	const frozen = await new FrozenStateReader(session).frozenIds([...lookup.byId.keys()]);
	const actors = await readUserNames(
		session,
		events.map((e) => e.changedById),
	);
	const now = DateTime.fromMillis(input.now, { zone: 'utc' });
	const users = new Map<string, IDataObject>();
	for (const [id, record] of lookup.byId)
		users.set(
			id,
			mapUser(record, { isFrozen: frozen ? frozen.has(id) : null, featureFields, now }),
		);
	return events.map((e) => changeItem(e, users.get(e.userId), namesOf(actors, e.changedById)));
}

const byTime = (a: ChangeEvent, b: ChangeEvent) =>
	String(a.changedAt).localeCompare(String(b.changedAt));

export const userChange: TriggerEvent<Params, State> = {
	description: forEvent('userChange', [
		{
			displayName: 'Changes',
			name: 'changes',
			type: 'multiOptions',
			options: [
				{ name: 'Activated', value: 'activated' },
				{ name: 'Created', value: 'created' },
				{ name: 'Deactivated', value: 'deactivated' },
				{ name: 'Frozen', value: 'frozen' },
				{ name: 'Unfrozen', value: 'unfrozen' },
			],
			default: [],
			description: 'Which changes fire (all when none is picked)',
		},
	]),

	parse(ctx: IPollFunctions): Params {
		const raw = ctx.getNodeParameter('changes', []) as unknown;
		const picked = Array.isArray(raw)
			? raw.map(String)
			: typeof raw === 'string'
				? raw
						.split(',')
						.map((s) => s.trim())
						.filter(Boolean)
				: undefined;
		const wrong = picked?.find((c) => !(CHANGES as string[]).includes(c));
		if (!picked || wrong !== undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"Changes": "${String(wrong ?? raw)}" is not one of ${CHANGES.join(', ')}`,
			);
		}
		return { changes: picked.length ? (picked as UserChange[]) : CHANGES };
	},

	configKey: (params) => [...params.changes].sort().join(','),

	/**
	 * The baseline: who is inactive (or, in an org with more inactive users than it keeps, who is
	 * active) and who is frozen now; at most USER_MAX_TRACKED + 1 rows a query, to tell a full list.
	 */
	async start(input) {
		const limit = USER_MAX_TRACKED + 1;
		const ids = async (soql: string) => await readUserIds(input.session, soql, limit);
		const frozenRows = await readFrozenUsers(input.session, { newestFirst: true, limit });
		// the org's clock at the first answer: a change after it is read by the first poll
		const frozen = trackedBaseline(
			frozenRows.map((r) => r.UserId),
			USER_MAX_TRACKED,
		);
		const startedAt = input.orgNow();
		let inactive = trackedBaseline(await ids(INACTIVE_USERS_QUERY), USER_MAX_TRACKED);
		if (!inactive.complete) {
			const active = trackedBaseline(await ids(ACTIVE_USERS_QUERY), USER_MAX_TRACKED, true);
			if (active.complete) inactive = active;
		}
		return {
			users: initialCursor(startedAt),
			logins: initialCursor(startedAt),
			states: { inactive, frozen },
		};
	},

	async poll(input, state) {
		const usersFrom = DateTime.fromMillis(state.users.from, { zone: 'utc' });
		const loginsFrom = DateTime.fromMillis(state.logins.from, { zone: 'utc' });
		const userRows = await readModifiedUsers(input.session, usersFrom, USER_MAX_ROWS);
		const loginRows = await readModifiedUserLogins(input.session, loginsFrom, USER_MAX_ROWS);
		const options = windowOptions(input.orgNow());
		const states = upgradeStates(state.states);
		const users = detectUserChanges(state.users, userRows, states, options);
		const logins = detectFreezeChanges(state.logins, loginRows, users.states, options);
		// every change moves the state; only the picked ones fire
		const events = [...users.events, ...logins.events]
			.filter((e) => input.params.changes.includes(e.change))
			.sort(byTime);
		return {
			items: await toItems(input, events),
			state: { users: users.cursor, logins: logins.cursor, states: logins.states },
		};
	},

	/**
	 * Fetch Test Event: without a last known state, only what the current values show: the newest
	 * users (created), inactive users (deactivated, at their last modification) and frozen users.
	 */
	async sample(input) {
		const { session, params } = input;
		const recent = async <R extends User | UserLogin>(
			want: UserChange,
			read: () => Promise<R[]>,
			toEvent: (r: R) => ChangeEvent,
		) => (params.changes.includes(want) ? (await read()).map(toEvent) : []);
		/** A current state as a change at the record's last modification. */
		const lastModified = (change: UserChange, userId: string, r: User | UserLogin) => ({
			userId,
			change,
			changedAt: toIsoUtc(r.LastModifiedDate),
			changedById: r.LastModifiedById ?? null,
		});
		const events = [
			...(await recent<User>(
				'created',
				() => readUsers(session, newestUsersQuery(SAMPLE_SIZE)),
				(r) => ({
					userId: r.Id,
					change: 'created',
					changedAt: toIsoUtc(r.CreatedDate),
					changedById: r.CreatedById ?? null,
				}),
			)),
			...(await recent<User>(
				'deactivated',
				() => readUsers(session, lastDeactivatedUsersQuery(SAMPLE_SIZE)),
				(r) => lastModified('deactivated', r.Id, r),
			)),
			...(await recent<UserLogin>(
				'frozen',
				() => readFrozenUsers(session, { newestFirst: true, limit: SAMPLE_SIZE }),
				(r) => lastModified('frozen', r.UserId, r),
			)),
		];
		const newest = events.sort(byTime).reverse().slice(0, SAMPLE_SIZE);
		return await toItems(input, newest);
	},
};
