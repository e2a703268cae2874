/**
 * The reads of the write runner (actions/shared/writeBatch.ts): the named users with the current
 * state of the records the action writes, and the User fields of users by ID (a target's re-read
 * before a retry). Batched: one query per chunk of users, never one per user. None of them has a
 * notice to give: a refusal fails the run.
 */
import type { User } from '../salesforce/records';
import { chunk } from '../salesforce/soql';
import type { UserLookupResult } from '../salesforce/userLookup';
import { LOOKUP_BATCH_SIZE, USER_BASE_FIELDS } from '../salesforce/userLookup';
import { userFieldsSoql } from '../salesforce/writeQueries';
import type { TargetState, WriteIntent } from '../salesforce/writePlan';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, describeSObject, queryAll } from '../transport';
import { lookupUsers } from './lookUpUsers';

/** How the state of a write target's records is read (actions/shared/writeTargets.ts). */
export interface TargetStateReads {
	/** User fields the look-up reads for this target: the wanted ones when they live on User. */
	lookupFields(wantedFields: readonly string[]): string[];
	/**
	 * Current state of the looked-up users' records, by user ID (from the look-up rows, or read).
	 * `wanted`: every field the items want, for targets whose state is not User fields.
	 */
	stateAfterLookup(
		session: SalesforceSession,
		lookup: UserLookupResult,
		fields: readonly string[],
		wanted?: readonly string[],
	): Promise<Map<string, TargetState>>;
	/** Fresh state of these users' records, by user ID (re-read before a retry). */
	readState(
		session: SalesforceSession,
		fields: readonly string[],
		userIds: readonly string[],
	): Promise<Map<string, TargetState>>;
}

/** What the run rests on: the users, their records' state, and the intents as they can be met. */
export interface UsersAndState {
	lookup: UserLookupResult;
	state: Map<string, TargetState>;
	/** The intents without fields this org does not have (see readUsersAndState). */
	intents: WriteIntent[];
}

/**
 * The named users (one SOQL per 500 IDs or usernames) and the current state of the records the
 * action writes (from the same User rows, or the target's own batched query).
 */
export async function readUsersAndState(
	session: SalesforceSession,
	target: TargetStateReads,
	intentsIn: WriteIntent[],
): Promise<UsersAndState> {
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

function wantedFields(intents: readonly WriteIntent[]): string[] {
	return [...new Set(intents.flatMap((i) => Object.keys(i.wanted)))];
}

/** `fields` of these users' User records (one query per LOOKUP_BATCH_SIZE users). */
export async function readUserFields(
	session: SalesforceSession,
	fields: readonly string[],
	userIds: readonly string[],
): Promise<User[]> {
	const rows: User[] = [];
	for (const group of chunk([...userIds], LOOKUP_BATCH_SIZE)) {
		rows.push(...(await queryAll<User>(session, userFieldsSoql(fields, group))));
	}
	return rows;
}
