/**
 * Filters choose whom a later write hits, so they fail closed (issue 19): a filter present in the
 * node whose expression gives nothing (undefined, null, "") or another type fails the item
 * before any call, naming the item and the field; only an absent filter means "no filter". The
 * same for Return All / Limit, Get user's User and Get events' Max Rows.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeOrg } from '../fake-org';
import { read, startOrg } from './setup';

const DAY = 86_400_000;
let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({
		users: 120,
		loginHistory: 200,
		eventLogFiles: { days: 2, rowsPerFile: 10 },
	});
});
afterAll(async () => await org.stop());

/** The value each input item gives `{{ $json.v }}`: undefined is an item without the field. */
const EMPTY_VALUES: Array<[string, IDataObject]> = [
	['undefined (a field the item lacks)', {}],
	['null', { v: null }],
	['"" (empty text)', { v: '' }],
];

interface FilterCase {
	resource: string;
	operation: string;
	/** The filter's key in the Filters collection and its label in messages. */
	key: string;
	label: string;
	/** A value of another type than the filter's own. */
	wrongType: IDataObject[string];
	parameters?: INodeParameters;
}

const FILTERS: FilterCase[] = [
	{ resource: 'user', operation: 'getMany', key: 'status', label: 'Status', wrongType: 1 },
	{
		resource: 'user',
		operation: 'getMany',
		key: 'licenseNames',
		label: 'License Names or IDs',
		wrongType: true,
	},
	{
		resource: 'user',
		operation: 'getMany',
		key: 'profileNames',
		label: 'Profile Names or IDs',
		wrongType: { name: 'Standard User' },
	},
	{ resource: 'user', operation: 'getMany', key: 'usernames', label: 'Usernames', wrongType: 42 },
	{
		resource: 'user',
		operation: 'getMany',
		key: 'notLoggedInForDays',
		label: 'Not Logged In For (Days)',
		wrongType: true,
	},
	{
		resource: 'user',
		operation: 'getMany',
		key: 'includeExternal',
		label: 'Include External Users',
		wrongType: 'true',
	},
	{ resource: 'license', operation: 'getMany', key: 'types', label: 'Types', wrongType: 7 },
	{
		resource: 'license',
		operation: 'getMany',
		key: 'includeExternal',
		label: 'Include External Licenses',
		wrongType: 'false',
	},
	{ resource: 'loginHistory', operation: 'getMany', key: 'since', label: 'Since', wrongType: true },
	{
		resource: 'loginHistory',
		operation: 'getMany',
		key: 'until',
		label: 'Until',
		wrongType: 'last week',
	},
	{
		resource: 'loginHistory',
		operation: 'getMany',
		key: 'userIds',
		label: 'User IDs',
		wrongType: 5,
	},
	{ resource: 'loginHistory', operation: 'getMany', key: 'status', label: 'Status', wrongType: 0 },
	...['getMany', 'getEvents'].flatMap((operation): FilterCase[] => [
		{
			resource: 'eventLog',
			operation,
			key: 'eventTypes',
			label: 'Event Type Names or IDs',
			wrongType: false,
		},
		{ resource: 'eventLog', operation, key: 'since', label: 'Since', wrongType: false },
		{ resource: 'eventLog', operation, key: 'until', label: 'Until', wrongType: [] },
		{ resource: 'eventLog', operation, key: 'interval', label: 'Interval', wrongType: 24 },
	]),
];

const escape = (text: string) => text.replace(/[()]/g, '\\$&');

const cases = FILTERS.flatMap((filter) => [
	...EMPTY_VALUES.map(([what, item]) => ({ ...filter, what, item })),
	{
		...filter,
		what: `another type (${JSON.stringify(filter.wrongType)})`,
		item: { v: filter.wrongType },
	},
]);

