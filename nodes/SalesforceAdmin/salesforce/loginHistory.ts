/**
 * Get login history, the pure part: filters -> SOQL over LoginHistory, record -> output item.
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import type { DateRange } from './dates';
import type { ValueKind, ValueResult } from './filterValues';
import { toIsoUtc } from './dates';
import { parseUserReference, to18CharId } from './ids';
import type { LoginHistory } from './records';
import { inList, soqlDateTime, whereAll } from './soql';
import type { UserNames } from './userNames';
import { namesOf } from './userNames';

export const LOGIN_STATUS_FILTERS = ['success', 'failure', 'all'] as const;
export type LoginStatusFilter = (typeof LOGIN_STATUS_FILTERS)[number];

/** Salesforce keeps LoginHistory for about six months. */
export const LOGIN_HISTORY_RETENTION_MONTHS = 6;

export const LOGIN_HISTORY_FIELDS = [
	'Id',
	'UserId',
	'LoginTime',
	'LoginType',
	'Status',
	'SourceIp',
	'Application',
	'Browser',
	'Platform',
	'LoginUrl',
	'ApiType',
	'ApiVersion',
	'CountryIso',
] as const;

export interface LoginHistoryFilters {
	range: DateRange;
	userIds?: string[];
	status: LoginStatusFilter;
}

/**
 * Comma-separated user IDs (or an array from an expression) -> 18-character IDs. Only IDs:
 * LoginHistory has no username, and resolving usernames would cost a call. An empty value never
 * gets here (filterValue refuses it); a list of only commas is refused as empty.
 */
export const userIdListValue: ValueKind<string[]> = { parse: parseUserIdList };

export function parseUserIdList(raw: unknown): ValueResult<string[]> {
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) return { ok: false, reason: `expects comma-separated user IDs, got ${typeof raw}` };
	const ids: string[] = [];
	for (const part of parts) {
		const text = String(part ?? '').trim();
		if (!text) continue;
		const ref = parseUserReference(text);
		if (ref.kind !== 'id') {
			return {
				ok: false,
				reason:
					ref.kind === 'invalid'
						? ref.reason
						: `"${text}" is a username; give user IDs (15 or 18 characters, starting with 005)`,
			};
		}
		ids.push(ref.id);
	}
	if (ids.length === 0)
		return { ok: false, reason: 'is empty; give at least one user ID or remove the filter' };
	return { ok: true, value: [...new Set(ids)] };
}

/** SOQL over LoginHistory, newest first. `userIds` is one chunk of the filter's IDs. */
export function buildLoginHistoryQuery(
	filters: LoginHistoryFilters,
	userIds: readonly string[] | undefined,
	limit?: number,
): string {
	const conditions = [
		`LoginTime >= ${soqlDateTime(filters.range.since)}`,
		`LoginTime <= ${soqlDateTime(filters.range.until)}`,
		userIds && `UserId IN ${inList(userIds)}`,
		filters.status === 'success' && `Status = 'Success'`,
		filters.status === 'failure' && `Status != 'Success'`,
	];
	return (
		`SELECT ${LOGIN_HISTORY_FIELDS.join(', ')} FROM LoginHistory` +
		whereAll(conditions) +
		' ORDER BY LoginTime DESC' +
		(limit !== undefined ? ` LIMIT ${limit}` : '')
	);
}

/** The 18-char user ID of a LoginHistory record, or null. */
export function loginUserId(record: LoginHistory): string | null {
	const userId = record.UserId || null;
	return userId ? (to18CharId(userId) ?? userId) : null;
}

/** A LoginHistory record as an output item; `names` adds the user's username and name. */
export function mapLogin(record: LoginHistory, names?: UserNames): IDataObject {
	const userId = loginUserId(record);
	const { username, name } = namesOf(names, userId);
	return {
		id: record.Id ?? null,
		userId,
		username,
		name,
		loginTime: toIsoUtc(record.LoginTime),
		loginType: record.LoginType ?? null,
		status: record.Status ?? null,
		sourceIp: record.SourceIp ?? null,
		application: record.Application ?? null,
		browser: record.Browser ?? null,
		platform: record.Platform ?? null,
		loginUrl: record.LoginUrl ?? null,
		apiType: record.ApiType ?? null,
		apiVersion: record.ApiVersion ?? null,
		countryIso: record.CountryIso ?? null,
	};
}

/** The notice for a since older than Salesforce keeps, or undefined when it is within range. */
export function retentionNotice(since: DateTime, now: DateTime): string | undefined {
	const oldest = now.minus({ months: LOGIN_HISTORY_RETENTION_MONTHS });
	if (since >= oldest) return undefined;
	return (
		`"Since" is ${since.toISODate()}, but Salesforce keeps login history for about ` +
		`${LOGIN_HISTORY_RETENTION_MONTHS} months, so logins before about ${oldest.toISODate()} ` +
		'are not returned. Use a Salesforce login history export or Event Monitoring for older data.'
	);
}
