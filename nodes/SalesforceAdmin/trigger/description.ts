/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from '../actions/shared/authentication';
import { events } from './router';

export const triggerDescription: INodeTypeDescription = {
	displayName: 'Salesforce Admin Trigger',
	name: 'salesforceAdminTrigger',
	icon: { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' },
	group: ['trigger'],
	version: 1,
	subtitle: '={{$parameter["event"]}}',
	description:
		'Starts a workflow on failed logins, licenses running out, user changes and new Event Log Files in Salesforce',
	defaults: {
		name: 'Salesforce Admin Trigger',
	},
	polling: true,
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	credentials: credentialDescriptions,
	properties: [
		authenticationProperty,
		{
			displayName: 'Event',
			name: 'event',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Failed Login',
					value: 'failedLogin',
					description:
						'A login failed (wrong password, locked out, ...); or a user failed Min Failures times',
				},
				{
					name: 'License Threshold',
					value: 'licenseThreshold',
					description: 'A license is running out: few seats left or a high percentage used',
				},
				{
					name: 'New Event Log File',
					value: 'newEventLogFile',
					description: 'Salesforce published an Event Log File (also a regenerated one)',
				},
				{
					name: 'User Change',
					value: 'userChange',
					description: 'A user was created, deactivated, activated, frozen or unfrozen',
				},
			],
			default: 'failedLogin',
		},
		...Object.values(events).flatMap((e) => e.description),
	],
};
