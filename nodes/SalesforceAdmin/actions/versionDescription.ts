/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as eventLog from './eventLog';
import * as license from './license';
import * as loginHistory from './loginHistory';
import { authenticationProperty, credentialDescriptions } from './shared/authentication';
import { nodeSubtitle } from './subtitle';
import * as user from './user';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Salesforce Admin',
	name: 'salesforceAdmin',
	icon: { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: nodeSubtitle([
		...user.description,
		...license.description,
		...loginHistory.description,
		...eventLog.description,
	]),
	description:
		'See and act on Salesforce users and licenses: users, licenses, login history, event logs, freeze and deactivate',
	defaults: {
		name: 'Salesforce Admin',
	},
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: credentialDescriptions,
	properties: [
		authenticationProperty,
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Event Log', value: 'eventLog' },
				{ name: 'License', value: 'license' },
				{ name: 'Login History', value: 'loginHistory' },
				{ name: 'User', value: 'user' },
			],
			default: 'user',
		},
		...user.description,
		...license.description,
		...loginHistory.description,
		...eventLog.description,
	],
};
