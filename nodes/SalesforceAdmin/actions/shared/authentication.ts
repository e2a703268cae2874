/**
 * The credentials both nodes (Salesforce Admin and its trigger) offer: adding a credential type is
 * one entry here, one in each node's `credentials` (plus its sign-in in transport/).
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { Authentication } from '../../transport';

/** The `authentication` values in the order the dropdown shows them, with their labels. */
export const AUTHENTICATION_OPTIONS: ReadonlyArray<{ name: string; value: Authentication }> = [
	{ name: 'OAuth2', value: 'oAuth2' },
	{ name: 'Username and Password', value: 'password' },
	{ name: 'JWT Bearer', value: 'jwt' },
	{ name: 'Client Credentials', value: 'clientCredentials' },
];

/**
 * A node's credential entry for one authentication value, but for the credential's name and
 * testedBy: required, and shown only when that value is picked. Each node writes name and testedBy
 * out in its own file, where n8n's scanner looks for them (credential-test-required);
 * test/unit/nodeDescriptions.test.ts holds both nodes' lists to AUTHENTICATION_OPTIONS and
 * CREDENTIAL_TYPES.
 */
export function shownFor(
	authentication: Authentication,
): Pick<INodeCredentialDescription, 'required' | 'displayOptions'> {
	return { required: true, displayOptions: { show: { authentication: [authentication] } } };
}

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: AUTHENTICATION_OPTIONS.map(({ name, value }) => ({ name, value })),
	// the rule cannot see options built from the list above; oAuth2 is its first entry
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
	default: 'oAuth2',
};
