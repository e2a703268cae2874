/**
 * The "User" parameter of Get user and every write: a resource locator, as n8n's own nodes pick
 * a record (From List, By ID, By Username). The default takes the incoming item's `id`, so Get
 * users can feed a write directly.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import {
	USERNAME_PATTERN,
	USER_ID_PATTERN,
	parseUserLocator,
	userLocatorText,
} from '../../salesforce/userLocator';

export const USER_PARAMETER = 'userId';

/** The User parameter, for one operation; `description` says what the node does with the user. */
export function userLocatorProperty(operation: string, description: string): INodeProperties {
	return {
		displayName: 'User',
		name: USER_PARAMETER,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'id', value: '={{ $json.id }}' },
		description,
		displayOptions: { show: { resource: ['user'], operation: [operation] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '005xx000001Sv6AAAS',
				hint: 'A user ID, 15 or 18 characters, starting with 005',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: USER_ID_PATTERN,
							errorMessage: 'A user ID has 15 or 18 letters and digits (it starts with 005)',
						},
					},
				],
			},
			{
				displayName: 'By Username',
				name: 'username',
				type: 'string',
				placeholder: 'jane@acme.com',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: USERNAME_PATTERN,
							errorMessage: 'A Salesforce username looks like an email address: name@domain',
						},
					},
				],
			},
		],
	};
}

/**
 * Item `itemIndex`'s user as the parameter names it, with the value as typed (for messages).
 * Read without n8n's extractValue so the mode is known: By ID takes only IDs, By Username only
 * usernames. A plain string (a workflow from before the list) is read as an ID or a username.
 */
export function readUserLocator(
	this: IExecuteFunctions,
	itemIndex: number,
): { ref: UserReference; text?: string } {
	const raw = this.getNodeParameter(USER_PARAMETER, itemIndex, '');
	return { ref: parseUserLocator(raw), text: userLocatorText(raw) };
}
