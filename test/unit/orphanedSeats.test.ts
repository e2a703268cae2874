import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { DateTime } from 'luxon';

import type { LicenseItem } from '../../nodes/SalesforceAdmin/salesforce/licenses';
import type {
	RecommendationSettings,
	UserFacts,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';
import {
	decide,
	decideOrphan,
	ORPHAN_LOOKUPS_MAX,
	orphanedSeatsQueries,
	orphanEvidenceOf,
	parseRecommendationSettings,
	SavingsSummary,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function settings(): RecommendationSettings {
	const parsed = parseRecommendationSettings({
		prices: {
			price: [
				{ license: 'Salesforce', monthlyPrice: 150 },
				{ license: 'sbqq', monthlyPrice: 100 },
				{ license: 'Salesforce CPQ License', monthlyPrice: 75 },
			],
		},
	});
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.value;
}

const orphan = (
	packageLicenses: string[],
	permissionSetLicenses: string[],
	protectedReason?: string,
) => ({
	packageLicenses,
	permissionSetLicenses,
	protectedReason,
});

describe('orphaned seats: inactive users still holding package or permission set licenses', () => {
	it('package seats: removePackageLicenses, priced by namespace prefix (any case)', () => {
		expect(decideOrphan(orphan(['SBQQ'], []), settings())).toMatchObject({
			recommendation: 'removePackageLicenses',
			monthlySavings: 100,
			frees: [{ type: 'package', name: 'SBQQ' }],
			unpriced: [],
			reason: expect.stringMatching(/^Inactive, but still holds package licenses SBQQ: .*no risk/),
		});
	});

	it('permission set licenses only: removePermissionSetLicenses, priced by label', () => {
		expect(decideOrphan(orphan([], ['Salesforce CPQ License']), settings())).toMatchObject({
			recommendation: 'removePermissionSetLicenses',
			monthlySavings: 75,
			frees: [{ type: 'permissionSet', name: 'Salesforce CPQ License' }],
		});
	});

	it('both: removePackageLicenses first, the savings count every orphaned seat, unpriced ones named', () => {
		const decision = decideOrphan(
			orphan(['SBQQ', 'dfsle'], ['Salesforce CPQ License']),
			settings(),
		);
		expect(decision).toMatchObject({
			recommendation: 'removePackageLicenses',
			monthlySavings: 175,
			unpriced: ['dfsle'],
		});
		expect(decision.reason).toMatch(/then Remove permission set licenses/);
	});

	it('a protected user or administrator is kept, saving nothing, with the reason', () => {
		const decision = decideOrphan(orphan(['SBQQ'], []), settings());
		expect(decision.recommendation).not.toBe('keep');
		const kept = decideOrphan(
			orphan(['SBQQ'], [], 'profile "System Administrator" (Allow Admins is off)'),
			settings(),
		);
		expect(kept).toMatchObject({ recommendation: 'keep', monthlySavings: 0, frees: [] });
		expect(kept.reason).toMatch(/System Administrator/);
	});

	it('evidence: the seats it still holds', () => {
		expect(
			orphanEvidenceOf(orphan(['SBQQ'], ['Salesforce CPQ License']), {
				lastLoginDate: NOW - 10 * DAY,
				license: 'Salesforce',
			}),
		).toEqual({
			isActive: false,
			lastLoginDate: '2026-05-22T12:00:00.000Z',
			license: 'Salesforce',
			packageLicenses: ['SBQQ'],
			permissionSetLicenses: ['Salesforce CPQ License'],
		});
	});

	it('no holder outside the active users: no query; a few: by ID; many: one semi-join per kind', () => {
		const now = DateTime.fromMillis(NOW, { zone: 'utc' });
		const ids = (n: number) =>
			Array.from({ length: n }, (_, i) => `005${String(i).padStart(12, '0')}AAA`);
		const read = (n: number, packagesReadable = true, includeExternal = false) =>
			orphanedSeatsQueries([], includeExternal, now, { candidates: ids(n), packagesReadable });
		expect(read(0)).toEqual([]);

		const byId = read(1000);
		expect(byId).toHaveLength(ORPHAN_LOOKUPS_MAX);
		expect(byId[0]).toMatch(
			/ FROM User WHERE \(IsActive = false\) AND \(UserType NOT IN .* AND Id IN \('005000000000000AAA',.*'005000000000499AAA'\) ORDER BY Username$/,
		);
		expect(read(1, true, true)[0]).not.toMatch(/UserType NOT IN/);

		const semiJoins = read(1001);
		expect(semiJoins).toHaveLength(2);
		expect(semiJoins[0]).toMatch(
			/\) AND Id IN \(SELECT UserId FROM UserPackageLicense\) ORDER BY Username$/,
		);
		expect(semiJoins[1]).toMatch(
			/\) AND Id IN \(SELECT AssigneeId FROM PermissionSetLicenseAssign\) ORDER BY Username$/,
		);
		// without access to UserPackageLicense, its semi-join would fail: left out
		expect(read(1001, false)).toEqual([semiJoins[1]]);
		for (const soql of [...byId, ...semiJoins]) expect(() => parseQuery(soql)).not.toThrow();
	});
});

describe('deactivation and the summary count package seats', () => {
	const facts = (overrides: Partial<UserFacts> = {}): UserFacts => ({
		isFrozen: true,
		frozenSince: NOW - 45 * DAY,
		createdDate: NOW - 400 * DAY,
		lastLoginDate: NOW - 200 * DAY,
		activity: { lastUi: undefined, lastApi: undefined, ui30: 0, ui90: 0, api30: 0, api90: 0 },
		license: 'Salesforce',
		featureLicenses: [],
		permissionSetLicenses: ['Salesforce CPQ License'],
		packageLicenses: ['SBQQ'],
		isConnectedUser: false,
		protectedReason: undefined,
		...overrides,
	});

	it('a deactivation frees the package seats too', () => {
		const decision = decide(facts(), settings(), NOW);
		expect(decision).toMatchObject({ recommendation: 'deactivate', monthlySavings: 325 });
		expect(decision.frees).toContainEqual({ type: 'package', name: 'SBQQ' });
	});

	it('package licenses in the summary: reclaimable from deactivations and orphaned seats', () => {
		const summary = new SavingsSummary();
		summary.add(facts(), decide(facts(), settings(), NOW));
		const orphanFacts = orphan(['SBQQ'], ['Salesforce CPQ License']);
		summary.addOrphan(orphanFacts, decideOrphan(orphanFacts, settings()));
		const sbqq: LicenseItem = {
			type: 'package',
			name: 'SBQQ',
			key: '050000000000001AAA',
			status: 'Active',
			total: 50,
			used: 12,
			available: 38,
			expirationDate: null,
		};
		const items = summary.items([sbqq], settings(), false);
		expect(items.find((i) => i.type === 'package')).toMatchObject({
			license: 'SBQQ',
			total: 50,
			used: 12,
			reclaimable: 2,
			monthlySavings: 200,
			priced: true,
		});
		expect(items.at(-1)).toMatchObject({
			used: 1,
			recommendations: { deactivate: 1, removePackageLicenses: 1 },
			orphanedSeats: 2,
			monthlySavings: 150 + 100 + 75 + 100 + 75,
		});
	});
});
