/**
 * The Salesforce records this package reads, as its SOQL selects them (the SELECT lists in
 * salesforce/ and reads/). A query selects some of these fields, so every field but Id is
 * optional; Salesforce answers an empty field with null. Dates are Salesforce's datetime text
 * (2024-06-01T12:00:00.000+0000). The transport has already dropped `attributes`. Type aliases,
 * not interfaces, so that a record is also a plain Record<string, unknown> (write state, items).
 */

/** User (USER_BASE_FIELDS, the readable UserPermissions* fields, USER_CHANGE_FIELDS). */
export type User = {
	Id: string;
	Username?: string | null;
	Name?: string | null;
	Email?: string | null;
	IsActive?: boolean;
	UserType?: string | null;
	ProfileId?: string | null;
	Profile?: {
		Name?: string | null;
		UserLicense?: { Name?: string | null } | null;
		PermissionsModifyAllData?: boolean;
	} | null;
	LastLoginDate?: string | null;
	CreatedDate?: string | null;
	CreatedById?: string | null;
	LastModifiedDate?: string | null;
	LastModifiedById?: string | null;
	/** Feature licenses: UserPermissionsSupportUser, UserPermissionsMarketingUser, ... */
	[featureField: `UserPermissions${string}`]: boolean | undefined;
};

/** UserLogin: the frozen state of one user (USER_LOGIN_CHANGE_FIELDS, the frozen-state reads). */
export type UserLogin = {
	Id?: string;
	UserId: string;
	IsFrozen?: boolean;
	LastModifiedDate?: string | null;
	LastModifiedById?: string | null;
};

/** LoginHistory (LOGIN_HISTORY_FIELDS). */
export type LoginHistory = {
	Id?: string;
	UserId?: string | null;
	LoginTime?: string | null;
	LoginType?: string | null;
	Status?: string | null;
	SourceIp?: string | null;
	Application?: string | null;
	Browser?: string | null;
	Platform?: string | null;
	LoginUrl?: string | null;
	ApiType?: string | null;
	ApiVersion?: string | null;
	CountryIso?: string | null;
};

/** EventLogFile (EVENT_LOG_FILE_FIELDS; the trigger adds CreatedDate). */
export type EventLogFile = {
	Id: string;
	EventType?: string | null;
	LogDate?: string | null;
	Interval?: string | null;
	Sequence?: number | null;
	LogFileLength?: number | null;
	/** Comma-separated CSV column names and their types. */
	LogFileFieldNames?: string | null;
	LogFileFieldTypes?: string | null;
	CreatedDate?: string | null;
};

/** UserPackageLicense: a user's seat of a managed package (ENTITLEMENTS.packageLicenses). */
export type UserPackageLicense = {
	Id: string;
	UserId?: string | null;
	PackageLicenseId?: string | null;
	PackageLicense?: { NamespacePrefix?: string | null } | null;
};

/** PermissionSetLicenseAssign: a user's permission set license (ENTITLEMENTS.permissionSetLicenses). */
export type PermissionSetLicenseAssign = {
	Id: string;
	AssigneeId?: string | null;
	PermissionSetLicenseId?: string | null;
	PermissionSetLicense?: { DeveloperName?: string | null; MasterLabel?: string | null } | null;
};

/** PermissionSetAssignment: a permission set or (PermissionSetGroupId) a group, of one user. */
export type PermissionSetAssignment = {
	Id: string;
	AssigneeId?: string | null;
	PermissionSetId?: string | null;
	PermissionSet?: {
		Name?: string | null;
		Label?: string | null;
		LicenseId?: string | null;
		IsOwnedByProfile?: boolean;
	} | null;
	PermissionSetGroupId?: string | null;
	PermissionSetGroup?: { DeveloperName?: string | null; MasterLabel?: string | null } | null;
};

/** GroupMember of a public group (Type Regular) or a queue (Type Queue). */
export type GroupMember = {
	Id: string;
	UserOrGroupId?: string | null;
	GroupId?: string | null;
	Group?: { DeveloperName?: string | null; Name?: string | null; Type?: string | null } | null;
};
