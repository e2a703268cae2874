import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { authenticationProperty, shownFor } from './actions/shared/authentication';
import { methods } from './methods';
import { events, pollRouter } from './trigger/pollRouter';

export class SalesforceAdminTrigger implements INodeType {
	// Written out here, in the node file, where n8n's scanner reads the icon and each credential's
	// testedBy (icon-validation, credential-test-required); the events bring their own fields.
	description: INodeTypeDescription = {
		displayName: 'Salesforce Admin Trigger',
		name: 'salesforceAdminTrigger',
		icon: { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The event's name, not its internal value (test/unit/subtitles.test.ts keeps them in step;
		// n8n's lint rules want the subtitle as a literal).
		subtitle:
			'={{ {"failedLogin":"Failed Login","licenseThreshold":"License Threshold","newEventLogFile":"New Event Log File","userChange":"User Change"}[$parameter["event"]] }}',
		// n8n's node panel shows the trigger's description on the one entry it makes of a node and
		// its trigger, above both lists (actions and triggers): so it says what both do.
		description:
			'Act on Salesforce users and licenses (get, freeze, deactivate, reclaim) and start workflows on failed logins, licenses running out, user changes and new Event Log Files',
		defaults: {
			name: 'Salesforce Admin Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Not a shared constant: the scanner reads only this literal list (name and testedBy as
		// literals in this class); with a constant it reports credential-test-required for the
		// three credentials that do not extend oAuth2Api (tried). test/unit/nodeDescriptions.test.ts
		// holds both nodes' lists to the Authentication options.
		credentials: [
			{
				name: 'salesforceAdminOAuth2Api',
				testedBy: 'salesforceAdminCredentialTest',
				...shownFor('oAuth2'),
			},
			{
				name: 'salesforceAdminPasswordApi',
				testedBy: 'salesforceAdminCredentialTest',
				...shownFor('password'),
			},
			{
				name: 'salesforceAdminJwtApi',
				testedBy: 'salesforceAdminCredentialTest',
				...shownFor('jwt'),
			},
			{
				name: 'salesforceAdminClientCredentialsApi',
				testedBy: 'salesforceAdminCredentialTest',
				...shownFor('clientCredentials'),
			},
		],
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

	methods = methods;

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollRouter.call(this);
	}
}
