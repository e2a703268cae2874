import { DateTime } from 'luxon';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { User } from '../../salesforce/records';
import { to18CharId } from '../../salesforce/ids';
import type { UserFilters } from '../../salesforce/userFilters';
import { buildUsersQuery } from '../../salesforce/userQuery';
import { mapUser } from '../../salesforce/userMapping';
import { parseUserFilters, USER_FILTER_LABELS } from '../../salesforce/userFilters';
import { namesInQuery, unknownNames } from '../../salesforce/nameList';
import type { SalesforceSession } from '../../transport';
import { openLargeQuery } from '../../reads/largeQuery';
import { readKnownNames } from '../../reads/orgNames';
import { filtersCollection, returnAllAndLimit } from '../shared/descriptions';
import type { ParsedItem, ReadOperation } from '../shared/readRunner';
import { addNotice, withNotices } from '../shared/notices';
import { executeRead, toItems } from '../shared/readRunner';
import { InputError } from '../../salesforce/input';
import { readFilters, readLimit } from '../shared/parameters';
import { FROZEN_STATE_UNKNOWN_NOTICE, FrozenStateReader } from '../../reads/lookUpUsers';
import type { HeldNamesReader } from '../../reads/heldNames';
import {
	knownPackageLicensesQuery,
	knownPermissionSetLicensesQuery,
} from '../../salesforce/userEntitlements';
import {
	heldNamesReader,
	noteUnreadableHoldings,
	readIncludeAccess,
	userReadOptions,
} from '../shared/includeAccess';
import { readableUserFeatureFields } from '../../reads/featureFields';

const show = { resource: ['user'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit('user', 'getMany', 'users'),
	filtersCollection(show, [
		{
			displayName: 'Include External Users',
			name: 'includeExternal',
			type: 'boolean',
			default: false,
			description:
				'Whether to include community, portal, Chatter and guest users (user types PowerPartner, PowerCustomerSuccess, CustomerSuccess, CspLitePortal, CsnOnly, Guest, SelfService, or an external license such as Customer Community)',
		},
		{
			displayName: 'License Names or IDs',
			name: 'licenseNames',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getUserLicenses' },
			default: [],
			description:
				'Only users whose profile has one of these user licenses. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Not Logged In For (Days)',
			name: 'notLoggedInForDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 90,
			description:
				'Only users whose last login is more than this many days ago. A user who never logged in counts from the day the account was created, so new hires are never included.',
		},
		{
			displayName: 'Package License Names or IDs',
			name: 'packageLicenses',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getPackageLicenses' },
			default: [],
			description:
				'Only users holding a seat of any of these managed packages (namespace prefixes, such as SBQQ). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Permission Set License Names or IDs',
			name: 'permissionSetLicenses',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getPermissionSetLicenses' },
			default: [],
			description:
				'Only users holding any of these permission set licenses (labels or API names). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Profile Names or IDs',
			name: 'profileNames',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getProfiles' },
			default: [],
			description:
				'Only users with one of these profiles. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Inactive', value: 'inactive' },
				{ name: 'All', value: 'all' },
			],
			default: 'active',
			description: 'Whether to return active users, inactive (deactivated) users, or both',
		},
		{
			displayName: 'Usernames',
			name: 'usernames',
			type: 'string',
			default: '',
			placeholder: 'jane@acme.com, joe@acme.com',
			description: 'Only these users (comma-separated usernames)',
		},
	]),
	userReadOptions(show),
];

interface Params {
	filters: UserFilters;
	limit: number | undefined;
	includeAccess: boolean;
}

interface Shared {
	now: DateTime;
	featureFields: string[];
	frozen: FrozenStateReader;
	frozenNoticeShown?: boolean;
	/** One reader per Include Access setting: a refused object is learned once per run. */
	holdings: Map<boolean, HeldNamesReader>;
	holdingsNoticeShown?: boolean;
}

