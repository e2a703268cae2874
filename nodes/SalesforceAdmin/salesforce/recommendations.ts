/**
 * Get license recommendations, the pure part: the parameters, login activity counted per user
 * in bounded memory, the lifecycle decision (keep -> freeze -> deactivate, or remove feature
 * licenses from users who must stay active), orphaned seats (inactive users still holding
 * package or permission set licenses) and the savings from the user's price table.
 * No I/O here: actions/license/getRecommendations.operation.ts reads the org and hands over.
 */
import type { IDataObject } from 'n8n-workflow';

import type { DateTime } from 'luxon';

import { isExternalLicenseName } from './externalUsers';
import type { LicenseItem, LicenseType } from './licenses';
import { isEmptyValue } from './filterValues';
import type { Parsed } from './input';
import { describeValue } from './safetyOptions';
import {
	packageLicenseHolderCondition,
	permissionSetLicenseHolderCondition,
} from './userEntitlements';
import { inList, soqlDateTime } from './soql';
import { chunkForInList } from './userLookup';
import { buildUsersQuery } from './userQuery';

export type Recommendation =
	| 'freeze'
	| 'deactivate'
	| 'removeFeatureLicenses'
	| 'removePackageLicenses'
	| 'removePermissionSetLicenses'
	| 'keep';
export const RECOMMENDATIONS: readonly Recommendation[] = [
	'freeze',
	'deactivate',
	'removeFeatureLicenses',
	'removePackageLicenses',
	'removePermissionSetLicenses',
	'keep',
];
export type RecommendationOutput = 'perUser' | 'summary';

const DAY_MS = 86_400_000;

/** LoginHistory is read for the last 90 days at least (the evidence counts 30 and 90 days). */
export const MIN_LOGIN_WINDOW_DAYS = 90;
/** Salesforce keeps LoginHistory for about six months; a longer window reads nothing more. */
export const MAX_LOGIN_WINDOW_DAYS = 180;

export interface PriceEntry {
	license: string;
	monthlyPrice: number;
}

export interface RecommendationSettings {
	freezeAfterDays: number;
	deactivateAfterFrozenDays: number;
	newUserGraceDays: number;
	/** Keyed by lower-case license name: Salesforce compares names case-insensitively. */
	prices: ReadonlyMap<string, PriceEntry>;
	currency: string;
	output: RecommendationOutput;
}

export type ParsedSettings = Parsed<RecommendationSettings>;

/** Display names of the parameters, as the node panel shows them (for error messages). */
export const RECOMMENDATION_LABELS = {
	freezeAfterDays: 'Freeze After (Days Idle)',
	deactivateAfterFrozenDays: 'Deactivate After (Days Frozen)',
	newUserGraceDays: 'New User Grace (Days)',
	prices: 'Prices',
	currency: 'Currency',
	output: 'Output',
} as const;

/** A whole number of days, at least `min`; text from an expression is refused, not guessed. */
function parseDays(
	raw: unknown,
	fallback: number,
	min: number,
): { ok: true; value: number } | { ok: false; reason: string } {
	const value = raw === undefined ? fallback : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
		return {
			ok: false,
			reason: `must be a whole number of days, ${min} or more (got ${JSON.stringify(value)})`,
		};
	}
	return { ok: true, value };
}

/**
 * The "Prices" fixed collection ({ price: [{ license, monthlyPrice }] }) or a list from an
 * expression. A row without a license name, a negative or non-numeric price, or the same
 * license twice is refused: a wrong price table would make every savings figure wrong.
 */
export function parsePrices(
	raw: unknown,
): { ok: true; value: Map<string, PriceEntry> } | { ok: false; reason: string } {
	const rows = Array.isArray(raw) ? raw : ((raw as IDataObject | undefined)?.price ?? []);
	if (!Array.isArray(rows))
		return { ok: false, reason: 'expects a list of { license, monthlyPrice }' };
	const prices = new Map<string, PriceEntry>();
	for (const [index, row] of rows.entries()) {
		const entry = (row ?? {}) as IDataObject;
		const license = typeof entry.license === 'string' ? entry.license.trim() : '';
		if (!license) return { ok: false, reason: `row ${index + 1} has no license name` };
		const price = entry.monthlyPrice;
		if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
			return {
				ok: false,
				reason: `"${license}": the monthly price must be a number of 0 or more (got ${JSON.stringify(price)})`,
			};
		}
		const key = license.toLowerCase();
		if (prices.has(key))
			return { ok: false, reason: `"${license}" is listed twice; give each license one price` };
		prices.set(key, { license, monthlyPrice: price });
	}
	return { ok: true, value: prices };
}

