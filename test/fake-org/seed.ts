/**
 * Deterministic org content. `ensureCatalog` puts in the licenses, profiles, permission sets
 * and permission-set licenses every org has; `seedOrg` adds a realistic population on top.
 */
import { DAY_MS, parseDateTime, sfDate, sfDateTime } from './dates';
import { EVENT_LOG_TYPES } from './eventlog';
import { Prng } from './prng';
import { USER_FEATURE_FLAGS, UserFeatureFlag } from './schema';
import type { OrgStore, PermissionSetLicenseRecord, UserRecord } from './store';

export interface SeedOptions {
	/** How many users to add (besides any already there). */
	users: number;
	/** LoginHistory rows, spread over the last 180 days. Default: 3 per active user, max 20,000. */
	loginHistory?: number;
	/** Event log files: a count, or days x types. Default: none. */
	eventLogFiles?: number | EventLogSeed;
	/** The org's "now" for the seeded dates. Default: the store's clock. */
	now?: Date;
	seed?: number;
	/**
	 * Who holds which entitlement: package seats, permission set licenses, permission sets and
	 * groups, public group and queue memberships (off by default: existing counts stay as they were).
	 */
	entitlements?: boolean;
}

export interface EventLogSeed {
	days?: number;
	types?: string[];
	rowsPerFile?: number;
	interval?: 'Daily' | 'Hourly';
	edgeCases?: boolean;
}

/** The org `npm run demo` starts (DEMO_USERS changes `users`); tests check what it shows. */
export const DEMO_SEED: SeedOptions = { users: 400, eventLogFiles: { days: 7 }, seed: 2024 };

// Real license keys where Salesforce documents them.
const LICENSES: Array<[name: string, key: string, total: number]> = [
	['Salesforce', 'SFDC', 0],
	['Salesforce Platform', 'AUL', 0],
	['Chatter Free', 'PID_Chatter', 5000],
	['Chatter External', 'PID_Chatter_External', 500],
	['Customer Community', 'PID_Customer_Community', 0],
	['Customer Community Login', 'PID_Customer_Community_Login', 0],
	['Partner Community', 'PID_Partner_Community', 0],
	['Customer Portal Manager Custom', 'PID_Customer_Portal_Manager_Custom', 0],
	['Guest User License', 'PID_Guest_User', 25],
];

type Perms = Partial<
	Record<
		| 'PermissionsApiEnabled'
		| 'PermissionsViewEventLogFiles'
		| 'PermissionsViewAllData'
		| 'PermissionsModifyAllData'
		| 'PermissionsManageUsers'
		| 'PermissionsManagePackageLicenses',
		boolean
	>
>;
const ALL_PERMS: Perms = {
	PermissionsApiEnabled: true,
	PermissionsViewEventLogFiles: true,
	PermissionsViewAllData: true,
	PermissionsModifyAllData: true,
	PermissionsManageUsers: true,
	PermissionsManagePackageLicenses: true,
};
const API: Perms = { PermissionsApiEnabled: true };

export const PROFILES: Array<[name: string, license: string, userType: string, perms: Perms]> = [
	['System Administrator', 'Salesforce', 'Standard', ALL_PERMS],
	['Standard User', 'Salesforce', 'Standard', API],
	['Read Only', 'Salesforce', 'Standard', API],
	['Marketing User', 'Salesforce', 'Standard', {}],
	['Standard Platform User', 'Salesforce Platform', 'Standard', API],
	['Chatter Free User', 'Chatter Free', 'CsnOnly', API],
	['Chatter External User', 'Chatter External', 'CsnOnly', {}],
	['Customer Community User', 'Customer Community', 'CspLitePortal', {}],
	['Customer Community Login User', 'Customer Community Login', 'CspLitePortal', {}],
	['Partner Community User', 'Partner Community', 'PowerPartner', {}],
	['Customer Portal Manager Custom', 'Customer Portal Manager Custom', 'PowerCustomerSuccess', API],
	['Acme Site Guest User', 'Guest User License', 'Guest', {}],
];

