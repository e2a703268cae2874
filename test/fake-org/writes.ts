/**
 * Record updates (PATCH sobjects/{type}/{id} and sObject Collections): field checks, the
 * Salesforce rules the fake org models, test-configured save rules, and all-or-none rollback.
 */
import { sfDateTime } from './dates';
import { SfError } from './errors';
import type { OrgRuntime } from './http';
import { normalizeId } from './ids';
import { FieldDef, ObjectDef, findObject } from './schema';
import { SCHEMA, objectForId } from './schema';
import type {
	AnyRecord,
	GroupMemberRecord,
	OrgUserSettings,
	PackageLicenseRecord,
	PermissionSetAssignmentRecord,
	PermissionSetGroupRecord,
	PermissionSetLicenseAssignRecord,
	PermissionSetLicenseRecord,
	PermissionSetRecord,
	ProfileRecord,
	UserLoginRecord,
	UserPackageLicenseRecord,
	UserRecord,
} from './store';

export interface SaveError {
	statusCode: string;
	message: string;
	fields: string[];
}

export interface SaveResult {
	id?: string;
	success: boolean;
	errors: SaveError[];
}

interface Undo {
	record: AnyRecord;
	before: Record<string, unknown>;
}

const saveError = (statusCode: string, message: string, fields: string[] = []): SaveError => ({
	statusCode,
	message,
	fields,
});

/** Whole-request problems (bad JSON types) are a 400 for the call, not a per-record error. */
function coerce(field: FieldDef, value: unknown): unknown {
	const typeName = typeof value;
	const reject = () => {
		throw new SfError(
			400,
			'JSON_PARSER_ERROR',
			`Cannot deserialize instance of ${field.type} from ${value === null ? 'VALUE_NULL' : typeName === 'string' ? 'VALUE_STRING' : typeName === 'number' ? 'VALUE_NUMBER_INT' : 'START_OBJECT'} value ${JSON.stringify(value)} or request may be missing a required field`,
		);
	};
	if (value === null) {
		if (field.type === 'boolean') reject();
		return null;
	}
	switch (field.type) {
		case 'boolean':
			return typeName === 'boolean' ? value : reject();
		case 'int':
		case 'double':
			return typeName === 'number' ? value : reject();
		case 'datetime':
			return typeName === 'string' ? sfDateTime(value as string) : reject();
		default:
			return typeName === 'string' ? value : reject();
	}
}

export class Writer {
	constructor(
		private readonly org: OrgRuntime,
		private readonly sessionUserId: string,
	) {}

