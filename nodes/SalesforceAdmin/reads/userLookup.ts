/**
 * Batched reads of users: by ID or username, their frozen state (UserLogin), shared by Get user,
 * Get users, every write action and the trigger, so no operation spends one call per user. I/O
 * only: the SOQL pieces and limits are in salesforce/userLookup.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { to18CharId } from '../salesforce/ids';
import type { UserReference } from '../salesforce/ids';
import { chunk, inList } from '../salesforce/soql';
import type { UserLookupResult } from '../salesforce/userLookup';
import { LOOKUP_BATCH_SIZE, chunkForInList } from '../salesforce/userLookup';
import type { SalesforceSession } from '../transport';
import { queryAll, queryPages } from '../transport';

/** Reads every referenced user with one query per LOOKUP_BATCH_SIZE IDs or usernames (see chunkForInList). */
export async function lookupUsers(
	session: SalesforceSession,
	refs: readonly UserReference[],
	fields: readonly string[],
): Promise<UserLookupResult> {
	const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
	const usernames = unique(refs.flatMap((r) => (r.kind === 'username' ? [r.username.toLowerCase()] : [])));
	const select = `SELECT ${unique([...fields]).join(', ')} FROM User`;

	const records: IDataObject[] = [];
	for (const group of chunkForInList(ids)) {
		records.push(...(await queryAll(session, `${select} WHERE Id IN ${inList(group)}`)));
	}
	for (const group of chunkForInList(usernames)) {
		records.push(...(await queryAll(session, `${select} WHERE Username IN ${inList(group)}`)));
	}

	const result: UserLookupResult = { byId: new Map(), byUsername: new Map() };
	for (const record of records) {
		result.byId.set(record.Id as string, record);
		result.byUsername.set(String(record.Username).toLowerCase(), record);
	}
	return result;
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
		const rows = await queryAll(
			session,
			`SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ${inList(group)}`,
		);
		for (const row of rows) {
			state.set(row.UserId as string, { userLoginId: row.Id as string, isFrozen: row.IsFrozen === true });
		}
	}
	return state;
}

/**
 * Frozen state for pages of users, with as few calls as possible: a page of up to 500 users
 * costs one UserLogin query for exactly those users; bigger reads load the org's frozen users
 * once (`IsFrozen = true` is rare, so that is usually a single call however many users are read).
 */
export class FrozenStateReader {
	private orgFrozen: Promise<Set<string>> | undefined;

	constructor(private readonly session: SalesforceSession) {}

	async frozenIds(userIds: readonly string[]): Promise<Set<string>> {
		if (userIds.length === 0) return new Set();
		if (!this.orgFrozen && userIds.length <= LOOKUP_BATCH_SIZE) {
			const state = await fetchFrozenState(this.session, userIds);
			return new Set([...state].filter(([, s]) => s.isFrozen).map(([id]) => normalize(id)));
		}
		this.orgFrozen ??= this.loadOrgFrozen();
		return await this.orgFrozen;
	}

	private async loadOrgFrozen(): Promise<Set<string>> {
		const frozen = new Set<string>();
		for await (const page of queryPages(this.session, 'SELECT UserId FROM UserLogin WHERE IsFrozen = true')) {
			for (const row of page) frozen.add(normalize(String(row.UserId)));
		}
		return frozen;
	}
}

const normalize = (id: string) => to18CharId(id) ?? id;

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
