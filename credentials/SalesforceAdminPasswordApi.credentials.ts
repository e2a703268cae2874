import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { storedTokenAuthentication } from '../nodes/SalesforceAdmin/transport/storedToken';
import { accessModeProperty, environmentProperties } from './common';
import { storedTokenProperties } from './storedTokenFields';

const passwordSignIn = storedTokenAuthentication('password');

export class SalesforceAdminPasswordApi implements ICredentialType {
	name = 'salesforceAdminPasswordApi';

	displayName = 'Salesforce Admin Username/Password API';

	documentationUrl =
		'https://github.com/n8n-nodes-salesforce-admin/n8n-nodes-salesforce-admin/blob/main/docs/credentials.md#username-and-password-salesforceadminpasswordapi';

	icon = { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				"Legacy sign-in, on its way out at Salesforce: SOAP login() is retired from API 65.0 and, for every API version, in Summer '27 (this credential pins an older version so it keeps working until then), and External Client Apps do not offer the OAuth username-password flow. For unattended workflows use the JWT Bearer or Client Credentials credential instead.",
			name: 'notice',
			type: 'notice',
			default: '',
		},
		...environmentProperties,
		{ displayName: 'Username', name: 'username', type: 'string', default: '', required: true },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Appended to the password when signing in. Leave empty only if your IP is in the org's trusted IP ranges.",
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description:
				'Consumer key of a connected app. With it (and the secret) the OAuth username-password flow is used; without it, the SOAP login.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		accessModeProperty,
		...storedTokenProperties,
	];

	/**
	 * For n8n's HTTP Request node ("Custom API Call"): the session n8n stores with the credential
	 * (storedToken.ts). The Salesforce Admin node itself signs in on every execution, as before.
	 */
	preAuthentication = passwordSignIn.preAuthentication;

	authenticate = passwordSignIn.authenticate;
}
