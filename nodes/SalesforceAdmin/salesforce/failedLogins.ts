/**
 * The failed-login trigger, the pure part: the window query over LoginHistory and, for "Min
 * Failures" above 1, the bursts (a user's failures within a sliding window) and their items.
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { LOGIN_HISTORY_FIELDS } from './loginHistory';
import type { WindowCursor, WindowOptions } from './pollWindow';
import { pruneSeen, salesforceMillis } from './pollWindow';
import type { LoginHistory } from './records';
import { soqlDateTime, whereAll } from './soql';

export const FAILED_LOGIN_CONDITION = `Status != 'Success'`;

/** Failed logins at or after `from`, oldest first, one page at most. */
export function failedLoginWindowQuery(from: DateTime, maxRows: number): string {
	return (
		`SELECT ${LOGIN_HISTORY_FIELDS.join(', ')} FROM LoginHistory` +
		whereAll([`LoginTime >= ${soqlDateTime(from)}`, FAILED_LOGIN_CONDITION]) +
		` ORDER BY LoginTime ASC, Id ASC LIMIT ${maxRows}`
	);
}

/** Any login, newest: the activation's read (the org's clock, and the permission to read). */
export const LATEST_LOGIN_QUERY = 'SELECT Id FROM LoginHistory ORDER BY LoginTime DESC LIMIT 1';

export interface FailureBurst extends IDataObject {
	userId: string | null;
	username: string | null;
	name: string | null;
	failureCount: number;
	firstLoginTime: string | null;
	lastLoginTime: string | null;
	sourceIps: string[];
}

export interface BurstRules {
	minFailures: number;
	/** A burst's failures lie within this span of its first one (LoginTime). */
	windowMs: number;
}

/**
 * The bursts among failed logins: per user, `minFailures` or more failures not reported before
 * (`reported`: IDs) within `windowMs`, sliding over LoginTime. A burst takes every unreported
 * failure of its window, and a failure is in one burst at most, so each burst is reported once;
 * failures that come later (or are written late) start the count afresh. Oldest burst first.
 */
export function findBursts(
	records: readonly LoginHistory[],
	reported: Readonly<Record<string, unknown>>,
	rules: BurstRules,
): LoginHistory[][] {
	const byUser = new Map<string, Array<{ record: LoginHistory; time: number }>>();
	const taken = new Set<string>();
	for (const record of records) {
		const id = String(record.Id);
		const time = salesforceMillis(record.LoginTime);
		if (id in reported || taken.has(id) || !Number.isFinite(time)) continue;
		taken.add(id);
		const key = String(record.UserId ?? '');
		byUser.set(key, [...(byUser.get(key) ?? []), { record, time }]);
	}
	const bursts: Array<Array<{ record: LoginHistory; time: number }>> = [];
	for (const failures of byUser.values()) {
		failures.sort((a, b) => a.time - b.time);
		let first = 0;
		for (let end = 0; end < failures.length; end++) {
			while (failures[end].time - failures[first].time > rules.windowMs) first++;
			if (end - first + 1 < rules.minFailures) continue;
			let last = end;
			while (
				last + 1 < failures.length &&
				failures[last + 1].time - failures[first].time <= rules.windowMs
			)
				last++;
			bursts.push(failures.slice(first, last + 1));
			first = last + 1;
			end = last;
		}
	}
	return bursts
		.sort((a, b) => a[0].time - b[0].time)
		.map((burst) => burst.map((failure) => failure.record));
}

/**
 * One poll of Min Failures above 1. Each poll reads the failures of the last window (plus the
 * overlap for rows written late), so a burst split over polls is whole again in one read; the
 * cursor keeps only the IDs of failures already reported, which a poll that reports nothing
 * does not change. So a restart that loses a quiet poll's state loses nothing: the next poll
 * reads the window again from the last saved cursor, an older and longer one.
 * A full answer (a backlog of `maxRows` failures) continues at its last row, without looking
 * back: a burst across that seam may be missed, not reported twice.
 */
export function burstStep(
	cursor: WindowCursor,
	records: readonly LoginHistory[],
	rules: BurstRules,
	options: WindowOptions,
): { bursts: LoginHistory[][]; cursor: WindowCursor } {
	const bursts = findBursts(records, cursor.seen, rules);
	const seen: Record<string, number> = { ...cursor.seen };
	for (const failure of bursts.flat())
		seen[String(failure.Id)] = salesforceMillis(failure.LoginTime);
	const full = records.length >= options.maxRows && records.length > 0;
	const next = full
		? salesforceMillis(records[records.length - 1].LoginTime)
		: options.now - options.overlapMs - rules.windowMs;
	const from = Math.max(cursor.from, next);
	return { bursts, cursor: pruneSeen({ from, seen }, options.maxSeen) };
}

/**
 * Login items (as mapLogin makes them) -> one item per user with at least `minFailures` of them,
 * in order of the user's first failure.
 */
export function failureBursts(logins: readonly IDataObject[], minFailures: number): FailureBurst[] {
	const byUser = new Map<string, FailureBurst>();
	for (const login of logins) {
		const userId = (login.userId as string | null) ?? null;
		const key = userId ?? '';
		const time = (login.loginTime as string | null) ?? null;
		let burst = byUser.get(key);
		if (!burst) {
			burst = {
				userId,
				username: (login.username as string | null) ?? null,
				name: (login.name as string | null) ?? null,
				failureCount: 0,
				firstLoginTime: time,
				lastLoginTime: time,
				sourceIps: [],
			};
			byUser.set(key, burst);
		}
		burst.failureCount++;
		if (time && (!burst.firstLoginTime || time < burst.firstLoginTime)) burst.firstLoginTime = time;
		if (time && (!burst.lastLoginTime || time > burst.lastLoginTime)) burst.lastLoginTime = time;
		const ip = login.sourceIp as string | null;
		if (ip && !burst.sourceIps.includes(ip)) burst.sourceIps.push(ip);
	}
	return [...byUser.values()].filter((b) => b.failureCount >= minFailures);
}
