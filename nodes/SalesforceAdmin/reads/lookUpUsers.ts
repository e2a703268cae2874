/**
 * Batched reads of users: by ID or username, their frozen state (UserLogin), shared by Get user,
 * Get users, every write action and the trigger, so no operation spends one call per user. I/O
 * only: the SOQL pieces and limits are in salesforce/userLookup.ts.
 */
import { to18CharId } from '../salesforce/ids';
import type { UserReference } from '../salesforce/ids';
import type { User, UserLogin } from '../salesforce/records';
import type { ProtectedEntry } from '../salesforce/safetyOptions';
import { chunk } from '../salesforce/soql';
import type { UserLookupResult } from '../salesforce/userLookup';
import {
	LOOKUP_BATCH_SIZE,
	chunkForInList,
	frozenUsersQuery,
	userLoginsQuery,
	usersByIdsQuery,
	usersByUsernamesQuery,
} from '../salesforce/userLookup';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, queryAll } from '../transport';
import { largeQueryPages } from './largeQuery';

/** Reads every referenced user with one query per LOOKUP_BATCH_SIZE IDs or usernames (see chunkForInList). */
export async function lookupUsers(
	session: SalesforceSession,
	refs: readonly UserReference[],
	fields: readonly string[],
): Promise<UserLookupResult> {
	const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
	const usernames = unique(
		refs.flatMap((r) => (r.kind === 'username' ? [r.username.toLowerCase()] : [])),
	);
	const records: User[] = [];
	for (const group of chunkForInList(ids)) {
		records.push(...(await queryAll<User>(session, usersByIdsQuery(fields, group))));
	}
	for (const group of chunkForInList(usernames)) {
		records.push(...(await queryAll<User>(session, usersByUsernamesQuery(fields, group))));
	}

	const result: UserLookupResult = { byId: new Map(), byUsername: new Map() };
	for (const record of records) {
		result.byId.set(record.Id, record);
		result.byUsername.set(String(record.Username).toLowerCase(), record);
	}
	return result;
}

/** What a caller already read: users it knows exist, by 18-char ID and lower-case username. */
export interface KnownUsers {
	ids: { has(id: string): boolean };
	usernames: { has(username: string): boolean };
}

/**
 * The protected entries that name no user of the org (inactive users are users). Entries the
 * caller already knows cost nothing; the others one query per LOOKUP_BATCH_SIZE IDs and one per
 * LOOKUP_BATCH_SIZE usernames. Salesforce compares usernames case-insensitively; the entries
 * are lower case.
 */
export async function unknownProtectedEntries<E extends ProtectedEntry>(
	session: SalesforceSession,
	entries: readonly E[],
	known: KnownUsers,
): Promise<E[]> {
	const isKnown = (e: ProtectedEntry) =>
		e.kind === 'id' ? known.ids.has(e.id) : known.usernames.has(e.username);
	const toCheck = entries.filter((e) => !isKnown(e));
	if (toCheck.length === 0) return [];
	const ids = unique(toCheck.flatMap((e) => (e.kind === 'id' ? [e.id] : [])));
	const usernames = unique(toCheck.flatMap((e) => (e.kind === 'username' ? [e.username] : [])));
	const foundIds = new Set<string>();
	const foundUsernames = new Set<string>();
	for (const group of chunkForInList(ids)) {
		for (const row of await queryAll<User>(session, usersByIdsQuery(['Id'], group)))
			foundIds.add(normalize(row.Id));
	}
	for (const group of chunkForInList(usernames)) {
		for (const row of await queryAll<User>(session, usersByUsernamesQuery(['Username'], group)))
			foundUsernames.add(String(row.Username).toLowerCase());
	}
	return toCheck.filter((e) =>
		e.kind === 'id' ? !foundIds.has(e.id) : !foundUsernames.has(e.username),
	);
}

export interface FrozenState {
	userLoginId: string;
	isFrozen: boolean;
}

/** UserLogin rows of the given users (one query per LOOKUP_BATCH_SIZE users). */
export async function fetchFrozenState(
	session: SalesforceSession,
	userIds: readonly string[],
): Promise<Map<string, FrozenState>> {
	const state = new Map<string, FrozenState>();
	for (const group of chunk(unique([...userIds]), LOOKUP_BATCH_SIZE)) {
		const rows = await queryAll<UserLogin & { Id: string }>(session, userLoginsQuery(group));
		for (const row of rows) {
			state.set(row.UserId, {
				userLoginId: row.Id,
				isFrozen: row.IsFrozen === true,
			});
		}
	}
	return state;
}