	/** Validates and applies one record's changes; returns its result and how to undo it. */
	update(
		sobject: string,
		rawId: unknown,
		changes: Record<string, unknown>,
	): { result: SaveResult; undo?: Undo } {
		const { store, controls } = this.org;
		const object: ObjectDef | undefined = findObject(sobject);
		if (!object || !object.updateable) {
			return {
				result: {
					success: false,
					errors: [saveError('INVALID_TYPE', `sObject type '${sobject}' is not supported.`)],
				},
			};
		}
		const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
		if (!id) {
			return {
				result: {
					success: false,
					errors: [
						saveError(
							rawId ? 'MALFORMED_ID' : 'MISSING_ARGUMENT',
							rawId ? `malformed id ${String(rawId)}` : 'Id not specified in an update call',
							rawId ? [] : ['Id'],
						),
					],
				},
			};
		}
		const record = store.get<AnyRecord>(object.name, id);
		if (!record)
			return {
				result: {
					success: false,
					errors: [saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')],
				},
			};
		const fail = (statusCode: string, message: string, fields: string[] = []) => ({
			result: { id, success: false, errors: [saveError(statusCode, message, fields)] },
		});

		// Who may change users and their logins.
		const perms = store.effectivePermissions(this.sessionUserId);
		if (!perms.PermissionsManageUsers && !perms.PermissionsModifyAllData) {
			return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
		}

		const values: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(changes)) {
			if (name === 'attributes' || name.toLowerCase() === 'id') continue;
			const field = object.byName.get(name.toLowerCase());
			if (!field || controls.isHidden(object.name, field.name)) {
				return fail('INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`, [
					name,
				]);
			}
			if (!field.updateable) {
				return fail(
					'INVALID_FIELD_FOR_INSERT_UPDATE',
					`Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
					[field.name],
				);
			}
			values[field.name] = coerce(field, value);
		}

		const ruleError =
			this.businessRule(object.name, record, values) ?? this.testRule(object.name, id, values);
		if (ruleError) return { result: { id, success: false, errors: [ruleError] } };

		const before: Record<string, unknown> = {};
		for (const name of [...Object.keys(values), 'LastModifiedDate', 'LastModifiedById'])
			before[name] = record[name];
		Object.assign(record, values);
		if ('LastModifiedDate' in record) record.LastModifiedDate = sfDateTime(store.now());
		if ('LastModifiedById' in record) record.LastModifiedById = this.sessionUserId;
		if (object.name === 'User' && ('FirstName' in values || 'LastName' in values)) {
			record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
		}
		return { result: { id, success: true, errors: [] }, undo: { record, before } };
	}

	/** What Salesforce itself refuses. */
	private businessRule(
		sobject: string,
		record: AnyRecord,
		values: Record<string, unknown>,
	): SaveError | undefined {
		const { store } = this.org;
		if (sobject === 'User') {
			const user = record as unknown as UserRecord;
			if (values.IsActive === false && user.Id === this.sessionUserId) {
				return saveError(
					'FIELD_INTEGRITY_EXCEPTION',
					'You cannot deactivate your own user record.',
					['IsActive'],
				);
			}
			if (values.IsActive === false && user.IsActive) {
				const blocker = deactivationBlocker(this.org, user);
				if (blocker) return blocker;
			}
			if (values.IsActive === true && !user.IsActive) {
				const profileId = (values.ProfileId as string | undefined) ?? user.ProfileId;
				const profile = store.get<ProfileRecord>('Profile', profileId);
				const license = profile && store.userLicenses.find((l) => l.Id === profile.UserLicenseId);
				if (license && (store.usedLicenseCounts().get(license.Id) ?? 0) >= license.TotalLicenses) {
					return saveError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded', []);
				}
			}
			if (values.ProfileId !== undefined && !store.get('Profile', values.ProfileId as string)) {
				return saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
					'ProfileId',
				]);
			}
		}
		if (sobject === 'UserLogin') {
			const login = record as unknown as UserLoginRecord;
			if (values.IsFrozen === true && login.UserId === this.sessionUserId) {
				return saveError('FIELD_INTEGRITY_EXCEPTION', 'You cannot freeze your own user record.', [
					'IsFrozen',
				]);
			}
		}
		return undefined;
	}

	/** Rules a test installed with controls.addUpdateRule(). */
	private testRule(
		sobject: string,
		id: string,
		values: Record<string, unknown>,
	): SaveError | undefined {
		const rules = this.org.controls.updateRules;
		for (let i = 0; i < rules.length; i++) {
			const rule = rules[i];
			if (rule.sobject.toLowerCase() !== sobject.toLowerCase()) continue;
			if (rule.id && normalizeId(rule.id) !== id) continue;
			if (rule.when && !rule.when(values)) continue;
			if (rule.times !== undefined && --rule.times <= 0) rules.splice(i, 1);
			return saveError(rule.statusCode, rule.message, rule.fields ?? []);
		}
		return undefined;
	}

	/** sObject Collections update: results in input order; allOrNone rolls everything back. */
	updateCollection(records: Array<Record<string, unknown>>, allOrNone: boolean): SaveResult[] {
		const seen = new Set<string>();
		return applyCollection(records, allOrNone, (input) => {
			const type = (input.attributes as { type?: string } | undefined)?.type;
			const rawId = input.Id ?? input.id;
			const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
			if (!type)
				return {
					result: {
						success: false,
						errors: [saveError('INVALID_FIELD', 'No type specified in attributes')],
					},
				};
			if (id && seen.has(id))
				return {
					result: {
						id,
						success: false,
						errors: [saveError('DUPLICATE_VALUE', `Duplicate id in list: ${id}`)],
					},
				};
			if (id) seen.add(id);
			const { result, undo } = this.update(type, rawId, input);
			return { result, undo: undo && (() => Object.assign(undo.record, undo.before)) };
		});
	}
}

/**
 * One sObject Collections call, record by record in input order (a later record's rules see
 * the earlier changes). With allOrNone, any failure undoes every applied change and those
 * records answer ALL_OR_NONE_OPERATION_ROLLED_BACK. A thrown error (a body Salesforce cannot
 * deserialize) fails the whole call: everything applied is undone first.
 */
function applyCollection<T>(
	inputs: readonly T[],
	allOrNone: boolean,
	apply: (input: T) => { result: SaveResult; undo?: () => void },
): SaveResult[] {
	const results: SaveResult[] = [];
	const undos: Array<() => void> = [];
	const undoAll = () => {
		for (const undo of undos.reverse()) undo();
	};
	for (const input of inputs) {
		try {
			const { result, undo } = apply(input);
			results.push(result);
			if (undo) undos.push(undo);
		} catch (error) {
			undoAll();
			throw error;
		}
	}
	if (!allOrNone || results.every((r) => r.success)) return results;
	undoAll();
	return results.map((r) =>
		r.success
			? {
					id: r.id,
					success: false,
					errors: [
						saveError(
							'ALL_OR_NONE_OPERATION_ROLLED_BACK',
							'Record rolled back because not all records were valid and the request was using AllOrNone header',
						),
					],
				}
			: r,
	);
}

/** Custom fields on User that point to a user: on User these can only be hierarchy fields. */
export function userHierarchyFields(): string[] {
	return SCHEMA.User.fields
		.filter((f) => f.custom && f.type === 'reference' && f.referenceTo === 'User')
		.map((f) => f.name);
}

/**
 * Setup settings that name a user, and what Salesforce says when that user is deactivated.
 * Texts from Salesforce's knowledge articles where they give one (see README.md); the code is
 * assumed.
 */
const SETTING_REFUSALS: Array<[keyof OrgUserSettings, string]> = [
	['webToLeadDefaultCreatorId', 'You cannot disable the Web to Lead Default Creator'],
	[
		'defaultCaseOwnerId',
		'You cannot deactivate this user. You cannot deactivate a user who is the default owner of cases',
	],
	['defaultWorkflowUserId', 'You cannot deactivate the Default Workflow User'],
	['automatedCaseUserId', 'You cannot deactivate the Automated Case User'],
	['defaultLeadOwnerId', 'You cannot deactivate the Default Lead Owner'],
	['webToCaseDefaultCreatorId', 'You cannot disable the Web to Case Default Creator'],
];

/** Why Salesforce refuses to deactivate this user, if it does. */
function deactivationBlocker(org: OrgRuntime, user: UserRecord): SaveError | undefined {
	const { store } = org;
	for (const field of userHierarchyFields()) {
		const named = store.users.some(
			(other) => other.IsActive && other.Id !== user.Id && (other as AnyRecord)[field] === user.Id,
		);
		if (named) {
			return saveError(
				'FIELD_INTEGRITY_EXCEPTION',
				`Cannot inactivate user that is the value of a hierarchy field: ${field}`,
				['IsActive'],
			);
		}
	}
	const delegator = store.users.find(
		(other) => other.IsActive && other.Id !== user.Id && other.DelegatedApproverId === user.Id,
	);
	if (delegator) {
		return saveError(
			'FIELD_INTEGRITY_EXCEPTION',
			`Cannot inactivate user that is the delegated approver of another user: ${delegator.Username}`,
			['IsActive'],
		);
	}
	for (const [setting, message] of SETTING_REFUSALS) {
		if (store.userSettings[setting] === user.Id)
			return saveError('FIELD_INTEGRITY_EXCEPTION', message, ['IsActive']);
	}
	return undefined;
}

/** What Salesforce answers for one record of a create or delete. */
type Outcome = { id?: string; success: boolean; errors: SaveError[] };

/**
 * create() and delete() of the objects the entitlement writes touch: who may, and the rules
 * Salesforce applies (profile-owned assignments stay, a permission set license stays while an
 * assigned permission set needs it, package seats need "Manage Package Licenses").
 */
export class RecordChanges {
	constructor(
		private readonly org: OrgRuntime,
		private readonly sessionUserId: string,
	) {}

	private get perms() {
		return this.org.store.effectivePermissions(this.sessionUserId);
	}

	private canManageUsers(): boolean {
		const p = this.perms;
		return p.PermissionsManageUsers || p.PermissionsModifyAllData;
	}

	/** Why this record may not be deleted, if it may not (nothing changed yet). */
	private deleteRefusal(sobject: string, record: AnyRecord): SaveError | undefined {
		const { store } = this.org;
		const noAccess = saveError(
			'INSUFFICIENT_ACCESS_OR_READONLY',
			'insufficient access rights on object id',
		);
		switch (sobject) {
			case 'UserPackageLicense':
				return this.perms.PermissionsManagePackageLicenses ? undefined : noAccess;
			case 'PermissionSetAssignment': {
				if (!this.canManageUsers()) return noAccess;
				const ps = store.get<PermissionSetRecord>(
					'PermissionSet',
					(record as unknown as PermissionSetAssignmentRecord).PermissionSetId,
				);
				if (ps?.IsOwnedByProfile) {
					return saveError(
						'FIELD_INTEGRITY_EXCEPTION',
						"You can't delete a permission set assignment that's owned by a profile.",
					);
				}
				return undefined;
			}
			case 'PermissionSetLicenseAssign': {
				if (!this.canManageUsers()) return noAccess;
				const assign = record as unknown as PermissionSetLicenseAssignRecord;
				const needing = store.permissionSetAssignments
					.filter((a) => a.AssigneeId === assign.AssigneeId)
					.map((a) => store.get<PermissionSetRecord>('PermissionSet', a.PermissionSetId))
					.filter((ps) => ps && ps.LicenseId === assign.PermissionSetLicenseId);
				if (needing.length === 0) return undefined;
				const license = store.get<PermissionSetLicenseRecord>(
					'PermissionSetLicense',
					assign.PermissionSetLicenseId,
				);
				return saveError(
					'FIELD_INTEGRITY_EXCEPTION',
					`Can't remove the permission set license ${license?.MasterLabel ?? assign.PermissionSetLicenseId} because the user is assigned permission sets that require it: ${needing.map((ps) => ps!.Label).join(', ')}`,
				);
			}
			case 'GroupMember':
			case 'Group':
			case 'PermissionSetGroup':
				return this.canManageUsers() ? undefined : noAccess;
			default:
				return saveError('INVALID_TYPE', `sObject type '${sobject}' is not supported.`);
		}
	}

	/** Checks one ID of a delete; the record and its object when it may go. */
	private checkDelete(
		rawId: string,
	): { ok: true; sobject: string; record: AnyRecord } | { ok: false; result: Outcome } {
		const id = normalizeId(rawId);
		if (!id) {
			return {
				ok: false,
				result: { success: false, errors: [saveError('MALFORMED_ID', `malformed id ${rawId}`)] },
			};
		}
		const object = objectForId(id);
		const record = object && this.org.store.get<AnyRecord>(object.name, id);
		if (!object || !record) {
			return {
				ok: false,
				result: {
					id,
					success: false,
					errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted')],
				},
			};
		}
		const refusal = object.deletable
			? this.deleteRefusal(object.name, record)
			: saveError('INVALID_TYPE', `sObject type '${object.name}' is not supported.`);
		if (refusal) return { ok: false, result: { id, success: false, errors: [refusal] } };
		return { ok: true, sobject: object.name, record };
	}

	/** DELETE sobjects/{type}/{id}. */
	deleteOne(sobject: string, rawId: string): Outcome {
		const checked = this.checkDelete(rawId);
		if (!checked.ok) return checked.result;
		if (checked.sobject !== findObject(sobject)?.name)
			return {
				success: false,
				errors: [saveError('NOT_FOUND', 'The requested resource does not exist')],
			};
		this.org.store.remove(checked.sobject, checked.record.Id);
		return { id: checked.record.Id, success: true, errors: [] };
	}

	/**
	 * sObject Collections DELETE: results in the order of the IDs; records are deleted in that
	 * order, so a later record's rules see the earlier deletions. allOrNone: any failure and
	 * nothing is deleted (the others answer ALL_OR_NONE_OPERATION_ROLLED_BACK).
	 */
	deleteCollection(ids: string[], allOrNone: boolean): Outcome[] {
		const { store } = this.org;
		return applyCollection(ids, allOrNone, (rawId) => {
			const checked = this.checkDelete(rawId);
			if (!checked.ok) return { result: checked.result };
			const { sobject, record } = checked;
			const index = store.table(sobject)!.indexOf(record);
			store.remove(sobject, record.Id);
			return {
				result: { id: record.Id, success: true, errors: [] },
				undo: () => store.restore(sobject, record, index),
			};
		});
	}

	/** POST sobjects/{type}: the entitlement objects only. */
	create(sobject: string, body: Record<string, unknown>): Outcome {
		const { store } = this.org;
		const object = findObject(sobject);
		const fail = (code: string, message: string, fields: string[] = []): Outcome => ({
			success: false,
			errors: [saveError(code, message, fields)],
		});
		if (!object || !object.createable)
			return fail('INVALID_TYPE', `sObject type '${sobject}' is not supported.`);
		const values: Record<string, string> = {};
		for (const [name, value] of Object.entries(body)) {
			if (name === 'attributes') continue;
			const field = object.byName.get(name.toLowerCase());
			if (!field)
				return fail('INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`, [
					name,
				]);
			if (!field.createable)
				return fail(
					'INVALID_FIELD_FOR_INSERT_UPDATE',
					`Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
					[field.name],
				);
			const id = typeof value === 'string' ? normalizeId(value) : null;
			if (field.type === 'reference') {
				if (!id || !store.get(field.referenceTo!, id))
					return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
				values[field.name] = id;
			} else if (typeof value === 'string') values[field.name] = value;
		}
		const missing = (field: string) =>
			fail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`, [field]);
		switch (object.name) {
			case 'UserPackageLicense': {
				if (!this.perms.PermissionsManagePackageLicenses)
					return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
				if (!values.UserId) return missing('UserId');
				if (!values.PackageLicenseId) return missing('PackageLicenseId');
				if (
					store.userPackageLicenses.some(
						(r) => r.UserId === values.UserId && r.PackageLicenseId === values.PackageLicenseId,
					)
				)
					return fail(
						'DUPLICATE_VALUE',
						'duplicate value found: the user already has a license for this package',
					);
				const license = store.get<PackageLicenseRecord>('PackageLicense', values.PackageLicenseId)!;
				const used = store.usedPackageLicenseCounts().get(license.Id) ?? 0;
				if (license.AllowedLicenses >= 0 && used >= license.AllowedLicenses)
					return fail('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
				const row: UserPackageLicenseRecord = store.assignPackageLicense(values.UserId, license.Id);
				return { id: row.Id, success: true, errors: [] };
			}
			case 'PermissionSetAssignment': {
				if (!this.canManageUsers())
					return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
				if (!values.AssigneeId) return missing('AssigneeId');
				const groupId = values.PermissionSetGroupId;
				const psId = groupId ? store.groupPermissionSet(groupId)?.Id : values.PermissionSetId;
				if (!psId) return missing('PermissionSetId');
				if (
					store.permissionSetAssignments.some(
						(a) => a.AssigneeId === values.AssigneeId && a.PermissionSetId === psId,
					)
				)
					return fail(
						'DUPLICATE_VALUE',
						`Duplicate PermissionSetAssignment. Assignee: ${values.AssigneeId}; Permission Set: ${psId}`,
					);
				const row = groupId
					? store.assignPermissionSetGroup(
							values.AssigneeId,
							store.get<PermissionSetGroupRecord>('PermissionSetGroup', groupId)!.Id,
						)
					: store.assignPermissionSet(values.AssigneeId, psId);
				return { id: row.Id, success: true, errors: [] };
			}
			case 'PermissionSetLicenseAssign': {
				if (!this.canManageUsers())
					return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
				if (!values.AssigneeId) return missing('AssigneeId');
				if (!values.PermissionSetLicenseId) return missing('PermissionSetLicenseId');
				if (
					store.permissionSetLicenseAssigns.some(
						(a) =>
							a.AssigneeId === values.AssigneeId &&
							a.PermissionSetLicenseId === values.PermissionSetLicenseId,
					)
				)
					return fail(
						'DUPLICATE_VALUE',
						'duplicate value found: the user already has this permission set license',
					);
				const row = store.assignPermissionSetLicense(
					values.AssigneeId,
					values.PermissionSetLicenseId,
				);
				return { id: row.Id, success: true, errors: [] };
			}
			case 'GroupMember': {
				if (!this.canManageUsers())
					return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
				if (!values.GroupId) return missing('GroupId');
				if (!values.UserOrGroupId) return missing('UserOrGroupId');
				const row: GroupMemberRecord = store.addGroupMember(values.GroupId, values.UserOrGroupId);
				return { id: row.Id, success: true, errors: [] };
			}
			default:
				return fail('INVALID_TYPE', `sObject type '${sobject}' is not supported.`);
		}
	}
}
