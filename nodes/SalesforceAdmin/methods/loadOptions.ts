/**
 * Dropdowns filled from the org: user licenses, profiles, package licenses and permission set
 * licenses (Get users filters) and event types (event log filters). Each is one query; the
 * option value is the name the filter matches on.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { EntitlementKind } from '../salesforce/entitlements';
import { COMMON_EVENT_TYPES } from '../salesforce/eventLogs';
import type { NamedObject } from '../salesforce/nameList';
import { allNamesQuery } from '../salesforce/nameList';
import { readCatalog } from '../reads/entitlementHoldings';
import { readSortedNames } from '../reads/orgNames';
import { connect, describeSObject } from '../transport';

async function namesOf(
	ctx: ILoadOptionsFunctions,
	sobject: NamedObject,
): Promise<INodePropertyOptions[]> {
	const session = await connect.call(ctx);
	const names = await readSortedNames(session, allNamesQuery(sobject));
	return names.map((name) => ({ name, value: name }));
}

export async function getUserLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await namesOf(this, 'UserLicense');
}

export async function getProfiles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await namesOf(this, 'Profile');
}

/**
 * The EventType picklist of EventLogFile (the types this org can produce). If the describe is
 * refused (no View Event Log Files) the common types are offered, so the field stays usable.
 */
export async function getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let values: string[] = [...COMMON_EVENT_TYPES];
	try {
		const session = await connect.call(this);
		const describe = await describeSObject(session, 'EventLogFile');
		const picklist = describe.fields.find((f) => f.name === 'EventType')?.picklistValues ?? [];
		const active = picklist.filter((p) => p.active !== false).map((p) => p.value);
		if (active.length) values = active;
	} catch {
		// fall back to the common types
	}
	return [...new Set(values)]
		.sort((a, b) => a.localeCompare(b))
		.map((value) => ({ name: value, value }));
}

/** What the org has of an entitlement kind: the value is the name the writes and filters match. */
async function catalogOptions(
	ctx: ILoadOptionsFunctions,
	kind: EntitlementKind,
): Promise<INodePropertyOptions[]> {
	const session = await connect.call(ctx);
	const entries = await readCatalog(session, kind);
	return entries.map((e) => ({ name: e.label, value: e.value }));
}

/** Managed packages by namespace prefix (PackageLicense). */
export async function getPackageLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await catalogOptions(this, 'packageLicenses');
}

/** Permission set licenses by developer name, shown by label. */
export async function getPermissionSetLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await catalogOptions(this, 'permissionSetLicenses');
}

/** Permission sets (not profile-owned) and permission set groups, by API name. */
export async function getPermissionSets(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await catalogOptions(this, 'permissionSets');
}

/** Public groups and queues, by developer name. */
export async function getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await catalogOptions(this, 'groups');
}
