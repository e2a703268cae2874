/**
 * Feature licenses are boolean UserPermissions* fields on User, not records. The design names
 * the five every org has; the others exist only in orgs that bought them.
 */
export interface FeatureLicense {
	field: string;
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

const BY_FIELD = new Map(FEATURE_LICENSES.map((f) => [f.field, f]));

export function featureLicenseByField(field: string): FeatureLicense | undefined {
	return BY_FIELD.get(field);
}

/** The labels of the feature licenses a User record has switched on, in FEATURE_LICENSES order. */
export function featureLicenseLabels(
	user: Record<string, unknown>,
	fields: readonly string[],
): string[] {
	return FEATURE_LICENSES.filter((f) => fields.includes(f.field) && user[f.field] === true).map(
		(f) => f.label,
	);
}
