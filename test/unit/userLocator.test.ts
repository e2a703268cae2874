import {
	buildUserSearchQuery,
	isQueryLocatorPath,
	parseUserLocator,
	userSearchResult,
} from '../../nodes/SalesforceAdmin/salesforce/userLocator';
import { withDryRunSwitch } from '../../nodes/SalesforceAdmin/salesforce/safetyOptions';

describe('the User resource locator', () => {
	it.each([
		['a plain 18-char ID', '00530000003xqAbAAI', { kind: 'id', id: '00530000003xqAbAAI' }],
		['a plain 15-char ID', '00530000003xqAb', { kind: 'id', id: '00530000003xqAbAAI' }],
		['a plain username', ' jane@acme.com ', { kind: 'username', username: 'jane@acme.com' }],
		[
			'From List',
			{ __rl: true, mode: 'list', value: '00530000003xqAbAAI' },
			{ kind: 'id', id: '00530000003xqAbAAI' },
		],
		[
			'By ID',
			{ __rl: true, mode: 'id', value: '00530000003xqAb' },
			{ kind: 'id', id: '00530000003xqAbAAI' },
		],
		[
			'By Username',
			{ __rl: true, mode: 'username', value: 'jane@acme.com' },
			{ kind: 'username', username: 'jane@acme.com' },
		],
	])('%s', (_name, raw, expected) => {
		expect(parseUserLocator(raw)).toEqual(expected);
	});

	it('refuses what names no user: empty, a bad checksum, another object, no value', () => {
		expect(parseUserLocator({ __rl: true, mode: 'list', value: '' })).toMatchObject({
			kind: 'invalid',
			reason: expect.stringContaining('is empty'),
		});
		expect(parseUserLocator({ __rl: true, mode: 'id', value: '00530000003xqAbAAA' })).toMatchObject(
			{ kind: 'invalid', reason: expect.stringContaining('checksum') },
		);
		expect(parseUserLocator('001A0000006Vm9rIAC')).toMatchObject({
			kind: 'invalid',
			reason: expect.stringContaining('start with 005'),
		});
		expect(parseUserLocator(undefined)).toMatchObject({ kind: 'invalid' });
	});
});

describe('the list search', () => {
	it('no text: every user by name', () => {
		expect(buildUserSearchQuery(undefined)).toBe(
			'SELECT Id, Name, Username, IsActive FROM User ORDER BY Name, Id',
		);
		expect(buildUserSearchQuery('  ')).toBe(
			'SELECT Id, Name, Username, IsActive FROM User ORDER BY Name, Id',
		);
	});

	it('text in name or username, escaped: quotes, backslashes and LIKE wildcards are literal', () => {
		expect(buildUserSearchQuery("o'b%_\\")).toBe(
			"SELECT Id, Name, Username, IsActive FROM User WHERE Name LIKE '%o\\'b\\%\\_\\\\%' OR Username LIKE '%o\\'b\\%\\_\\\\%' ORDER BY Name, Id",
		);
	});

	it('entries: name and username, inactive marked', () => {
		expect(
			userSearchResult({ Id: '005x', Name: 'Jane Doe', Username: 'jane@acme.com', IsActive: true }),
		).toEqual({ name: 'Jane Doe (jane@acme.com)', value: '005x' });
		expect(
			userSearchResult({ Id: '005y', Name: 'Old Hand', Username: 'old@acme.com', IsActive: false }),
		).toEqual({ name: 'Old Hand (old@acme.com) · inactive', value: '005y' });
	});

	it('follows only Salesforce query locators', () => {
		expect(isQueryLocatorPath('/services/data/v62.0/query/01gD0000002HU6KIAW-2000')).toBe(true);
		expect(isQueryLocatorPath('/services/data/v62.0/sobjects/User')).toBe(false);
		expect(isQueryLocatorPath('https://evil.example.com/services/data/v62.0/query/01g-2000')).toBe(
			false,
		);
		expect(isQueryLocatorPath('/services/data/v62.0/query/01g-2000/../../sobjects')).toBe(false);
	});
});

describe('the Dry Run switch beside the Options', () => {
	const parsed = { options: {}, problems: [] };

	it('the switch decides when the Options hold no Dry Run (Override)', () => {
		expect(withDryRunSwitch(parsed, {}, () => true).options.dryRun).toBe(true);
		expect(withDryRunSwitch(parsed, {}, () => false).options.dryRun).toBe(false);
	});

	it('an override present decides; the switch is not even read', () => {
		const readSwitch = jest.fn(() => false);
		expect(
			withDryRunSwitch({ options: { dryRun: true }, problems: [] }, { dryRun: true }, readSwitch),
		).toEqual({ options: { dryRun: true }, problems: [] });
		expect(readSwitch).not.toHaveBeenCalled();
	});

	it.each([['true'], [null], [undefined], [1]])('the switch giving %p is refused', (value) => {
		const out = withDryRunSwitch(parsed, {}, () => value);
		expect(out.options.dryRun).toBeUndefined();
		expect(out.problems).toEqual([
			{
				option: 'dryRun',
				field: 'Dry Run',
				reason: expect.stringMatching(/^must be true or false \(a boolean\)/),
			},
		]);
	});

	it('a switch that cannot be read is refused', () => {
		const out = withDryRunSwitch(parsed, {}, () => {
			throw new Error('bad expression');
		});
		expect(out.problems).toEqual([
			{ option: 'dryRun', field: 'Dry Run', reason: 'could not be read: bad expression' },
		]);
	});
});