const getUsers: ReadOperation<Params, Shared> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const limit = readLimit(this, itemIndex);
		const parsed = parseUserFilters(readFilters(this, itemIndex));
		if (!parsed.ok) throw new InputError(parsed.field, parsed.reason);
		return { filters: parsed.value, limit, includeAccess: readIncludeAccess(this, itemIndex) };
	},

	async prepare(
		this: IExecuteFunctions,
		session: SalesforceSession,
		parsed: Array<ParsedItem<Params>>,
	) {
		const itemErrors = await findUnknownNames(session, parsed);
		const featureFields = withNotices(this, await readableUserFeatureFields(session));
		const shared: Shared = {
			now: DateTime.utc(),
			featureFields,
			frozen: new FrozenStateReader(session),
			holdings: new Map([false, true].map((access) => [access, heldNamesReader(session, access)])),
		};
		return { shared, itemErrors };
	},

	async run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: Params,
		_itemIndex: number,
		shared: Shared,
	) {
		const soql = buildUsersQuery(params.filters, shared.featureFields, {
			now: shared.now,
			limit: params.limit,
		});
		const users = [];
		const holdings = shared.holdings.get(params.includeAccess) as HeldNamesReader;
		const opened = await openLargeQuery<User>(session, soql, { limit: params.limit });
		const expected = Math.min(opened.totalSize, params.limit ?? Infinity);
		holdings.expectUsers(expected);
		shared.frozen.expectUsers(expected);
		for await (const page of opened.pages) {
			const ids = page.map((u) => to18CharId(u.Id) ?? u.Id);
			const [frozen, held] = await Promise.all([
				shared.frozen.frozenIds(page.map((u) => u.Id)),
				holdings.read(ids),
			]);
			for (const [index, record] of page.entries()) {
				const user = mapUser(record, {
					isFrozen: false,
					featureFields: shared.featureFields,
					now: shared.now,
					entitlements: held.fieldsOf(ids[index], holdings.reads),
				});
				user.isFrozen = frozen ? frozen.has(user.id as string) : null;
				users.push(user);
			}
		}
		if (shared.frozen.unreadable && !shared.frozenNoticeShown) {
			shared.frozenNoticeShown = true;
			addNotice(this, FROZEN_STATE_UNKNOWN_NOTICE);
		}
		if (!shared.holdingsNoticeShown && holdings.unreadableObjects.length) {
			shared.holdingsNoticeShown = true;
			noteUnreadableHoldings(this, [holdings]);
		}
		return toItems(users);
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getUsers);
}

/**
 * License, profile, package license and permission set license names typed via expressions can
 * only be checked against the org: one query per kind for all items together, before any user is
 * read. An unknown name fails its item (it would otherwise silently match nobody).
 */
async function findUnknownNames(
	session: SalesforceSession,
	parsed: Array<ParsedItem<Params>>,
): Promise<Map<number, Error>> {
	const errors = new Map<number, Error>();
	const checks = [
		{
			key: 'licenseNames',
			noun: 'user license',
			soql: (asked: string[]) => namesInQuery('UserLicense', asked),
		},
		{
			key: 'profileNames',
			noun: 'profile',
			soql: (asked: string[]) => namesInQuery('Profile', asked),
		},
		{ key: 'packageLicenses', noun: 'package license', soql: knownPackageLicensesQuery },
		{
			key: 'permissionSetLicenses',
			noun: 'permission set license',
			soql: knownPermissionSetLicensesQuery,
		},
	] as const;
	for (const { key, noun, soql } of checks) {
		const asked = [...new Set(parsed.flatMap((p) => p.params.filters[key] ?? []))];
		if (asked.length === 0) continue;
		const known = await readKnownNames(session, soql(asked));
		for (const { itemIndex, params } of parsed) {
			if (errors.has(itemIndex)) continue;
			const unknown = unknownNames(params.filters[key] ?? [], known);
			if (unknown.length) {
				errors.set(
					itemIndex,
					new InputError(
						USER_FILTER_LABELS[key],
						`the org has no ${noun} named ${unknown.map((n) => `"${n}"`).join(', ')}; pick names from the list (they are loaded from the org)`,
					),
				);
			}
		}
	}
	return errors;
}
