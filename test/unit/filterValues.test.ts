import { DateTime } from 'luxon';

import type { ValueKind } from '../../nodes/SalesforceAdmin/salesforce/filterValues';
import {
	booleanValue,
	dateValue,
	filterValue,
	nameListValue,
	oneOfValue,
	parameterValue,
	textValue,
	wholeNumberValue,
} from '../../nodes/SalesforceAdmin/salesforce/filterValues';
import { logFilesTooLargeForRows } from '../../nodes/SalesforceAdmin/salesforce/eventLogs';
import { licenseTypesValue } from '../../nodes/SalesforceAdmin/salesforce/licenses';
import { parseUserFilters } from '../../nodes/SalesforceAdmin/salesforce/userFilters';

describe('filterValue: a present filter needs a usable value of its own type', () => {
	it('an absent filter is no filter; a present empty one is refused, whatever its kind', () => {
		for (const kind of [
			booleanValue as ValueKind<unknown>,
			wholeNumberValue(0),
			nameListValue,
			textValue,
			dateValue('UTC'),
		]) {
			expect(filterValue({}, 'f', kind)).toEqual({ ok: true, value: undefined });
			for (const empty of [undefined, null, '', '   ']) {
				expect(filterValue({ f: empty }, 'f', kind)).toEqual({
					ok: false,
					reason: expect.stringMatching(/^has no value: got .*remove the filter/),
				});
			}
		}
		expect(parameterValue(undefined, wholeNumberValue(1))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^has no value: got undefined/),
		});
	});

	it('booleans only true or false', () => {
		expect(booleanValue.parse(false)).toEqual({ ok: true, value: false });
		for (const other of ['true', 1, 0, [], {}]) expect(booleanValue.parse(other).ok).toBe(false);
	});

	it('whole numbers: numbers and digit-only text, nothing else', () => {
		const days = wholeNumberValue(0);
		expect(days.parse(0)).toEqual({ ok: true, value: 0 });
		expect(days.parse(' 30 ')).toEqual({ ok: true, value: 30 });
		for (const other of [
			-1,
			3.5,
			NaN,
			Infinity,
			'3.5',
			'30 days',
			'1e3',
			'-1',
			'0x1e',
			true,
			[30],
			{},
		])
			expect(days.parse(other)).toMatchObject({
				ok: false,
				reason: expect.stringMatching(/whole number of 0 or more/),
			});
		expect(wholeNumberValue(1).parse(0).ok).toBe(false);
	});

	it('options exactly, lists not empty, text only text, dates only dates', () => {
		const status = oneOfValue(['active', 'all'] as const);
		expect(status.parse('all')).toEqual({ ok: true, value: 'all' });
		expect(status.parse('ALL').ok).toBe(false);
		expect(status.parse(1).ok).toBe(false);
		expect(nameListValue.parse(['A', 'A', ' B '])).toEqual({ ok: true, value: ['A', 'B'] });
		expect(nameListValue.parse([]).ok).toBe(false);
		expect(nameListValue.parse(' , ').ok).toBe(false);
		expect(nameListValue.parse(true).ok).toBe(false);
		expect(textValue.parse(5).ok).toBe(false);
		expect(dateValue('UTC').parse('2024-05-31')).toEqual({
			ok: true,
			value: DateTime.fromISO('2024-05-31T00:00:00Z', { zone: 'utc' }),
		});
		expect(dateValue('UTC').parse(true).ok).toBe(false);
	});

	it('Get users and Get licenses use it for every filter', () => {
		expect(parseUserFilters({ notLoggedInForDays: undefined })).toMatchObject({
			ok: false,
			field: 'Filters > Not Logged In For (Days)',
		});
		expect(parseUserFilters({ status: null })).toMatchObject({
			ok: false,
			field: 'Filters > Status',
		});
		expect(parseUserFilters({ includeExternal: 'true' })).toMatchObject({
			ok: false,
			field: 'Filters > Include External Users',
		});
		expect(parseUserFilters({ notLoggedInForDays: '90' })).toMatchObject({
			ok: true,
			value: { notLoggedInForDays: 90, status: 'active', includeExternal: false },
		});
		expect(licenseTypesValue.parse([])).toMatchObject({ ok: false });
		expect(licenseTypesValue.parse('feature, user')).toEqual({
			ok: true,
			value: ['feature', 'user'],
		});
		expect(licenseTypesValue.parse(['seats'])).toMatchObject({ ok: false });
	});
});

describe('Get events: files whose size alone proves more rows than Max Rows', () => {
	it('sums LogFileLength and compares with Max Rows × 16 KB', () => {
		const files = [
			{ LogFileLength: 10 * 1024 },
			{ LogFileLength: 7 * 1024 },
			{ LogFileLength: null },
		];
		expect(logFilesTooLargeForRows(files, 1)).toEqual({ bytes: 17 * 1024, tooLarge: true });
		expect(logFilesTooLargeForRows(files, 2)).toEqual({ bytes: 17 * 1024, tooLarge: false });
	});
});
