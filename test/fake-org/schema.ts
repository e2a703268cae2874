/**
 * The sObjects the fake org knows, with the field metadata describe returns and the SOQL
 * engine and the update path rely on (type, filterable, updateable, relationships).
 */
import { KEY_PREFIXES } from './ids';

export type SfFieldType =
	| 'id'
	| 'reference'
	| 'string'
	| 'email'
	| 'picklist'
	| 'boolean'
	| 'int'
	| 'double'
	| 'datetime'
	| 'date'
	| 'textarea'
	| 'base64'
	| 'url';

export interface FieldDef {
	name: string;
	label: string;
	type: SfFieldType;
	updateable?: boolean;
	/** Most fields can be used in WHERE; long text and blobs cannot. */
	filterable?: boolean;
	sortable?: boolean;
	groupable?: boolean;
	nillable?: boolean;
	length?: number;
	referenceTo?: string;
	relationshipName?: string;
	picklistValues?: string[];
	/** A value derived at read time (e.g. UsedLicenses), never stored. */
	computed?: boolean;
	/** A custom field (API name ends in __c): describe says custom: true. */
	custom?: boolean;
	/** Set when a record is created through the API (describe: createable). */
	createable?: boolean;
}

export interface ObjectDef {
	name: string;
	label: string;
	labelPlural: string;
	keyPrefix: string;
	updateable: boolean;
	/** create() and delete() through the API (describe: createable, deletable). */
	createable: boolean;
	deletable: boolean;
	fields: FieldDef[];
	/** Lower-cased field name -> field. */
	byName: Map<string, FieldDef>;
	/** Lower-cased relationship name -> reference field. */
	byRelationship: Map<string, FieldDef>;
}

const f = (
	name: string,
	label: string,
	type: SfFieldType,
	extra: Partial<FieldDef> = {},
): FieldDef => ({
	name,
	label,
	type,
	...extra,
});
const id = () => f('Id', 'Record ID', 'id', { nillable: false });
const bool = (name: string, label: string, updateable = false) =>
	f(name, label, 'boolean', { updateable, nillable: false });
const created = () => f('CreatedDate', 'Created Date', 'datetime');
const modified = () => f('LastModifiedDate', 'Last Modified Date', 'datetime');

export const USER_FEATURE_FLAGS = [
	'UserPermissionsSupportUser',
	'UserPermissionsInteractionUser',
	'UserPermissionsLiveAgentUser',
	'UserPermissionsMarketingUser',
	'UserPermissionsMobileUser',
	'UserPermissionsKnowledgeUser',
	'UserPermissionsSFContentUser',
	'UserPermissionsOfflineUser',
] as const;
export type UserFeatureFlag = (typeof USER_FEATURE_FLAGS)[number];

const FEATURE_LABELS: Record<UserFeatureFlag, string> = {
	UserPermissionsSupportUser: 'Service Cloud User',
	UserPermissionsInteractionUser: 'Flow User',
	UserPermissionsLiveAgentUser: 'Chat User',
	UserPermissionsMarketingUser: 'Marketing User',
	UserPermissionsMobileUser: 'Apex Mobile User',
	UserPermissionsKnowledgeUser: 'Knowledge User',
	UserPermissionsSFContentUser: 'Salesforce CRM Content User',
	UserPermissionsOfflineUser: 'Offline User',
};

export const PERMISSION_FIELDS = [
	'PermissionsApiEnabled',
	'PermissionsViewEventLogFiles',
	'PermissionsViewAllData',
	'PermissionsModifyAllData',
	'PermissionsManageUsers',
	'PermissionsManagePackageLicenses',
] as const;
export type PermissionField = (typeof PERMISSION_FIELDS)[number];
const PERMISSION_LABELS: Record<PermissionField, string> = {
	PermissionsApiEnabled: 'API Enabled',
	PermissionsViewEventLogFiles: 'View Event Log Files',
	PermissionsViewAllData: 'View All Data',
	PermissionsModifyAllData: 'Modify All Data',
	PermissionsManageUsers: 'Manage Users',
	PermissionsManagePackageLicenses: 'Manage Package Licenses',
};
const permissionFields = (updateable: boolean) =>
	PERMISSION_FIELDS.map((p) => bool(p, PERMISSION_LABELS[p], updateable));

export const USER_TYPES = [
	'Standard',
	'PowerPartner',
	'PowerCustomerSuccess',
	'CustomerSuccess',
	'CspLitePortal',
	'CsnOnly',
	'Guest',
] as const;
export type UserType = (typeof USER_TYPES)[number];

