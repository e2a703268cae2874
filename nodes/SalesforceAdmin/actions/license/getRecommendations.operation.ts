/**
 * Get license recommendations: who should be frozen, deactivated or lose feature licenses, which
 * inactive users still hold package seats or permission set licenses (orphaned seats), and what
 * it saves. Reads, each once per run whatever the org's size (REST below 20,000 rows, Bulk
 * API 2.0 above, see reads/largeQuery.ts):
 *   describe User (readable feature-license fields), active users, frozen UserLogins,
 *   administrators by permission set, permission set license assignments, package seats
 *   (UserPackageLicense), the inactive users holding either (two semi-join queries), successful
 *   logins of the window (counted per user as they stream by, never kept), Event Log File
 *   activity where the credential may read it (eventLogActivity.ts), and for the summary the
 *   UserLicense, PermissionSetLicense and PackageLicense counts.
 * The decision itself is pure: salesforce/recommendations.ts.
 */
import { DateTime } from 'luxon';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { to18CharId } from '../../salesforce/ids';
import type { LicenseItem } from '../../salesforce/licenses';
import type { LoginHistory, User, UserLogin } from '../../salesforce/records';
import {
	mapFeatureLicense,
	mapPermissionSetLicense,
	mapUserLicense,
	PERMISSION_SET_LICENSE_QUERY,
	USER_LICENSE_QUERY,
} from '../../salesforce/licenses';
import type {
	Decision,
	OrphanFacts,
	RecommendationSettings,
	UserFacts,
} from '../../salesforce/recommendations';
import {
	decide,
	decideOrphan,
	evidenceOf,
	LoginActivityCounter,
	loginWindowDays,
	orphanedSeatsQueries,
	orphanEvidenceOf,
	parseRecommendationSettings,
	parseSalesforceTime,
	SavingsSummary,
} from '../../salesforce/recommendations';
import type { ProtectedEntry, SafetyOptions } from '../../salesforce/safetyOptions';
import {
	SAFETY_OPTION_LABELS,
	combineSafetyOptions,
	parseSafetyOptions,
	protectedEntries,
	unknownProtectedEntryReason,
} from '../../salesforce/safetyOptions';
import { soqlDateTime } from '../../salesforce/soql';
import { buildUsersQuery } from '../../salesforce/userQuery';
import { mapUser } from '../../salesforce/userMapping';
import type { PlannedUser } from '../../salesforce/writePlan';
import { skipReason } from '../../salesforce/writePlan';
import type { SalesforceSession } from '../../transport';
import { queryAll } from '../../transport';
import { largeQueryPages } from '../../reads/largeQuery';
import { unknownProtectedEntries } from '../../reads/userLookup';
import { unlessObjectRefused } from '../../reads/userEntitlements';
import type { ReadOperation } from '../shared/readRunner';
import { addNotice } from '../shared/notices';
import { executeRead, toItems } from '../shared/readRunner';
import { InputError } from '../shared/inputError';
import { readableUserFeatureFields } from '../shared/userReads';
import { packageLicenses } from '../shared/licenseReads';
import { readAdminPermissionSets } from '../../reads/adminPermissionSets';
import { eventEvidence, readEventLogActivity } from './eventLogActivity';

