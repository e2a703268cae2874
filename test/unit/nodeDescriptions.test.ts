/**
 * Each node writes its credential entries out in its own file (n8n's scanner reads name and
 * testedBy there): both lists must still offer exactly one credential per Authentication option,
 * the one transport signs in with, tested by the node's real connection test.
 */
import { AUTHENTICATION_OPTIONS } from '../../nodes/SalesforceAdmin/actions/shared/authentication';
import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { SalesforceAdminTrigger } from '../../nodes/SalesforceAdmin/SalesforceAdminTrigger.node';
import { CREDENTIAL_TYPES } from '../../nodes/SalesforceAdmin/transport';

describe.each([
	['Salesforce Admin', new SalesforceAdmin()],
	['Salesforce Admin Trigger', new SalesforceAdminTrigger()],
])('%s: credentials', (_label, node) => {
	it('one per Authentication option, shown only for it, required, tested by the node', () => {
		const options = node.description.properties.find((p) => p.name === 'authentication')?.options;
		expect(options).toEqual(AUTHENTICATION_OPTIONS.map(({ name, value }) => ({ name, value })));
		expect(node.description.credentials).toEqual(
			AUTHENTICATION_OPTIONS.map(({ value }) => ({
				name: CREDENTIAL_TYPES[value],
				required: true,
				testedBy: 'salesforceAdminCredentialTest',
				displayOptions: { show: { authentication: [value] } },
			})),
		);
		expect(typeof node.methods?.credentialTest?.salesforceAdminCredentialTest).toBe('function');
	});

	it('light and dark icons', () => {
		expect(node.description.icon).toEqual({
			light: 'file:salesforceAdmin.svg',
			dark: 'file:salesforceAdmin.dark.svg',
		});
	});
});
