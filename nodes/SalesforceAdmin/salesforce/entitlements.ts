/**
 * What a user holds besides the user license, and how it is read and chosen, with no I/O:
 * managed-package seats (UserPackageLicense), permission set licenses
 * (PermissionSetLicenseAssign), permission sets and permission set groups
 * (PermissionSetAssignment, never profile-owned ones) and public group and queue memberships
 * (GroupMember). Each is one assignment record per user and thing held; removing it is deleting
 * that record.
 */
import type {
	GroupMember,
	PermissionSetAssignment,
	PermissionSetLicenseAssign,
	UserPackageLicense,
} from './records';
import { inList } from './soql';
import type { TargetState, UserWrite, WriteError, WriteIntent, WritePlan } from './writePlan';
import { diffValues } from './writePlan';

export type EntitlementKind =
	| 'packageLicenses'
	| 'permissionSetLicenses'
	| 'permissionSets'
	| 'groups';

/** One thing a user holds: the assignment record that gives it. */
export interface Holding {
	/** The record to delete to take it away. */
	recordId: string;
	userId: string;
	/** The name results report (`removed`). */
	name: string;
	/** Lower-cased names a choice may use for it (namespace; API name and label). */
	keys: string[];
	/** Permission sets: the permission set license the assignment needs. */
	licenseId?: string | null;
}

export interface EntitlementSpec {
	kind: EntitlementKind;
	/** The node parameter that chooses them, and its display name. */
	parameter: string;
	displayName: string;
	/** "package licenses", for messages. */
	noun: string;
	/** The assignment object and its user field. */
	sobject: string;
	/** The SOQL that reads the holdings of these users (one query per chunk of IDs). */
	soql(userIds: readonly string[]): string;
	/** The same read for the whole org, and its row count (when that is fewer calls). */
	orgWideSoql: string;
	countSoql: string;
	toHolding(row: Record<string, unknown>): Holding | undefined;
}

/** The per-user, org-wide and count queries of one assignment object. */
function assignmentQueries(
	select: string,
	from: string,
	userField: string,
	where?: string,
): Pick<EntitlementSpec, 'soql' | 'orgWideSoql' | 'countSoql'> {
	const filter = where ? ` WHERE ${where}` : '';
	return {
		soql: (ids) =>
			`SELECT ${select} FROM ${from} WHERE ${userField} IN ${inList(ids)}${where ? ` AND ${where}` : ''}`,
		orgWideSoql: `SELECT ${select} FROM ${from}${filter}`,
		countSoql: `SELECT COUNT() FROM ${from}${filter}`,
	};
}

const lower = (values: Array<string | null | undefined>): string[] => [
	...new Set(values.filter((v): v is string => !!v).map((v) => v.toLowerCase())),
];

