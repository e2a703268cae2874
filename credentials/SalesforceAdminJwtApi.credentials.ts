import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { storedTokenAuthentication } from '../nodes/SalesforceAdmin/transport/storedToken';
import { accessModeProperty, environmentProperties } from './common';
import { storedTokenProperties } from './storedTokenFields';

const jwtSignIn = storedTokenAuthentication('jwt');

export class SalesforceAdminJwtApi implements ICredentialType {
	name = 'salesforceAdminJwtApi';

	displayName = 'Salesforce Admin JWT Bearer API';

	documentationUrl =
		'https://github.com/n8n-nodes-salesforce-admin/n8n-nodes-salesforce-admin/blob/main/docs/credentials.md#jwt-bearer-salesforceadminjwtapi';

	icon = { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Signs in as the user below with the OAuth 2.0 JWT bearer flow: no password, no browser, nothing expires. In Salesforce: Setup > External Client App Manager > your app > OAuth Settings: enable "JWT Bearer Flow" and upload the certificate of the private key below; Policies: "Admin approved users are pre-authorized" with the user\'s profile or permission set.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		...environmentProperties,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Consumer key of the External Client App (OAuth Settings > Consumer Key and Secret)',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'integration@acme.com',
			description: 'The Salesforce user n8n acts as',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The unencrypted RSA private key (PEM, from "-----BEGIN PRIVATE KEY-----" to "-----END PRIVATE KEY-----") whose certificate is uploaded to the app',
		},
		accessModeProperty,
		...storedTokenProperties,
	];

	/** n8n's own token reuse: see storedToken.ts. */
	preAuthentication = jwtSignIn.preAuthentication;

	authenticate = jwtSignIn.authenticate;
}
