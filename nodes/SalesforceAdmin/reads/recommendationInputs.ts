/**
 * The reads of Get license recommendations, each once per run whatever the org's size (REST
 * below 20,000 rows, Bulk API 2.0 above, see largeQuery.ts): active users, frozen UserLogins,
 * permission set license assignments, package seats (UserPackageLicense), the inactive users
 * holding either (two semi-join queries), successful logins of the window (counted per user as
 * they stream by, never kept), Event Log File activity where the credential may read it
 * (eventLogActivity.ts), and for the summary the UserLicense, PermissionSetLicense and
 * PackageLicense counts. The SOQL and the decisions are pure: salesforce/recommendations.ts.
 */
import type { DateTime } from 'luxon';
import type { IDataObject, INode } from 'n8n-workflow';

import { to18CharId } from '../salesforce/ids';
import type { LicenseItem } from '../salesforce/licenses';
import type { LoginHistory, User } from '../salesforce/records';
import type { RecommendationSettings } from '../salesforce/recommendations';
import {
	LoginActivityCounter,
	loginWindowDays,
	orphanedSeatsQueries,
	PACKAGE_SEATS_QUERY,
	parseSalesforceTime,
	PERMISSION_SET_LICENSE_ASSIGNMENTS_QUERY,
	successfulLoginsQuery,
} from '../salesforce/recommendations';
import { buildUsersQuery } from '../salesforce/userQuery';
import { mapUser } from '../salesforce/userMapping';
import type { PlannedUser } from '../salesforce/writePlan';
import type { SalesforceSession } from '../transport';
import { readEventLogActivity } from './eventLogActivity';
import { largeQueryPages } from './largeQuery';
import { readLicenseCatalogue } from './orgLicenses';
import { unlessObjectRefused } from './heldNames';
import { frozenUserPages } from './lookUpUsers';
import type { WithNotices } from './withNotices';

export interface ReadUser {
	item: IDataObject;
	planned: PlannedUser;
	lastLoginDate: number | undefined;
	createdDate: number | undefined;
}

/** Active users in scope (internal only unless includeExternal), as Get users maps them. */
async function readActiveUsers(
	session: SalesforceSession,
	params: RecommendationReadParams,
	featureFields: string[],
	now: DateTime,
): Promise<ReadUser[]> {
	const soql = buildUsersQuery(
		{ status: 'active', includeExternal: params.includeExternal },
		featureFields,
		{ now },
	);
	return await readUsers(session, soql, featureFields, now);
}

/** What users hold is filled in once the assignments are read (readOrg). */
const NOT_READ_YET = { packageLicenses: [], permissionSetLicenses: [] };

async function readUsers(
	session: SalesforceSession,
	soql: string,
	featureFields: string[],
	now: DateTime,
): Promise<ReadUser[]> {
	const users: ReadUser[] = [];
	for await (const page of largeQueryPages<User>(session, soql)) {
		for (const record of page) {
			const item = mapUser(record, {
				isFrozen: false,
				featureFields,
				now,
				entitlements: { ...NOT_READ_YET },
			});
			users.push({
				item,
				planned: {
					Id: item.id as string,
					Username: record.Username ?? '',
					Profile: record.Profile ?? null,
				},
				lastLoginDate: parseSalesforceTime(record.LastLoginDate),
				createdDate: parseSalesforceTime(record.CreatedDate),
			});
		}
	}
	return users;
}

export const id18 = (value: unknown): string => {
	const text = String(value ?? '');
	return to18CharId(text) ?? text;
};

/** Frozen users with UserLogin.LastModifiedDate, the best "frozen since" the API offers. */
async function readFrozen(session: SalesforceSession): Promise<Map<string, number | undefined>> {
	const frozen = new Map<string, number | undefined>();
	for await (const page of frozenUserPages(session)) {
		for (const row of page) frozen.set(id18(row.UserId), parseSalesforceTime(row.LastModifiedDate));
	}
	return frozen;
}

/** Names per user from every row of an assignment object (filtered to the users in scope later). */
async function namesByUser(
	session: SalesforceSession,
	soql: string,
	userField: string,
	nameOf: (row: IDataObject) => unknown,
): Promise<Map<string, string[]>> {
	const byUser = new Map<string, string[]>();
	for await (const page of largeQueryPages(session, soql)) {
		for (const row of page) {
			const userId = id18(row[userField]);
			const name = nameOf(row);
			if (typeof name !== 'string') continue;
			const held = byUser.get(userId);
			if (held) held.push(name);
			else byUser.set(userId, [name]);
		}
	}
	return byUser;
}

/** Permission set licenses per user (labels), every assignment, inactive users' too. */
async function readPermissionSetLicenses(
	session: SalesforceSession,
): Promise<Map<string, string[]>> {
	return await namesByUser(
		session,
		PERMISSION_SET_LICENSE_ASSIGNMENTS_QUERY,
		'AssigneeId',
		(row) => (row.PermissionSetLicense as IDataObject | null)?.MasterLabel,
	);
}

const PACKAGE_SEATS_UNREADABLE_NOTICE =
	'Package seats are left out: Salesforce does not let the connected user read UserPackageLicense, so "packageLicenses" is null and no saving counts them. Connect as a user who can see Setup > Installed Packages > Manage Licenses.';

