/**
 * The record a write action changes, and how its state is read. writeBatch knows nothing about
 * the record itself: a new write action is a spec naming one of these targets (and a new kind
 * of record, e.g. PermissionSetLicenseAssign, is one more target here).
 */
import type { User } from '../../salesforce/records';
import { chunk, inList } from '../../salesforce/soql';
import type { UserLookupResult } from '../../salesforce/userLookup';
import { LOOKUP_BATCH_SIZE } from '../../salesforce/userLookup';
import { fetchFrozenState } from '../../reads/lookUpUsers';
import type { PlannedUser, TargetState, WriteError } from '../../salesforce/writePlan';
import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';

export interface WriteTarget {
	/** The sObject the Collections update writes. */
	sobject: string;
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
	/** The error of a found user who has no such record. */
	missingRecord(user: PlannedUser): WriteError;
}

/** The state a User row holds: the row itself, keyed by its ID. */
function userRowState(rows: Iterable<User>): Map<string, TargetState> {
	const state = new Map<string, TargetState>();
	for (const row of rows) state.set(row.Id, { recordId: row.Id, values: row });
	return state;
}

/** Fields of the User record itself (IsActive, UserPermissions*): read with the look-up, no extra query. */
export const USER_RECORD: WriteTarget = {
	sobject: 'User',
	lookupFields: (wantedFields) => [...wantedFields],
	stateAfterLookup: async (_session, lookup) => userRowState(lookup.byId.values()),
	async readState(session, fields, userIds) {
		const select = `SELECT ${['Id', ...fields].join(', ')} FROM User`;
		const rows: User[] = [];
		for (const group of chunk([...userIds], LOOKUP_BATCH_SIZE)) {
			rows.push(...(await queryAll<User>(session, `${select} WHERE Id IN ${inList(group)}`)));
		}
		return userRowState(rows);
	},
	missingRecord: (user) => ({
		code: 'USER_NOT_FOUND',
		message: `Salesforce has no User record for ${user.Username}, so it cannot be changed`,
	}),
};

/** UserLogin.IsFrozen (freeze, unfreeze): one batched UserLogin query per 500 users. */
export const USER_LOGIN: WriteTarget = {
	sobject: 'UserLogin',
	lookupFields: () => [],
	async stateAfterLookup(session, lookup, fields) {
		return await this.readState(session, fields, [...lookup.byId.keys()]);
	},
	async readState(session, _fields, userIds) {
		const state = new Map<string, TargetState>();
		for (const [userId, login] of await fetchFrozenState(session, userIds)) {
			state.set(userId, { recordId: login.userLoginId, values: { IsFrozen: login.isFrozen } });
		}
		return state;
	},
	missingRecord: (user) => ({
		code: 'USER_LOGIN_NOT_FOUND',
		message: `Salesforce has no UserLogin record for ${user.Username}, so it cannot be changed`,
	}),
};
