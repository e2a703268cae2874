/** License thresholds: crossing fires once, recovery re-arms, first poll only remembers. */
import type { LicenseItem } from '../../nodes/SalesforceAdmin/salesforce/licenses';
import {
	evaluateThresholds,
	percentUsed,
	thresholdsPassed,
} from '../../nodes/SalesforceAdmin/salesforce/licenseThresholds';

const license = (used: number, total: number | null = 10, name = 'Salesforce'): LicenseItem => ({
	type: 'user',
	name,
	key: name.toUpperCase(),
	status: 'Active',
	total,
	used,
	available: total === null ? null : Math.max(0, total - used),
});

describe('license thresholds', () => {
	it('min available: at or below; max percent used: at or above; nothing without a total', () => {
		expect(thresholdsPassed(license(8), { minAvailable: 2 })).toEqual(['minAvailable']);
		expect(thresholdsPassed(license(7), { minAvailable: 2 })).toEqual([]);
		expect(thresholdsPassed(license(9), { maxPercentUsed: 90 })).toEqual(['maxPercentUsed']);
		expect(thresholdsPassed(license(10), { minAvailable: 0, maxPercentUsed: 90 })).toEqual([
			'minAvailable',
			'maxPercentUsed',
		]);
		expect(thresholdsPassed(license(5, null), { minAvailable: 100, maxPercentUsed: 0 })).toEqual(
			[],
		);
		expect(percentUsed({ used: 1, total: 3 })).toBe(33.3);
	});

	it('fires when a license crosses in, not while it stays, again after it recovered', () => {
		const t = { minAvailable: 2 };
		const first = evaluateThresholds([license(9)], t, {}, true);
		expect(first.items).toEqual([]);
		// already past the threshold at activation: nothing old fires, and it stays quiet
		expect(evaluateThresholds([license(9)], t, first.marks, false).items).toEqual([]);

		const recovered = evaluateThresholds([license(5)], t, first.marks, false);
		expect(recovered.items).toEqual([]);
		const again = evaluateThresholds([license(8)], t, recovered.marks, false);
		expect(again.items).toEqual([
			{
				...license(8),
				threshold: {
					crossed: ['minAvailable'],
					minAvailable: 2,
					maxPercentUsed: null,
					percentUsed: 80,
					afterRestart: false,
				},
				previous: { used: 5, available: 5, total: 10, percentUsed: 50 },
			},
		]);
		expect(evaluateThresholds([license(10)], t, again.marks, false).items).toEqual([]);
	});

	it('a license new to the org that is already running out fires, with no previous counts', () => {
		const result = evaluateThresholds([license(10, 10, 'New')], { maxPercentUsed: 95 }, {}, false);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].previous).toBeNull();
	});

	it('keeps marks only for the licenses the org has now', () => {
		const marks = { 'user:GONE': { used: 1, available: 1, total: 2, alert: true } };
		expect(
			Object.keys(evaluateThresholds([license(1)], { minAvailable: 0 }, marks, false).marks),
		).toEqual(['user:SALESFORCE']);
	});

	it('resumed from saved marks (a recovery may be missing from them): a marked license past the threshold fires again, flagged', () => {
		const t = { minAvailable: 2 };
		const marks = evaluateThresholds([license(5)], t, {}, true).marks;
		const fired = evaluateThresholds([license(8)], t, marks, false);
		expect(fired.items).toHaveLength(1);
		// the saved marks: fired, past the threshold
		const resumed = evaluateThresholds([license(8)], t, fired.marks, false, true);
		expect(resumed.items).toEqual([
			expect.objectContaining({
				threshold: expect.objectContaining({ afterRestart: true }),
				previous: { used: 8, available: 2, total: 10, percentUsed: 80 },
			}),
		]);
		// not resumed, the same marks hold it back; resumed, a license not marked past fires unflagged
		expect(evaluateThresholds([license(8)], t, fired.marks, false).items).toEqual([]);
		expect(
			evaluateThresholds([license(8)], t, marks, false, true).items.map(
				(i) => (i.threshold as { afterRestart: boolean }).afterRestart,
			),
		).toEqual([false]);
		// resumed and recovered: nothing fires, and the marks re-arm it
		const recovered = evaluateThresholds([license(5)], t, fired.marks, false, true);
		expect(recovered.items).toEqual([]);
		expect(evaluateThresholds([license(8)], t, recovered.marks, false).items).toHaveLength(1);
	});
});