function objectDef(
	name: string,
	labelPlural: string,
	updateable: boolean,
	fields: FieldDef[],
	access: { createable?: boolean; deletable?: boolean } = {},
): ObjectDef {
	const byName = new Map<string, FieldDef>();
	const byRelationship = new Map<string, FieldDef>();
	for (const field of fields) {
		byName.set(field.name.toLowerCase(), field);
		if (field.relationshipName) byRelationship.set(field.relationshipName.toLowerCase(), field);
	}
	return {
		name,
		label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
		labelPlural,
		keyPrefix: (KEY_PREFIXES as Record<string, string>)[name],
		updateable,
		createable: access.createable ?? false,
		deletable: access.deletable ?? false,
		fields,
		byName,
		byRelationship,
	};
}

export const SCHEMA: Record<string, ObjectDef> = {};
const add = (def: ObjectDef) => (SCHEMA[def.name] = def);

add(
	objectDef('User', 'Users', true, [
		id(),
		f('Username', 'Username', 'string', { updateable: true, length: 80 }),
		f('Name', 'Full Name', 'string', { length: 121 }),
		f('FirstName', 'First Name', 'string', { updateable: true, nillable: true, length: 40 }),
		f('LastName', 'Last Name', 'string', { updateable: true, length: 80 }),
		f('Email', 'Email', 'email', { updateable: true, length: 128 }),
		f('Alias', 'Alias', 'string', { updateable: true, length: 8 }),
		f('Department', 'Department', 'string', { updateable: true, nillable: true, length: 80 }),
		bool('IsActive', 'Active', true),
		f('UserType', 'User Type', 'picklist', { picklistValues: [...USER_TYPES] }),
		f('ProfileId', 'Profile ID', 'reference', {
			updateable: true,
			referenceTo: 'Profile',
			relationshipName: 'Profile',
		}),
		f('ManagerId', 'Manager ID', 'reference', {
			updateable: true,
			nillable: true,
			referenceTo: 'User',
			relationshipName: 'Manager',
		}),
		f('DelegatedApproverId', 'Delegated Approver ID', 'reference', {
			updateable: true,
			nillable: true,
			referenceTo: 'User',
		}),
		// A custom hierarchy field (on User, a relationship to User can only be a hierarchy).
		f('Approver__c', 'Approver', 'reference', {
			updateable: true,
			nillable: true,
			custom: true,
			referenceTo: 'User',
			relationshipName: 'Approver__r',
		}),
		f('TimeZoneSidKey', 'Time Zone', 'picklist', { updateable: true }),
		f('LastLoginDate', 'Last Login', 'datetime', { nillable: true }),
		created(),
		f('CreatedById', 'Created By ID', 'reference', {
			referenceTo: 'User',
			relationshipName: 'CreatedBy',
		}),
		modified(),
		f('LastModifiedById', 'Last Modified By ID', 'reference', {
			referenceTo: 'User',
			relationshipName: 'LastModifiedBy',
		}),
		...USER_FEATURE_FLAGS.map((flag) => bool(flag, FEATURE_LABELS[flag], true)),
	]),
);

add(
	objectDef('Profile', 'Profiles', true, [
		id(),
		f('Name', 'Name', 'string', { length: 255 }),
		f('UserLicenseId', 'User License ID', 'reference', {
			referenceTo: 'UserLicense',
			relationshipName: 'UserLicense',
		}),
		f('UserType', 'User Type', 'picklist', { picklistValues: [...USER_TYPES] }),
		f('Description', 'Description', 'string', { nillable: true, updateable: true, length: 255 }),
		...permissionFields(true),
		created(),
	]),
);

add(
	objectDef('UserLicense', 'User Licenses', false, [
		id(),
		f('Name', 'Name', 'string', { length: 40 }),
		f('MasterLabel', 'Master Label', 'string', { length: 40 }),
		f('LicenseDefinitionKey', 'License Definition Key', 'string', { length: 40 }),
		f('Status', 'Status', 'picklist', { picklistValues: ['Active', 'Disabled'] }),
		f('TotalLicenses', 'Total Licenses', 'int'),
		f('UsedLicenses', 'Used Licenses', 'int', { computed: true }),
		f('UsedLicensesLastUpdated', 'Used Licenses Last Updated', 'datetime', { computed: true }),
		created(),
	]),
);

add(
	objectDef('PermissionSetLicense', 'Permission Set Licenses', false, [
		id(),
		f('DeveloperName', 'Developer Name', 'string', { length: 80 }),
		f('MasterLabel', 'Master Label', 'string', { length: 80 }),
		f('PermissionSetLicenseKey', 'Permission Set License Key', 'string', { length: 80 }),
		f('Status', 'Status', 'picklist', { picklistValues: ['Active', 'Disabled', 'Expired'] }),
		f('TotalLicenses', 'Total Licenses', 'int'),
		f('UsedLicenses', 'Used Licenses', 'int'),
		f('ExpirationDate', 'Expiration Date', 'date', { nillable: true }),
		created(),
	]),
);

