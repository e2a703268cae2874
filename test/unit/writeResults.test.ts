import {
	failedItems,
	toExecutionData,
	withDetails,
} from '../../nodes/SalesforceAdmin/salesforce/writeResults';
import type { WriteItemResult } from '../../nodes/SalesforceAdmin/salesforce/writePlan';

const ID = '005000000000001AAA';

describe('the write runner items', () => {
	it('fails every intent with one error, keeping the user as the item named them', () => {
		const error = { code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests' };
		const items = failedItems(
			[
				{ itemIndex: 0, ref: { kind: 'id', id: ID }, wanted: { IsFrozen: true } },
				{ itemIndex: 2, ref: { kind: 'username', username: 'a@b.c' }, wanted: { IsFrozen: true } },
			],
			'freeze',
			error,
		);
		expect(items).toEqual([
			{ itemIndex: 0, id: ID, username: null, action: 'freeze', result: 'failed', error },
			{ itemIndex: 2, id: null, username: 'a@b.c', action: 'freeze', result: 'failed', error },
		]);
	});

	it("merges a user's details into their items; the run's notes stay on the detailed reason", () => {
		const item: WriteItemResult = {
			itemIndex: 1,
			id: ID,
			username: 'a@b.c',
			action: 'removePermissionSets',
			result: 'dryRun',
			reason:
				'Dry run: would remove permission sets (a dry run because item 0 lists an ID that names no user) (Same user as item 0; acted on once)',
		};
		const [merged] = withDetails(
			[item],
			new Map([[ID, { reason: 'Dry run: would remove Sales' }]]),
		);
		expect(merged.reason).toBe(
			'Dry run: would remove Sales (a dry run because item 0 lists an ID that names no user) (Same user as item 0; acted on once)',
		);
		expect(withDetails([item], new Map())).toEqual([item]);
	});

	it('gives every item the same keys, error only on a failed one, paired with its input item', () => {
		expect(
			toExecutionData({
				itemIndex: 3,
				id: ID,
				username: 'a@b.c',
				action: 'freeze',
				result: 'changed',
			}),
		).toEqual({
			json: {
				id: ID,
				username: 'a@b.c',
				action: 'freeze',
				result: 'changed',
				reason: null,
				duplicateOf: null,
			},
			pairedItem: { item: 3 },
		});
		const failed = toExecutionData({
			itemIndex: 0,
			id: null,
			username: null,
			action: 'freeze',
			result: 'failed',
			error: { code: 'X', message: 'y' },
		});
		expect(Object.keys(failed.json)).toEqual([
			'id',
			'username',
			'action',
			'result',
			'reason',
			'error',
			'duplicateOf',
		]);
	});
});