/** Licenses, profiles, permission sets and permission-set licenses, once per store. */
export function ensureCatalog(store: OrgStore): void {
	if (store.userLicenses.length) return;
	const now = store.now();
	for (const [name, key, total] of LICENSES) {
		store.addUserLicense({
			Name: name,
			MasterLabel: name,
			LicenseDefinitionKey: key,
			TotalLicenses: total || 100,
			Status: 'Active',
		});
	}
	for (const [name, license, userType, perms] of PROFILES) {
		store.addProfile({ Name: name, license, UserType: userType, ...perms });
	}
	store.addPermissionSet({
		Name: 'Event_Monitoring_Viewer',
		Label: 'Event Monitoring Viewer',
		PermissionsViewEventLogFiles: true,
	});
	store.addPermissionSet({ Name: 'API_Access', Label: 'API Access', PermissionsApiEnabled: true });
	store.addPermissionSet({
		Name: 'User_Manager',
		Label: 'User Manager',
		PermissionsManageUsers: true,
	});
	store.addPermissionSetLicense({
		DeveloperName: 'SalesforceCPQ_CPQStandardPerm',
		MasterLabel: 'Salesforce CPQ License',
		TotalLicenses: 50,
		UsedLicenses: 31,
	});
	store.addPermissionSetLicense({
		DeveloperName: 'EinsteinAnalyticsPlusPsl',
		MasterLabel: 'CRM Analytics Plus',
		TotalLicenses: 20,
		UsedLicenses: 20,
	});
	store.addPermissionSetLicense({
		DeveloperName: 'SalesConsoleUser',
		MasterLabel: 'Sales Console User',
		TotalLicenses: 100,
		UsedLicenses: 12,
	});
	store.addPermissionSetLicense({
		DeveloperName: 'FieldServiceSchedulingPsl',
		MasterLabel: 'Field Service Scheduling',
		TotalLicenses: 10,
		UsedLicenses: 4,
		Status: 'Expired',
		ExpirationDate: sfDate(new Date(now.getTime() - 30 * DAY_MS)),
	});
	addEntitlementCatalog(store);
}

/** The namespaces, permission sets, groups and queues the entitlement seed hands out. */
export const ENTITLEMENT_CATALOG = {
	packages: { cpq: 'SBQQ', docusign: 'dfsle', marketingCloud: 'et4ae5', legacyDocusign: 'dsfs' },
	permissionSets: { cpqUser: 'CPQ_User', salesOpsReports: 'Sales_Ops_Reports' },
	permissionSetGroups: { salesOperations: 'Sales_Operations', supportAgents: 'Support_Agents' },
	groups: { allSales: 'All_Sales', emeaTeam: 'EMEA_Team' },
	queues: { supportTier1: 'Support_Tier_1', leadInbox: 'Lead_Inbox' },
} as const;

/**
 * Managed packages (a paid CPQ and DocuSign, a free site-wide Marketing Cloud connector whose
 * AllowedLicenses is -1, an expired legacy DocuSign), a permission set that needs the CPQ
 * permission set license, permission set groups, public groups and queues.
 */