export const ENTITLEMENTS: Record<EntitlementKind, EntitlementSpec> = {
	packageLicenses: {
		kind: 'packageLicenses',
		parameter: 'packageLicenses',
		displayName: 'Package License Names or IDs',
		noun: 'package licenses',
		sobject: 'UserPackageLicense',
		...assignmentQueries(
			'Id, UserId, PackageLicenseId, PackageLicense.NamespacePrefix',
			'UserPackageLicense',
			'UserId',
		),
		toHolding(row) {
			const r = row as UserPackageLicense;
			const namespace = r.PackageLicense?.NamespacePrefix ?? r.PackageLicenseId;
			if (!r.UserId || !namespace) return undefined;
			return { recordId: r.Id, userId: r.UserId, name: namespace, keys: lower([namespace]) };
		},
	},
	permissionSetLicenses: {
		kind: 'permissionSetLicenses',
		parameter: 'permissionSetLicenses',
		displayName: 'Permission Set License Names or IDs',
		noun: 'permission set licenses',
		sobject: 'PermissionSetLicenseAssign',
		...assignmentQueries(
			'Id, AssigneeId, PermissionSetLicenseId, PermissionSetLicense.DeveloperName, PermissionSetLicense.MasterLabel',
			'PermissionSetLicenseAssign',
			'AssigneeId',
		),
		toHolding(row) {
			const r = row as PermissionSetLicenseAssign;
			const license = r.PermissionSetLicense;
			const name = license?.MasterLabel ?? license?.DeveloperName ?? r.PermissionSetLicenseId;
			if (!r.AssigneeId || !name) return undefined;
			return {
				recordId: r.Id,
				userId: r.AssigneeId,
				name,
				keys: lower([license?.DeveloperName, license?.MasterLabel]),
				licenseId: r.PermissionSetLicenseId ?? null,
			};
		},
	},
	permissionSets: {
		kind: 'permissionSets',
		parameter: 'permissionSets',
		displayName: 'Permission Set Names or IDs',
		noun: 'permission sets and permission set groups',
		sobject: 'PermissionSetAssignment',
		// Profile-owned permission sets are the profile's own: never read, so never removed.
		...assignmentQueries(
			'Id, AssigneeId, PermissionSetId, PermissionSet.Name, PermissionSet.Label, PermissionSet.LicenseId, PermissionSetGroupId, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel',
			'PermissionSetAssignment',
			'AssigneeId',
			'PermissionSet.IsOwnedByProfile = false',
		),
		toHolding(row) {
			const r = row as PermissionSetAssignment;
			if (!r.AssigneeId || r.PermissionSet?.IsOwnedByProfile) return undefined;
			if (r.PermissionSetGroupId) {
				const group = r.PermissionSetGroup;
				return {
					recordId: r.Id,
					userId: r.AssigneeId,
					name: group?.MasterLabel ?? group?.DeveloperName ?? r.PermissionSetGroupId,
					keys: lower([group?.DeveloperName, group?.MasterLabel]),
				};
			}
			const set = r.PermissionSet;
			const name = set?.Label ?? set?.Name ?? r.PermissionSetId;
			if (!name) return undefined;
			return {
				recordId: r.Id,
				userId: r.AssigneeId,
				name,
				keys: lower([set?.Name, set?.Label]),
				licenseId: set?.LicenseId ?? null,
			};
		},
	},
	groups: {
		kind: 'groups',
		parameter: 'groups',
		displayName: 'Group and Queue Names or IDs',
		noun: 'public groups and queues',
		sobject: 'GroupMember',
		...assignmentQueries(
			'Id, UserOrGroupId, GroupId, Group.DeveloperName, Group.Name, Group.Type',
			'GroupMember',
			'UserOrGroupId',
			"Group.Type IN ('Regular', 'Queue')",
		),
		toHolding(row) {
			const r = row as GroupMember;
			const name = r.Group?.DeveloperName ?? r.GroupId;
			if (!r.UserOrGroupId || !name) return undefined;
			return {
				recordId: r.Id,
				userId: r.UserOrGroupId,
				name,
				keys: lower([r.Group?.DeveloperName, r.Group?.Name]),
			};
		},
	},
};

export const ENTITLEMENT_KINDS = Object.keys(ENTITLEMENTS) as EntitlementKind[];

/** Which of them an item asks to remove: these names, or all the user holds. */
export type EntitlementChoice = { all: true } | { all: false; names: string[] };

/**
 * The value of a selection parameter: a list (the multi-options field; empty = all the user
 * holds) or comma-separated text. Anything else, or text with no name in it, is refused: a
 * choice that an expression turned into nothing must not mean "all".
 */
export function parseEntitlementChoice(
	raw: unknown,
): { ok: true; choice: EntitlementChoice } | { ok: false; reason: string } {
	let values: unknown[];
	if (Array.isArray(raw)) values = raw;
	else if (typeof raw === 'string') {
		values = raw.split(',');
		if (values.every((v) => (v as string).trim() === ''))
			return {
				ok: false,
				reason:
					'is empty text; choose names, or leave the list empty (not an expression) to mean all the user holds',
			};
	} else
		return {
			ok: false,
			reason: `must be a list of names (got ${raw === null ? 'null' : typeof raw})`,
		};
	const names: string[] = [];
	for (const value of values) {
		if (typeof value !== 'string')
			return { ok: false, reason: `must hold names only (got ${typeof value})` };
		const name = value.trim();
		if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
	}
	return { ok: true, choice: names.length ? { all: false, names } : { all: true } };
}

/** Key of "all of them" in an item's wanted values (the write plan works on named fields). */
export const ALL_KEY = 'pick:*';
const PICK = 'pick:';

/** An item's choice as the write plan's wanted values: one key per name, false = "gone". */
export function choiceToWanted(choice: EntitlementChoice): Record<string, boolean> {
	if (choice.all) return { [ALL_KEY]: false };
	return Object.fromEntries(choice.names.map((n) => [`${PICK}${n.toLowerCase()}`, false]));
}

/** A user's current state for the plan: each wanted key true while the user holds it. */
export function holdingState(
	holdings: readonly Holding[],
	wantedKeys: readonly string[],
): Record<string, unknown> {
	const values: Record<string, unknown> = { holdings };
	for (const key of wantedKeys) {
		values[key] =
			key === ALL_KEY
				? holdings.length > 0
				: holdings.some((h) => h.keys.includes(key.slice(PICK.length)));
	}
	return values;
}

