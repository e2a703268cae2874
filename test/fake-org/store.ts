/**
 * The org's data: one array per sObject (insertion order = ID order, Salesforce's usual
 * order when a query has no ORDER BY) plus an ID index per object. Tests may read and
 * change records directly; add records only through the add* helpers so the indexes and
 * the per-user UserLogin rows stay right.
 */
import { sfDate, sfDateTime } from './dates';
import {
	LogFileSource,
	generatedLogFile,
	logFileFromText,
	EventLogSpec,
	EVENT_LOG_TYPES,
} from './eventlog';
import { IdFactory, KEY_PREFIXES, normalizeId } from './ids';
import {
	PERMISSION_FIELDS,
	PermissionField,
	USER_FEATURE_FLAGS,
	UserFeatureFlag,
	UserType,
} from './schema';

type Flags<K extends string> = { [P in K]: boolean };

export type UserRecord = {
	Id: string;
	Username: string;
	Name: string;
	FirstName: string | null;
	LastName: string;
	Email: string;
	Alias: string;
	Department: string | null;
	IsActive: boolean;
	UserType: UserType | string;
	ProfileId: string;
	ManagerId: string | null;
	/** Standard: who approves in this user's stead. */
	DelegatedApproverId: string | null;
	/** The org's custom hierarchy field (see schema.ts). */
	Approver__c: string | null;
	TimeZoneSidKey: string;
	/** Salesforce datetime text ("2024-11-01T10:20:30.000+0000") or null: never logged in. */
	LastLoginDate: string | null;
	CreatedDate: string;
	/** Who created / last modified the user (default: the org's first user, the admin). */
	CreatedById: string;
	LastModifiedDate: string;
	LastModifiedById: string;
} & Flags<UserFeatureFlag>;

export type ProfileRecord = {
	Id: string;
	Name: string;
	UserLicenseId: string;
	UserType: UserType | string;
	Description: string | null;
	CreatedDate: string;
} & Flags<PermissionField>;

export interface UserLicenseRecord {
	Id: string;
	Name: string;
	MasterLabel: string;
	LicenseDefinitionKey: string;
	Status: string;
	TotalLicenses: number;
	CreatedDate: string;
}

export interface PermissionSetLicenseRecord {
	Id: string;
	DeveloperName: string;
	MasterLabel: string;
	PermissionSetLicenseKey: string;
	Status: string;
	TotalLicenses: number;
	UsedLicenses: number;
	ExpirationDate: string | null;
	CreatedDate: string;
}

export type PermissionSetRecord = {
	Id: string;
	Name: string;
	Label: string;
	IsOwnedByProfile: boolean;
	ProfileId: string | null;
	LicenseId: string | null;
	/** Regular, Group (a permission set group's aggregate), Profile (profile-owned). */
	Type: string;
	PermissionSetGroupId: string | null;
	NamespacePrefix: string | null;
	CreatedDate: string;
} & Flags<PermissionField>;

export interface PermissionSetAssignmentRecord {
	Id: string;
	AssigneeId: string;
	PermissionSetId: string;
	PermissionSetLicenseId: string | null;
	/** Set when the row assigns a permission set group (PermissionSetId is then its aggregate). */
	PermissionSetGroupId: string | null;
	CreatedDate: string;
}

export interface PermissionSetGroupRecord {
	Id: string;
	DeveloperName: string;
	MasterLabel: string;
	Description: string | null;
	Status: string;
	NamespacePrefix: string | null;
	CreatedDate: string;
}

export interface PackageLicenseRecord {
	Id: string;
	NamespacePrefix: string;
	Status: 'Active' | 'Expired' | 'Free' | 'Trial' | string;
	/** Seats bought; -1 for a site license (every user of the org may use the package). */
	AllowedLicenses: number;
	ExpirationDate: string | null;
	IsProvisioned: boolean;
	IsAvailableForIntegrations: boolean;
	CreatedDate: string;
	LastModifiedDate: string;
}

export interface UserPackageLicenseRecord {
	Id: string;
	PackageLicenseId: string;
	UserId: string;
	CreatedDate: string;
	CreatedById: string;
}

export interface GroupRecord {
	Id: string;
	Name: string;
	DeveloperName: string;
	Type: 'Regular' | 'Queue' | string;
	Email: string | null;
	DoesIncludeBosses: boolean;
	CreatedDate: string;
}

