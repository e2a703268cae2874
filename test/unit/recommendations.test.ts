import type { LicenseItem } from '../../nodes/SalesforceAdmin/salesforce/licenses';
import type {
	LoginActivity,
	RecommendationSettings,
	UserFacts,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';
import {
	decide,
	evidenceOf,
	LoginActivityCounter,
	loginKind,
	loginWindowDays,
	parsePrices,
	parseRecommendationSettings,
	priceOf,
	SavingsSummary,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';
import {
	combineSafetyOptions,
	parseSafetyOptions,
} from '../../nodes/SalesforceAdmin/salesforce/safetyOptions';
import type { PlannedUser } from '../../nodes/SalesforceAdmin/salesforce/writePlan';
import { skipReason } from '../../nodes/SalesforceAdmin/salesforce/writePlan';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const daysAgo = (days: number) => NOW - days * DAY;

function settings(overrides: Partial<RecommendationSettings> = {}): RecommendationSettings {
	const parsed = parseRecommendationSettings({
		prices: {
			price: [
				{ license: 'Salesforce', monthlyPrice: 150 },
				{ license: 'Service Cloud', monthlyPrice: 25.5 },
				{ license: 'Salesforce CPQ License', monthlyPrice: 75 },
			],
		},
	});
	if (!parsed.ok) throw new Error(parsed.reason);
	return { ...parsed.value, ...overrides };
}

const noLogins = (): LoginActivity => ({
	lastUi: undefined,
	lastApi: undefined,
	ui30: 0,
	ui90: 0,
	api30: 0,
	api90: 0,
});

function user(overrides: Partial<UserFacts> = {}): UserFacts {
	return {
		isFrozen: false,
		frozenSince: undefined,
		createdDate: daysAgo(400),
		lastLoginDate: undefined,
		activity: noLogins(),
		license: 'Salesforce',
		featureLicenses: [],
		permissionSetLicenses: [],
		isConnectedUser: false,
		protectedReason: undefined,
		...overrides,
	};
}

const lastUi = (days: number): Partial<UserFacts> => ({
	activity: { ...noLogins(), lastUi: daysAgo(days), ui90: days <= 90 ? 1 : 0 },
	lastLoginDate: daysAgo(days),
});
const lastApi = (days: number): Partial<UserFacts> => ({
	activity: { ...noLogins(), lastApi: daysAgo(days), api90: days <= 90 ? 1 : 0 },
	lastLoginDate: daysAgo(days),
});
const frozen = (days: number | undefined): Partial<UserFacts> => ({
	isFrozen: true,
	frozenSince: days === undefined ? undefined : daysAgo(days),
});

describe('the recommendation lifecycle (defaults: freeze after 90 idle days, deactivate after 30 frozen, 30 days grace)', () => {
	const table: Array<[string, Partial<UserFacts>, string, number]> = [
		['UI login yesterday', lastUi(1), 'keep', 0],
		['last UI login 89 days ago (one day short)', lastUi(89), 'keep', 0],
		['last UI login exactly 90 days ago (boundary: freeze)', lastUi(90), 'freeze', 0],
		[
			'last UI login 200 days ago (only User.LastLoginDate knows)',
			{ lastLoginDate: daysAgo(200) },
			'freeze',
			0,
		],
		['integration user: API logins only, 2 days ago', lastApi(2), 'keep', 0],
		['integration user idle by API too (120 days)', lastApi(120), 'freeze', 0],
		[
			'no login for 200 days, Event Log File activity yesterday',
			{ lastLoginDate: daysAgo(200), lastEventTime: daysAgo(1) },
			'keep',
			0,
		],
		[
			'UI idle 150 days but API login 10 days ago',
			{
				lastLoginDate: daysAgo(10),
				activity: { ...noLogins(), lastUi: daysAgo(150), lastApi: daysAgo(10), api30: 4, api90: 9 },
			},
			'keep',
			0,
		],
		['new hire, never logged in, created 10 days ago', { createdDate: daysAgo(10) }, 'keep', 0],
		[
			'new hire with freezeAfterDays below the grace: still kept',
			{ createdDate: daysAgo(29) },
			'keep',
			0,
		],
		[
			'never logged in, created 89 days ago (idle counts from creation)',
			{ createdDate: daysAgo(89) },
			'keep',
			0,
		],
		['never logged in, created 90 days ago', { createdDate: daysAgo(90) }, 'freeze', 0],
		[
			'frozen 29 days, idle (one day short of deactivation)',
			{ ...lastUi(150), ...frozen(29) },
			'keep',
			0,
		],
		[
			'frozen exactly 30 days and idle (boundary: deactivate)',
			{ ...lastUi(150), ...frozen(30) },
			'deactivate',
			150,
		],
		['frozen but was active 20 days ago', { ...lastUi(20), ...frozen(40) }, 'keep', 0],
		['frozen since an unknown date', { ...lastUi(150), ...frozen(undefined) }, 'keep', 0],
		[
			'deactivate frees user + feature + permission set licenses',
			{
				...lastUi(150),
				...frozen(45),
				featureLicenses: ['Service Cloud'],
				permissionSetLicenses: ['Salesforce CPQ License'],
			},
			'deactivate',
			250.5,
		],
		[
			'connected user, idle for years',
			{ ...lastUi(900), featureLicenses: ['Service Cloud'], isConnectedUser: true },
			'keep',
			0,
		],
		[
			'protected, idle, holds feature licenses',
			{
				...lastUi(120),
				featureLicenses: ['Service Cloud', 'Marketing'],
				protectedReason: 'Listed in the "Protected Usernames" option',
			},
			'removeFeatureLicenses',
			25.5,
		],
		[
			'protected, idle, no feature licenses',
			{ ...lastUi(120), protectedReason: 'Listed in the "Protected Usernames" option' },
			'keep',
			0,
		],
		[
			'protected and frozen long, idle: never deactivated',
			{ ...lastUi(300), ...frozen(200), protectedReason: 'System Administrator' },
			'keep',
			0,
		],
		[
			'protected, active: keep',
			{ ...lastUi(3), featureLicenses: ['Service Cloud'], protectedReason: 'System Administrator' },
			'keep',
			0,
		],
	];
	it.each(table.map(([name, facts, expected, savings]) => ({ name, facts, expected, savings })))(
		'$name -> $expected',
		({ facts, expected, savings }) => {
			const decision = decide(user(facts), settings(), NOW);
			expect({ recommendation: decision.recommendation, savings: decision.monthlySavings }).toEqual(
				{ recommendation: expected, savings },
			);
			expect(decision.reason.length).toBeGreaterThan(10);
		},
	);

	it('explains itself in words', () => {
		expect(decide(user(lastUi(120)), settings(), NOW).reason).toBe(
			'Idle: last UI login 120 days ago; the threshold is 90 days. Freeze first: reversible, blocks logins, frees no seat yet (deactivate after 30 days frozen)',
		);
		expect(decide(user(lastApi(2)), settings(), NOW).reason).toBe(
			'Active: last API login 2 days ago (API only: an integration user), within the 90 days before freezing',
		);
		expect(decide(user({ createdDate: daysAgo(10) }), settings(), NOW).reason).toBe(
			'New account, created 10 days ago: within the 30-day grace period for new users (never logged in; account created 10 days ago)',
		);
		// Kept for Event Log activity alone: says why a list by last login (Nightly's Get users)
		// would call the user idle, so the two examples' answers can be told apart.
		expect(
			decide(user({ lastLoginDate: daysAgo(200), lastEventTime: daysAgo(1) }), settings(), NOW)
				.reason,
		).toBe(
			'Active: last Event Log activity 1 days ago, within the 90 days before freezing (no login for 200 days, so a list by last login counts this user idle; the Event Log shows use since)',
		);
		expect(decide(user({ lastEventTime: daysAgo(3) }), settings(), NOW).reason).toBe(
			'Active: last Event Log activity 3 days ago, within the 90 days before freezing (never logged in, so a list by last login counts this user idle; the Event Log shows use since)',
		);
		// Event Log activity newer than a recent login changes nothing to say.
		expect(decide(user({ ...lastUi(10), lastEventTime: daysAgo(1) }), settings(), NOW).reason).toBe(
			'Active: last Event Log activity 1 days ago, within the 90 days before freezing',
		);
		expect(decide(user({ ...lastUi(150), ...frozen(12) }), settings(), NOW).reason).toBe(
			'Idle: last UI login 150 days ago; the threshold is 90 days. Frozen 12 days ago; deactivate after 30 days frozen (in 18 days)',
		);
	});

	it('follows the configured thresholds', () => {
		const s = settings({ freezeAfterDays: 30, deactivateAfterFrozenDays: 0, newUserGraceDays: 0 });
		expect(decide(user(lastUi(30)), s, NOW).recommendation).toBe('freeze');
		expect(decide(user({ ...lastUi(30), ...frozen(0) }), s, NOW).recommendation).toBe('deactivate');
		expect(
			decide(
				user({ createdDate: daysAgo(1) }),
				settings({ newUserGraceDays: 0, freezeAfterDays: 1 }),
				NOW,
			).recommendation,
		).toBe('freeze');
	});

	it('counts licenses without a price as 0 and names them', () => {
		const decision = decide(
			user({
				...lastUi(150),
				...frozen(60),
				license: 'Salesforce Platform',
				featureLicenses: ['Flow', 'Service Cloud'],
			}),
			settings(),
			NOW,
		);
		expect(decision.recommendation).toBe('deactivate');
		expect(decision.monthlySavings).toBe(25.5);
		expect(decision.unpriced).toEqual(['Salesforce Platform', 'Flow']);
		expect(priceOf([{ name: 'salesforce' }, { name: 'SALESFORCE' }], settings().prices)).toEqual({
			monthlySavings: 300,
			unpriced: [],
		});
		// cents, not floating point drift
		expect(
			priceOf(
				[{ name: 'a' }, { name: 'b' }],
				new Map([
					['a', { license: 'a', monthlyPrice: 0.1 }],
					['b', { license: 'b', monthlyPrice: 0.2 }],
				]),
			).monthlySavings,
		).toBe(0.3);
	});
});

describe('the same safety rules as the writes (writePlan skipReason)', () => {
	const admin: PlannedUser = {
		Id: '005000000000001AAA',
		Username: 'root@acme.com',
		Profile: { Name: 'System Administrator', PermissionsModifyAllData: true },
	};
	const mad: PlannedUser = {
		Id: '005000000000002AAA',
		Username: 'ops@acme.com',
		Profile: { Name: 'Ops', PermissionsModifyAllData: true },
	};
	const plain: PlannedUser = {
		Id: '005000000000003AAA',
		Username: 'Jane@Acme.com',
		Profile: { Name: 'Standard User', PermissionsModifyAllData: false },
	};
	const viaPermissionSet = new Map([[plain.Id, 'Super Admin']]);
	const reason = (u: PlannedUser, raw: Record<string, unknown>, sets?: Map<string, string>) => {
		const { options, problems } = parseSafetyOptions(raw);
		expect(problems).toEqual([]);
		return skipReason(u, {
			connectedUserId: '005000000000009AAA',
			safety: combineSafetyOptions([options]),
			adminPermissionSets: sets,
		});
	};

	it('administrators by profile, Modify All Data or permission set stay active unless allowed', () => {
		expect(reason(admin, {})).toMatch(/System Administrator/);
		expect(reason(mad, {})).toMatch(/Modify All Data/);
		expect(reason(plain, {}, viaPermissionSet)).toMatch(/permission set "Super Admin"/);
		expect(reason(admin, { allowAdmins: true })).toBeUndefined();
	});

	it('protected usernames (any case) and IDs', () => {
		expect(reason(plain, { protectedUsernames: 'jane@acme.com' })).toMatch(/Protected Usernames/);
		expect(reason(plain, { protectedUsernames: '005000000000003' })).toMatch(/Protected Usernames/); // its 15-char ID
		expect(reason(plain, { protectedUsernames: '005000000000004' })).toBeUndefined();
		expect(reason(plain, {})).toBeUndefined();
	});

	it('fails closed: a safety option of the wrong type is refused, not guessed', () => {
		for (const raw of [
			{ allowAdmins: 'true' },
			{ allowAdmins: undefined },
			{ protectedUsernames: 42 },
			{ protectedUsernames: 'not-a-user' },
		]) {
			expect(parseSafetyOptions(raw).problems).toHaveLength(1);
		}
	});
});

describe('login activity, counted per user in bounded memory', () => {
	it('classifies UI and API logins by LoginType and ApiType', () => {
		expect(loginKind('Application', null)).toBe('ui');
		expect(loginKind('SAML Sfdc Initiated SSO', null)).toBe('ui');
		expect(loginKind('Remote Access 2.0', null)).toBe('ui');
		expect(loginKind('Remote Access 2.0', 'REST')).toBe('api');
		expect(loginKind('Other Apex API', 'SOAP Partner')).toBe('api');
		expect(loginKind('Partner Product', '')).toBe('api');
	});

	it('keeps counters, not rows; ignores failed logins and users not in scope', () => {
		const a = '005000000000001AAA';
		const counter = new LoginActivityCounter([a], NOW);
		const at = (days: number) => new Date(daysAgo(days)).toISOString().replace('Z', '+0000');
		counter.add({ LoginTime: at(5), LoginType: 'Application', Status: 'Success' }, a);
		counter.add({ LoginTime: at(45), LoginType: 'Application' }, a);
		counter.add(
			{
				LoginTime: '2026-05-30T00:00:00.000Z',
				LoginType: 'Other Apex API',
				ApiType: 'SOAP Partner',
			},
			a,
		);
		counter.add({ LoginTime: at(1), LoginType: 'Application', Status: 'Invalid Password' }, a);
		counter.add({ LoginTime: at(1), LoginType: 'Application' }, '005000000000002AAA');
		expect(counter.get(a)).toEqual({
			lastUi: daysAgo(5),
			lastApi: Date.parse('2026-05-30T00:00:00.000Z'),
			ui30: 1,
			ui90: 2,
			api30: 1,
			api90: 1,
		});
		expect(counter.rowsSeen).toBe(5);
	});

	it('without a scope, every user who logged in gets one counter (the count runs while users are read)', () => {
		const counter = new LoginActivityCounter(undefined, NOW);
		for (let i = 0; i < 1000; i++)
			counter.add(
				{ LoginTime: '2026-05-30T00:00:00.000Z', LoginType: 'Application' },
				`user${i % 3}`,
			);
		expect(counter.get('user0').ui30).toBe(334);
		expect(counter.get('user2').ui90).toBe(333);
		expect(counter.get('nobody')).toEqual({
			lastUi: undefined,
			lastApi: undefined,
			ui30: 0,
			ui90: 0,
			api30: 0,
			api90: 0,
		});
	});

	it('reads at least 90 days of LoginHistory and never more than Salesforce keeps', () => {
		expect(loginWindowDays({ freezeAfterDays: 30 })).toBe(90);
		expect(loginWindowDays({ freezeAfterDays: 120 })).toBe(120);
		expect(loginWindowDays({ freezeAfterDays: 365 })).toBe(180);
	});

	it('evidence carries the figures the decision rests on', () => {
		const facts = user({
			...lastUi(150),
			...frozen(45),
			featureLicenses: ['Service Cloud'],
			permissionSetLicenses: ['Salesforce CPQ License'],
		});
		const evidence = evidenceOf(facts, decide(facts, settings(), NOW), {
			loginWindowDays: 90,
			eventLogActivity: null,
		});
		expect(evidence).toEqual({
			lastLoginDate: new Date(daysAgo(150)).toISOString(),
			lastUiLogin: new Date(daysAgo(150)).toISOString(),
			lastApiLogin: null,
			logins: { last30Days: { ui: 0, api: 0 }, last90Days: { ui: 0, api: 0 } },
			loginHistoryDays: 90,
			idleDays: 150,
			eventLogActivity: null,
			frozenSince: new Date(daysAgo(45)).toISOString(),
			frozenDays: 45,
			createdDate: new Date(daysAgo(400)).toISOString(),
			license: 'Salesforce',
			featureLicenses: ['Service Cloud'],
			permissionSetLicenses: ['Salesforce CPQ License'],
			packageLicenses: [],
		});
	});
});

describe('parameters', () => {
	it('defaults', () => {
		const parsed = parseRecommendationSettings({});
		expect(parsed.ok && { ...parsed.value, prices: [...parsed.value.prices] }).toEqual({
			freezeAfterDays: 90,
			deactivateAfterFrozenDays: 30,
			newUserGraceDays: 30,
			prices: [],
			currency: 'USD',
			output: 'perUser',
		});
	});

	it.each([
		[{ freezeAfterDays: 0 }, 'Freeze After (Days Idle)'],
		[{ freezeAfterDays: '90' }, 'Freeze After (Days Idle)'],
		[{ deactivateAfterFrozenDays: -1 }, 'Deactivate After (Days Frozen)'],
		[{ newUserGraceDays: 1.5 }, 'New User Grace (Days)'],
		[{ currency: 'dollars' }, 'Currency'],
		[{ output: 'csv' }, 'Output'],
		[{ prices: { price: [{ license: '', monthlyPrice: 1 }] } }, 'Prices'],
	])('refuses %j', (raw, field) => {
		const parsed = parseRecommendationSettings(raw);
		expect(parsed.ok ? undefined : parsed.field).toBe(field);
	});

	it('prices: numbers of 0 or more, each license once (any case)', () => {
		expect(parsePrices({ price: [{ license: 'A', monthlyPrice: -1 }] }).ok).toBe(false);
		expect(parsePrices({ price: [{ license: 'A', monthlyPrice: '10' }] }).ok).toBe(false);
		expect(
			parsePrices([
				{ license: 'A', monthlyPrice: 1 },
				{ license: 'a', monthlyPrice: 2 },
			]).ok,
		).toBe(false);
		const ok = parsePrices([{ license: ' Salesforce ', monthlyPrice: 150 }]);
		expect(ok.ok && ok.value.get('salesforce')).toEqual({
			license: 'Salesforce',
			monthlyPrice: 150,
		});
	});
});

describe('summary output', () => {
	it('one item per license with reclaimable seats and savings, unpriced listed, then the org total', () => {
		const s = settings();
		const summary = new SavingsSummary();
		const add = (facts: Partial<UserFacts>) => {
			const f = user(facts);
			summary.add(f, decide(f, s, NOW));
		};
		add({
			...lastUi(150),
			...frozen(45),
			featureLicenses: ['Service Cloud'],
			permissionSetLicenses: ['Salesforce CPQ License'],
		}); // deactivate 250.5
		add({ ...lastUi(150), ...frozen(45), license: 'Salesforce Platform' }); // deactivate, unpriced
		add({
			...lastUi(120),
			featureLicenses: ['Service Cloud'],
			protectedReason: 'System Administrator',
		}); // remove 25.5
		add(lastUi(100)); // freeze
		add(lastUi(1)); // keep
		const catalogue: LicenseItem[] = [
			{
				type: 'user',
				name: 'Salesforce',
				key: 'SFDC',
				status: 'Active',
				total: 100,
				used: 80,
				available: 20,
			},
			{
				type: 'user',
				name: 'Salesforce Platform',
				key: 'AUL',
				status: 'Active',
				total: 10,
				used: 3,
				available: 7,
			},
			{
				type: 'user',
				name: 'Customer Community',
				key: 'CC',
				status: 'Active',
				total: 10,
				used: 3,
				available: 7,
			},
			{
				type: 'permissionSet',
				name: 'Salesforce CPQ License',
				key: 'cpq',
				status: 'Active',
				total: 50,
				used: 31,
				available: 19,
			},
			{
				type: 'feature',
				name: 'Service Cloud',
				key: 'UserPermissionsSupportUser',
				status: null,
				total: null,
				used: 0,
				available: null,
			},
		];
		const items = summary.items(catalogue, s, false);
		expect(
			items.map((i) => [i.license, i.type, i.total, i.used, i.reclaimable, i.monthlySavings]),
		).toEqual([
			['Salesforce', 'user', 100, 80, 1, 150],
			['Salesforce Platform', 'user', 10, 3, 1, 0],
			['Salesforce CPQ License', 'permissionSet', 50, 31, 1, 75],
			['Service Cloud', 'feature', null, 2, 2, 51],
			['All licenses', 'total', null, 5, 2, 276],
		]);
		expect(items[4]).toMatchObject({
			currency: 'USD',
			recommendations: { freeze: 1, deactivate: 2, removeFeatureLicenses: 1, keep: 1 },
			unpricedLicenses: ['Salesforce Platform'],
		});
		expect(items[1]).toMatchObject({ priced: false, monthlyPrice: null });
		// external licenses show only when asked for
		expect(summary.items(catalogue, s, true).map((i) => i.license)).toContain('Customer Community');
	});
});
