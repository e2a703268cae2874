import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_USERS } from '../../salesforce/writePlan';
import { userLocatorProperty } from './userParameter';

/** The top-level Dry Run switch every write has (on by default: a new node changes nothing). */
export const DRY_RUN_PARAMETER = 'dryRun';

/**
 * The parameters every write action shares: which user (per item), the Dry Run switch and the
 * safety options. `extra` goes between the switch and the options, for what one action adds
 * (feature licenses to remove).
 */
export function writeProperties(
	operation: string,
	verb: string,
	extra: INodeProperties[] = [],
): INodeProperties[] {
	const show = { show: { resource: ['user'], operation: [operation] } };
	return [
		userLocatorProperty(
			operation,
			`The user to ${verb}: picked from the list, or an ID (15 or 18 characters) or a username. The default takes the ID from the input item, so Get Users can feed this node directly.`,
		),
		{
			displayName: 'Dry Run',
			name: DRY_RUN_PARAMETER,
			type: 'boolean',
			default: true,
			description:
				'Whether to only report what would change. On: reports what would change and changes nothing. Turn off to act. An expression must give true or false: text such as "true" or an empty value is refused.',
			displayOptions: show,
		},
		...extra.map((property) => ({ ...property, displayOptions: show })),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show,
			options: [
				{
					displayName: 'Allow Admins',
					name: 'allowAdmins',
					type: 'boolean',
					default: false,
					description: `Whether to ${verb} System Administrators too (users whose profile is "System Administrator" or has "Modify All Data"). Off: they are skipped.`,
				},
				{
					displayName: 'Dry Run (Override)',
					name: 'dryRun',
					type: 'boolean',
					default: true,
					description:
						'Whether to only report what would change. When added, this decides instead of the Dry Run switch above (workflows built before the switch keep theirs here). An expression must give true or false: text such as "true" (n8n Variables are text) or an empty value is refused.',
				},
				{
					displayName: 'Max Users',
					name: 'maxUsers',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_MAX_USERS,
					description:
						'The most users this node may change in one execution of the workflow, counted over all its runs: loop batches (Loop Over Items) and AI-agent tool calls, parallel ones too. A run that would take the count past it fails before changing anyone. A dry run is checked the same way but does not use up the count.',
				},
				{
					displayName: 'Protected Usernames',
					name: 'protectedUsernames',
					type: 'string',
					default: '',
					placeholder: 'ceo@acme.com, integration@acme.com',
					description:
						'Comma-separated usernames (name@domain, any case) or user IDs (18 characters; 15-character IDs are case-sensitive) that this node never changes; they come back as skipped. An entry that is neither, or that names no user of the org (a production username in a sandbox, a typo), stops the run before any write.',
				},
			],
		},
	];
}