export interface GroupMemberRecord {
	Id: string;
	GroupId: string;
	UserOrGroupId: string;
	SystemModstamp: string;
}

/**
 * Org settings that name a user, which the data API cannot read (they live in Setup: Lead
 * Settings, Web-to-Lead, Support Settings, Process Automation Settings). Salesforce refuses to
 * deactivate the user they name (see writes.ts).
 */
export interface OrgUserSettings {
	defaultLeadOwnerId?: string;
	webToLeadDefaultCreatorId?: string;
	defaultCaseOwnerId?: string;
	automatedCaseUserId?: string;
	webToCaseDefaultCreatorId?: string;
	defaultWorkflowUserId?: string;
}

export interface PermissionSetLicenseAssignRecord {
	Id: string;
	AssigneeId: string;
	PermissionSetLicenseId: string;
	CreatedDate: string;
}

export interface UserLoginRecord {
	Id: string;
	UserId: string;
	IsFrozen: boolean;
	IsPasswordLocked: boolean;
	LastModifiedDate: string;
	LastModifiedById: string;
}

export interface LoginHistoryRecord {
	Id: string;
	UserId: string;
	LoginTime: string;
	LoginType: string;
	Status: string;
	SourceIp: string;
	Application: string;
	Browser: string;
	Platform: string;
	LoginUrl: string;
	ApiType: string | null;
	ApiVersion: string | null;
	CountryIso: string | null;
}

export interface EventLogFileRecord {
	Id: string;
	EventType: string;
	LogDate: string;
	Interval: 'Daily' | 'Hourly';
	Sequence: number;
	LogFileLength: number;
	LogFileContentType: string;
	LogFileFieldNames: string;
	LogFileFieldTypes: string;
	CreatedDate: string;
}

export type AnyRecord = { Id: string; [field: string]: unknown };

/** Input of store.addUser: anything left out gets a sensible default. */
export type NewUser = Partial<Omit<UserRecord, 'LastLoginDate' | 'CreatedDate'>> & {
	/** Profile by name, instead of ProfileId. Default "Standard User". */
	profile?: string;
	LastLoginDate?: string | Date | null;
	CreatedDate?: string | Date;
	IsFrozen?: boolean;
	IsPasswordLocked?: boolean;
};

export type NewEventLogFile = {
	EventType: string;
	LogDate: string | Date;
	Interval?: 'Daily' | 'Hourly';
	Sequence?: number;
	CreatedDate?: string | Date;
} & (
	| { body: string | Buffer; fieldTypes?: string[] }
	| (Omit<EventLogSpec, 'eventType' | 'logDate' | 'userIds' | 'orgId'> & { userIds?: string[] })
);

const CANONICAL_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

export class OrgStore {
	readonly orgId: string;
	readonly orgName: string;
	readonly ids = new IdFactory();

	readonly users: UserRecord[] = [];
	readonly profiles: ProfileRecord[] = [];
	readonly userLicenses: UserLicenseRecord[] = [];
	readonly permissionSetLicenses: PermissionSetLicenseRecord[] = [];
	readonly permissionSets: PermissionSetRecord[] = [];
	readonly permissionSetAssignments: PermissionSetAssignmentRecord[] = [];
	readonly permissionSetLicenseAssigns: PermissionSetLicenseAssignRecord[] = [];
	readonly permissionSetGroups: PermissionSetGroupRecord[] = [];
	readonly packageLicenses: PackageLicenseRecord[] = [];
	readonly userPackageLicenses: UserPackageLicenseRecord[] = [];
	readonly groups: GroupRecord[] = [];
	readonly groupMembers: GroupMemberRecord[] = [];
	/** Setup settings that name users (deactivation blockers the API cannot see). */
	readonly userSettings: OrgUserSettings = {};
	readonly userLogins: UserLoginRecord[] = [];
	readonly loginHistory: LoginHistoryRecord[] = [];
	readonly eventLogFiles: EventLogFileRecord[] = [];

	private readonly indexes = new Map<string, Map<string, AnyRecord>>();
	private readonly userLoginByUser = new Map<string, UserLoginRecord>();
	private readonly logFileSources = new Map<string, LogFileSource>();
	/** The clock the org runs on (date literals, defaults); tests may pin it. */
	now: () => Date;