export function parseRecommendationSettings(raw: IDataObject): ParsedSettings {
	const fail = (key: keyof typeof RECOMMENDATION_LABELS, reason: string): ParsedSettings => ({
		ok: false,
		field: RECOMMENDATION_LABELS[key],
		reason,
	});
	// A setting an expression turned into nothing is refused, never read as its default: the
	// recommendations feed writes, so a lost threshold must not quietly become 90 days.
	for (const key of Object.keys(RECOMMENDATION_LABELS) as Array<
		keyof typeof RECOMMENDATION_LABELS
	>) {
		if (Object.prototype.hasOwnProperty.call(raw, key) && isEmptyValue(raw[key])) {
			return fail(key, `has no value: got ${describeValue(raw[key])}; give it a value`);
		}
	}
	const freeze = parseDays(raw.freezeAfterDays, 90, 1);
	if (!freeze.ok) return fail('freezeAfterDays', freeze.reason);
	const deactivate = parseDays(raw.deactivateAfterFrozenDays, 30, 0);
	if (!deactivate.ok) return fail('deactivateAfterFrozenDays', deactivate.reason);
	const grace = parseDays(raw.newUserGraceDays, 30, 0);
	if (!grace.ok) return fail('newUserGraceDays', grace.reason);
	const prices = parsePrices(raw.prices);
	if (!prices.ok) return fail('prices', prices.reason);
	const currency = raw.currency === undefined ? 'USD' : raw.currency;
	if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency.trim())) {
		return fail(
			'currency',
			`must be a three-letter currency code such as USD or EUR (got ${JSON.stringify(currency)})`,
		);
	}
	const output = raw.output === undefined ? 'perUser' : raw.output;
	if (output !== 'perUser' && output !== 'summary') {
		return fail('output', `"${String(output)}" is not one of perUser, summary`);
	}
	return {
		ok: true,
		value: {
			freezeAfterDays: freeze.value,
			deactivateAfterFrozenDays: deactivate.value,
			newUserGraceDays: grace.value,
			prices: prices.value,
			currency: currency.trim().toUpperCase(),
			output,
		},
	};
}

/** Days of LoginHistory to read: enough for the idle threshold and the 90-day counts. */
export function loginWindowDays(settings: Pick<RecommendationSettings, 'freezeAfterDays'>): number {
	return Math.min(MAX_LOGIN_WINDOW_DAYS, Math.max(MIN_LOGIN_WINDOW_DAYS, settings.freezeAfterDays));
}

/* ------------------------------------------------------------------------------------------ */
/* Login activity: counters per user, never the rows (1,000,000 logins, 50,000 users).          */
/* ------------------------------------------------------------------------------------------ */

export type LoginKind = 'ui' | 'api';

/**
 * Logins an integration makes: the API login types, and any login Salesforce reports an API
 * type for (SOAP, REST, Bulk). Everything else is a person: the browser, SSO, mobile apps.
 * "Remote Access 2.0" (OAuth) is both; without an API type it counts as UI.
 */
const API_LOGIN_TYPES = new Set([
	'other apex api',
	'partner product',
	'remote access client',
	'networks portal api only',
	'sync',
]);

export function loginKind(loginType: unknown, apiType: unknown): LoginKind {
	if (typeof apiType === 'string' && apiType.trim() !== '') return 'api';
	return typeof loginType === 'string' && API_LOGIN_TYPES.has(loginType.trim().toLowerCase())
		? 'api'
		: 'ui';
}

/** One user's successful logins in the window, as numbers (epoch ms for the last ones). */
export interface LoginActivity {
	lastUi: number | undefined;
	lastApi: number | undefined;
	ui30: number;
	ui90: number;
	api30: number;
	api90: number;
}