function addEntitlementCatalog(store: OrgStore): void {
	const now = store.now();
	const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;
	store.addPackageLicense({ NamespacePrefix: packages.cpq, AllowedLicenses: 50 });
	store.addPackageLicense({
		NamespacePrefix: packages.docusign,
		AllowedLicenses: 25,
		ExpirationDate: new Date(now.getTime() + 200 * DAY_MS),
	});
	store.addPackageLicense({
		NamespacePrefix: packages.marketingCloud,
		Status: 'Free',
		AllowedLicenses: -1,
	});
	store.addPackageLicense({
		NamespacePrefix: packages.legacyDocusign,
		Status: 'Expired',
		AllowedLicenses: 5,
		ExpirationDate: new Date(now.getTime() - 60 * DAY_MS),
	});
	const cpqLicense = store.permissionSetLicenses.find(
		(l) => l.DeveloperName === 'SalesforceCPQ_CPQStandardPerm',
	);
	store.addPermissionSet({
		Name: permissionSets.cpqUser,
		Label: 'CPQ User',
		LicenseId: cpqLicense?.Id ?? null,
		NamespacePrefix: packages.cpq,
	});
	const reports = store.addPermissionSet({
		Name: permissionSets.salesOpsReports,
		Label: 'Sales Ops Reports',
	});
	store.addPermissionSetGroup({
		DeveloperName: permissionSetGroups.salesOperations,
		MasterLabel: 'Sales Operations',
		permissionSets: [reports.Id],
	});
	store.addPermissionSetGroup({
		DeveloperName: permissionSetGroups.supportAgents,
		MasterLabel: 'Support Agents',
	});
	store.addGroup({ DeveloperName: groups.allSales, Name: 'All Sales' });
	store.addGroup({ DeveloperName: groups.emeaTeam, Name: 'EMEA Team' });
	store.addGroup({ DeveloperName: queues.supportTier1, Name: 'Support Tier 1', Type: 'Queue' });
	store.addGroup({ DeveloperName: queues.leadInbox, Name: 'Lead Inbox', Type: 'Queue' });
}

/**
 * Hands the catalog's entitlements to standard-license users (active and inactive alike, so
 * there are orphaned seats): CPQ users get the package, its permission set license and the
 * permission set that needs it. Seats are resized so no package is over its allowance.
 */
export function seedEntitlements(
	store: OrgStore,
	users: readonly UserRecord[],
	seed: number,
): void {
	const rng = new Prng(seed);
	const { packages, permissionSets, permissionSetGroups, groups, queues } = ENTITLEMENT_CATALOG;
	const pkg = (ns: string) => store.packageLicenseByNamespace(ns)!;
	const ps = (name: string) => store.permissionSets.find((p) => p.Name === name)!;
	const psg = (name: string) => store.permissionSetGroups.find((g) => g.DeveloperName === name)!;
	const group = (name: string) => store.groupByDeveloperName(name)!;
	const cpqUser = ps(permissionSets.cpqUser);
	for (const user of users) {
		if (user.UserType !== 'Standard') continue;
		if (rng.chance(0.1)) {
			store.assignPackageLicense(user.Id, pkg(packages.cpq).Id);
			if (cpqUser.LicenseId) store.assignPermissionSetLicense(user.Id, cpqUser.LicenseId);
			store.assignPermissionSet(user.Id, cpqUser.Id);
		}
		if (rng.chance(0.06)) store.assignPackageLicense(user.Id, pkg(packages.docusign).Id);
		if (rng.chance(0.15))
			store.assignPermissionSetGroup(user.Id, psg(permissionSetGroups.salesOperations).Id);
		if (rng.chance(0.3)) store.addGroupMember(group(groups.allSales).Id, user.Id);
		if (rng.chance(0.1)) store.addGroupMember(group(groups.emeaTeam).Id, user.Id);
		if (rng.chance(0.12)) store.addGroupMember(group(queues.supportTier1).Id, user.Id);
		if (rng.chance(0.05)) store.addGroupMember(group(queues.leadInbox).Id, user.Id);
	}
	const used = store.usedPackageLicenseCounts();
	for (const license of store.packageLicenses) {
		if (license.AllowedLicenses < 0) continue;
		const n = used.get(license.Id) ?? 0;
		license.AllowedLicenses = Math.max(license.AllowedLicenses, n + Math.ceil(n * 0.1) + 2);
	}
	const cpqPsl = store.get<PermissionSetLicenseRecord>('PermissionSetLicense', cpqUser.LicenseId);
	if (cpqPsl) {
		cpqPsl.UsedLicenses = store.permissionSetLicenseAssigns.filter(
			(a) => a.PermissionSetLicenseId === cpqPsl.Id,
		).length;
		cpqPsl.TotalLicenses = Math.max(cpqPsl.TotalLicenses, cpqPsl.UsedLicenses + 5);
	}
}

