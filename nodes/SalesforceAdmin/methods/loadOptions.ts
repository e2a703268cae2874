/**
 * Dropdowns filled from the org: user licenses, profiles, package licenses and permission set
 * licenses (Get users filters) and event types (event log filters). Each is one query; the
 * option value is the name the filter matches on.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { COMMON_EVENT_TYPES } from '../salesforce/eventLogs';
import { connect, describeSObject, queryAll } from '../transport';

async function namesOf(ctx: ILoadOptionsFunctions, soql: string): Promise<INodePropertyOptions[]> {
	const session = await connect.call(ctx);
	const rows = await queryAll(session, soql);
	const names = [...new Set(rows.map((r) => String(r.Name ?? '')).filter(Boolean))];
	return names.sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
}

export async function getUserLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await namesOf(this, 'SELECT Name FROM UserLicense ORDER BY Name');
}

/** Installed managed packages with licenses, by namespace prefix (what items show). */
export async function getPackageLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const session = await connect.call(this);
	const rows = await queryAll(session, 'SELECT NamespacePrefix, Status FROM PackageLicense');
	return rows
		.filter((r) => typeof r.NamespacePrefix === 'string' && r.NamespacePrefix !== '')
		.map((r) => ({
			name: String(r.NamespacePrefix),
			value: String(r.NamespacePrefix),
			description: typeof r.Status === 'string' ? `Status: ${r.Status}` : undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Permission set licenses: the label shown, the API name (unique) stored. */
export async function getPermissionSetLicenses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const session = await connect.call(this);
	const rows = await queryAll(
		session,
		'SELECT DeveloperName, MasterLabel FROM PermissionSetLicense',
	);
	return rows
		.filter((r) => typeof r.DeveloperName === 'string' && r.DeveloperName !== '')
		.map((r) => ({
			name: String(r.MasterLabel ?? r.DeveloperName),
			value: String(r.DeveloperName),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getProfiles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await namesOf(this, 'SELECT Name FROM Profile ORDER BY Name');
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