const emptyActivity = (): LoginActivity => ({
	lastUi: undefined,
	lastApi: undefined,
	ui30: 0,
	ui90: 0,
	api30: 0,
	api90: 0,
});

/** Epoch ms of a Salesforce datetime (REST "+0000" or Bulk "Z"), or undefined. */
export function parseSalesforceTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Counts LoginHistory rows per user as they stream by: one small counter object per user,
 * whatever the number of rows. Given the users in scope, rows of other users (external,
 * inactive) are ignored; without, every user who logged in gets a counter (at most one per
 * user of the org), so the count can run while the users are still being read. Failed logins
 * are ignored.
 */
export class LoginActivityCounter {
	private readonly byUser = new Map<string, LoginActivity>();
	private readonly scoped: boolean;
	private readonly cut30: number;
	private readonly cut90: number;
	rowsSeen = 0;

	constructor(userIds: Iterable<string> | undefined, now: number) {
		this.scoped = userIds !== undefined;
		for (const id of userIds ?? []) this.byUser.set(id, emptyActivity());
		this.cut30 = now - 30 * DAY_MS;
		this.cut90 = now - 90 * DAY_MS;
	}

	/** A LoginHistory row with UserId (18-char), LoginTime, LoginType, ApiType, Status. */
	add(row: IDataObject, userId: string): void {
		this.rowsSeen++;
		if (row.Status !== undefined && row.Status !== 'Success') return;
		let activity = this.byUser.get(userId);
		if (!activity) {
			if (this.scoped) return;
			this.byUser.set(userId, (activity = emptyActivity()));
		}
		const time = parseSalesforceTime(row.LoginTime);
		if (time === undefined) return;
		if (loginKind(row.LoginType, row.ApiType) === 'api') {
			if (activity.lastApi === undefined || time > activity.lastApi) activity.lastApi = time;
			if (time >= this.cut90) activity.api90++;
			if (time >= this.cut30) activity.api30++;
		} else {
			if (activity.lastUi === undefined || time > activity.lastUi) activity.lastUi = time;
			if (time >= this.cut90) activity.ui90++;
			if (time >= this.cut30) activity.ui30++;
		}
	}

	get(userId: string): LoginActivity {
		return this.byUser.get(userId) ?? emptyActivity();
	}
}

/* ------------------------------------------------------------------------------------------ */
/* The decision                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** What the decision for one active user rests on. Dates are epoch ms. */
export interface UserFacts {
	isFrozen: boolean;
	/** UserLogin.LastModifiedDate of a frozen user: when it was frozen, approximately. */
	frozenSince: number | undefined;
	createdDate: number | undefined;
	/** User.LastLoginDate: the last login of any kind, also older than the login window. */
	lastLoginDate: number | undefined;
	activity: LoginActivity;
	/** Newest Event Log File event of the user, where the credential may read them. */
	lastEventTime?: number;
	license: string | null;
	featureLicenses: readonly string[];
	permissionSetLicenses: readonly string[];
	/** Managed-package seats (namespace prefixes); absent: none. */
	packageLicenses?: readonly string[];
	/** The connected user itself: write actions never change it. */
	isConnectedUser: boolean;
	/** Why the writes would skip this user (protected list, administrator), from skipReason. */
	protectedReason: string | undefined;
}

export interface Decision {
	recommendation: Recommendation;
	reason: string;
	monthlySavings: number;
	/** The licenses the recommendation frees (what the savings are made of). */
	frees: Array<{ type: LicenseType; name: string }>;
	/** Freed licenses with no price in the table (counted 0). */
	unpriced: string[];
	/** Whole days since the last activity (or since the account was created), null if unknown. */
	idleDays: number | null;
	/** Whole days frozen, null when not frozen or unknown. */
	frozenDays: number | null;
}

const wholeDays = (from: number | undefined, now: number): number | null =>
	from === undefined ? null : Math.max(0, Math.floor((now - from) / DAY_MS));