const FIRST = [
	'James',
	'Mary',
	'Robert',
	'Patricia',
	'John',
	'Jennifer',
	'Michael',
	'Linda',
	'David',
	'Elizabeth',
	'William',
	'Barbara',
	'Richard',
	'Susan',
	'Joseph',
	'Jessica',
	'Thomas',
	'Sarah',
	'Wei',
	'Aiko',
	'Lucas',
	'Amélie',
	'Mateo',
	'Priya',
	'Olga',
	'Kwame',
	'Noah',
	'Emma',
	'Liam',
	'Sofia',
];
const LAST = [
	'Smith',
	'Johnson',
	'Williams',
	'Brown',
	'Jones',
	'Garcia',
	'Miller',
	'Davis',
	'Rodriguez',
	'Martinez',
	'Hernandez',
	'Lopez',
	'Wilson',
	'Anderson',
	'Taylor',
	'Moore',
	'Jackson',
	'Martin',
	'Lee',
	"O'Brien",
	'Nakamura',
	'Müller',
	'Dubois',
	'Rossi',
	'Kowalski',
	'Okafor',
	'Singh',
	'Chen',
	'Ivanova',
	'Silva',
];
const DEPARTMENTS = ['Sales', 'Support', 'Marketing', 'Finance', 'Operations', 'IT', 'Legal', null];

// [profile, weight]
const PROFILE_MIX: Array<readonly [string, number]> = [
	['Standard User', 45],
	['Read Only', 4],
	['Marketing User', 6],
	['Standard Platform User', 15],
	['Chatter Free User', 12],
	['Chatter External User', 2],
	['Customer Community User', 8],
	['Customer Community Login User', 3],
	['Partner Community User', 3],
	['Customer Portal Manager Custom', 2],
];

const FEATURE_RATES: Record<UserFeatureFlag, number> = {
	UserPermissionsSupportUser: 0.2,
	UserPermissionsInteractionUser: 0.25,
	UserPermissionsLiveAgentUser: 0.05,
	UserPermissionsMarketingUser: 0.15,
	UserPermissionsMobileUser: 0.1,
	UserPermissionsKnowledgeUser: 0.1,
	UserPermissionsSFContentUser: 0.3,
	UserPermissionsOfflineUser: 0.05,
};

