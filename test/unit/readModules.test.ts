import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { DateTime } from 'luxon';

import {
	daysSince,
	parseDateInput,
	parseDateRange,
	toIsoUtc,
} from '../../nodes/SalesforceAdmin/salesforce/dates';
import {
	buildEventLogFilesQuery,
	logFileName,
	mapEventLogFile,
} from '../../nodes/SalesforceAdmin/salesforce/eventLogs';
import { isExternalLicenseName } from '../../nodes/SalesforceAdmin/salesforce/externalUsers';
import {
	featureCountsFromGroups,
	featureUsageQuery,
	keepLicense,
	mapFeatureLicense,
	mapUserLicense,
	parseLicenseTypes,
} from '../../nodes/SalesforceAdmin/salesforce/licenses';
import {
	buildLoginHistoryQuery,
	parseUserIdList,
	retentionNotice,
} from '../../nodes/SalesforceAdmin/salesforce/loginHistory';
import { buildUsersQuery } from '../../nodes/SalesforceAdmin/salesforce/userQuery';
import { mapUser } from '../../nodes/SalesforceAdmin/salesforce/userMapping';
import {
	missingStandardFeatureFields,
	readableFeatureFields,
} from '../../nodes/SalesforceAdmin/salesforce/featureLicenses';
import { parseNameList, unknownNames } from '../../nodes/SalesforceAdmin/salesforce/nameList';
import { parseUserFilters } from '../../nodes/SalesforceAdmin/salesforce/userFilters';

const NOW = DateTime.fromISO('2024-06-15T12:00:00Z', { zone: 'utc' });

describe('dates', () => {
	it('accepts ISO strings, luxon DateTimes, JS Dates and epoch millis', () => {
		const expected = '2024-05-31T08:00:00.000Z';
		expect(parseDateInput('2024-05-31T08:00:00Z')).toEqual({
			ok: true,
			value: DateTime.fromISO(expected, { zone: 'utc' }),
		});
		for (const raw of [
			DateTime.fromISO('2024-05-31T10:00:00+02:00', { setZone: true }),
			new Date(expected),
			Date.parse(expected),
		]) {
			const parsed = parseDateInput(raw);
			expect(parsed.ok && parsed.value?.toISO()).toBe(expected);
		}
	});

	it('reads an offset-less string in the workflow time zone', () => {
		const parsed = parseDateInput('2024-05-31T08:00:00', 'Europe/Berlin');
		expect(parsed.ok && parsed.value?.toISO()).toBe('2024-05-31T06:00:00.000Z');
	});

	it('refuses what does not parse and treats empty as not set', () => {
		expect(parseDateInput('yesterday-ish').ok).toBe(false);
		expect(parseDateInput({})).toMatchObject({ ok: false });
		expect(parseDateInput('')).toEqual({ ok: true, value: undefined });
	});

	it('defaults the range and refuses since after until', () => {
		const range = parseDateRange({}, { now: NOW, defaultDays: 30 });
		expect(range.ok && range.range.since.toISO()).toBe('2024-05-16T12:00:00.000Z');
		expect(
			parseDateRange({ since: '2024-06-02', until: '2024-06-01' }, { now: NOW, defaultDays: 30 }),
		).toMatchObject({
			ok: false,
			field: 'since',
		});
		expect(parseDateRange({ until: 'nope' }, { now: NOW, defaultDays: 30 })).toMatchObject({
			ok: false,
			field: 'until',
		});
	});

	it('normalizes Salesforce datetimes and counts whole days', () => {
		expect(toIsoUtc('2024-06-01T10:00:00.000+0000')).toBe('2024-06-01T10:00:00.000Z');
		expect(toIsoUtc(null)).toBeNull();
		expect(daysSince('2024-06-14T12:00:01.000+0000', NOW)).toBe(0);
		expect(daysSince('2024-06-01T12:00:00.000+0000', NOW)).toBe(14);
		expect(daysSince(null, NOW)).toBeNull();
	});
});

