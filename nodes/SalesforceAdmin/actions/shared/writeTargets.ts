/**
 * The record a write action changes, and how its state is read (through reads/). writeBatch
 * knows nothing about the record itself: a new write action is a spec naming one of these
 * targets (and a new kind of record, e.g. PermissionSetLicenseAssign, is one more target here).
 */
import type { User } from '../../salesforce/records';
import type { PlannedUser, TargetState, WriteError } from '../../salesforce/writePlan';
import { fetchFrozenState } from '../../reads/lookUpUsers';
import type { TargetStateReads } from '../../reads/writeState';
import { readUserFields } from '../../reads/writeState';

export interface WriteTarget extends TargetStateReads {
	/** The sObject the Collections update writes. */
	sobject: string;
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
	readState: async (session, fields, userIds) =>
		userRowState(await readUserFields(session, fields, userIds)),
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
