import type { INodeProperties } from 'n8n-workflow';

/** The org's own login URL (Setup > My Domain). */
export const myDomainUrlProperty: INodeProperties = {
	displayName: 'My Domain URL',
	name: 'myDomainUrl',
	type: 'string',
	default: '',
	placeholder: 'https://acme.my.salesforce.com',
	description: 'Must start with https://',
};

/** Fields every Salesforce Admin credential has: where it signs in and what it may do. */
export const environmentProperties: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{ name: 'Production', value: 'production', description: 'login.salesforce.com' },
			{ name: 'Sandbox', value: 'sandbox', description: 'test.salesforce.com' },
			{ name: 'My Domain', value: 'myDomain', description: "Your org's own login URL" },
		],
		default: 'production',
	},
	{ ...myDomainUrlProperty, displayOptions: { show: { environment: ['myDomain'] } } },
];

export const accessModeProperty: INodeProperties = {
	displayName: 'Access Mode',
	name: 'accessMode',
	type: 'options',
	options: [
		{
			name: 'Read-Only',
			value: 'readOnly',
			description:
				'Read users, licenses, login history and event logs; every write action is refused',
		},
		{
			name: 'Read/Take Action',
			value: 'readWrite',
			description: 'Also freeze, unfreeze, deactivate, activate users and remove feature licenses',
		},
	],
	default: 'readOnly',
};
