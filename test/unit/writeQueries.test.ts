import { parseQuery } from '@jetstreamapp/soql-parser-js';

import {
	ADMIN_PERMISSION_SET_SOQL,
	adminPermissionSetsOf,
	userFieldsSoql,
} from '../../nodes/SalesforceAdmin/salesforce/writeQueries';

describe('the write reads SOQL', () => {
	it('reads the given User fields of the given users, ID first', () => {
		const soql = userFieldsSoql(
			['IsActive', 'UserPermissionsMarketingUser'],
			['005000000000001AAA', '005000000000002AAA'],
		);
		expect(soql).toBe(
			"SELECT Id, IsActive, UserPermissionsMarketingUser FROM User WHERE Id IN ('005000000000001AAA','005000000000002AAA')",
		);
		expect(() => parseQuery(soql)).not.toThrow();
	});

	it('keeps an ID that tries to break out inside its literal', () => {
		const soql = userFieldsSoql(['IsActive'], ["005' OR Id != '"]);
		expect(soql).toBe("SELECT Id, IsActive FROM User WHERE Id IN ('005\\' OR Id != \\'')");
		expect(parseQuery(soql).where?.left).toMatchObject({ field: 'Id', operator: 'IN' });
	});

	it('refuses a field that is not a plain API name, and an empty ID list', () => {
		expect(() => userFieldsSoql(['IsActive FROM User --'], ['005000000000001AAA'])).toThrow(
			'"IsActive FROM User --" is not a User field name',
		);
		expect(() =>
			userFieldsSoql(['Name, (SELECT Id FROM Cases)'], ['005000000000001AAA']),
		).toThrow();
		expect(() => userFieldsSoql(['IsActive'], [])).toThrow();
	});

	it('asks for permission sets (not profiles) that grant Modify All Data', () => {
		const parsed = parseQuery(ADMIN_PERMISSION_SET_SOQL);
		expect(parsed.sObject).toBe('PermissionSetAssignment');
		expect(ADMIN_PERMISSION_SET_SOQL).toContain('PermissionSet.PermissionsModifyAllData = true');
		expect(ADMIN_PERMISSION_SET_SOQL).toContain('PermissionSet.IsOwnedByProfile = false');
	});

	it('maps each assignee to the label of their first such permission set', () => {
		const admins = adminPermissionSetsOf([
			{ AssigneeId: '005A', PermissionSet: { Label: 'Super Admin' } },
			{ AssigneeId: '005A', PermissionSet: { Label: 'Second' } },
			{ AssigneeId: '005B', PermissionSet: null },
		]);
		expect([...admins]).toEqual([
			['005A', 'Super Admin'],
			['005B', 'unnamed'],
		]);
	});
});