/**
 * Package seats per user (namespace prefixes), every seat, inactive users' too; undefined (and
 * a notice) when Salesforce hides UserPackageLicense from the connected user.
 */
async function readPackageSeats(
	session: SalesforceSession,
): Promise<WithNotices<Map<string, string[]> | undefined>> {
	return await unlessObjectRefused<WithNotices<Map<string, string[]> | undefined>>(
		namesByUser(
			session,
			PACKAGE_SEATS_QUERY,
			'UserId',
			(row) => (row.PackageLicense as IDataObject | null)?.NamespacePrefix,
		).then((data) => ({ data, notices: [] })),
		() => ({ data: undefined, notices: [PACKAGE_SEATS_UNREADABLE_NOTICE] }),
	);
}

/**
 * Inactive users in scope still holding package seats or permission set licenses (orphaned
 * seats), by username. The holders are known from the org-wide assignment reads: those not among
 * the active users in scope are looked up by ID (none: no call), or by one semi-join query per
 * kind when there are many (orphanedSeatsQueries).
 */
async function readOrphans(
	session: SalesforceSession,
	params: RecommendationReadParams,
	featureFields: string[],
	now: DateTime,
	read: {
		users: readonly ReadUser[];
		permissionSetLicenses: ReadonlyMap<string, string[]>;
		packageSeats: ReadonlyMap<string, string[]> | undefined;
	},
): Promise<ReadUser[]> {
	const active = new Set(read.users.map((u) => u.item.id as string));
	const holders = new Set([
		...read.permissionSetLicenses.keys(),
		...(read.packageSeats?.keys() ?? []),
	]);
	const queries = orphanedSeatsQueries(featureFields, params.includeExternal, now, {
		candidates: [...holders].filter((id) => !active.has(id)),
		packagesReadable: read.packageSeats !== undefined,
	});
	const found = await Promise.all(
		queries.map((soql) => readUsers(session, soql, featureFields, now)),
	);
	const byId = new Map(found.flat().map((u) => [u.item.id, u]));
	return [...byId.values()].sort((a, b) => a.planned.Username.localeCompare(b.planned.Username));
}

/**
 * Successful logins of the window, counted per user as the pages stream by (a Map of counters,
 * never the rows): right at 1,000,000 rows, where GROUP BY (2,000 groups at most, no paging, no
 * Bulk) cannot be.
 */
async function countLogins(
	session: SalesforceSession,
	settings: RecommendationSettings,
	now: DateTime,
): Promise<LoginActivityCounter> {
	const counter = new LoginActivityCounter(undefined, now.toMillis());
	const soql = successfulLoginsQuery(now.minus({ days: loginWindowDays(settings) }));
	for await (const page of largeQueryPages<LoginHistory>(session, soql)) {
		for (const row of page) counter.add(row, id18(row.UserId));
	}
	return counter;
}

/** What the reads need of the operation's parameters. */
export interface RecommendationReadParams {
	settings: RecommendationSettings;
	includeExternal: boolean;
}

const NO_CATALOGUE: WithNotices<LicenseItem[]> = { data: [], notices: [] };

/**
 * Every read at once: they do not depend on each other, and each is a handful of calls at
 * most, so the run takes as long as its longest read (a Bulk job), not their sum. `node`: the
 * node whose error an unexpected Event Log File failure becomes.
 */
export async function readRecommendationInputs(
	node: INode,
	session: SalesforceSession,
	params: RecommendationReadParams,
	featureFields: string[],
	now: DateTime,
) {
	const [
		users,
		frozen,
		permissionSetLicenses,
		packageSeatsRead,
		logins,
		catalogueRead,
		eventsRead,
	] = await Promise.all([
		readActiveUsers(session, params, featureFields, now),
		readFrozen(session),
		readPermissionSetLicenses(session),
		readPackageSeats(session),
		countLogins(session, params.settings, now),
		params.settings.output === 'summary'
			? readLicenseCatalogue(session, featureFields)
			: NO_CATALOGUE,
		readEventLogActivity(node, session, now),
	]);
	const packageSeats = packageSeatsRead.data;
	// after the assignments: who holds them tells which inactive users to read
	const orphans = await readOrphans(session, params, featureFields, now, {
		users,
		permissionSetLicenses,
		packageSeats,
	});
	// the user fields Get users reports, from the assignments read above
	const sorted = (names: string[] | undefined) =>
		[...(names ?? [])].sort((a, b) => a.localeCompare(b));
	for (const user of [...users, ...orphans]) {
		const id = user.item.id as string;
		user.item.isFrozen = frozen.has(id);
		user.item.packageLicenses = packageSeats ? sorted(packageSeats.get(id)) : null;
		user.item.permissionSetLicenses = sorted(permissionSetLicenses.get(id));
	}
	return {
		data: {
			users,
			orphans,
			frozen,
			permissionSetLicenses,
			packageSeats,
			logins,
			catalogue: catalogueRead.data,
			events: eventsRead.data,
		},
		notices: [...packageSeatsRead.notices, ...catalogueRead.notices, ...eventsRead.notices],
	};
}
