/**
 * What users hold besides their user license, as Get users and Get user report it, the pure
 * part: the SOQL that reads it for a batch of user IDs (one query per kind and batch, never
 * one per user), the rows -> names per user, and the filters "users holding any of these".
 *
 *   packageLicenses        UserPackageLicense          namespace prefixes
 *   permissionSetLicenses  PermissionSetLicenseAssign  labels
 *   permissionSets         PermissionSetAssignment     labels (never profile-owned ones)
 *   permissionSetGroups    PermissionSetAssignment     labels of the groups
 *   groups, queues         GroupMember                 developer names ("Group Name" in Setup)
 */
import type { IDataObject } from 'n8n-workflow';

import { to18CharId } from './ids';
import { inList } from './soql';
import { LOOKUP_BATCH_SIZE } from './userLookup';

/** The output fields, in the order items carry them. */
export const ENTITLEMENT_FIELDS = [
	'packageLicenses',
	'permissionSetLicenses',
	'permissionSets',
	'permissionSetGroups',
	'groups',
	'queues',
] as const;
export type EntitlementField = (typeof ENTITLEMENT_FIELDS)[number];

/** One read: an assignment object, its SOQL and the fields it fills. */
export interface HeldRead {
	sobject: string;
	fields: readonly EntitlementField[];
	/** The rows of these users, or (no IDs) every row of the org. */
	soql(userIds?: readonly string[]): string;
	/** The user and the field and name a row gives (undefined for a row that names nothing). */
	toHeld(row: IDataObject): { userId: string; field: EntitlementField; name: string } | undefined;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value : undefined;
const parent = (row: IDataObject, name: string): IDataObject =>
	(row[name] as IDataObject | null | undefined) ?? {};

/** SELECT ... FROM object [WHERE userField IN (...)] [AND more]. */
function heldSoql(
	select: string,
	userField: string,
	userIds: readonly string[] | undefined,
	more?: string,
): string {
	const conditions = [userIds && `${userField} IN ${inList(userIds)}`, more].filter(Boolean);
	return conditions.length ? `${select} WHERE ${conditions.join(' AND ')}` : select;
}

const held = (
	userId: unknown,
	field: EntitlementField,
	name: string | undefined,
): ReturnType<HeldRead['toHeld']> => {
	const id = text(userId);
	return id && name ? { userId: to18CharId(id) ?? id, field, name } : undefined;
};

export const PACKAGE_LICENSES_READ: HeldRead = {
	sobject: 'UserPackageLicense',
	fields: ['packageLicenses'],
	soql: (ids) =>
		heldSoql(
			'SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense',
			'UserId',
			ids,
		),
	toHeld: (row) =>
		held(row.UserId, 'packageLicenses', text(parent(row, 'PackageLicense').NamespacePrefix)),
};

export const PERMISSION_SET_LICENSES_READ: HeldRead = {
	sobject: 'PermissionSetLicenseAssign',
	fields: ['permissionSetLicenses'],
	soql: (ids) =>
		heldSoql(
			'SELECT AssigneeId, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign',
			'AssigneeId',
			ids,
		),
	toHeld: (row) =>
		held(
			row.AssigneeId,
			'permissionSetLicenses',
			text(parent(row, 'PermissionSetLicense').MasterLabel),
		),
};

/**
 * Permission sets and permission set groups: a group assignment is a row for the group's
 * aggregate permission set with PermissionSetGroupId set. The permission set a profile owns comes
 * with the profile: it is left out in the query, and again here should a row carry it.
 */
export const PERMISSION_SETS_READ: HeldRead = {
	sobject: 'PermissionSetAssignment',
	fields: ['permissionSets', 'permissionSetGroups'],
	soql: (ids) =>
		heldSoql(
			'SELECT AssigneeId, PermissionSet.Label, PermissionSet.IsOwnedByProfile, PermissionSetGroupId, PermissionSetGroup.MasterLabel FROM PermissionSetAssignment',
			'AssigneeId',
			ids,
			'PermissionSet.IsOwnedByProfile = false',
		),
	toHeld(row) {
		const set = parent(row, 'PermissionSet');
		if (set.IsOwnedByProfile === true) return undefined;
		if (text(row.PermissionSetGroupId)) {
			const group = parent(row, 'PermissionSetGroup');
			return held(row.AssigneeId, 'permissionSetGroups', text(group.MasterLabel));
		}
		return held(row.AssigneeId, 'permissionSets', text(set.Label));
	},
};

/** Public groups (Type Regular) and queues: the user's direct memberships. */
export const GROUPS_READ: HeldRead = {
	sobject: 'GroupMember',
	fields: ['groups', 'queues'],
	soql: (ids) =>
		heldSoql(
			'SELECT UserOrGroupId, Group.DeveloperName, Group.Type FROM GroupMember',
			'UserOrGroupId',
			ids,
			"Group.Type IN ('Regular', 'Queue')",
		),
	toHeld(row) {
		const group = parent(row, 'Group');
		const field = group.Type === 'Queue' ? 'queues' : group.Type === 'Regular' ? 'groups' : null;
		return field ? held(row.UserOrGroupId, field, text(group.DeveloperName)) : undefined;
	},
};

/** What every user item carries; with Include Access also the permission sets and groups. */
export function heldReads(includeAccess: boolean): HeldRead[] {
	const always = [PACKAGE_LICENSES_READ, PERMISSION_SET_LICENSES_READ];
	return includeAccess ? [...always, PERMISSION_SETS_READ, GROUPS_READ] : always;
}

/** Names per user and field, collected from the rows of the reads. */
export class HeldNames {
	private readonly byUser = new Map<string, Map<EntitlementField, Set<string>>>();
	/** Fields the connected user cannot read: null on every item, not []. */
	readonly unreadable = new Set<EntitlementField>();