add(
	objectDef('PermissionSet', 'Permission Sets', true, [
		id(),
		f('Name', 'Name', 'string', { length: 80 }),
		f('Label', 'Label', 'string', { length: 80 }),
		bool('IsOwnedByProfile', 'Is Owned By Profile'),
		f('ProfileId', 'Profile ID', 'reference', {
			nillable: true,
			referenceTo: 'Profile',
			relationshipName: 'Profile',
		}),
		f('LicenseId', 'License ID', 'reference', {
			nillable: true,
			referenceTo: 'PermissionSetLicense',
			relationshipName: 'License',
		}),
		f('Type', 'Type', 'picklist', {
			nillable: true,
			picklistValues: ['Regular', 'Group', 'Profile', 'Session', 'Standard'],
		}),
		f('PermissionSetGroupId', 'Permission Set Group ID', 'reference', {
			nillable: true,
			referenceTo: 'PermissionSetGroup',
			relationshipName: 'PermissionSetGroup',
		}),
		f('NamespacePrefix', 'Namespace Prefix', 'string', { nillable: true, length: 15 }),
		...permissionFields(true),
		created(),
	]),
);

add(
	objectDef(
		'PermissionSetGroup',
		'Permission Set Groups',
		true,
		[
			id(),
			f('DeveloperName', 'Name', 'string', { length: 80 }),
			f('MasterLabel', 'Label', 'string', { length: 80 }),
			f('Description', 'Description', 'textarea', { nillable: true, length: 255 }),
			f('Status', 'Status', 'picklist', {
				picklistValues: ['Updated', 'Outdated', 'Updating', 'Failed'],
			}),
			f('NamespacePrefix', 'Namespace Prefix', 'string', { nillable: true, length: 15 }),
			created(),
		],
		{ createable: true, deletable: true },
	),
);

add(
	objectDef('PackageLicense', 'Package Licenses', false, [
		id(),
		f('NamespacePrefix', 'Namespace Prefix', 'string', { length: 40 }),
		f('Status', 'Status', 'picklist', { picklistValues: ['Active', 'Expired', 'Free', 'Trial'] }),
		f('AllowedLicenses', 'Allowed Licenses', 'int'),
		f('UsedLicenses', 'Used Licenses', 'int', { computed: true }),
		f('ExpirationDate', 'Expiration Date', 'datetime', { nillable: true }),
		bool('IsProvisioned', 'Is Provisioned'),
		bool('IsAvailableForIntegrations', 'Enabled for Platform Integrations'),
		created(),
		modified(),
	]),
);

add(
	objectDef(
		'UserPackageLicense',
		'User Package Licenses',
		false,
		[
			id(),
			f('PackageLicenseId', 'Package License ID', 'reference', {
				createable: true,
				referenceTo: 'PackageLicense',
				relationshipName: 'PackageLicense',
			}),
			f('UserId', 'Assigned User ID', 'reference', {
				createable: true,
				referenceTo: 'User',
				relationshipName: 'User',
			}),
			created(),
			f('CreatedById', 'Created By ID', 'reference', {
				referenceTo: 'User',
				relationshipName: 'CreatedBy',
			}),
		],
		{ createable: true, deletable: true },
	),
);

add(
	objectDef(
		'Group',
		'Groups',
		true,
		[
			id(),
			f('Name', 'Name', 'string', { updateable: true, createable: true, length: 40 }),
			f('DeveloperName', 'Developer Name', 'string', {
				updateable: true,
				createable: true,
				length: 80,
			}),
			f('Type', 'Type', 'picklist', {
				createable: true,
				picklistValues: ['Regular', 'Queue', 'Role', 'RoleAndSubordinates', 'Organization'],
			}),
			f('Email', 'Email', 'email', { nillable: true, updateable: true, createable: true }),
			bool('DoesIncludeBosses', 'Include Bosses', true),
			created(),
		],
		{ createable: true, deletable: true },
	),
);

add(
	objectDef(
		'GroupMember',
		'Group Members',
		false,
		[
			id(),
			f('GroupId', 'Group ID', 'reference', {
				createable: true,
				referenceTo: 'Group',
				relationshipName: 'Group',
			}),
			// Polymorphic in Salesforce (a User or a Group); no relationship name.
			f('UserOrGroupId', 'User/Group ID', 'reference', { createable: true, referenceTo: 'User' }),
			f('SystemModstamp', 'System Modstamp', 'datetime'),
		],
		{ createable: true, deletable: true },
	),
);

