/**
 * The credentials both nodes (Salesforce Admin and its trigger) offer, from one list: adding a
 * credential type is one entry here (plus its sign-in in transport/).
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { Authentication } from '../../transport';
import { CREDENTIAL_TYPES } from '../../transport';

/** The `authentication` values in the order the dropdown shows them, with their labels. */
const AUTHENTICATION_OPTIONS: ReadonlyArray<{ name: string; value: Authentication }> = [
	{ name: 'OAuth2', value: 'oAuth2' },
	{ name: 'Username and Password', value: 'password' },
	{ name: 'JWT Bearer', value: 'jwt' },
	{ name: 'Client Credentials', value: 'clientCredentials' },
];

/** One credential entry per authentication value, shown only when that value is picked. */
export const credentialDescriptions: INodeCredentialDescription[] = AUTHENTICATION_OPTIONS.map(
	({ value }) => ({
		name: CREDENTIAL_TYPES[value],
		required: true,
		testedBy: 'salesforceAdminCredentialTest',
		displayOptions: { show: { authentication: [value] } },
	}),
);

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: AUTHENTICATION_OPTIONS.map(({ name, value }) => ({ name, value })),
	// the rule cannot see options built from the list above; oAuth2 is its first entry
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
	default: 'oAuth2',
};
