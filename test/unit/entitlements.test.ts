import {
	ALL_KEY,
	ENTITLEMENTS,
	choiceToWanted,
	holdingState,
	parseEntitlementChoice,
	selectHoldings,
	unknownNames,
} from '../../nodes/SalesforceAdmin/salesforce/entitlements';
import {
	blockedReason,
	blockerQuery,
	blockersByUser,
	blockingFields,
} from '../../nodes/SalesforceAdmin/salesforce/deactivationBlockers';
import {
	parseSteps,
	plannedCalls,
	stepsOf,
	stepKey,
} from '../../nodes/SalesforceAdmin/salesforce/offboard';

const U1 = '005000000000001AAA';
const U2 = '005000000000002AAA';

describe('entitlement choice', () => {
	it('a list: empty means all the user holds; names are trimmed and deduplicated case-insensitively', () => {
		expect(parseEntitlementChoice([])).toEqual({ ok: true, choice: { all: true } });
		expect(parseEntitlementChoice([' SBQQ', 'sbqq', 'dfsle'])).toEqual({
			ok: true,
			choice: { all: false, names: ['SBQQ', 'dfsle'] },
		});
		expect(parseEntitlementChoice('SBQQ, dfsle')).toEqual({
			ok: true,
			choice: { all: false, names: ['SBQQ', 'dfsle'] },
		});
	});

	it('fails closed: nothing, text with no name, or other types are refused, never "all"', () => {
		for (const raw of [undefined, null, '', ' , ', 5, {}, [5]])
			expect(parseEntitlementChoice(raw).ok).toBe(false);
	});

	it('wanted keys, state and selection line up', () => {
		const holdings = [
			{ recordId: 'a', userId: U1, name: 'SBQQ', keys: ['sbqq'] },
			{ recordId: 'b', userId: U1, name: 'dfsle', keys: ['dfsle'] },
		];
		const wanted = choiceToWanted({ all: false, names: ['SBQQ', 'et4ae5'] });
		expect(wanted).toEqual({ 'pick:sbqq': false, 'pick:et4ae5': false });
		const state = holdingState(holdings, Object.keys(wanted));
		expect(state).toMatchObject({ 'pick:sbqq': true, 'pick:et4ae5': false });
		expect(selectHoldings(holdings, ['pick:sbqq']).map((h) => h.recordId)).toEqual(['a']);
		expect(selectHoldings(holdings, [ALL_KEY]).map((h) => h.recordId)).toEqual(['a', 'b']);
		expect(holdingState([], [ALL_KEY])[ALL_KEY]).toBe(false);
		expect(unknownNames(['SBQQ', 'nope'], new Set(['sbqq']))).toEqual(['nope']);
	});

	it('reads escape the user IDs and never read profile-owned permission sets', () => {
		const soql = ENTITLEMENTS.permissionSets.soql([U1, "x' OR Id != '"]);
		expect(soql).toContain("IN ('005000000000001AAA','x\\' OR Id != \\'')");
		expect(soql).toContain('PermissionSet.IsOwnedByProfile = false');
		expect(
			ENTITLEMENTS.permissionSets.toHolding({
				Id: '0Pa1',
				AssigneeId: U1,
				PermissionSetGroupId: '0PG1',
				PermissionSetGroup: { DeveloperName: 'Sales_Operations', MasterLabel: 'Sales Operations' },
				PermissionSet: { Name: 'X0PG', Label: 'Sales Operations', IsOwnedByProfile: false },
			}),
		).toEqual({
			recordId: '0Pa1',
			userId: U1,
			name: 'Sales Operations',
			keys: ['sales_operations', 'sales operations'],
		});
		expect(ENTITLEMENTS.groups.soql([U1])).toContain("Group.Type IN ('Regular', 'Queue')");
	});
});

describe('deactivation pre-flight', () => {
	const fields = blockingFields([
		{ name: 'ManagerId', type: 'reference', referenceTo: ['User'], custom: false },
		{
			name: 'DelegatedApproverId',
			type: 'reference',
			referenceTo: ['User', 'Group'],
			custom: false,
		},
		{
			name: 'Approver__c',
			label: 'Approver',
			type: 'reference',
			referenceTo: ['User'],
			custom: true,
		},
		{ name: 'Account__c', type: 'reference', referenceTo: ['Account'], custom: true },
	]);

	it('custom User references (hierarchy fields) and the delegated approver block; the manager does not', () => {
		expect(fields.map((f) => [f.name, f.kind])).toEqual([
			['DelegatedApproverId', 'delegatedApprover'],
			['Approver__c', 'hierarchy'],
		]);
		expect(blockerQuery(fields, [U1])).toBe(
			`SELECT Id, Username, DelegatedApproverId, Approver__c FROM User WHERE IsActive = true AND (DelegatedApproverId IN ('${U1}') OR Approver__c IN ('${U1}'))`,
		);
	});

	it('names each blocker and the way out', () => {
		const found = blockersByUser(
			[
				{ Id: '005R1', Username: 'ref@x.com', Approver__c: U1, DelegatedApproverId: U2 },
				{ Id: U1, Username: 'self@x.com', Approver__c: U1 },
			],
			fields,
			new Set([U1, U2]),
		);
		expect(found.get(U1)).toEqual([
			'named in the hierarchy field "Approver" (Approver__c) of active user ref@x.com; clear that field or point it to another user',
		]);
		expect(blockedReason(found.get(U2)!)).toBe(
			"blocked: delegated approver of active user ref@x.com; change that user's Delegated Approver; then deactivate (freeze the user meanwhile: it blocks sign-in at once)",
		);
	});
});

describe('offboard steps', () => {
	it('all by default in the safe order, whatever order they are given in; unknown or none refused', () => {
		expect(
			parseSteps(['deactivate', 'freeze', 'removePermissionSetLicenses', 'removePermissionSets']),
		).toEqual({
			ok: true,
			steps: ['freeze', 'removePermissionSets', 'removePermissionSetLicenses', 'deactivate'],
		});
		expect(parseSteps([]).ok).toBe(false);
		expect(parseSteps(['freeze', 'wipe']).ok).toBe(false);
		expect(parseSteps(null).ok).toBe(false);
		expect(stepsOf([stepKey('deactivate'), stepKey('freeze')])).toEqual(['freeze', 'deactivate']);
	});

	it('planned calls: an update step one Collections PATCH per 200, a removal step one Composite request per 1,000', () => {
		expect(
			plannedCalls(
				new Map([
					['freeze', 1000],
					['removePermissionSets', 1000],
					['removePackageLicenses', 1001],
					['removeFeatureLicenses', 201],
					['deactivate', 0],
				]),
			),
		).toBe(5 + 1 + 2 + 2 + 0);
	});
});
