import { DateTime } from 'luxon';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { oneOfValue } from '../../salesforce/filterValues';
import type { LoginHistoryFilters } from '../../salesforce/loginHistory';
import {
	buildLoginHistoryQuery,
	loginUserId,
	mapLogin,
	LOGIN_STATUS_FILTERS,
	retentionNotice,
	userIdListValue,
} from '../../salesforce/loginHistory';
import type { LoginHistory } from '../../salesforce/records';
import { chunk } from '../../salesforce/soql';
import { LOOKUP_BATCH_SIZE } from '../../salesforce/userLookup';
import type { SalesforceSession } from '../../transport';
import { largeQueryPages, openLargeQuery } from '../../reads/largeQuery';
import { filtersCollection, returnAllAndLimit, sinceUntilFilters } from '../shared/descriptions';
import type { ReadOperation } from '../shared/readRunner';
import { addNotice } from '../shared/notices';
import { executeRead, toItems } from '../shared/readRunner';
import { readDateRange, readFilter, readFilters, readLimit } from '../shared/parameters';
import { readUserNames, UserNameReader } from '../../reads/userNameReader';

const show = { resource: ['loginHistory'], operation: ['getMany'] };
const DEFAULT_DAYS = 30;

export const description: INodeProperties[] = [
	...returnAllAndLimit('loginHistory', 'getMany', 'logins'),
	filtersCollection(show, [
		...sinceUntilFilters(DEFAULT_DAYS, 'logins'),
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'All', value: 'all' },
				{ name: 'Success', value: 'success' },
				{
					name: 'Failure',
					value: 'failure',
					description: 'Any status other than Success (wrong password, locked out, ...)',
				},
			],
			default: 'all',
		},
		{
			displayName: 'User IDs',
			name: 'userIds',
			type: 'string',
			default: '',
			placeholder: '005..., 005...',
			description: 'Only logins of these users (comma-separated user IDs, 15 or 18 characters)',
		},
	]),
];

interface Params {
	filters: LoginHistoryFilters;
	limit: number | undefined;
}

const getLoginHistory: ReadOperation<Params, undefined> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const limit = readLimit(this, itemIndex);
		const raw = readFilters(this, itemIndex);
		const now = DateTime.utc();
		const range = readDateRange(this, raw, { now, defaultDays: DEFAULT_DAYS });
		const userIds = readFilter(raw, 'userIds', 'User IDs', userIdListValue);
		const status = readFilter(raw, 'status', 'Status', oneOfValue(LOGIN_STATUS_FILTERS)) ?? 'all';
		// Honoured as given, but the user learns why older logins are missing.
		const notice = retentionNotice(range.since, now);
		if (notice) addNotice(this, notice);
		return { filters: { range, userIds, status }, limit };
	},

	async run(this: IExecuteFunctions, session: SalesforceSession, params: Params) {
		// Many user IDs: one query per 500 (query length). Each returns its newest `limit`, so the
		// merged, re-sorted list cut at `limit` is the newest `limit` overall.
		const groups = params.filters.userIds
			? chunk(params.filters.userIds, LOOKUP_BATCH_SIZE)
			: [undefined];
		if (groups.length > 1) {
			const records: LoginHistory[] = [];
			for (const userIds of groups) {
				const soql = buildLoginHistoryQuery(params.filters, userIds, params.limit);
				for await (const page of largeQueryPages<LoginHistory>(session, soql, {
					limit: params.limit,
				})) {
					for (const record of page) records.push(record);
				}
			}
			records.sort((a, b) => String(b.LoginTime).localeCompare(String(a.LoginTime)));
			if (params.limit !== undefined) records.splice(params.limit);
			// Who each login belongs to, readable in an alert: one query per 500 distinct users.
			const names = await readUserNames(session, records.map(loginUserId));
			return toItems(records.map((record) => mapLogin(record, names)));
		}
		return toItems(await readLoginsNamed(session, groups[0], params));
	},
};

/**
 * One query's logins with their users' names, the names looked up while the logins are read
 * (reads/userNameReader.ts): the first REST page's users go to the name reader before a Bulk job
 * for the rest is even created, so both jobs run at once. Once the reader holds every user of
 * the org, each page is mapped as it arrives; the pages before that wait for the names.
 */
async function readLoginsNamed(
	session: SalesforceSession,
	userIds: string[] | undefined,
	params: Params,
): Promise<IDataObject[]> {
	const names = new UserNameReader(session);
	try {
		const soql = buildLoginHistoryQuery(params.filters, userIds, params.limit);
		const read = await openLargeQuery<LoginHistory>(session, soql, { limit: params.limit });
		if (read.api === 'bulk') names.add(read.firstPage.map(loginUserId));
		const logins: IDataObject[] = [];
		let waiting: LoginHistory[] = [];
		for await (const page of read.pages) {
			const allUsers = names.allUsers;
			if (allUsers) {
				// every user is named: the IDs need no more collecting
				for (const record of waiting) logins.push(mapLogin(record, allUsers));
				waiting = [];
				for (const record of page) logins.push(mapLogin(record, allUsers));
				continue;
			}
			names.add(page.map(loginUserId));
			for (const record of page) waiting.push(record);
		}
		if (waiting.length > 0) {
			// the IDs of every waiting login were added
			const named = await names.names();
			for (const record of waiting) logins.push(mapLogin(record, named));
		}
		return logins;
	} finally {
		names.close();
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getLoginHistory);
}