/** The newest of the user's activity signals, with what it was. */
export function lastActivity(facts: UserFacts): { at: number; what: string } | undefined {
	const candidates: Array<{ at: number | undefined; what: string }> = [
		{ at: facts.activity.lastUi, what: 'UI login' },
		{ at: facts.activity.lastApi, what: 'API login' },
		{ at: facts.lastLoginDate, what: 'login' },
		{ at: facts.lastEventTime, what: 'Event Log activity' },
	];
	let best: { at: number; what: string } | undefined;
	for (const c of candidates)
		if (c.at !== undefined && (best === undefined || c.at > best.at))
			best = { at: c.at, what: c.what };
	return best;
}

/** Sums the prices of the freed licenses; licenses without a price count 0 and are named. */
export function priceOf(
	frees: ReadonlyArray<{ name: string }>,
	prices: ReadonlyMap<string, PriceEntry>,
): { monthlySavings: number; unpriced: string[] } {
	let cents = 0;
	const unpriced: string[] = [];
	for (const { name } of frees) {
		const entry = prices.get(name.toLowerCase());
		if (entry) cents += Math.round(entry.monthlyPrice * 100);
		else unpriced.push(name);
	}
	return { monthlySavings: cents / 100, unpriced };
}

function list(names: readonly string[]): string {
	return names.join(', ');
}

function activitySentence(facts: UserFacts, idleDays: number | null, now: number): string {
	const last = lastActivity(facts);
	if (!last) return `never logged in; account created ${idleDays ?? '?'} days ago`;
	const apiOnly = facts.activity.lastApi !== undefined && facts.activity.lastUi === undefined;
	const suffix = apiOnly ? ' (API only: an integration user)' : '';
	return `last ${last.what} ${wholeDays(last.at, now)} days ago${suffix}`;
}

/**
 * Why an active user may still be on a list of idle users by last login (Get users' "Not Logged
 * In For"): when only the Event Log shows the recent use, say so, with the days since the login.
 */
function eventLogNote(facts: UserFacts, settings: RecommendationSettings, now: number): string {
	if (lastActivity(facts)?.what !== 'Event Log activity') return '';
	const logins = lastActivity({ ...facts, lastEventTime: undefined });
	const loginIdleDays = wholeDays(logins?.at ?? facts.createdDate, now);
	if (loginIdleDays === null || loginIdleDays < settings.freezeAfterDays) return '';
	const since = logins ? `no login for ${loginIdleDays} days` : 'never logged in';
	return ` (${since}, so a list by last login counts this user idle; the Event Log shows use since)`;
}

/**
 * The lifecycle for one active user, in this order:
 *   connected user -> keep (the writes never change it);
 *   account younger than the grace period -> keep;
 *   active within freezeAfterDays (UI or API login) -> keep;
 *   idle and protected / administrator -> removeFeatureLicenses if it holds any, else keep;
 *   idle, not frozen -> freeze (reversible; saves nothing yet);
 *   idle, frozen for deactivateAfterFrozenDays or more -> deactivate (frees the seat);
 *   idle, frozen for less -> keep (wait).
 * Idle counts from the last login of any kind, or from CreatedDate for a user who never logged in.
 */
