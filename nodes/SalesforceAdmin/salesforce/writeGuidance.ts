/**
 * Salesforce refuses to deactivate users who still hold certain roles in the org. The error
 * messages are clear about the cause but not about the way out, which for a licence-reclaim
 * workflow is nearly always: freeze now, reassign, deactivate later.
 */
import type { WriteError } from './writePlan';

const FREEZE_INSTEAD = 'Freeze the user instead (blocks sign-in at once)';

const DEACTIVATION_BLOCKERS: Array<{ test: RegExp; guidance: string }> = [
	{
		test: /hierarchy field/i,
		guidance: `${FREEZE_INSTEAD}, then reassign the fields that point to this user (for example another user's Manager, or a custom hierarchy field), then deactivate.`,
	},
	{
		test: /default workflow user/i,
		guidance: `${FREEZE_INSTEAD}, then pick another Default Workflow User (Setup > Process Automation Settings), then deactivate.`,
	},
	{
		test: /portal account owner|owner of (a|an) (partner|portal|customer)/i,
		guidance: `${FREEZE_INSTEAD}, then transfer the ownership of the partner/customer portal accounts to another user, then deactivate.`,
	},
	{
		test: /\bCPQ\b/i,
		guidance: `${FREEZE_INSTEAD}, then change the Salesforce CPQ package settings that name this user (e.g. the integration user), then deactivate.`,
	},
	{
		test: /delegated approver/i,
		guidance: `${FREEZE_INSTEAD}, then change the Delegated Approver of the users who name this user (and reassign approval steps that name them), then deactivate.`,
	},
	{
		test: /automated case user/i,
		guidance: `${FREEZE_INSTEAD}, then pick another Automated Case User (Setup > Support Settings), then deactivate.`,
	},
	{
		test: /default (lead|case) owner|web[- ]to[- ](lead|case)|auto-response|default owner|default (lead|case) creator/i,
		guidance: `${FREEZE_INSTEAD}, then change the default owner in the Lead/Case settings or assignment rules that name this user, then deactivate.`,
	},
	{
		test: /territory|forecast/i,
		guidance: `${FREEZE_INSTEAD}, then remove the user from territories and forecast hierarchies, then deactivate.`,
	},
];

/** Guidance for an error Salesforce gave when deactivating a user. */
export function deactivationGuidance(error: WriteError): string | undefined {
	const text = `${error.code} ${error.message}`;
	for (const blocker of DEACTIVATION_BLOCKERS) {
		if (blocker.test.test(text)) return blocker.guidance;
	}
	if (
		/^(FIELD_INTEGRITY_EXCEPTION|CANNOT_UPDATE_CONVERTED_LEAD|INVALID_CROSS_REFERENCE_KEY)$/.test(
			error.code,
		) ||
		/inactivate|deactivate/i.test(error.message)
	) {
		return `${FREEZE_INSTEAD}, then remove what Salesforce names in the message, then deactivate.`;
	}
	return undefined;
}

/** Guidance for a record Salesforce refused to delete when taking an entitlement away. */
export function entitlementGuidance(kind: string, error: WriteError): string | undefined {
	const text = `${error.code} ${error.message}`;
	if (kind === 'packageLicenses' && /INSUFFICIENT_ACCESS/.test(text)) {
		return 'The connected user needs the "Manage Package Licenses" permission (System Administrators have it) to take package seats away.';
	}
	if (/INSUFFICIENT_ACCESS/.test(text)) {
		return 'The connected user needs "Manage Users" (or "Assign Permission Sets" for permission sets) to remove assignments and memberships.';
	}
	if (kind === 'permissionSetLicenses' && /permission set|require/i.test(error.message)) {
		return 'A permission set the user still has needs this license: remove that permission set first (Remove permission sets), or use Offboard user, which removes permission sets before their licenses.';
	}
	return undefined;
}