const show = { show: { resource: ['license'], operation: ['getRecommendations'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Freeze After (Days Idle)',
		name: 'freezeAfterDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 90,
		description:
			'Recommend freezing a user with no login (UI or API) for this many days. Freezing is reversible and saves nothing yet.',
		displayOptions: show,
	},
	{
		displayName: 'Deactivate After (Days Frozen)',
		name: 'deactivateAfterFrozenDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description:
			'Recommend deactivating a user that has been frozen this many days and is still idle. Deactivating frees the seat.',
		displayOptions: show,
	},
	{
		displayName: 'New User Grace (Days)',
		name: 'newUserGraceDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description:
			'Accounts younger than this are always kept; a user who never logged in is idle from the day the account was created',
		displayOptions: show,
	},
	{
		displayName: 'Prices',
		name: 'prices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Price',
		default: {},
		description:
			'What each license costs per month: user licenses (Salesforce, Salesforce Platform), permission set licenses (by label), package licenses (by namespace prefix, such as SBQQ) and feature licenses (Service Cloud, Marketing, ...). Salesforce publishes no price API; a license without a price counts 0 and is listed as unpriced.',
		displayOptions: show,
		options: [
			{
				displayName: 'Price',
				name: 'price',
				values: [
					{
						displayName: 'License',
						name: 'license',
						type: 'string',
						default: '',
						placeholder: 'Salesforce',
						description:
							'The license name as Get Licenses shows it (any case); for a package license its namespace prefix',
					},
					{
						displayName: 'Monthly Price',
						name: 'monthlyPrice',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 2 },
						default: 0,
						description: 'Price of one seat per month, in the currency below',
					},
				],
			},
		],
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'USD',
		description: "Three-letter code of the prices' currency; the savings are in it",
		displayOptions: show,
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Per User',
				value: 'perUser',
				description:
					'One item per active user with the recommendation, the reason, the evidence and the savings, and one per inactive user still holding package or permission set licenses',
			},
			{
				name: 'Summary',
				value: 'summary',
				description:
					'One item per license (total, used, reclaimable, savings) plus an org total; for a weekly report',
			},
		],
		default: 'perUser',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Allow Admins',
				name: 'allowAdmins',
				type: 'boolean',
				default: false,
				description:
					'Whether administrators (profile "System Administrator", or "Modify All Data" by profile or permission set) may be recommended for freezing or deactivation. Off: they must stay active; idle ones are only recommended to lose their feature licenses.',
			},
			{
				displayName: 'Include External Users',
				name: 'includeExternal',
				type: 'boolean',
				default: false,
				description: 'Whether to include community, portal, Chatter and guest users and licenses',
			},
			{
				displayName: 'Protected Usernames',
				name: 'protectedUsernames',
				type: 'string',
				default: '',
				placeholder: 'ceo@acme.com, integration@acme.com',
				description:
					'Comma-separated usernames (or user IDs) that must stay active, as in the write actions: never recommended for freezing or deactivation. An entry that names no user of the org fails the run, naming the entry.',
			},
		],
	},
];

interface Params {
	settings: RecommendationSettings;
	safety: SafetyOptions;
	/** The protected list's entries as typed, to name one that names no user. */
	protectedEntries: ProtectedEntry[];
	includeExternal: boolean;
}

interface Shared {
	featureFields: string[];
}

/** The safety options fail closed exactly as the writes' do: only their own type is accepted. */
function readOptions(
	raw: IDataObject,
	itemIndex: number,
): Pick<Params, 'safety' | 'protectedEntries' | 'includeExternal'> {
	const { includeExternal, ...safetyRaw } = raw;
	const { options, problems } = parseSafetyOptions(safetyRaw);
	if (problems.length) throw new InputError(problems[0].field, problems[0].reason);
	if (includeExternal !== undefined && typeof includeExternal !== 'boolean') {
		throw new InputError(
			'Options > Include External Users',
			`must be true or false (a boolean); got ${JSON.stringify(includeExternal) ?? 'undefined'}`,
		);
	}
	if ('includeExternal' in raw && includeExternal === undefined) {
		throw new InputError(
			'Options > Include External Users',
			'must be true or false (a boolean); got undefined (the expression gave no value)',
		);
	}
	return {
		safety: combineSafetyOptions([options]),
		protectedEntries: protectedEntries([{ itemIndex, options }]),
		includeExternal: includeExternal === true,
	};
}

