/**
 * Get users' and Get user's Include Access option: its description, its value per item, the
 * reader of what users hold (reads/heldNames.ts) and the notice of what it could not read.
 */
import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { describeValue } from '../../salesforce/safetyOptions';
import { heldReads } from '../../salesforce/userEntitlements';
import { HeldNamesReader } from '../../reads/heldNames';
import type { SalesforceSession } from '../../transport';
import { InputError } from '../../salesforce/input';
import { addNotice } from './notices';

/** The Options collection of Get users and Get user. */
export function userReadOptions(show: NonNullable<IDisplayOptions['show']>): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Include Access',
				name: 'includeAccess',
				type: 'boolean',
				default: false,
				description:
					'Whether to add what each user can reach: permission sets and permission set groups (not the ones a profile owns), public groups and queues. Costs a few queries more per 2,000 users.',
			},
		],
	};
}

/** Include Access of one item: absent = off; present, only a boolean (an expression's text is refused). */
export function readIncludeAccess(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as unknown;
	if (typeof options !== 'object' || options === null || Array.isArray(options))
		throw new InputError(
			'Options',
			`must be a collection of options; got ${describeValue(options)}`,
		);
	if (!Object.prototype.hasOwnProperty.call(options, 'includeAccess')) return false;
	const value = (options as IDataObject).includeAccess;
	if (typeof value !== 'boolean')
		throw new InputError(
			'Options > Include Access',
			`must be true or false (a boolean); got ${describeValue(value)}`,
		);
	return value;
}

/** A reader of what users hold: package and permission set licenses, with access also the rest. */
export function heldNamesReader(
	session: SalesforceSession,
	includeAccess: boolean,
): HeldNamesReader {
	return new HeldNamesReader(session, heldReads(includeAccess));
}

/** Says which of what users hold could not be read (those fields are null on every item). */
export function noteUnreadableHoldings(
	ctx: IExecuteFunctions,
	readers: readonly HeldNamesReader[],
): void {
	const objects = [...new Set(readers.flatMap((r) => r.unreadableObjects))];
	if (objects.length === 0) return;
	addNotice(
		ctx,
		`Salesforce does not let the connected user read ${objects.join(', ')}: the fields they fill are null (unknown, not "none"). Everything else is complete.`,
	);
}