describe('a filter present in the node must have a usable value of its own type', () => {
	it.each(cases)(
		'$resource/$operation: Filters > $label set to $what fails the item before any call',
		async ({ resource, operation, key, label, item }) => {
			const run = await read(
				org,
				resource,
				operation,
				{ returnAll: true, filters: { [key]: '={{ $json.v }}' } },
				{ input: [item] },
			);
			expect(run.error?.message).toMatch(new RegExp(`^Item 0, "Filters > ${escape(label)}": `));
			expect(run.json).toEqual([]);
			expect(org.calls.count()).toBe(0);
		},
	);

	it.each([
		['licenseNames', 'License Names or IDs', 'user', 'getMany'],
		['types', 'Types', 'license', 'getMany'],
		['eventTypes', 'Event Type Names or IDs', 'eventLog', 'getEvents'],
	])(
		'an empty list from an expression (%s = []) is refused, not read as "every one"',
		async (key, label, resource, operation) => {
			const run = await read(org, resource, operation, {
				returnAll: true,
				filters: { [key]: '={{ [] }}' },
			});
			expect(run.error?.message).toMatch(
				new RegExp(`^Item 0, "Filters > ${escape(label)}": .*remove the filter`),
			);
			expect(org.calls.count()).toBe(0);
		},
	);

	it('Continue On Fail: the item whose filter is empty fails, the other runs on its own filter only', async () => {
		const run = await read(
			org,
			'user',
			'getMany',
			{ returnAll: true, filters: { status: 'all', notLoggedInForDays: '={{ $json.idleDays }}' } },
			{ input: [{}, { idleDays: 60 }], continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0]).toEqual({
			json: {
				error: expect.stringMatching(
					/^Item 0, "Filters > Not Logged In For \(Days\)": has no value: got undefined/,
				),
			},
			pairedItem: { item: 0 },
		});
		// item 1: exactly the users idle for more than 60 days (or never logged in, created before)
		const cutoff = Date.now() - 60 * DAY;
		const idle = (date: string | null) =>
			date !== null && Date.parse(date.replace(/\+0000$/, 'Z')) < cutoff;
		const expected = org.store.users
			.filter((u) => u.UserType === 'Standard')
			.filter((u) => (u.LastLoginDate ? idle(u.LastLoginDate) : idle(u.CreatedDate)))
			.map((u) => u.Id)
			.sort();
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(org.store.users.length);
		const rest = run.items.slice(1);
		expect(rest.map((i) => String(i.json.id)).sort()).toEqual(expected);
		expect(rest.every((i) => (i.pairedItem as { item: number }).item === 1)).toBe(true);
		// the failed item read no one: every User query carries item 1's idle filter
		const userQueries = org.calls.soql().filter((q) => /\bFROM User\b/.test(q));
		expect(userQueries.length).toBeGreaterThan(0);
		expect(userQueries.every((q) => /LastLoginDate </.test(q))).toBe(true);
	});

	it('an absent filter still means "no filter", and numeric text counts as its number', async () => {
		const absent = await read(org, 'user', 'getMany', { returnAll: true, filters: {} });
		expect(absent.error).toBeUndefined();
		expect(absent.json.length).toBe(
			org.store.users.filter((u) => u.IsActive && u.UserType === 'Standard').length,
		);

		const asNumber = await read(org, 'user', 'getMany', {
			returnAll: true,
			filters: { notLoggedInForDays: 30 },
		});
		const asText = await read(
			org,
			'user',
			'getMany',
			{ returnAll: true, filters: { notLoggedInForDays: '={{ $json.days }}' } },
			{ input: [{ days: '30' }] },
		);
		expect(asText.error).toBeUndefined();
		expect(asNumber.json.length).toBeGreaterThan(0);
		expect(asText.json.map((u) => u.id)).toEqual(asNumber.json.map((u) => u.id));
	});
});

describe('the other parameters a read needs fail closed too', () => {
	it.each([
		...EMPTY_VALUES.map(
			([what, item]) =>
				[`Return All ${what}`, { returnAll: '={{ $json.v }}' }, item, 'Return All'] as const,
		),
		[
			'Return All as the text "true"',
			{ returnAll: '={{ $json.v }}' },
			{ v: 'true' },
			'Return All',
		] as const,
		...EMPTY_VALUES.map(
			([what, item]) =>
				[`Limit ${what}`, { returnAll: false, limit: '={{ $json.v }}' }, item, 'Limit'] as const,
		),
		['Limit as true', { returnAll: false, limit: '={{ $json.v }}' }, { v: true }, 'Limit'] as const,
		[
			'Limit as "ten"',
			{ returnAll: false, limit: '={{ $json.v }}' },
			{ v: 'ten' },
			'Limit',
		] as const,
	])('Get users with %s fails before any call', async (_what, parameters, item, field) => {
		const run = await read(org, 'user', 'getMany', parameters as INodeParameters, {
			input: [item as IDataObject],
		});
		expect(run.error?.message).toMatch(new RegExp(`^Item 0, "${field}": `));
		expect(org.calls.count()).toBe(0);
	});

	it.each([...EMPTY_VALUES, ['a number', { v: 5 }] as [string, IDataObject]])(
		'Get user with User %s fails before any call',
		async (_what, item) => {
			const run = await read(org, 'user', 'get', { userId: '={{ $json.v }}' }, { input: [item] });
			expect(run.error?.message).toMatch(/^Item 0, "User": /);
			expect(org.calls.count()).toBe(0);
		},
	);

	it.each([...EMPTY_VALUES, ['"many"', { v: 'many' }] as [string, IDataObject]])(
		'Get events with Max Rows %s fails before any call',
		async (_what, item) => {
			const run = await read(
				org,
				'eventLog',
				'getEvents',
				{ returnAll: true, maxRows: '={{ $json.v }}' },
				{ input: [item] },
			);
			expect(run.error?.message).toMatch(/^Item 0, "Max Rows": /);
			expect(org.calls.count()).toBe(0);
		},
	);
});
