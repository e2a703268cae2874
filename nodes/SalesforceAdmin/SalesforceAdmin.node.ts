import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as eventLog from './actions/eventLog';
import * as license from './actions/license';
import * as loginHistory from './actions/loginHistory';
import { router } from './actions/router';
import { authenticationProperty, shownFor } from './actions/shared/authentication';
import * as user from './actions/user';
import { methods } from './methods';

export class SalesforceAdmin implements INodeType {
	// Written out here, in the node file, where n8n's scanner reads the icon and each credential's
	// testedBy (icon-validation, credential-test-required); the operations bring their own fields.
	description: INodeTypeDescription = {
		displayName: 'Salesforce Admin',
		name: 'salesforceAdmin',
		icon: { light: 'file:salesforceAdmin.svg', dark: 'file:salesforceAdmin.dark.svg' },
		group: ['transform'],
		version: 1,
		// The action's label, as n8n's own nodes show it ("Get users"); a literal, as n8n's lint
		// rules want (test/unit/subtitles.test.ts keeps it in step with the operations).
		subtitle:
			'={{ {"user:activate":"Activate user","user:deactivate":"Deactivate user","user:freeze":"Freeze user","user:get":"Get user","user:getMany":"Get users","user:removeFeatureLicenses":"Remove feature licenses","user:unfreeze":"Unfreeze user","user:removePackageLicenses":"Remove package licenses","user:removePermissionSetLicenses":"Remove permission set licenses","user:removePermissionSets":"Remove permission sets","user:removeFromGroups":"Remove from groups and queues","user:offboard":"Offboard user","license:getMany":"Get licenses","license:getRecommendations":"Get license recommendations","loginHistory:getMany":"Get login history","eventLog:getMany":"Get event log files","eventLog:getEvents":"Get events"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'See and act on Salesforce users and licenses: users, licenses, login history, event logs, freeze and deactivate',
		defaults: {
			name: 'Salesforce Admin',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
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

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