add(
	objectDef(
		'PermissionSetAssignment',
		'Permission Set Assignments',
		false,
		[
			id(),
			f('AssigneeId', 'Assignee ID', 'reference', {
				createable: true,
				referenceTo: 'User',
				relationshipName: 'Assignee',
			}),
			f('PermissionSetId', 'Permission Set ID', 'reference', {
				createable: true,
				referenceTo: 'PermissionSet',
				relationshipName: 'PermissionSet',
			}),
			f('PermissionSetLicenseId', 'Permission Set License ID', 'reference', {
				nillable: true,
				referenceTo: 'PermissionSetLicense',
				relationshipName: 'PermissionSetLicense',
			}),
			f('PermissionSetGroupId', 'Permission Set Group ID', 'reference', {
				nillable: true,
				createable: true,
				referenceTo: 'PermissionSetGroup',
				relationshipName: 'PermissionSetGroup',
			}),
			created(),
		],
		{ createable: true, deletable: true },
	),
);

// Who holds which permission set license (Salesforce's PermissionSetLicenseAssign, key prefix 2LA).
add(
	objectDef(
		'PermissionSetLicenseAssign',
		'Permission Set License Assignments',
		false,
		[
			id(),
			f('AssigneeId', 'Assignee ID', 'reference', {
				createable: true,
				referenceTo: 'User',
				relationshipName: 'Assignee',
			}),
			f('PermissionSetLicenseId', 'Permission Set License ID', 'reference', {
				createable: true,
				referenceTo: 'PermissionSetLicense',
				relationshipName: 'PermissionSetLicense',
			}),
			created(),
		],
		{ createable: true, deletable: true },
	),
);

add(
	objectDef('UserLogin', 'User Logins', true, [
		id(),
		f('UserId', 'User ID', 'reference', { referenceTo: 'User' }),
		bool('IsFrozen', 'Is Frozen', true),
		bool('IsPasswordLocked', 'Is Password Locked', true),
		modified(),
		f('LastModifiedById', 'Last Modified By ID', 'reference', {
			referenceTo: 'User',
			relationshipName: 'LastModifiedBy',
		}),
	]),
);

add(
	objectDef('LoginHistory', 'Login History', false, [
		id(),
		f('UserId', 'User ID', 'reference', { referenceTo: 'User' }),
		f('LoginTime', 'Login Time', 'datetime'),
		f('LoginType', 'Login Type', 'picklist'),
		f('Status', 'Status', 'string', { length: 128 }),
		f('SourceIp', 'Source IP', 'string', { length: 39 }),
		f('Application', 'Application', 'string', { length: 64 }),
		f('Browser', 'Browser', 'string', { length: 64 }),
		f('Platform', 'Platform', 'string', { length: 64 }),
		f('LoginUrl', 'Login URL', 'string', { length: 256 }),
		f('ApiType', 'API Type', 'string', { nillable: true, length: 32 }),
		f('ApiVersion', 'API Version', 'string', { nillable: true, length: 32 }),
		f('CountryIso', 'Country Code', 'string', { nillable: true, length: 2 }),
	]),
);

add(
	objectDef('EventLogFile', 'Event Log Files', false, [
		id(),
		f('EventType', 'Event Type', 'picklist'),
		f('LogDate', 'Log Date', 'datetime'),
		f('Interval', 'Interval', 'picklist', { picklistValues: ['Daily', 'Hourly'] }),
		f('Sequence', 'Sequence', 'int'),
		f('LogFileLength', 'Log File Length', 'double'),
		f('LogFileContentType', 'Log File Content Type', 'string'),
		f('LogFileFieldNames', 'Log File Field Names', 'textarea', {
			filterable: false,
			sortable: false,
			groupable: false,
		}),
		f('LogFileFieldTypes', 'Log File Field Types', 'textarea', {
			filterable: false,
			sortable: false,
			groupable: false,
		}),
		f('LogFile', 'Log File', 'base64', {
			filterable: false,
			sortable: false,
			groupable: false,
			computed: true,
		}),
		created(),
	]),
);

// One row: the session user's effective permissions (profile OR any assigned permission set).
add(
	objectDef('UserPermissionAccess', 'User Permission Access', false, [
		id(),
		...permissionFields(false).map((p) => ({ ...p, computed: true })),
	]),
);

/** Case-insensitive sObject lookup, as SOQL and the REST paths are. */
export function findObject(name: string): ObjectDef | undefined {
	const lower = name.toLowerCase();
	for (const def of Object.values(SCHEMA)) if (def.name.toLowerCase() === lower) return def;
	return undefined;
}

/** Which object an 18-character ID belongs to, by key prefix. */
export function objectForId(id: string): ObjectDef | undefined {
	const prefix = id.slice(0, 3);
	return Object.values(SCHEMA).find((def) => def.keyPrefix === prefix);
}
