import type { INodeProperties } from 'n8n-workflow';

/**
 * Hidden fields n8n fills from the credential's preAuthentication and stores encrypted with it:
 * the access token (`expirable`: n8n signs in again when it is empty or refused with 401), the
 * org's instance URL, the identity URL and which sign-in fields the token was made from.
 */
export const storedTokenProperties: INodeProperties[] = [
	{
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
	{ displayName: 'Instance URL', name: 'instanceUrl', type: 'hidden', default: '' },
	{ displayName: 'Identity URL', name: 'identityUrl', type: 'hidden', default: '' },
	{ displayName: 'Token Fingerprint', name: 'tokenFingerprint', type: 'hidden', default: '' },
];