/**
 * Frozen state for pages of users, with as few calls as possible: a page of up to 500 users
 * costs one UserLogin query for exactly those users; bigger reads load the org's frozen users
 * once (`IsFrozen = true` is rare, so that is usually a single call however many users are read).
 *
 * UserLogin needs "Manage Users": a read-only integration user without it cannot see frozen
 * state at all. Then `frozenIds` answers undefined (unknown, not "nobody is frozen"), once
 * learned without further calls, and the operation says so.
 */
export class FrozenStateReader {
	private orgFrozen: Promise<Set<string>> | undefined;

	/** True once Salesforce refused UserLogin to the connected user. */
	unreadable = false;

	constructor(private readonly session: SalesforceSession) {}

	/**
	 * How many users the run will ask about in all. When that is more than one batch, pages
	 * take the org-wide read anyway: it starts now, alongside the users' own read.
	 */
	expectUsers(count: number): void {
		if (count <= LOOKUP_BATCH_SIZE || this.unreadable) return;
		this.orgFrozen ??= this.loadOrgFrozen();
		// a failure is not lost: frozenIds() awaits the same promise and meets it there
		this.orgFrozen.catch(() => undefined);
	}

	async frozenIds(userIds: readonly string[]): Promise<Set<string> | undefined> {
		if (this.unreadable) return undefined;
		if (userIds.length === 0) return new Set();
		// a refusal is an answer (frozen state unknown); any other error goes on up to the node
		const frozen = await this.readFrozen(userIds).catch((error: unknown) =>
			isUserLoginRefused(error) ? undefined : Promise.reject(error),
		);
		if (!frozen) this.unreadable = true;
		return frozen;
	}

	private async readFrozen(userIds: readonly string[]): Promise<Set<string>> {
		if (!this.orgFrozen && userIds.length <= LOOKUP_BATCH_SIZE) {
			const state = await fetchFrozenState(this.session, userIds);
			return new Set([...state].filter(([, s]) => s.isFrozen).map(([id]) => normalize(id)));
		}
		this.orgFrozen ??= this.loadOrgFrozen();
		return await this.orgFrozen;
	}

	private async loadOrgFrozen(): Promise<Set<string>> {
		const frozen = new Set<string>();
		for await (const page of frozenUserPages(this.session)) {
			for (const row of page) frozen.add(normalize(row.UserId));
		}
		return frozen;
	}
}

/**
 * The org's frozen users (their UserLogin rows) page by page: the one read of them, for Get
 * users, the recommendations and the trigger. REST pages of 2,000; a Bulk API 2.0 job above
 * 20,000 rows (reads/largeQuery.ts). `newestFirst` and `limit`: the newest ones only.
 */
export async function* frozenUserPages(
	session: SalesforceSession,
	options: { newestFirst?: boolean; limit?: number } = {},
): AsyncGenerator<UserLogin[]> {
	yield* largeQueryPages<UserLogin>(session, frozenUsersQuery(options), { limit: options.limit });
}

/** The frozen users' UserLogin rows at once (see frozenUserPages). */
export async function readFrozenUsers(
	session: SalesforceSession,
	options: { newestFirst?: boolean; limit?: number } = {},
): Promise<UserLogin[]> {
	const rows: UserLogin[] = [];
	for await (const page of frozenUserPages(session, options)) rows.push(...page);
	return rows;
}

/** The notice an operation shows when frozen state could not be read. */
export const FROZEN_STATE_UNKNOWN_NOTICE =
	'"isFrozen" is null: the connected user cannot read frozen state (the UserLogin object needs the "Manage Users" permission). Everything else is complete.';

/** Salesforce hides UserLogin from users without Manage Users (INVALID_TYPE) or refuses it. */
function isUserLoginRefused(error: unknown): boolean {
	const { code, message } = describeSalesforceError(error);
	return (
		code.startsWith('INSUFFICIENT_ACCESS') || (code === 'INVALID_TYPE' && /UserLogin/.test(message))
	);
}

const normalize = (id: string) => to18CharId(id) ?? id;

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
