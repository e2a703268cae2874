/**
 * Record updates (PATCH sobjects/{type}/{id} and sObject Collections): field checks, the
 * Salesforce rules the fake org models, test-configured save rules, and all-or-none rollback.
 */
import { sfDateTime } from './dates';
import { SfError } from './errors';
import type { OrgRuntime } from './http';
import { normalizeId } from './ids';
import { FieldDef, ObjectDef, findObject } from './schema';
import type { AnyRecord, ProfileRecord, UserLoginRecord, UserRecord } from './store';

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
		const results: SaveResult[] = [];
		const undos: Undo[] = [];
		const seen = new Set<string>();
		for (const input of records) {
			const type = (input.attributes as { type?: string } | undefined)?.type;
			const rawId = input.Id ?? input.id;
			const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
			if (!type) {
				results.push({
					success: false,
					errors: [saveError('INVALID_FIELD', 'No type specified in attributes')],
				});
				continue;
			}
			if (id && seen.has(id)) {
				results.push({
					id,
					success: false,
					errors: [saveError('DUPLICATE_VALUE', `Duplicate id in list: ${id}`)],
				});
				continue;
			}
			if (id) seen.add(id);
			try {
				const { result, undo } = this.update(type, rawId, input);
				results.push(result);
				if (undo) undos.push(undo);
			} catch (error) {
				// A body Salesforce cannot deserialize fails the whole call: change nothing.
				for (const { record, before } of undos.reverse()) Object.assign(record, before);
				throw error;
			}
		}
		if (allOrNone && results.some((r) => !r.success)) {
			for (const { record, before } of undos.reverse()) Object.assign(record, before);
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
		return results;
	}
}
