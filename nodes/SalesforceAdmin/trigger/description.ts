/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from '../actions/shared/authentication';
import { labelSubtitle } from '../actions/shared/subtitle';
import { events } from './router';

export const triggerDescription: INodeTypeDescription = {
	displayName: 'Salesforce Admin Trigger',
	name: 'salesforceAdminTrigger',
	icon: { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' },
	group: ['trigger'],
	version: 1,
	// The event's name, not its internal value (test/unit/subtitles.test.ts keeps them in step).
	subtitle: labelSubtitle(
		{
			failedLogin: 'Failed Login',
			licenseThreshold: 'License Threshold',
			newEventLogFile: 'New Event Log File',
			userChange: 'User Change',
		},
		'$parameter["event"]',
	),
	// n8n's node panel shows the trigger's description on the one entry it makes of a node and its
	// trigger, above both lists (actions and triggers): so it says what both do.
	description:
		'Act on Salesforce users and licenses (get, freeze, deactivate, reclaim) and start workflows on failed logins, licenses running out, user changes and new Event Log Files',
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