	add(read: HeldRead, row: IDataObject): void {
		const found = read.toHeld(row);
		if (!found) return;
		let fields = this.byUser.get(found.userId);
		if (!fields) this.byUser.set(found.userId, (fields = new Map()));
		let names = fields.get(found.field);
		if (!names) fields.set(found.field, (names = new Set()));
		names.add(found.name);
	}

	/** Copies what these users hold of a read's fields from another collection (an org-wide read). */
	copyFrom(other: HeldNames, read: HeldRead, userIds: readonly string[]): void {
		for (const userId of userIds) {
			const theirs = other.byUser.get(userId);
			if (!theirs) continue;
			let fields = this.byUser.get(userId);
			if (!fields) this.byUser.set(userId, (fields = new Map()));
			for (const field of read.fields) {
				const names = theirs.get(field);
				if (names) fields.set(field, new Set(names));
			}
		}
	}

	/** The item fields of one user (18-char ID): sorted names, [] when none, null when unreadable. */
	fieldsOf(userId: string, reads: readonly HeldRead[]): Record<string, string[] | null> {
		const fields = this.byUser.get(userId);
		const out: Record<string, string[] | null> = {};
		for (const field of reads.flatMap((r) => r.fields)) {
			out[field] = this.unreadable.has(field)
				? null
				: [...(fields?.get(field) ?? [])].sort((a, b) => a.localeCompare(b));
		}
		return out;
	}
}

/**
 * Whether reading every row of the org (the first page read already: `remainingCalls` more)
 * costs fewer calls than one query per batch of the users a run asks about. A user read of
 * 50,000 users spends one call per 500 users on IN lists; an org with a few thousand seats reads
 * them all in a few pages.
 */
export function cheaperToReadOrgWide(remainingCalls: number, usersExpected: number): boolean {
	return remainingCalls < Math.ceil(usersExpected / LOOKUP_BATCH_SIZE);
}

/**
 * Get users' filter "holds any of these package licenses" (namespace prefixes; none given: any
 * package license), as a semi-join: Salesforce selects the users itself, so the filter costs no
 * call of its own.
 */
export function packageLicenseHolderCondition(namespaces?: readonly string[]): string {
	const where = namespaces ? ` WHERE PackageLicense.NamespacePrefix IN ${inList(namespaces)}` : '';
	return `Id IN (SELECT UserId FROM UserPackageLicense${where})`;
}

/**
 * "Holds any of these permission set licenses" (none given: any): by label (what items show) or
 * API name (what the dropdown stores). One semi-join (Salesforce allows no OR between
 * semi-joins; OR inside the subquery is fine).
 */
export function permissionSetLicenseHolderCondition(names?: readonly string[]): string {
	const list = names && inList(names);
	const where = list
		? ` WHERE PermissionSetLicense.MasterLabel IN ${list} OR PermissionSetLicense.DeveloperName IN ${list}`
		: '';
	return `Id IN (SELECT AssigneeId FROM PermissionSetLicenseAssign${where})`;
}

/** Queries that tell which of the names asked for the org has (one per filter). */
export function knownPackageLicensesQuery(namespaces: readonly string[]): string {
	return `SELECT NamespacePrefix FROM PackageLicense WHERE NamespacePrefix IN ${inList(namespaces)}`;
}

export function knownPermissionSetLicensesQuery(names: readonly string[]): string {
	const list = inList(names);
	return `SELECT MasterLabel, DeveloperName FROM PermissionSetLicense WHERE MasterLabel IN ${list} OR DeveloperName IN ${list}`;
}
