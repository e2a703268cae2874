import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { API_VERSION } from '../nodes/SalesforceAdmin/transport/apiVersion';
import { accessModeProperty, environmentProperties } from './common';

/**
 * Where a My Domain URL that is not a plain https (or loopback http) origin leads: a reserved
 * name (RFC 6761) that resolves nowhere, so neither the browser sign-in nor the token exchange
 * can reach anyone.
 */
export const INVALID_MY_DOMAIN_BASE = 'https://invalid-my-domain-url.invalid';

// The whole URL is checked against a strict grammar: n8n's expression sandbox has no URL class,
// and rewriting only a prefix let "http:/host", "http:\\host" and "http://127.0.0.1:1@host" through.
const HOST = String.raw`[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*`;
const PORT = String.raw`(?::[0-9]{1,5})?`;
const LOOPBACK = String.raw`(?:127\.0\.0\.1|localhost|\[::1\])`;
/** Whatever follows the origin is dropped, as the node does; no backslash or space in it. */
const PATH = String.raw`(?:/[^\s\\]*)?`;
const regex = (source: string) => `/${source.replace(/\//g, '\\/')}/i`;
const LOOPBACK_HTTP = regex(String.raw`^http://(${LOOPBACK}${PORT})${PATH}$`);
const WEB_ORIGIN = regex(String.raw`^https?://(${HOST}${PORT})${PATH}$`);

/**
 * The Salesforce base URL the OAuth expressions resolve from the chosen environment. Loopback
 * test orgs keep http; any other valid host is sent https (a My Domain URL typed with http://
 * included), so the sign-in and the token exchange never travel unencrypted; anything else
 * resolves to INVALID_MY_DOMAIN_BASE. The node itself refuses such URLs with a message.
 */
const myDomainText = 'String($self["myDomainUrl"] || "").trim()';
const myDomainBase =
	`(${LOOPBACK_HTTP}.test(${myDomainText}) ? "http://" + ${myDomainText}.replace(${LOOPBACK_HTTP}, "$1") : ` +
	`${WEB_ORIGIN}.test(${myDomainText}) ? "https://" + ${myDomainText}.replace(${WEB_ORIGIN}, "$1") : ` +
	`"${INVALID_MY_DOMAIN_BASE}")`;
const baseUrl = `$self["environment"] === "sandbox" ? "https://test.salesforce.com" : $self["environment"] === "myDomain" ? ${myDomainBase} : "https://login.salesforce.com"`;

/**
 * The hosts n8n's HTTP Request node may send this credential's token to (its "Predefined
 * Credential Type" path never calls a credential's own checks): the instance URL Salesforce
 * returned with the token and, with My Domain, that host. Ports do not count (n8n matches host
 * names). Nothing usable resolves to "", which n8n refuses ("No allowed domains specified").
 */
const HOST_OF_URL = regex(String.raw`^https?://(${HOST})${PORT}${PATH}$`);
const LOOPBACK_HOST_OF_URL = regex(String.raw`^http://(${LOOPBACK})${PORT}${PATH}$`);
const hostOf = (text: string) =>
	`(${LOOPBACK_HOST_OF_URL}.test(${text}) ? ${text}.replace(${LOOPBACK_HOST_OF_URL}, "$1") : ` +
	`${HOST_OF_URL}.test(${text}) ? ${text}.replace(${HOST_OF_URL}, "$1") : "")`;
const tokenInstanceUrlText =
	'String($self.oauthTokenData && typeof $self.oauthTokenData === "object" && $self.oauthTokenData.instance_url || "").trim()';
const allowedHosts =
	`[${hostOf(tokenInstanceUrlText)}, $self["environment"] === "myDomain" ? ${hostOf(myDomainText)} : ""]` +
	'.map(function (host) { return host.toLowerCase(); })' +
	'.filter(function (host, index, hosts) { return host !== "" && hosts.indexOf(host) === index; }).join(", ")';

/**
 * Where the connection test calls, signed with the stored token by n8n (which refreshes it on a
 * 401 and saves the new one). n8n hands the test the credential's fields but not its token data,
 * so the org is found from the fields: with My Domain (every org has one), the REST API's
 * resource list of that org, which answers 401 for an expired token (refreshed) and 403 without
 * API access; for Production and Sandbox, the login server's OpenID userinfo endpoint, which
 * serves every org. The instance URL is used instead whenever token data is passed in.
 */
const testValue = (expression: string) => expression.replace(/\$self/g, () => '$credentials');
const storedInstanceUrl =
	'($credentials.oauthTokenData && typeof $credentials.oauthTokenData === "object" && $credentials.oauthTokenData.instance_url ? String($credentials.oauthTokenData.instance_url).replace(/\\/+$/, "") : "")';
const testUrl =
	`${storedInstanceUrl} ? ${storedInstanceUrl} + "/services/data/v${API_VERSION}/" : ` +
	`$credentials["environment"] === "myDomain" ? (${testValue(myDomainBase)}) + "/services/data/v${API_VERSION}/" : ` +
	`(${testValue(baseUrl)}) + "/services/oauth2/userinfo"`;

export class SalesforceAdminOAuth2Api implements ICredentialType {
	name = 'salesforceAdminOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Salesforce Admin OAuth2 API';

	documentationUrl =
		'https://github.com/n8n-nodes-salesforce-admin/n8n-nodes-salesforce-admin/blob/main/docs/credentials.md#oauth2-salesforceadminoauth2api';

	icon = { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Where the OAuth Redirect URL above goes in Salesforce: Setup > External Client App Manager > New External Client App > OAuth Settings > Callback URL (exactly, no trailing slash). Select the scopes "Manage user data via APIs (api)", "Access the identity URL service (id)" and "Perform requests at any time (refresh_token, offline_access)"; keep "Require Proof Key for Code Exchange (PKCE)" and "Require secret for Web Server Flow" on. Then copy the Consumer Key and Consumer Secret into the Client ID and Client Secret fields above.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		// authorization code with PKCE: External Client Apps require it; n8n sends the verifier and the secret
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'pkce' },
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
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'refresh_token offline_access id api',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		// n8n's own "Allowed HTTP Request Domains" fields, fixed to this org: declaring them keeps n8n
		// from adding its editable copy (default "All"), so the token never leaves the org's hosts
		{
			displayName: 'Allowed HTTP Request Domains',
			name: 'allowedHttpRequestDomains',
			type: 'hidden',
			default: 'domains',
		},
		{
			displayName: 'Allowed Domains',
			name: 'allowedDomains',
			type: 'hidden',
			default: `={{ ${allowedHosts} }}`,
		},
		accessModeProperty,
	];

	/**
	 * A real authenticated call. n8n runs a credential type's own `test` before its OAuth2
	 * short-cut (which only checks that a token is stored).
	 */
	test: ICredentialTestRequest = {
		// never follows a redirect: n8n's client would re-send the token to wherever it points
		request: { method: 'GET', url: `={{ ${testUrl} }}`, json: true, disableFollowRedirect: true },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"Salesforce refused the stored access token and it could not be refreshed. Reconnect the credential (the refresh token may have been revoked or expired, or the connected app's policy may not allow refresh).",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Salesforce refused the call: the access token may have expired or been revoked (reconnect the credential), or the user lacks the API Enabled permission or is not allowed to use the connected app.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at this address: check Environment and My Domain URL.',
				},
			},
		],
	};
}