export function decide(facts: UserFacts, settings: RecommendationSettings, now: number): Decision {
	const last = lastActivity(facts);
	const idleDays = wholeDays(last?.at ?? facts.createdDate, now);
	const frozenDays = facts.isFrozen ? wholeDays(facts.frozenSince, now) : null;
	const ageDays = wholeDays(facts.createdDate, now);
	const base = { idleDays, frozenDays };
	const keep = (reason: string): Decision => ({
		...base,
		recommendation: 'keep',
		reason,
		monthlySavings: 0,
		frees: [],
		unpriced: [],
	});
	const activity = activitySentence(facts, idleDays, now);

	if (facts.isConnectedUser) {
		return keep(
			`The user the credential is connected as; write actions never change it (${activity})`,
		);
	}
	if (ageDays !== null && ageDays < settings.newUserGraceDays) {
		return keep(
			`New account, created ${ageDays} days ago: within the ${settings.newUserGraceDays}-day grace period for new users (${activity})`,
		);
	}
	// An account of unknown age that never logged in cannot be called idle: keep rather than guess.
	if (idleDays === null || idleDays < settings.freezeAfterDays) {
		const frozenNote = facts.isFrozen
			? '; frozen, but was active recently (unfreeze it if that was a mistake)'
			: '';
		return keep(
			`Active: ${activity}, within the ${settings.freezeAfterDays} days before freezing${eventLogNote(facts, settings, now)}${frozenNote}`,
		);
	}
	const idle = `Idle: ${activity}; the threshold is ${settings.freezeAfterDays} days`;

	if (facts.protectedReason) {
		if (facts.featureLicenses.length === 0)
			return keep(`${idle}. Stays active: ${facts.protectedReason}. Holds no feature licenses`);
		const frees = facts.featureLicenses.map((name) => ({ type: 'feature' as const, name }));
		return {
			...base,
			recommendation: 'removeFeatureLicenses',
			reason: `${idle}. Must stay active (${facts.protectedReason}), but its feature licenses (${list(facts.featureLicenses)}) can go; the Remove feature licenses node skips it the same way unless the rule is lifted there`,
			frees,
			...priceOf(frees, settings.prices),
		};
	}
	if (!facts.isFrozen) {
		return {
			...base,
			recommendation: 'freeze',
			reason: `${idle}. Freeze first: reversible, blocks logins, frees no seat yet (deactivate after ${settings.deactivateAfterFrozenDays} days frozen)`,
			monthlySavings: 0,
			frees: [],
			unpriced: [],
		};
	}
	if (frozenDays === null) {
		return keep(
			`${idle}. Frozen, but since when is unknown; wait for a known freeze date before deactivating`,
		);
	}
	if (frozenDays < settings.deactivateAfterFrozenDays) {
		return keep(
			`${idle}. Frozen ${frozenDays} days ago; deactivate after ${settings.deactivateAfterFrozenDays} days frozen (in ${settings.deactivateAfterFrozenDays - frozenDays} days)`,
		);
	}
	const frees = [
		...(facts.license ? [{ type: 'user' as const, name: facts.license }] : []),
		...facts.featureLicenses.map((name) => ({ type: 'feature' as const, name })),
		...facts.permissionSetLicenses.map((name) => ({ type: 'permissionSet' as const, name })),
		...(facts.packageLicenses ?? []).map((name) => ({ type: 'package' as const, name })),
	];
	return {
		...base,
		recommendation: 'deactivate',
		reason: `${idle}. Frozen ${frozenDays} days ago (threshold ${settings.deactivateAfterFrozenDays}) and still idle: deactivating frees the ${facts.license ?? 'user'} seat${frees.length > 1 ? ' and its other licenses' : ''}`,
		frees,
		...priceOf(frees, settings.prices),
	};
}

/** An inactive user still holding seats: what it holds and whether the writes may touch it. */
export interface OrphanFacts {
	packageLicenses: readonly string[];
	permissionSetLicenses: readonly string[];
	/** Why the writes would skip this user (protected list, administrator), from skipReason. */
	protectedReason: string | undefined;
}

/** Up to this many look-ups by ID, the orphaned seats' users are read by ID; beyond, by semi-joins. */
export const ORPHAN_LOOKUPS_MAX = 2;

/**
 * The queries that read the inactive users in scope still holding package seats or permission
 * set licenses. `candidates`: every holder (from the org-wide assignment reads) who is not an
 * active user in scope; none, no query. Up to ORPHAN_LOOKUPS_MAX batches of 500 IDs they are
 * looked up by ID; more, one semi-join query per kind (Salesforce allows no OR between
 * semi-joins), whatever their number.
 */
export function orphanedSeatsQueries(
	featureFields: readonly string[],
	includeExternal: boolean,
	now: DateTime,
	holders: { candidates: readonly string[]; packagesReadable: boolean },
): string[] {
	const inactive = (condition: string) =>
		buildUsersQuery({ status: 'inactive', includeExternal }, featureFields, {
			now,
			extraConditions: [condition],
		});
	const batches = chunkForInList(holders.candidates);
	if (batches.length <= ORPHAN_LOOKUPS_MAX)
		return batches.map((ids) => inactive(`Id IN ${inList(ids)}`));
	return [
		...(holders.packagesReadable ? [inactive(packageLicenseHolderCondition())] : []),
		inactive(permissionSetLicenseHolderCondition()),
	];
}