describe('Get users: filters and query', () => {
	it('refuses an empty name list, bad usernames and bad day counts, naming the field', () => {
		expect(parseNameList([])).toMatchObject({ ok: false });
		expect(parseNameList(' , ')).toMatchObject({ ok: false });
		expect(parseNameList('A, B ,A')).toEqual({ ok: true, value: ['A', 'B'] });
		expect(parseUserFilters({ licenseNames: [] })).toMatchObject({
			ok: false,
			field: 'Filters > License Names or IDs',
		});
		expect(parseUserFilters({ usernames: 'jane' })).toMatchObject({
			ok: false,
			field: 'Filters > Usernames',
		});
		expect(parseUserFilters({ notLoggedInForDays: -1 })).toMatchObject({
			ok: false,
			field: 'Filters > Not Logged In For (Days)',
		});
		expect(parseUserFilters({ status: 'gone' })).toMatchObject({
			ok: false,
			field: 'Filters > Status',
		});
	});

	it('builds one valid SOQL query with every filter, escaping user values', () => {
		const parsed = parseUserFilters({
			status: 'inactive',
			licenseNames: ["Sales' OR Name != '"],
			profileNames: ['Std \\ User'],
			usernames: 'Jane@Acme.com',
			notLoggedInForDays: 90,
		});
		if (!parsed.ok) throw new Error(parsed.reason);
		const soql = buildUsersQuery(parsed.value, ['UserPermissionsSupportUser'], {
			now: NOW,
			limit: 10,
		});
		expect(() => parseQuery(soql)).not.toThrow();
		expect(soql).toContain("Profile.UserLicense.Name IN ('Sales\\' OR Name != \\'')");
		expect(soql).toContain("Profile.Name IN ('Std \\\\ User')");
		expect(soql).toContain("Username IN ('jane@acme.com')");
		expect(soql).toContain(
			'(LastLoginDate < 2024-03-17T12:00:00Z OR (LastLoginDate = null AND CreatedDate < 2024-03-17T12:00:00Z))',
		);
		expect(soql).toContain('IsActive = false');
		expect(soql).toContain('UserType NOT IN (');
		expect(soql).toMatch(/ORDER BY Username LIMIT 10$/);
	});

	it('leaves out the external filter when asked and the status filter for all', () => {
		const parsed = parseUserFilters({ status: 'all', includeExternal: true });
		if (!parsed.ok) throw new Error(parsed.reason);
		expect(buildUsersQuery(parsed.value, [], { now: NOW })).not.toContain('WHERE');
	});

	it('maps a user record to the design output', () => {
		const user = mapUser(
			{
				Id: '005000000000001',
				Username: 'a@b.c',
				Name: 'A B',
				Email: 'a@b.c',
				IsActive: true,
				UserType: 'Standard',
				Profile: { Name: 'Standard User', UserLicense: { Name: 'Salesforce' } },
				LastLoginDate: '2024-06-01T12:00:00.000+0000',
				CreatedDate: '2020-01-01T00:00:00.000+0000',
				UserPermissionsSupportUser: true,
				UserPermissionsMarketingUser: true,
			},
			{ isFrozen: true, featureFields: ['UserPermissionsSupportUser'], now: NOW },
		);
		expect(user).toEqual({
			id: '005000000000001AAA',
			username: 'a@b.c',
			name: 'A B',
			email: 'a@b.c',
			isActive: true,
			isFrozen: true,
			userType: 'Standard',
			profile: 'Standard User',
			license: 'Salesforce',
			featureLicenses: ['Service Cloud'],
			lastLoginDate: '2024-06-01T12:00:00.000Z',
			daysSinceLastLogin: 14,
			createdDate: '2020-01-01T00:00:00.000Z',
		});
	});

	it('knows which feature fields are readable and which standard ones are missing', () => {
		const readable = readableFeatureFields([
			'Id',
			'UserPermissionsSupportUser',
			'UserPermissionsMobileUser',
			'UserPermissionsOfflineUser',
		]);
		expect(readable).toEqual([
			'UserPermissionsSupportUser',
			'UserPermissionsMobileUser',
			'UserPermissionsOfflineUser',
		]);
		expect(missingStandardFeatureFields(readable)).toEqual([
			'UserPermissionsInteractionUser',
			'UserPermissionsLiveAgentUser',
			'UserPermissionsMarketingUser',
		]);
		expect(unknownNames(['salesforce', 'Nope'], ['Salesforce'])).toEqual(['Nope']);
	});
});

describe('Get licenses', () => {
	it('maps user licenses and computes available seats', () => {
		expect(
			mapUserLicense({
				Name: 'Salesforce',
				LicenseDefinitionKey: 'SFDC',
				Status: 'Active',
				TotalLicenses: 10,
				UsedLicenses: 7,
			}),
		).toEqual({
			type: 'user',
			name: 'Salesforce',
			key: 'SFDC',
			status: 'Active',
			total: 10,
			used: 7,
			available: 3,
		});
		expect(mapFeatureLicense('UserPermissionsSupportUser', 4)).toMatchObject({
			name: 'Service Cloud',
			total: null,
			used: 4,
			available: null,
		});
	});

	it('sums grouped flag counts per feature license with one valid aggregate query', () => {
		const fields = ['UserPermissionsSupportUser', 'UserPermissionsMarketingUser'];
		expect(() => parseQuery(featureUsageQuery(fields))).not.toThrow();
		const counts = featureCountsFromGroups(
			[
				{ UserPermissionsSupportUser: true, UserPermissionsMarketingUser: false, userCount: 3 },
				{ UserPermissionsSupportUser: true, UserPermissionsMarketingUser: true, userCount: 2 },
				{ UserPermissionsSupportUser: false, UserPermissionsMarketingUser: false, userCount: 9 },
			],
			fields,
		);
		expect(Object.fromEntries(counts)).toEqual({
			UserPermissionsSupportUser: 5,
			UserPermissionsMarketingUser: 2,
		});
	});

	it('filters types and external licenses', () => {
		expect(parseLicenseTypes(undefined)).toEqual({
			ok: true,
			value: ['user', 'permissionSet', 'package', 'feature'],
		});
		expect(parseLicenseTypes(['feature'])).toEqual({ ok: true, value: ['feature'] });
		expect(parseLicenseTypes(['seat'])).toMatchObject({ ok: false });
		expect(isExternalLicenseName('customer community plus')).toBe(true);
		expect(keepLicense(mapUserLicense({ Name: 'Guest User License' }), false)).toBe(false);
		expect(keepLicense(mapUserLicense({ Name: 'Guest User License' }), true)).toBe(true);
	});
});