const getRecommendations: ReadOperation<Params, Shared> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const raw: IDataObject = {};
		for (const name of [
			'freezeAfterDays',
			'deactivateAfterFrozenDays',
			'newUserGraceDays',
			'prices',
			'currency',
			'output',
		] as const) {
			raw[name] = this.getNodeParameter(name, itemIndex, undefined) as IDataObject[string];
		}
		const parsed = parseRecommendationSettings(raw);
		if (!parsed.ok) throw new InputError(parsed.field, parsed.reason);
		const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
		return { settings: parsed.value, ...readOptions(options, itemIndex) };
	},

	async prepare(this: IExecuteFunctions, session: SalesforceSession) {
		return { shared: { featureFields: await readableUserFeatureFields(this, session) } };
	},

	async run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: Params,
		_itemIndex: number,
		shared: Shared,
	) {
		const now = DateTime.utc();
		const read = await readOrg(this, session, params, shared.featureFields, now);
		const users = read.users;
		await refuseUnknownProtected(session, params.protectedEntries, users);
		const facts = toFacts(session, params, read);
		const windowDays = loginWindowDays(params.settings);
		const summary = new SavingsSummary();
		const perUser: IDataObject[] = [];
		for (const user of users) {
			const userFacts = facts.get(user.item.id as string) as UserFacts;
			const decision = decide(userFacts, params.settings, now.toMillis());
			if (params.settings.output === 'summary') {
				summary.add(userFacts, decision);
				continue;
			}
			const evidence = evidenceOf(userFacts, decision, {
				loginWindowDays: windowDays,
				eventLogActivity: eventEvidence(read.events, user.item.id as string),
			});
			perUser.push(recommendationItem(user.item, decision, evidence, params.settings));
		}
		for (const orphan of read.orphans) {
			const id = orphan.item.id as string;
			const orphanFacts: OrphanFacts = {
				packageLicenses: read.packageSeats?.get(id) ?? [],
				permissionSetLicenses: read.permissionSetLicenses.get(id) ?? [],
				protectedReason: skipReason(orphan.planned, {
					connectedUserId: id18(session.userId),
					safety: params.safety,
					adminPermissionSets: read.adminPermissionSets,
				}),
			};
			const decision = decideOrphan(orphanFacts, params.settings);
			if (params.settings.output === 'summary') {
				summary.addOrphan(orphanFacts, decision);
				continue;
			}
			const evidence = orphanEvidenceOf(orphanFacts, {
				lastLoginDate: orphan.lastLoginDate,
				license: (orphan.item.license as string | null) ?? null,
			});
			perUser.push(recommendationItem(orphan.item, decision, evidence, params.settings));
		}
		if (params.settings.output === 'perUser') return toItems(perUser);
		return toItems(summary.items(read.catalogue, params.settings, params.includeExternal));
	},
};

/** A per-user item: the user fields, then the recommendation's. */
function recommendationItem(
	user: IDataObject,
	decision: Decision,
	evidence: IDataObject,
	settings: RecommendationSettings,
): IDataObject {
	return {
		...user,
		recommendation: decision.recommendation,
		reason: decision.reason,
		evidence,
		monthlySavings: decision.monthlySavings,
		currency: settings.currency,
		unpricedLicenses: decision.unpriced,
	};
}

interface ReadUser {
	item: IDataObject;
	planned: PlannedUser;
	lastLoginDate: number | undefined;
	createdDate: number | undefined;
}

