import { DateTime } from 'luxon';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { UserReference } from '../../salesforce/ids';
import { to18CharId } from '../../salesforce/ids';
import type { User } from '../../salesforce/records';
import { findUser } from '../../salesforce/userLookup';
import { lookupUsers } from '../../reads/lookUpUsers';
import { mapUser } from '../../salesforce/userMapping';
import { userSelectFields } from '../../salesforce/userQuery';
import type { SalesforceSession } from '../../transport';
import type { ParsedItem, ReadOperation } from '../shared/readRunner';
import { addNotice, withNotices } from '../shared/notices';
import { executeRead } from '../shared/readRunner';
import { InputError } from '../../salesforce/input';
import { readUserLocator, userLocatorProperty } from '../shared/userParameter';
import { FROZEN_STATE_UNKNOWN_NOTICE, FrozenStateReader } from '../../reads/lookUpUsers';
import type { HeldNames } from '../../salesforce/userEntitlements';
import type { HeldNamesReader } from '../../reads/heldNames';
import {
	heldNamesReader,
	noteUnreadableHoldings,
	readIncludeAccess,
	userReadOptions,
} from '../shared/includeAccess';
import { readableUserFeatureFields } from '../../reads/featureFields';

export const description: INodeProperties[] = [
	userLocatorProperty(
		'get',
		'The user to get: picked from the list, or a user ID (15 or 18 characters) or a username. The default takes the ID from the input item.',
	),
	userReadOptions({ resource: ['user'], operation: ['get'] }),
];

interface Shared {
	now: DateTime;
	featureFields: string[];
	/** Every item's user, read with batched queries before the items are answered. */
	users: Map<number, User | undefined>;
	/** Undefined when the connected user cannot read frozen state. */
	frozen: Set<string> | undefined;
	/** What the users hold, read per Include Access setting (without, with). */
	holdings: Map<boolean, { reader: HeldNamesReader; names: HeldNames }>;
}

type Found = Extract<UserReference, { kind: 'id' | 'username' }>;
type Params = { ref: Found; includeAccess: boolean };

const getUser: ReadOperation<Params, Shared> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const { ref } = readUserLocator.call(this, itemIndex);
		if (ref.kind === 'invalid') throw new InputError('User', ref.reason);
		return { ref, includeAccess: readIncludeAccess(this, itemIndex) };
	},

	/**
	 * All items' users in one go: one query per 500 IDs or usernames, one for their frozen state,
	 * per kind of holding one per 500 users.
	 */
	async prepare(
		this: IExecuteFunctions,
		session: SalesforceSession,
		parsed: Array<ParsedItem<Params>>,
	) {
		const featureFields = withNotices(this, await readableUserFeatureFields(session));
		const lookup = await lookupUsers(
			session,
			parsed.map((p) => p.params.ref),
			userSelectFields(featureFields),
		);
		const users = new Map(parsed.map((p) => [p.itemIndex, findUser(lookup, p.params.ref)]));
		const found = [...users.values()].filter((u): u is User => !!u).map((u) => u.Id);
		const frozen = await new FrozenStateReader(session).frozenIds([...new Set(found)]);
		if (!frozen) addNotice(this, FROZEN_STATE_UNKNOWN_NOTICE);
		const holdings: Shared['holdings'] = new Map();
		for (const access of [false, true]) {
			const ids = parsed
				.filter((p) => p.params.includeAccess === access)
				.map((p) => users.get(p.itemIndex)?.Id)
				.filter((id): id is string => !!id)
				.map((id) => to18CharId(id) ?? id);
			if (ids.length === 0) continue;
			const reader = heldNamesReader(session, access);
			reader.expectUsers(ids.length);
			holdings.set(access, { reader, names: await reader.read(ids) });
		}
		noteUnreadableHoldings(
			this,
			[...holdings.values()].map((h) => h.reader),
		);
		return { shared: { now: DateTime.utc(), featureFields, users, frozen, holdings } };
	},

	async run(
		this: IExecuteFunctions,
		_session: SalesforceSession,
		{ ref, includeAccess }: Params,
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
		const held = shared.holdings.get(includeAccess);
		const id = to18CharId(record.Id) ?? record.Id;
		const user = mapUser(record, {
			isFrozen: false,
			featureFields: shared.featureFields,
			now: shared.now,
			entitlements: held?.names.fieldsOf(id, held.reader.reads),
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