/** The holdings a planned patch takes away (all when it holds the ALL key). */
export function selectHoldings(
	holdings: readonly Holding[],
	patchKeys: readonly string[],
): Holding[] {
	if (patchKeys.includes(ALL_KEY)) return [...holdings];
	const chosen = new Set(
		patchKeys.filter((k) => k.startsWith(PICK)).map((k) => k.slice(PICK.length)),
	);
	return holdings.filter((h) => h.keys.some((k) => chosen.has(k)));
}

/** The names in wanted keys, as typed (lower-cased), for messages; undefined for "all". */
export function chosenNames(keys: readonly string[]): string[] | undefined {
	if (keys.includes(ALL_KEY)) return undefined;
	return keys.filter((k) => k.startsWith(PICK)).map((k) => k.slice(PICK.length));
}

/**
 * Names a choice uses that the org does not have, given every name the org knows for the kind
 * (lower-cased): they fail the run before any write, as an unknown license name does.
 */
export function unknownNames(names: readonly string[], known: ReadonlySet<string>): string[] {
	return names.filter((n) => !known.has(n.toLowerCase()));
}

/** One thing of a kind the org has: the value a choice stores, its label, the names it answers to. */
export interface CatalogEntry {
	value: string;
	label: string;
	keys: string[];
}

interface CatalogQuery {
	soql: string;
	toEntry(row: Record<string, unknown>): CatalogEntry | undefined;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value ? value : undefined;

function entry(
	value: string | undefined,
	label: string | undefined,
	suffix = '',
): CatalogEntry | undefined {
	if (!value) return undefined;
	return { value, label: `${label ?? value}${suffix}`, keys: lower([value, label]) };
}

/** What the org has of a kind (for the dropdowns and to check chosen names): one query each. */
export const CATALOG_QUERIES: Record<EntitlementKind, CatalogQuery[]> = {
	packageLicenses: [
		{
			soql: 'SELECT NamespacePrefix, Status FROM PackageLicense ORDER BY NamespacePrefix',
			toEntry: (r) => entry(text(r.NamespacePrefix), text(r.NamespacePrefix)),
		},
	],
	permissionSetLicenses: [
		{
			soql: 'SELECT DeveloperName, MasterLabel FROM PermissionSetLicense ORDER BY MasterLabel',
			toEntry: (r) => entry(text(r.DeveloperName), text(r.MasterLabel)),
		},
	],
	permissionSets: [
		{
			soql: 'SELECT Name, Label FROM PermissionSet WHERE IsOwnedByProfile = false AND PermissionSetGroupId = null ORDER BY Label',
			toEntry: (r) => entry(text(r.Name), text(r.Label), ' (permission set)'),
		},
		{
			soql: 'SELECT DeveloperName, MasterLabel FROM PermissionSetGroup ORDER BY MasterLabel',
			toEntry: (r) => entry(text(r.DeveloperName), text(r.MasterLabel), ' (permission set group)'),
		},
	],
	groups: [
		{
			soql: "SELECT DeveloperName, Name, Type FROM Group WHERE Type IN ('Regular', 'Queue') ORDER BY Name",
			toEntry: (r) =>
				entry(
					text(r.DeveloperName),
					text(r.Name),
					r.Type === 'Queue' ? ' (queue)' : ' (public group)',
				),
		},
	],
};

/**
 * The plan with these items failed (Continue On Fail: an item naming something the org lacks).
 * A user the failed items shared with others is still written, with only the others' wishes.
 */
export function failItems(
	plan: WritePlan,
	failures: ReadonlyMap<number, WriteError>,
	intents: readonly WriteIntent[],
	state: ReadonlyMap<string, TargetState>,
): WritePlan {
	if (failures.size === 0) return plan;
	const wantedOf = new Map(intents.map((i) => [i.itemIndex, i.wanted]));
	const items = plan.items.map((item) => {
		const error = failures.get(item.itemIndex);
		return error ? { ...item, decision: { kind: 'failed' as const, error } } : item;
	});
	const writes: UserWrite[] = [];
	for (const write of plan.writes) {
		const itemIndexes = write.itemIndexes.filter((i) => !failures.has(i));
		if (itemIndexes.length === 0) continue;
		const current = state.get(write.userId)?.values ?? {};
		const patch = Object.assign(
			{},
			...itemIndexes.map((i) => diffValues(current, wantedOf.get(i) ?? {})),
		) as Record<string, boolean>;
		writes.push({ ...write, itemIndexes, patch });
	}
	return { items, writes };
}
