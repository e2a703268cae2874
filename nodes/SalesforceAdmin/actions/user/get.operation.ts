import { DateTime } from 'luxon';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import type { User } from '../../salesforce/records';
import { findUser } from '../../salesforce/userLookup';
import { lookupUsers } from '../../reads/userLookup';
import { mapUser } from '../../salesforce/userMapping';
import { userSelectFields } from '../../salesforce/userQuery';
import type { SalesforceSession } from '../../transport';
import type { ParsedItem, ReadOperation } from '../shared/readRunner';
import { addNotice } from '../shared/notices';
import { executeRead } from '../shared/readRunner';
import { InputError } from '../shared/inputError';
import { readUserLocator, userLocatorProperty } from '../shared/userLocator';
import { FROZEN_STATE_UNKNOWN_NOTICE, FrozenStateReader } from '../../reads/userLookup';
import { readableUserFeatureFields } from '../shared/userReads';

export const description: INodeProperties[] = [
	userLocatorProperty(
		'get',
		'The user to get: picked from the list, or a user ID (15 or 18 characters) or a username. The default takes the ID from the input item.',
	),
];

interface Shared {
	now: DateTime;
	featureFields: string[];
	/** Every item's user, read with batched queries before the items are answered. */
	users: Map<number, User | undefined>;
	/** Undefined when the connected user cannot read frozen state. */
	frozen: Set<string> | undefined;
}

type Found = Extract<UserReference, { kind: 'id' | 'username' }>;

const getUser: ReadOperation<Found, Shared> = {
	parse(this: IExecuteFunctions, itemIndex: number): Found {
		const { ref } = readUserLocator.call(this, itemIndex);
		if (ref.kind === 'invalid') throw new InputError('User', ref.reason);
		return ref;
	},

	/** All items' users in one go: one query per 500 IDs or usernames, one for their frozen state. */
	async prepare(
		this: IExecuteFunctions,
		session: SalesforceSession,
		parsed: Array<ParsedItem<Found>>,
	) {
		const featureFields = await readableUserFeatureFields(this, session);
		const lookup = await lookupUsers(
			session,
			parsed.map((p) => p.params),
			userSelectFields(featureFields),
		);
		const users = new Map(parsed.map((p) => [p.itemIndex, findUser(lookup, p.params)]));
		const found = [...users.values()].filter((u): u is User => !!u).map((u) => u.Id);
		const frozen = await new FrozenStateReader(session).frozenIds([...new Set(found)]);
		if (!frozen) addNotice(this, FROZEN_STATE_UNKNOWN_NOTICE);
		return { shared: { now: DateTime.utc(), featureFields, users, frozen } };
	},

	async run(
		this: IExecuteFunctions,
		_session: SalesforceSession,
		ref: Found,
		itemIndex: number,
		shared: Shared,
	) {
		const record = shared.users.get(itemIndex);
		if (!record) {
			const what = ref.kind === 'id' ? `with ID "${ref.id}"` : `with username "${ref.username}"`;
			throw new InputError(
				'User',
				`no user ${what} in this org (or the connected user cannot see it)`,
			);
		}
		const user = mapUser(record, {
			isFrozen: false,
			featureFields: shared.featureFields,
			now: shared.now,
		});
		user.isFrozen = shared.frozen ? shared.frozen.has(user.id as string) : null;
		return [{ json: user }];
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getUser);
}
