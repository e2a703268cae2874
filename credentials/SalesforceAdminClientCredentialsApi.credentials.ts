import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { storedTokenAuthentication } from '../nodes/SalesforceAdmin/transport/storedToken';
import { accessModeProperty, myDomainUrlProperty } from './common';
import { storedTokenProperties } from './storedTokenFields';

const clientCredentialsSignIn = storedTokenAuthentication('clientCredentials');

export class SalesforceAdminClientCredentialsApi implements ICredentialType {
	name = 'salesforceAdminClientCredentialsApi';

	displayName = 'Salesforce Admin Client Credentials API';

	documentationUrl =
		'https://github.com/n8n-nodes-salesforce-admin/n8n-nodes-salesforce-admin/blob/main/docs/credentials.md#client-credentials-salesforceadminclientcredentialsapi';

	icon = { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Signs in as the app\'s Run As user with the OAuth 2.0 client credentials flow. In Salesforce: Setup > External Client App Manager > your app: enable "Client Credentials Flow" (OAuth Settings) and choose the Run As user (Policies). Salesforce serves this flow only at the org\'s My Domain URL.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		// the client credentials flow works only at the org's own domain
		{ displayName: 'Environment', name: 'environment', type: 'hidden', default: 'myDomain' },
		{ ...myDomainUrlProperty, required: true },
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
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Consumer secret of the External Client App',
		},
		accessModeProperty,
		...storedTokenProperties,
	];

	/** n8n's own token reuse: see storedToken.ts. */
	preAuthentication = clientCredentialsSignIn.preAuthentication;

	authenticate = clientCredentialsSignIn.authenticate;
}
