/**
 * The SOQL of the reads in reads/ (issue 22: every query text built in salesforce/): the exact
 * text Salesforce gets, that it parses, and that every value from outside stays in its literal.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { DateTime } from 'luxon';

import { allNamesQuery, namesInQuery } from '../../nodes/SalesforceAdmin/salesforce/nameList';
import {
	PACKAGE_SEATS_QUERY,
	PERMISSION_SET_LICENSE_ASSIGNMENTS_QUERY,
	successfulLoginsQuery,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';
import {
	lastDeactivatedUsersQuery,
	newestUsersQuery,
} from '../../nodes/SalesforceAdmin/salesforce/userChanges';
import {
	frozenUsersQuery,
	userLoginsQuery,
	usersByIdsQuery,
	usersByUsernamesQuery,
} from '../../nodes/SalesforceAdmin/salesforce/userLookup';
import {
	CONNECTED_USER_PERMISSIONS_QUERY,
	connectedUserQuery,
} from '../../nodes/SalesforceAdmin/salesforce/userQuery';

const INJECTION = "x' OR Name != '";
const ESCAPED = "'x\\' OR Name != \\''";

/** Parses as SOQL: a query our text breaks would throw here. */
const parses = (soql: string) => {
	expect(() => parseQuery(soql)).not.toThrow();
	return soql;
};

describe('the frozen users: one query for Get users, the recommendations and the trigger', () => {
	it('reads who is frozen, since when and by whom', () => {
		expect(parses(frozenUsersQuery())).toBe(
			'SELECT UserId, LastModifiedDate, LastModifiedById FROM UserLogin WHERE IsFrozen = true',
		);
	});

	it('the newest first and a limit, for the trigger', () => {
		expect(parses(frozenUsersQuery({ newestFirst: true, limit: 5001 }))).toBe(
			'SELECT UserId, LastModifiedDate, LastModifiedById FROM UserLogin WHERE IsFrozen = true ORDER BY LastModifiedDate DESC LIMIT 5001',
		);
		expect(frozenUsersQuery({ limit: 5.7 })).toMatch(/ LIMIT 5$/);
	});
});

describe('users by ID or username, and their UserLogin rows', () => {
	it('selects the fields asked for once, for a group of IDs, each quoted', () => {
		expect(parses(usersByIdsQuery(['Id', 'Username', 'Id'], ['005A', INJECTION]))).toBe(
			`SELECT Id, Username FROM User WHERE Id IN ('005A',${ESCAPED})`,
		);
	});

	it('usernames stay inside their literals', () => {
		expect(parses(usersByUsernamesQuery(['Username'], ['a@b.c', INJECTION]))).toBe(
			`SELECT Username FROM User WHERE Username IN ('a@b.c',${ESCAPED})`,
		);
	});

	it('the UserLogin rows of a group of users', () => {
		expect(parses(userLoginsQuery(['005A', INJECTION]))).toBe(
			`SELECT Id, UserId, IsFrozen FROM UserLogin WHERE UserId IN ('005A',${ESCAPED})`,
		);
	});

	it('refuses an empty group (IN () is not SOQL)', () => {
		expect(() => usersByIdsQuery(['Id'], [])).toThrow();
		expect(() => userLoginsQuery([])).toThrow();
	});
});

describe('names the org has: dropdowns and Get users name checks', () => {
	it('every user license or profile name, sorted by Salesforce', () => {
		expect(parses(allNamesQuery('UserLicense'))).toBe('SELECT Name FROM UserLicense ORDER BY Name');
		expect(parses(allNamesQuery('Profile'))).toBe('SELECT Name FROM Profile ORDER BY Name');
	});

	it('the typed names, each quoted', () => {
		expect(parses(namesInQuery('Profile', ['Standard User', INJECTION]))).toBe(
			`SELECT Name FROM Profile WHERE Name IN ('Standard User',${ESCAPED})`,
		);
	});
});

describe('the connection test', () => {
	it('reads the connected user by its ID, quoted', () => {
		expect(parses(connectedUserQuery('005000000000001AAA'))).toBe(
			"SELECT Id, Username, Name, UserType, IsActive FROM User WHERE Id = '005000000000001AAA'",
		);
		expect(connectedUserQuery(INJECTION)).toBe(
			`SELECT Id, Username, Name, UserType, IsActive FROM User WHERE Id = ${ESCAPED}`,
		);
	});

	it('and the permissions usage data needs', () => {
		expect(parses(CONNECTED_USER_PERMISSIONS_QUERY)).toBe(
			'SELECT PermissionsApiEnabled, PermissionsViewEventLogFiles, PermissionsViewAllData FROM UserPermissionAccess',
		);
	});
});

describe('Fetch Test Event of the User change trigger', () => {
	it('the newest users and the last deactivated, with the fields the trigger compares', () => {
		expect(parses(newestUsersQuery(5))).toBe(
			'SELECT Id, IsActive, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById FROM User ORDER BY CreatedDate DESC LIMIT 5',
		);
		expect(parses(lastDeactivatedUsersQuery(5))).toBe(
			'SELECT Id, IsActive, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById FROM User WHERE IsActive = false ORDER BY LastModifiedDate DESC LIMIT 5',
		);
	});
});

describe('the reads of Get license recommendations', () => {
	it('every permission set license assignment and package seat', () => {
		expect(parses(PERMISSION_SET_LICENSE_ASSIGNMENTS_QUERY)).toBe(
			'SELECT AssigneeId, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign',
		);
		expect(parses(PACKAGE_SEATS_QUERY)).toBe(
			'SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense',
		);
	});

	it('the successful logins since a time, in UTC', () => {
		const since = DateTime.fromISO('2024-03-01T10:20:30.456+02:00', { setZone: true });
		expect(parses(successfulLoginsQuery(since))).toBe(
			"SELECT UserId, LoginTime, LoginType, ApiType FROM LoginHistory WHERE LoginTime >= 2024-03-01T08:20:30Z AND Status = 'Success'",
		);
	});
});