/** Active users in scope (internal only unless includeExternal), as Get users maps them. */
async function readActiveUsers(
	session: SalesforceSession,
	params: Params,
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

const id18 = (value: unknown): string => {
	const text = String(value ?? '');
	return to18CharId(text) ?? text;
};

/** Frozen users with UserLogin.LastModifiedDate, the best "frozen since" the API offers. */
async function readFrozen(session: SalesforceSession): Promise<Map<string, number | undefined>> {
	const frozen = new Map<string, number | undefined>();
	for await (const page of largeQueryPages<UserLogin>(
		session,
		'SELECT UserId, LastModifiedDate FROM UserLogin WHERE IsFrozen = true',
	)) {
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
		'SELECT AssigneeId, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign',
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
	ctx: IExecuteFunctions,
	session: SalesforceSession,
): Promise<Map<string, string[]> | undefined> {
	return await unlessObjectRefused<Map<string, string[]> | undefined>(
		namesByUser(
			session,
			'SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense',
			'UserId',
			(row) => (row.PackageLicense as IDataObject | null)?.NamespacePrefix,
		),
		() => {
			addNotice(ctx, PACKAGE_SEATS_UNREADABLE_NOTICE);
			return undefined;
		},
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
	params: Params,
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
	const since = soqlDateTime(now.minus({ days: loginWindowDays(settings) }));
	const soql = `SELECT UserId, LoginTime, LoginType, ApiType FROM LoginHistory WHERE LoginTime >= ${since} AND Status = 'Success'`;
	for await (const page of largeQueryPages<LoginHistory>(session, soql)) {
		for (const row of page) counter.add(row, id18(row.UserId));
	}
	return counter;
}

/**
 * Every read at once: they do not depend on each other, and each is a handful of calls at
 * most, so the run takes as long as its longest read (a Bulk job), not their sum.
 */
async function readOrg(
	ctx: IExecuteFunctions,
	session: SalesforceSession,
	params: Params,
	featureFields: string[],
	now: DateTime,
) {
	const [
		users,
		frozen,
		adminPermissionSets,
		permissionSetLicenses,
		packageSeats,
		logins,
		catalogue,
		events,
	] = await Promise.all([
		readActiveUsers(session, params, featureFields, now),
		readFrozen(session),
		params.safety.allowAdmins ? undefined : readAdminPermissionSets(session),
		readPermissionSetLicenses(session),
		readPackageSeats(ctx, session),
		countLogins(session, params.settings, now),
		params.settings.output === 'summary' ? readCatalogue(ctx, session, featureFields) : [],
		readEventLogActivity(ctx, session, now),
	]);
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
		users,
		orphans,
		frozen,
		adminPermissionSets,
		permissionSetLicenses,
		packageSeats,
		logins,
		catalogue,
		events,
	};
}

function toFacts(
	session: SalesforceSession,
	params: Params,
	read: Awaited<ReturnType<typeof readOrg>>,
): Map<string, UserFacts> {
	const connectedUserId = id18(session.userId);
	const facts = new Map<string, UserFacts>();
	for (const user of read.users) {
		const id = user.item.id as string;
		const isFrozen = read.frozen.has(id);
		const isConnectedUser = id === connectedUserId;
		facts.set(id, {
			isFrozen,
			frozenSince: read.frozen.get(id),
			createdDate: user.createdDate,
			lastLoginDate: user.lastLoginDate,
			activity: read.logins.get(id),
			lastEventTime: parseSalesforceTime(read.events.byUser.get(id)?.lastEventTime ?? undefined),
			license: (user.item.license as string | null) ?? null,
			featureLicenses: user.item.featureLicenses as string[],
			permissionSetLicenses: read.permissionSetLicenses.get(id) ?? [],
			packageLicenses: read.packageSeats?.get(id) ?? [],
			isConnectedUser,
			protectedReason: isConnectedUser
				? undefined
				: skipReason(user.planned, {
						connectedUserId,
						safety: params.safety,
						adminPermissionSets: read.adminPermissionSets,
					}),
		});
	}
	return facts;
}

/** The org's licenses for the summary: user, permission set, package and feature licenses. */
async function readCatalogue(
	ctx: IExecuteFunctions,
	session: SalesforceSession,
	featureFields: readonly string[],
): Promise<LicenseItem[]> {
	const userLicenses = (await queryAll(session, USER_LICENSE_QUERY)).map(mapUserLicense);
	const permissionSetLicenses = (await queryAll(session, PERMISSION_SET_LICENSE_QUERY)).map(
		mapPermissionSetLicense,
	);
	const packages = await packageLicenses(ctx, session);
	const features = featureFields.map((field) => mapFeatureLicense(field, 0));
	return [...userLicenses, ...permissionSetLicenses, ...packages, ...features];
}

/**
 * A protected entry that names no user of the org (a production username in a sandbox, a typo)
 * protects nobody: the item fails, naming it, as the writes refuse it. Entries among the users
 * read cost nothing; others (inactive or external users are users) one batched query.
 */
async function refuseUnknownProtected(
	session: SalesforceSession,
	entries: readonly ProtectedEntry[],
	users: readonly ReadUser[],
): Promise<void> {
	if (entries.length === 0) return;
	const [unknown] = await unknownProtectedEntries(session, entries, {
		ids: new Set(users.map((u) => u.planned.Id)),
		usernames: new Set(users.map((u) => u.planned.Username.toLowerCase())),
	});
	if (unknown) {
		throw new InputError(
			SAFETY_OPTION_LABELS.protectedUsernames,
			unknownProtectedEntryReason(unknown),
		);
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getRecommendations);
}