/** Adds a realistic, deterministic population: same options, same org. */
export function seedOrg(store: OrgStore, options: SeedOptions): void {
	ensureCatalog(store);
	const rng = new Prng(options.seed ?? 42);
	const nowMs = (options.now ?? store.now()).getTime();
	const admins = Math.max(1, Math.round(options.users * 0.002));
	const guests = options.users >= 50 ? 1 : 0;
	const start = store.users.length;

	for (let i = 0; i < options.users; i++) {
		const n = start + i + 1;
		const profile =
			i < admins
				? 'System Administrator'
				: i < admins + guests
					? 'Acme Site Guest User'
					: rng.weighted(PROFILE_MIX);
		const isStandardLicense = [
			'System Administrator',
			'Standard User',
			'Read Only',
			'Marketing User',
		].includes(profile);
		const first = rng.pick(FIRST);
		const last = rng.pick(LAST);
		const active = i < admins + guests || rng.chance(0.88);
		const createdMs = nowMs - rng.int(30, 5 * 365) * DAY_MS - rng.int(0, DAY_MS - 1);
		let lastLogin: number | null;
		const r = rng.next();
		if (profile === 'Acme Site Guest User' || r < 0.08)
			lastLogin = null; // never logged in
		else if (!active || r < 0.28)
			lastLogin = nowMs - rng.int(90, 400) * DAY_MS - rng.int(0, DAY_MS - 1); // idle
		// at least a minute ago: a login at the seeding instant would sit on the edge of every
		// "until now" window, inside or outside depending on the millisecond a read starts
		else lastLogin = nowMs - 60_000 - rng.int(0, 89) * DAY_MS - rng.int(0, DAY_MS - 1);
		if (lastLogin !== null && lastLogin < createdMs) lastLogin = createdMs + DAY_MS;
		const flags: Partial<Record<UserFeatureFlag, boolean>> = {};
		if (isStandardLicense)
			for (const flag of USER_FEATURE_FLAGS) flags[flag] = rng.chance(FEATURE_RATES[flag]);
		const slug = `${first}.${last}`
			.toLowerCase()
			.normalize('NFD')
			.replace(/[^a-z.]/g, '');
		store.addUser({
			profile,
			FirstName: first,
			LastName: last,
			Username: `${slug}${n}@acme.example.com`,
			Email: `${slug}${n}@acme.example.com`,
			Alias: `${first[0]}${last.replace(/\W/g, '').slice(0, 4)}${n % 100}`
				.toLowerCase()
				.slice(0, 8),
			Department: rng.pick(DEPARTMENTS),
			IsActive: active,
			IsFrozen: active && i >= admins && rng.chance(0.02),
			LastLoginDate: lastLogin === null ? null : new Date(lastLogin),
			CreatedDate: new Date(createdMs),
			...flags,
		});
	}
	resizeLicenses(store);
	if (options.entitlements)
		seedEntitlements(store, store.users.slice(start), (options.seed ?? 42) + 7);

	const activeWithLogins = store.users.filter((u) => u.IsActive && u.LastLoginDate);
	const historyRows = options.loginHistory ?? Math.min(20_000, activeWithLogins.length * 3);
	addLoginHistory(
		store,
		rng,
		store.users.filter((u) => u.LastLoginDate),
		historyRows,
		nowMs,
	);

	if (options.eventLogFiles) {
		const spec: EventLogSeed =
			typeof options.eventLogFiles === 'number' ? {} : options.eventLogFiles;
		const types = spec.types ?? [...EVENT_LOG_TYPES];
		const count =
			typeof options.eventLogFiles === 'number'
				? options.eventLogFiles
				: (spec.days ?? 7) * types.length;
		// Activity comes from people who signed in lately: a user idle for months has no
		// session to make events with (otherwise Event Log activity and logins would disagree).
		const recentSince = nowMs - 30 * DAY_MS;
		const recent = activeWithLogins.filter((u) => parseDateTime(u.LastLoginDate!) >= recentSince);
		const userIds = (recent.length ? recent : activeWithLogins).slice(0, 300).map((u) => u.Id);
		const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
		for (let k = 0; k < count; k++) {
			const day = Math.floor(k / types.length) + 1;
			store.addEventLogFile({
				EventType: types[k % types.length],
				LogDate: new Date(today - day * DAY_MS),
				Interval: spec.interval ?? 'Daily',
				rows: spec.rowsPerFile ?? 200,
				seed: (options.seed ?? 42) + k,
				edgeCases: spec.edgeCases,
				userIds,
			});
		}
	}
}

/** Seats: enough for everyone active, plus a little headroom, like a real contract. */
function resizeLicenses(store: OrgStore): void {
	const used = store.usedLicenseCounts();
	for (const license of store.userLicenses) {
		const n = used.get(license.Id) ?? 0;
		license.TotalLicenses = Math.max(license.TotalLicenses, Math.ceil(n * 1.1) + 5);
	}
}

const LOGIN_STATUSES: Array<readonly [string, number]> = [
	['Success', 93],
	['Invalid Password', 5],
	['Failed: Computer activation required', 1],
	['Password Lockout', 1],
];
const LOGIN_KINDS: Array<readonly [Record<string, string | null>, number]> = [
	[{ LoginType: 'Application', Application: 'Browser', ApiType: null, ApiVersion: null }, 60],
	[
		{
			LoginType: 'Remote Access 2.0',
			Application: 'Salesforce for iOS',
			ApiType: null,
			ApiVersion: null,
		},
		15,
	],
	[
		{
			LoginType: 'Other Apex API',
			Application: 'jsforce',
			ApiType: 'SOAP Partner',
			ApiVersion: '62.0',
		},
		15,
	],
	[
		{
			LoginType: 'SAML Sfdc Initiated SSO',
			Application: 'Browser',
			ApiType: null,
			ApiVersion: null,
		},
		10,
	],
];
const BROWSERS = ['Chrome 130', 'Firefox 131', 'Safari 17', 'Edge 130', 'Unknown'];
const PLATFORMS = ['Mac OSX', 'Windows 10', 'Windows 11', 'Linux', 'iOS/iPhone', 'Android 14'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'JP', 'IN', 'BR', 'CA'];