	constructor(options: { orgName?: string; now?: () => Date } = {}) {
		this.orgId = this.ids.next(KEY_PREFIXES.Organization);
		this.orgName = options.orgName ?? 'Acme Fake Org';
		this.now = options.now ?? (() => new Date());
	}

	/** The record array of an sObject, or undefined for objects without a table. */
	table(sobject: string): AnyRecord[] | undefined {
		const tables: Record<string, unknown[]> = {
			User: this.users,
			Profile: this.profiles,
			UserLicense: this.userLicenses,
			PermissionSetLicense: this.permissionSetLicenses,
			PermissionSet: this.permissionSets,
			PermissionSetAssignment: this.permissionSetAssignments,
			PermissionSetLicenseAssign: this.permissionSetLicenseAssigns,
			PermissionSetGroup: this.permissionSetGroups,
			PackageLicense: this.packageLicenses,
			UserPackageLicense: this.userPackageLicenses,
			Group: this.groups,
			GroupMember: this.groupMembers,
			UserLogin: this.userLogins,
			LoginHistory: this.loginHistory,
			EventLogFile: this.eventLogFiles,
		};
		return tables[sobject] as AnyRecord[] | undefined;
	}

	/** A record by sObject and 15- or 18-character ID. */
	get<T = AnyRecord>(sobject: string, id: string | null | undefined): T | undefined {
		if (!id) return undefined;
		const key = id.length === 18 && this.indexes.get(sobject)?.has(id) ? id : normalizeId(id);
		return key ? (this.indexes.get(sobject)?.get(key) as T | undefined) : undefined;
	}

	/** Removes a record (the API delete); false when there is none. */
	remove(sobject: string, id: string): boolean {
		const record = this.get<AnyRecord>(sobject, id);
		const table = this.table(sobject);
		if (!record || !table) return false;
		table.splice(table.indexOf(record), 1);
		this.indexes.get(sobject)?.delete(record.Id);
		return true;
	}

	/** Puts a removed record back where it was (an all-or-none rollback). */
	restore(sobject: string, record: AnyRecord, index: number): void {
		const table = this.table(sobject);
		if (!table) return;
		table.splice(Math.min(index, table.length), 0, record);
		let byId = this.indexes.get(sobject);
		if (!byId) this.indexes.set(sobject, (byId = new Map()));
		byId.set(record.Id, record);
	}

	private insert<T extends { Id: string }>(sobject: string, record: T): T {
		(this.table(sobject) as unknown as T[]).push(record);
		let index = this.indexes.get(sobject);
		if (!index) this.indexes.set(sobject, (index = new Map()));
		index.set(record.Id, record as unknown as AnyRecord);
		return record;
	}

	private stamp(value?: string | Date): string {
		if (value === undefined) return sfDateTime(this.now());
		// Already in Salesforce's form: keep it (seeding 200,000 rows should not re-parse them).
		if (typeof value === 'string' && CANONICAL_DATETIME.test(value)) return value;
		return sfDateTime(value);
	}

