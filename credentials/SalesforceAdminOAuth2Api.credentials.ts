import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { accessModeProperty, environmentProperties } from './common';

/**
 * The Salesforce base URL the OAuth expressions resolve from the chosen environment. A My Domain
 * URL typed with http:// is sent over https:// (except on loopback test orgs), so the sign-in and
 * the token exchange never travel unencrypted; the node itself refuses such a URL with a message.
 */
const myDomainBase =
	'String($self["myDomainUrl"] || "").trim().replace(/\\/+$/, "").replace(/^http:\\/\\/(?!(127\\.0\\.0\\.1|localhost|\\[::1\\])([:/]|$))/i, "https://")';
const baseUrl = `$self["environment"] === "sandbox" ? "https://test.salesforce.com" : $self["environment"] === "myDomain" ? ${myDomainBase} : "https://login.salesforce.com"`;

export class SalesforceAdminOAuth2Api implements ICredentialType {
	name = 'salesforceAdminOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Salesforce Admin OAuth2 API';

	icon = { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' } as const;

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		...environmentProperties,
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ (${baseUrl}) + "/services/oauth2/authorize" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ (${baseUrl}) + "/services/oauth2/token" }}`,
			required: true,
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'refresh_token offline_access id api' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		accessModeProperty,
	];
}
