/**
 * The failed-login trigger, the pure part: the window query over LoginHistory and the per-user
 * burst items for "Min Failures" above 1.
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { LOGIN_HISTORY_FIELDS } from './loginHistory';
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

export interface FailureBurst extends IDataObject {
	userId: string | null;
	username: string | null;
	name: string | null;
	failureCount: number;
	firstLoginTime: string | null;
	lastLoginTime: string | null;
	sourceIps: string[];
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