/** Every permission set license assignment (labels per user), inactive users' too. */
export const PERMISSION_SET_LICENSE_ASSIGNMENTS_QUERY =
	'SELECT AssigneeId, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign';

/** Every package seat (namespace prefixes per user), inactive users' too. */
export const PACKAGE_SEATS_QUERY =
	'SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense';

/** The successful logins since `since` (counted per user as they stream by). */
export function successfulLoginsQuery(since: DateTime): string {
	return `SELECT UserId, LoginTime, LoginType, ApiType FROM LoginHistory WHERE LoginTime >= ${soqlDateTime(since)} AND Status = 'Success'`;
}

/**
 * Orphaned seats: Salesforce frees only the user license on deactivation; package seats and
 * permission set licenses keep counting until removed. Removing them risks nothing (the user
 * cannot log in), so it is recommended at once: removePackageLicenses when the user holds
 * package seats (the costly ones), else removePermissionSetLicenses. The savings count every
 * orphaned seat; the reason names the second removal where both apply.
 */
export function decideOrphan(facts: OrphanFacts, settings: RecommendationSettings): Decision {
	const packages = facts.packageLicenses;
	const psls = facts.permissionSetLicenses;
	const held = [
		packages.length ? `package licenses ${list(packages)}` : '',
		psls.length ? `permission set licenses ${list(psls)}` : '',
	]
		.filter(Boolean)
		.join(' and ');
	const base = { idleDays: null, frozenDays: null };
	const stillHolds = `Inactive, but still holds ${held}: Salesforce keeps counting them until they are removed`;
	if (facts.protectedReason) {
		return {
			...base,
			recommendation: 'keep',
			reason: `${stillHolds}. Not recommended: ${facts.protectedReason} (the write actions skip it the same way unless the rule is lifted there)`,
			monthlySavings: 0,
			frees: [],
			unpriced: [],
		};
	}
	const frees = [
		...packages.map((name) => ({ type: 'package' as const, name })),
		...psls.map((name) => ({ type: 'permissionSet' as const, name })),
	];
	const both = packages.length > 0 && psls.length > 0;
	return {
		...base,
		recommendation: packages.length ? 'removePackageLicenses' : 'removePermissionSetLicenses',
		reason: `${stillHolds}. Removing them gives the seats back with no risk to anyone (the user cannot log in)${both ? '; Remove package licenses, then Remove permission set licenses (or Offboard user) frees both' : ''}`,
		frees,
		...priceOf(frees, settings.prices),
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Output items                                                                                 */
/* ------------------------------------------------------------------------------------------ */

const isoOrNull = (ms: number | undefined): string | null =>
	ms === undefined ? null : new Date(ms).toISOString();

/** The evidence object of a per-user item: the figures the decision rests on. */
export function evidenceOf(
	facts: UserFacts,
	decision: Decision,
	extra: { loginWindowDays: number; eventLogActivity: IDataObject | null },
): IDataObject {
	return {
		lastLoginDate: isoOrNull(facts.lastLoginDate),
		lastUiLogin: isoOrNull(facts.activity.lastUi),
		lastApiLogin: isoOrNull(facts.activity.lastApi),
		logins: {
			last30Days: { ui: facts.activity.ui30, api: facts.activity.api30 },
			last90Days: { ui: facts.activity.ui90, api: facts.activity.api90 },
		},
		loginHistoryDays: extra.loginWindowDays,
		idleDays: decision.idleDays,
		eventLogActivity: extra.eventLogActivity,
		frozenSince: facts.isFrozen ? isoOrNull(facts.frozenSince) : null,
		frozenDays: decision.frozenDays,
		createdDate: isoOrNull(facts.createdDate),
		license: facts.license,
		featureLicenses: [...facts.featureLicenses],
		permissionSetLicenses: [...facts.permissionSetLicenses],
		packageLicenses: [...(facts.packageLicenses ?? [])],
	};
}

/** The evidence of an orphaned-seats item: the seats an inactive user still holds. */
export function orphanEvidenceOf(
	facts: OrphanFacts,
	user: { lastLoginDate: number | undefined; license: string | null },
): IDataObject {
	return {
		isActive: false,
		lastLoginDate: isoOrNull(user.lastLoginDate),
		license: user.license,
		packageLicenses: [...facts.packageLicenses],
		permissionSetLicenses: [...facts.permissionSetLicenses],
	};
}

/** Running totals for the summary output: per license and for the org. */
export class SavingsSummary {
	private readonly held = new Map<
		string,
		{ type: LicenseType; name: string; inScope: number; reclaimable: number }
	>();
	private readonly counts = Object.fromEntries(RECOMMENDATIONS.map((r) => [r, 0])) as Record<
		Recommendation,
		number
	>;
	private users = 0;
	private orphanedSeats = 0;

	add(facts: UserFacts, decision: Decision): void {
		this.users++;
		this.counts[decision.recommendation]++;
		const heldLicenses = [
			...(facts.license ? [{ type: 'user' as const, name: facts.license }] : []),
			...facts.featureLicenses.map((name) => ({ type: 'feature' as const, name })),
			...facts.permissionSetLicenses.map((name) => ({ type: 'permissionSet' as const, name })),
			...(facts.packageLicenses ?? []).map((name) => ({ type: 'package' as const, name })),
		];
		for (const license of heldLicenses) this.entry(license.type, license.name).inScope++;
		for (const license of decision.frees) this.entry(license.type, license.name).reclaimable++;
	}

	/** An inactive user's orphaned seats: reclaimable, not among the active users in scope. */
	addOrphan(facts: OrphanFacts, decision: Decision): void {
		this.counts[decision.recommendation]++;
		this.orphanedSeats += facts.packageLicenses.length + facts.permissionSetLicenses.length;
		for (const license of decision.frees) this.entry(license.type, license.name).reclaimable++;
	}

	private entry(type: LicenseType, name: string) {
		const key = `${type}:${name.toLowerCase()}`;
		let entry = this.held.get(key);
		if (!entry) this.held.set(key, (entry = { type, name, inScope: 0, reclaimable: 0 }));
		return entry;
	}

	/**
	 * One item per license (the org's licenses as Get licenses lists them, plus any held license
	 * it does not list), then one org total. `used` is Salesforce's count where it publishes one
	 * (user, permission set and package licenses), else the users in scope that hold it (feature
	 * licenses).
	 */
	items(
		catalogue: readonly LicenseItem[],
		settings: RecommendationSettings,
		includeExternal: boolean,
	): IDataObject[] {
		const items: IDataObject[] = [];
		const seen = new Set<string>();
		const unpriced = new Set<string>();
		let totalCents = 0;
		const push = (type: LicenseType, name: string, total: number | null, used: number | null) => {
			const held = this.held.get(`${type}:${name.toLowerCase()}`);
			const price = settings.prices.get(name.toLowerCase());
			const reclaimable = held?.reclaimable ?? 0;
			const cents = price ? Math.round(price.monthlyPrice * 100) * reclaimable : 0;
			totalCents += cents;
			if (!price && held && (held.inScope > 0 || held.reclaimable > 0)) unpriced.add(name);
			items.push({
				license: name,
				type,
				total,
				used: used ?? held?.inScope ?? 0,
				reclaimable,
				monthlySavings: cents / 100,
				monthlyPrice: price ? price.monthlyPrice : null,
				priced: price !== undefined,
				currency: settings.currency,
			});
		};
		for (const license of catalogue) {
			if (!includeExternal && license.type !== 'feature' && isExternalLicenseName(license.name))
				continue;
			seen.add(`${license.type}:${license.name.toLowerCase()}`);
			push(
				license.type,
				license.name,
				license.total,
				license.type === 'feature' ? null : license.used,
			);
		}
		for (const [key, held] of this.held) if (!seen.has(key)) push(held.type, held.name, null, null);
		items.push({
			license: 'All licenses',
			type: 'total',
			total: null,
			used: this.users,
			reclaimable: this.counts.deactivate,
			monthlySavings: totalCents / 100,
			currency: settings.currency,
			recommendations: { ...this.counts },
			orphanedSeats: this.orphanedSeats,
			unpricedLicenses: [...unpriced].sort(),
		});
		return items;
	}
}