	addUserLicense(input: Partial<UserLicenseRecord> & { Name: string }): UserLicenseRecord {
		return this.insert('UserLicense', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.UserLicense),
			Name: input.Name,
			MasterLabel: input.MasterLabel ?? input.Name,
			LicenseDefinitionKey:
				input.LicenseDefinitionKey ?? input.Name.toUpperCase().replace(/\W+/g, '_'),
			Status: input.Status ?? 'Active',
			TotalLicenses: input.TotalLicenses ?? 100,
			CreatedDate: this.stamp(input.CreatedDate),
		});
	}

	addProfile(input: Partial<ProfileRecord> & { Name: string; license?: string }): ProfileRecord {
		const licenseId =
			input.UserLicenseId ?? (input.license ? this.licenseByName(input.license)?.Id : undefined);
		if (!licenseId)
			throw new Error(`addProfile(${input.Name}): no such user license ${input.license ?? ''}`);
		const perms = Object.fromEntries(
			PERMISSION_FIELDS.map((p) => [p, input[p] ?? false]),
		) as Flags<PermissionField>;
		const profile = this.insert('Profile', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.Profile),
			Name: input.Name,
			UserLicenseId: licenseId,
			UserType: input.UserType ?? 'Standard',
			Description: input.Description ?? null,
			CreatedDate: this.stamp(input.CreatedDate),
			...perms,
		});
		// Every profile owns a permission set (Salesforce: IsOwnedByProfile, Type Profile); every
		// user of the profile has an assignment of it, which no API call may delete. Its
		// permission fields stay false here: the profile's own fields are what effectivePermissions reads.
		this.addPermissionSet({
			Name: `X00e${profile.Id.slice(3, 15)}`,
			Label: profile.Name,
			IsOwnedByProfile: true,
			ProfileId: profile.Id,
			Type: 'Profile',
		});
		return profile;
	}

	/** The permission set a profile owns. */
	profileOwnedPermissionSet(profileId: string): PermissionSetRecord | undefined {
		return this.permissionSets.find((ps) => ps.IsOwnedByProfile && ps.ProfileId === profileId);
	}

	addPermissionSetLicense(
		input: Partial<PermissionSetLicenseRecord> & { DeveloperName: string },
	): PermissionSetLicenseRecord {
		return this.insert('PermissionSetLicense', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.PermissionSetLicense),
			DeveloperName: input.DeveloperName,
			MasterLabel: input.MasterLabel ?? input.DeveloperName.replace(/_/g, ' '),
			PermissionSetLicenseKey: input.PermissionSetLicenseKey ?? input.DeveloperName,
			Status: input.Status ?? 'Active',
			TotalLicenses: input.TotalLicenses ?? 10,
			UsedLicenses: input.UsedLicenses ?? 0,
			ExpirationDate: input.ExpirationDate ? sfDate(input.ExpirationDate) : null,
			CreatedDate: this.stamp(input.CreatedDate),
		});
	}

	addPermissionSet(input: Partial<PermissionSetRecord> & { Name: string }): PermissionSetRecord {
		const perms = Object.fromEntries(
			PERMISSION_FIELDS.map((p) => [p, input[p] ?? false]),
		) as Flags<PermissionField>;
		return this.insert('PermissionSet', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.PermissionSet),
			Name: input.Name,
			Label: input.Label ?? input.Name.replace(/_/g, ' '),
			IsOwnedByProfile: input.IsOwnedByProfile ?? false,
			ProfileId: input.ProfileId ?? null,
			LicenseId: input.LicenseId ?? null,
			Type: input.Type ?? 'Regular',
			PermissionSetGroupId: input.PermissionSetGroupId ?? null,
			NamespacePrefix: input.NamespacePrefix ?? null,
			CreatedDate: this.stamp(input.CreatedDate),
			...perms,
		});
	}

	/**
	 * A permission set group with its member permission sets. Salesforce keeps one aggregate
	 * permission set per group (Type "Group", PermissionSetGroupId set): assigning the group is a
	 * PermissionSetAssignment of that aggregate with PermissionSetGroupId.
	 */
	addPermissionSetGroup(
		input: Partial<PermissionSetGroupRecord> & { DeveloperName: string; permissionSets?: string[] },
	): PermissionSetGroupRecord {
		const group = this.insert<PermissionSetGroupRecord>('PermissionSetGroup', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.PermissionSetGroup),
			DeveloperName: input.DeveloperName,
			MasterLabel: input.MasterLabel ?? input.DeveloperName.replace(/_/g, ' '),
			Description: input.Description ?? null,
			Status: input.Status ?? 'Updated',
			NamespacePrefix: input.NamespacePrefix ?? null,
			CreatedDate: this.stamp(input.CreatedDate),
		});
		const members = (input.permissionSets ?? []).map((id) => {
			const ps = this.get<PermissionSetRecord>('PermissionSet', id);
			if (!ps) throw new Error(`addPermissionSetGroup: unknown permission set ${id}`);
			return ps;
		});
		const perms = Object.fromEntries(
			PERMISSION_FIELDS.map((p) => [p, members.some((ps) => ps[p])]),
		) as Flags<PermissionField>;
		this.addPermissionSet({
			Name: `X0PG${group.Id.slice(3, 15)}`,
			Label: group.MasterLabel,
			Type: 'Group',
			PermissionSetGroupId: group.Id,
			...perms,
		});
		return group;
	}

	/** The aggregate permission set of a permission set group. */
	groupPermissionSet(groupId: string): PermissionSetRecord | undefined {
		const id = normalizeId(groupId);
		return this.permissionSets.find((ps) => ps.PermissionSetGroupId === id);
	}

	assignPermissionSetGroup(userId: string, groupId: string): PermissionSetAssignmentRecord {
		const group = this.get<PermissionSetGroupRecord>('PermissionSetGroup', groupId);
		const aggregate = group && this.groupPermissionSet(group.Id);
		if (!group || !aggregate) throw new Error('assignPermissionSetGroup: unknown group');
		const assignment = this.assignPermissionSet(userId, aggregate.Id);
		assignment.PermissionSetGroupId = group.Id;
		return assignment;
	}

	addPackageLicense(
		input: Partial<Omit<PackageLicenseRecord, 'ExpirationDate'>> & {
			NamespacePrefix: string;
			ExpirationDate?: string | Date | null;
		},
	): PackageLicenseRecord {
		const created = this.stamp(input.CreatedDate);
		return this.insert('PackageLicense', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.PackageLicense),
			NamespacePrefix: input.NamespacePrefix,
			Status: input.Status ?? 'Active',
			AllowedLicenses: input.AllowedLicenses ?? 10,
			ExpirationDate: input.ExpirationDate ? this.stamp(input.ExpirationDate) : null,
			IsProvisioned: input.IsProvisioned ?? true,
			IsAvailableForIntegrations: input.IsAvailableForIntegrations ?? false,
			CreatedDate: created,
			LastModifiedDate: created,
		});
	}

	packageLicenseByNamespace(namespace: string): PackageLicenseRecord | undefined {
		const lower = namespace.toLowerCase();
		return this.packageLicenses.find((p) => p.NamespacePrefix.toLowerCase() === lower);
	}

	/** Gives a user a seat of a managed package (UserPackageLicense). */
	assignPackageLicense(userId: string, packageLicenseId: string): UserPackageLicenseRecord {
		const user = this.get<UserRecord>('User', userId);
		const license = this.get<PackageLicenseRecord>('PackageLicense', packageLicenseId);
		if (!user || !license) throw new Error('assignPackageLicense: unknown user or package license');
		return this.insert('UserPackageLicense', {
			Id: this.ids.next(KEY_PREFIXES.UserPackageLicense),
			PackageLicenseId: license.Id,
			UserId: user.Id,
			CreatedDate: this.stamp(),
			CreatedById: this.users[0]?.Id ?? user.Id,
		});
	}

	/** Used seats of a package license: its UserPackageLicense rows (what UsedLicenses reads). */
	usedPackageLicenseCounts(): Map<string, number> {
		const counts = new Map<string, number>();
		for (const row of this.userPackageLicenses)
			counts.set(row.PackageLicenseId, (counts.get(row.PackageLicenseId) ?? 0) + 1);
		return counts;
	}

	addGroup(
		input: Partial<GroupRecord> & { DeveloperName: string; Type?: 'Regular' | 'Queue' },
	): GroupRecord {
		return this.insert('Group', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.Group),
			Name: input.Name ?? input.DeveloperName.replace(/_/g, ' '),
			DeveloperName: input.DeveloperName,
			Type: input.Type ?? 'Regular',
			Email: input.Email ?? null,
			DoesIncludeBosses: input.DoesIncludeBosses ?? false,
			CreatedDate: this.stamp(input.CreatedDate),
		});
	}

	groupByDeveloperName(developerName: string): GroupRecord | undefined {
		const lower = developerName.toLowerCase();
		return this.groups.find((g) => g.DeveloperName.toLowerCase() === lower);
	}

	addGroupMember(groupId: string, userOrGroupId: string): GroupMemberRecord {
		const group = this.get<GroupRecord>('Group', groupId);
		const member =
			this.get<UserRecord>('User', userOrGroupId) ?? this.get<GroupRecord>('Group', userOrGroupId);
		if (!group || !member) throw new Error('addGroupMember: unknown group or member');
		return this.insert('GroupMember', {
			Id: this.ids.next(KEY_PREFIXES.GroupMember),
			GroupId: group.Id,
			UserOrGroupId: member.Id,
			SystemModstamp: this.stamp(),
		});
	}

	assignPermissionSet(userId: string, permissionSetId: string): PermissionSetAssignmentRecord {
		const user = this.get<UserRecord>('User', userId);
		const ps = this.get<PermissionSetRecord>('PermissionSet', permissionSetId);
		if (!user || !ps) throw new Error('assignPermissionSet: unknown user or permission set');
		return this.insert('PermissionSetAssignment', {
			Id: this.ids.next(KEY_PREFIXES.PermissionSetAssignment),
			AssigneeId: user.Id,
			PermissionSetId: ps.Id,
			PermissionSetLicenseId: ps.LicenseId,
			PermissionSetGroupId: null,
			CreatedDate: this.stamp(),
		});
	}

	/** Gives a user a permission set license (PermissionSetLicenseAssign). */
	assignPermissionSetLicense(userId: string, licenseId: string): PermissionSetLicenseAssignRecord {
		const user = this.get<UserRecord>('User', userId);
		const license = this.get<PermissionSetLicenseRecord>('PermissionSetLicense', licenseId);
		if (!user || !license)
			throw new Error('assignPermissionSetLicense: unknown user or permission set license');
		return this.insert('PermissionSetLicenseAssign', {
			Id: this.ids.next(KEY_PREFIXES.PermissionSetLicenseAssign),
			AssigneeId: user.Id,
			PermissionSetLicenseId: license.Id,
			CreatedDate: this.stamp(),
		});
	}

	/** Adds a user (and its UserLogin row) with defaults for everything not given. */
	addUser(input: NewUser = {}): UserRecord {
		const Id = input.Id ?? this.ids.next(KEY_PREFIXES.User);
		const profile = input.ProfileId
			? this.get<ProfileRecord>('Profile', input.ProfileId)
			: this.profileByName(input.profile ?? 'Standard User');
		if (!profile) throw new Error(`addUser: no such profile ${input.profile ?? input.ProfileId}`);
		const n = this.users.length + 1;
		const FirstName = input.FirstName === undefined ? 'User' : input.FirstName;
		const LastName = input.LastName ?? `Number${n}`;
		const flags = Object.fromEntries(
			USER_FEATURE_FLAGS.map((flag) => [flag, input[flag] ?? false]),
		) as Flags<UserFeatureFlag>;
		const createdDate = this.stamp(input.CreatedDate);
		const createdById = input.CreatedById ?? this.users[0]?.Id ?? Id;
		const user = this.insert<UserRecord>('User', {
			Id,
			Username: input.Username ?? `user${n}.${Id.slice(-6).toLowerCase()}@acme.example.com`,
			Name: input.Name ?? [FirstName, LastName].filter(Boolean).join(' '),
			FirstName,
			LastName,
			Email: input.Email ?? `user${n}@acme.example.com`,
			Alias: input.Alias ?? `u${n}`.slice(0, 8),
			Department: input.Department ?? null,
			IsActive: input.IsActive ?? true,
			UserType: input.UserType ?? profile.UserType,
			ProfileId: profile.Id,
			ManagerId: input.ManagerId ?? null,
			DelegatedApproverId: input.DelegatedApproverId ?? null,
			Approver__c: input.Approver__c ?? null,
			TimeZoneSidKey: input.TimeZoneSidKey ?? 'America/Los_Angeles',
			LastLoginDate: input.LastLoginDate ? sfDateTime(input.LastLoginDate) : null,
			CreatedDate: createdDate,
			CreatedById: createdById,
			LastModifiedDate: input.LastModifiedDate ?? createdDate,
			LastModifiedById: input.LastModifiedById ?? createdById,
			...flags,
		});
		const login = this.insert<UserLoginRecord>('UserLogin', {
			Id: this.ids.next(KEY_PREFIXES.UserLogin),
			UserId: Id,
			IsFrozen: input.IsFrozen ?? false,
			IsPasswordLocked: input.IsPasswordLocked ?? false,
			LastModifiedDate: createdDate,
			LastModifiedById: createdById,
		});
		this.userLoginByUser.set(Id, login);
		const profileSet = this.profileOwnedPermissionSet(profile.Id);
		if (profileSet) this.assignPermissionSet(Id, profileSet.Id);
		return user;
	}

	addLoginHistory(
		input: Partial<LoginHistoryRecord> & { UserId: string; LoginTime?: string | Date },
	): LoginHistoryRecord {
		const userId = normalizeId(input.UserId) ?? input.UserId;
		return this.insert('LoginHistory', {
			Id: input.Id ?? this.ids.next(KEY_PREFIXES.LoginHistory),
			UserId: userId,
			LoginTime: this.stamp(input.LoginTime),
			LoginType: input.LoginType ?? 'Application',
			Status: input.Status ?? 'Success',
			SourceIp: input.SourceIp ?? '203.0.113.10',
			Application: input.Application ?? 'Browser',
			Browser: input.Browser ?? 'Chrome 130',
			Platform: input.Platform ?? 'Mac OSX',
			LoginUrl: input.LoginUrl ?? 'login.salesforce.com',
			ApiType: input.ApiType ?? null,
			ApiVersion: input.ApiVersion ?? null,
			CountryIso: input.CountryIso === undefined ? 'US' : input.CountryIso,
		});
	}

	/**
	 * Adds an EventLogFile. Give `body` for an exact CSV, or generator settings (`rows`,
	 * `seed`, `edgeCases`...) for a lazily generated, deterministic body of any size.
	 */
	addEventLogFile(input: NewEventLogFile): EventLogFileRecord {
		const logDate = sfDateTime(input.LogDate);
		let source: LogFileSource;
		if ('body' in input) {
			source = logFileFromText(input.body, input.fieldTypes);
		} else {
			const userIds = input.userIds ?? this.users.slice(0, 500).map((u) => u.Id);
			source = generatedLogFile({
				...input,
				eventType: input.EventType,
				logDate,
				userIds,
				orgId: this.orgId,
			});
		}
		const record = this.insert<EventLogFileRecord>('EventLogFile', {
			Id: this.ids.next(KEY_PREFIXES.EventLogFile),
			EventType: input.EventType,
			LogDate: logDate,
			Interval: input.Interval ?? 'Daily',
			Sequence: input.Sequence ?? 1,
			LogFileLength: source.length,
			LogFileContentType: 'CSV',
			LogFileFieldNames: source.fieldNames.join(','),
			LogFileFieldTypes: source.fieldTypes.join(','),
			CreatedDate: this.stamp(
				input.CreatedDate ??
					new Date(Date.parse(logDate.replace('+0000', 'Z')) + 86_400_000 + 3_600_000),
			),
		});
		this.logFileSources.set(record.Id, source);
		return record;
	}

	logFileSource(id: string): LogFileSource | undefined {
		const record = this.get<EventLogFileRecord>('EventLogFile', id);
		return record && this.logFileSources.get(record.Id);
	}

	userLoginFor(userId: string): UserLoginRecord | undefined {
		const id = normalizeId(userId);
		return id ? this.userLoginByUser.get(id) : undefined;
	}

	profileByName(name: string): ProfileRecord | undefined {
		const lower = name.toLowerCase();
		return this.profiles.find((p) => p.Name.toLowerCase() === lower);
	}

	licenseByName(name: string): UserLicenseRecord | undefined {
		const lower = name.toLowerCase();
		return this.userLicenses.find((l) => l.Name.toLowerCase() === lower);
	}

	userByUsername(username: string): UserRecord | undefined {
		const lower = username.toLowerCase();
		return this.users.find((u) => u.Username.toLowerCase() === lower);
	}

	/** Used seats per UserLicense Id: active users whose profile carries that license. */
	usedLicenseCounts(): Map<string, number> {
		const licenseOfProfile = new Map(this.profiles.map((p) => [p.Id, p.UserLicenseId]));
		const counts = new Map<string, number>();
		for (const user of this.users) {
			if (!user.IsActive) continue;
			const license = licenseOfProfile.get(user.ProfileId);
			if (license) counts.set(license, (counts.get(license) ?? 0) + 1);
		}
		return counts;
	}

	/** A user's effective system permissions: the profile's OR any assigned permission set's. */
	effectivePermissions(userId: string): Flags<PermissionField> {
		const user = this.get<UserRecord>('User', userId);
		const profile = user && this.get<ProfileRecord>('Profile', user.ProfileId);
		const result = Object.fromEntries(
			PERMISSION_FIELDS.map((p) => [p, Boolean(profile?.[p])]),
		) as Flags<PermissionField>;
		if (!user) return result;
		for (const assignment of this.permissionSetAssignments) {
			if (assignment.AssigneeId !== user.Id) continue;
			const ps = this.get<PermissionSetRecord>('PermissionSet', assignment.PermissionSetId);
			if (!ps) continue;
			for (const p of PERMISSION_FIELDS) if (ps[p]) result[p] = true;
		}
		return result;
	}

	/** The event types the generator can produce. */
	static readonly eventTypes = EVENT_LOG_TYPES;
}
