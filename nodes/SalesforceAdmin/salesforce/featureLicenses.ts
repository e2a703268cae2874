/**
 * Feature licenses are boolean UserPermissions* fields on User, not records. The design names
 * the five every org has; the others exist only in orgs that bought them.
 */
import type { User } from './records';

export interface FeatureLicense {
	field: `UserPermissions${string}`;
	label: string;
	/** The five Torii/Productiv-style tools also expect; other fields are optional. */
	standard: boolean;
}

export const FEATURE_LICENSES: readonly FeatureLicense[] = [
	{ field: 'UserPermissionsSupportUser', label: 'Service Cloud', standard: true },
	{ field: 'UserPermissionsInteractionUser', label: 'Flow', standard: true },
	{ field: 'UserPermissionsLiveAgentUser', label: 'Chat', standard: true },
	{ field: 'UserPermissionsMarketingUser', label: 'Marketing', standard: true },
	{ field: 'UserPermissionsMobileUser', label: 'Apex Mobile', standard: true },
	{ field: 'UserPermissionsKnowledgeUser', label: 'Knowledge', standard: false },
	{ field: 'UserPermissionsSFContentUser', label: 'CRM Content', standard: false },
	{ field: 'UserPermissionsOfflineUser', label: 'Offline', standard: false },
];

const BY_FIELD = new Map<string, FeatureLicense>(FEATURE_LICENSES.map((f) => [f.field, f]));

export function featureLicenseByField(field: string): FeatureLicense | undefined {
	return BY_FIELD.get(field);
}

/** The labels of the feature licenses a User record has switched on, in FEATURE_LICENSES order. */
export function featureLicenseLabels(user: User, fields: readonly string[]): string[] {
	return FEATURE_LICENSES.filter((f) => fields.includes(f.field) && user[f.field] === true).map(
		(f) => f.label,
	);
}

/** Which of the known UserPermissions* fields the connected user can read (from describe User). */
export function readableFeatureFields(describedFieldNames: Iterable<string>): string[] {
	const described = new Set(describedFieldNames);
	return FEATURE_LICENSES.filter((f) => described.has(f.field)).map((f) => f.field);
}

/** The standard feature-license fields missing from what the connected user can read. */
export function missingStandardFeatureFields(readable: readonly string[]): string[] {
	return FEATURE_LICENSES.filter((f) => f.standard && !readable.includes(f.field)).map(
		(f) => f.field,
	);
}

/** The notice shown when some standard feature-license fields cannot be read. */
export function missingFeatureFieldsNotice(missing: readonly string[]): string {
	const labels = missing.map(
		(field) => `${featureLicenseByField(field)?.label ?? field} (${field})`,
	);
	return (
		`The connected user cannot read ${labels.join(', ')} on User, so "featureLicenses" leaves ` +
		'them out. Grant the connected user read access to these User fields (field-level security ' +
		'on its profile or a permission set), or use a user with "View All Data".'
	);
}
