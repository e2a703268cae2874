import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authorizeRequest, preAuthenticate } from '../nodes/SalesforceAdmin/transport/storedToken';
import { accessModeProperty, environmentProperties } from './common';
import { storedTokenProperties } from './storedTokenFields';

export class SalesforceAdminPasswordApi implements ICredentialType {
	name = 'salesforceAdminPasswordApi';

	displayName = 'Salesforce Admin Username/Password API';

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
	 * For n8n's HTTP Request node ("Custom API Call"): n8n calls this when the stored session is
	 * empty or refused (401), and stores what it returns, encrypted with the credential. The
	 * Salesforce Admin node itself signs in on every execution, as before.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await preAuthenticate('password', credentials);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return authorizeRequest(
			'password',
			credentials,
			requestOptions as IHttpRequestOptions & { uri?: string; headers?: Record<string, unknown> },
		);
	}
}