describe('Get login history', () => {
	it('validates user IDs (checksum, key prefix) and refuses usernames', () => {
		expect(parseUserIdList('005000000000001, 005000000000001AAA')).toEqual({
			ok: true,
			value: ['005000000000001AAA'],
		});
		expect(parseUserIdList('005000000000001ZZZ')).toMatchObject({ ok: false });
		expect(parseUserIdList('001000000000001')).toMatchObject({ ok: false });
		expect(parseUserIdList('a@b.c')).toMatchObject({ ok: false });
		expect(parseUserIdList(' , ')).toMatchObject({ ok: false });
	});

	it('builds valid SOQL for each status and notes a since beyond retention', () => {
		const range = { since: NOW.minus({ days: 3 }), until: NOW };
		const statusCondition = {
			success: " AND (Status = 'Success')",
			failure: " AND (Status != 'Success')",
			all: '',
		};
		for (const status of ['success', 'failure', 'all'] as const) {
			const soql = buildLoginHistoryQuery({ range, status }, ['005000000000001AAA'], 5);
			expect(() => parseQuery(soql)).not.toThrow();
			expect(soql.slice(soql.indexOf(' WHERE '))).toBe(
				" WHERE (LoginTime >= 2024-06-12T12:00:00Z) AND (LoginTime <= 2024-06-15T12:00:00Z) AND (UserId IN ('005000000000001AAA'))" +
					`${statusCondition[status]} ORDER BY LoginTime DESC LIMIT 5`,
			);
		}
		expect(buildLoginHistoryQuery({ range, status: 'failure' }, undefined)).toContain(
			"Status != 'Success'",
		);
		expect(retentionNotice(NOW.minus({ months: 7 }), NOW)).toMatch(/6 months/);
		expect(retentionNotice(NOW.minus({ months: 5 }), NOW)).toBeUndefined();
	});
});

describe('Event log files', () => {
	it('builds valid SOQL with event types escaped and the interval', () => {
		const range = { since: NOW.minus({ days: 3 }), until: NOW };
		const soql = buildEventLogFilesQuery(
			{ range, eventTypes: ["API' OR Id != '"], interval: 'hourly' },
			10,
		);
		expect(() => parseQuery(soql)).not.toThrow();
		expect(soql).toContain("EventType IN ('API\\' OR Id != \\'')");
		expect(soql).toContain("Interval = 'Hourly'");
	});

	it('maps a file record and names its binary file', () => {
		const file = {
			Id: '0AT000000000001',
			EventType: 'API',
			LogDate: '2024-06-01T05:00:00.000+0000',
			Interval: 'Hourly',
			Sequence: 1,
			LogFileLength: 1234,
		};
		expect(mapEventLogFile(file)).toEqual({
			id: '0AT000000000001',
			eventType: 'API',
			logDate: '2024-06-01T05:00:00.000Z',
			interval: 'Hourly',
			sequence: 1,
			logFileLength: 1234,
		});
		expect(logFileName(file)).toBe('API-2024-06-01T05-0AT000000000001.csv');
	});
});

describe('usernames for login history and events', () => {
	const { cheaperToScanAllUsers, userNamesQuery, namesOf } = jest.requireActual(
		'../../nodes/SalesforceAdmin/salesforce/userNames',
	);
	it('scans all users only when their pages cost fewer calls than IN lists of 500', () => {
		// 600 named of 100,000: 2 IN queries beat 50 pages
		expect(cheaperToScanAllUsers(600, 100_000)).toBe(false);
		// 50,000 named of 50,000: 25 pages beat 100 IN queries
		expect(cheaperToScanAllUsers(50_000, 50_000)).toBe(true);
		// equal cost: IN lists (they read only what is needed)
		expect(cheaperToScanAllUsers(1000, 4000)).toBe(false);
	});
	it('quotes every ID in the IN list and gives nulls for unknown users', () => {
		expect(userNamesQuery(['005000000000001AAA', "x'y"])).toBe(
			"SELECT Id, Username, Name FROM User WHERE Id IN ('005000000000001AAA','x\\'y')",
		);
		expect(namesOf(new Map(), '005000000000001AAA')).toEqual({ username: null, name: null });
		expect(namesOf(undefined, null)).toEqual({ username: null, name: null });
	});
});