/**
 * Login history that agrees with `User.LastLoginDate`, as Salesforce's always does: the same
 * successful UI or API login sets both, so each user's newest successful row is exactly their
 * LastLoginDate (when that falls within the 180 days Salesforce keeps), and no row of theirs is
 * newer or older than their account. Rows are spread evenly over the window; each goes to a
 * random user who had an account then and had not yet logged in for the last time.
 */
function addLoginHistory(
	store: OrgStore,
	rng: Prng,
	users: UserRecord[],
	rows: number,
	nowMs: number,
): void {
	if (!users.length || rows <= 0) return;
	const span = 180 * DAY_MS;
	const first = nowMs - span;
	const msOf = (value: string) => parseDateTime(value);
	// Oldest last login first: the users still logging in at a time are a suffix of this list.
	// Users whose last login is older than the window have no rows left in it.
	const byLastLogin = users
		.map((user) => ({
			user,
			last: Math.min(msOf(user.LastLoginDate!), nowMs),
			created: msOf(user.CreatedDate),
		}))
		.filter((u) => u.last >= first)
		.sort((a, b) => a.last - b.last);
	if (!byLastLogin.length) return;
	// Rows go into the store oldest first, as Salesforce's IDs and tests reading the store expect.
	const pending: Array<Parameters<OrgStore['addLoginHistory']>[0] & { at: number }> = [];
	const add = (user: UserRecord, time: number, status: string) => {
		const kind = rng.weighted(LOGIN_KINDS);
		pending.push({
			at: time,
			UserId: user.Id,
			LoginTime: sfDateTime(time),
			Status: status,
			SourceIp: `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
			Browser: kind.ApiType ? 'Unknown' : rng.pick(BROWSERS),
			Platform: kind.ApiType ? 'Unknown' : rng.pick(PLATFORMS),
			LoginUrl: rng.chance(0.8) ? 'acme.my.salesforce.com' : 'login.salesforce.com',
			CountryIso: rng.pick(COUNTRIES),
			LoginType: kind.LoginType!,
			Application: kind.Application!,
			ApiType: kind.ApiType,
			ApiVersion: kind.ApiVersion,
		});
	};
	// Each user's last login (most recent first), while that leaves half the rows for earlier
	// logins and failures; a smaller budget gives fewer users a history, never one that
	// disagrees with their LastLoginDate.
	const withHistory = byLastLogin.slice(Math.max(0, byLastLogin.length - Math.ceil(rows / 2)));
	const lastLogins = withHistory.map((u) => u.last);
	for (const { user, last } of [...withHistory].reverse()) add(user, last, 'Success');
	// Then earlier logins (some failed) of whoever was still logging in at that time.
	const rest = rows - withHistory.length;
	for (let i = 0; i < rest; i++) {
		let time =
			first + Math.floor((i * span) / rest) + rng.int(0, Math.max(0, Math.floor(span / rest) - 1));
		const from = lowerBound(lastLogins, time);
		const pick =
			withHistory[
				from < withHistory.length ? rng.int(from, withHistory.length - 1) : withHistory.length - 1
			];
		if (time > pick.last || time < pick.created)
			time =
				pick.created >= pick.last ? pick.last : rng.int(Math.max(pick.created, first), pick.last);
		add(pick.user, time, rng.weighted(LOGIN_STATUSES));
	}
	pending.sort((a, b) => a.at - b.at);
	for (const { at: _at, ...row } of pending) store.addLoginHistory(row);
}

/** The first index whose value is >= `value` in an ascending list. */
function lowerBound(sorted: readonly number[], value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid] < value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
