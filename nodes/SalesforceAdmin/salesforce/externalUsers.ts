/**
 * Which users and licenses count as "external" (community, portal, Chatter-only and guest):
 * people outside the company's own CRM seats. Get users and Get licenses leave them out unless
 * "Include External" is on. One list here, so both operations agree.
 */

/**
 * User.UserType values of external users: PowerPartner (Partner Community / partner portal),
 * PowerCustomerSuccess (Customer Community Plus, Customer Portal Manager), CustomerSuccess
 * (Customer Community, Customer Portal), CspLitePortal (High Volume Customer Portal / Community
 * login), CsnOnly (Chatter Free and Chatter External), Guest (site guest users), SelfService.
 */
export const EXTERNAL_USER_TYPES = [
	'PowerPartner',
	'PowerCustomerSuccess',
	'CustomerSuccess',
	'CspLitePortal',
	'CsnOnly',
	'Guest',
	'SelfService',
] as const;

/** UserLicense / PermissionSetLicense names Salesforce uses for external seats. */
export const EXTERNAL_LICENSE_NAMES = [
	'Authenticated Website',
	'Channel Account',
	'Chatter External',
	'Chatter Free',
	'Customer Community',
	'Customer Community Login',
	'Customer Community Plus',
	'Customer Community Plus Login',
	'Customer Portal Manager',
	'Customer Portal Manager Custom',
	'Customer Portal Manager Standard',
	'External Apps',
	'External Apps Login',
	'External Identity',
	'Gold Partner',
	'Guest',
	'Guest User License',
	'High Volume Customer Portal',
	'Lightning External Apps',
	'Lightning External Apps Plus',
	'Overage Customer Portal Manager Custom',
	'Overage Customer Portal Manager Standard',
	'Overage High Volume Customer Portal',
	'Partner App Subscription',
	'Partner Community',
	'Partner Community Login',
	'Silver Partner',
] as const;

const EXTERNAL_NAMES = new Set(EXTERNAL_LICENSE_NAMES.map((n) => n.toLowerCase()));

export function isExternalLicenseName(name: unknown): boolean {
	return typeof name === 'string' && EXTERNAL_NAMES.has(name.trim().toLowerCase());
}
