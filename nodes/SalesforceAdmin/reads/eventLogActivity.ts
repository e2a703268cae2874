/**
 * Event Log File activity for Get license recommendations, where the credential may read it:
 * a user who works in one long session logs in rarely but leaves events. Reads the newest Daily
 * file of each activity type of the last week (one list call, one download per type, at most
 * five), summed per user in bounded memory (eventLog's PerUserSummary: one record per user).
 * Without View Event Log Files the read is skipped with a notice, never an error.
 */
import type { DateTime } from 'luxon';
import type { IDataObject, INode } from 'n8n-workflow';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../salesforce/eventLogCsv';
import { buildEventLogFilesQuery, isEventLogAccessError } from '../salesforce/eventLogs';
import type { EventLogFile } from '../salesforce/records';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, openLogFile, toNodeApiError } from '../transport';
import { readLogFiles } from './logFiles';
import type { WithNotices } from './withNotices';

/**
 * Event types that mean someone used the org: pages (Lightning, Classic), API calls, and API
 * Total Usage, which orgs without Event Monitoring get too (kept 1 day).
 */
export const ACTIVITY_EVENT_TYPES = ['LightningPageView', 'URI', 'API', 'RestApi', 'ApiTotalUsage'];
const LOOKBACK_DAYS = 7;

export interface EventActivity {
	lastEventTime: string | null;
	eventCount: number;
	eventTypes: string[];
}

export interface EventActivityRead {
	/** Per 18-char user ID; users without events are not in it. */
	byUser: Map<string, EventActivity>;
	/** The log dates read (ISO), empty when none was found. */
	logDates: string[];
	/** false when the credential may not read Event Log Files. */
	readable: boolean;
}

/** The newest file of each type: Salesforce lists them newest first. */
function newestPerType(files: readonly EventLogFile[]): EventLogFile[] {
	const seen = new Set<string>();
	return files.filter((file) => {
		const type = String(file.EventType);
		if (seen.has(type)) return false;
		seen.add(type);
		return true;
	});
}

/** `node`: a refusal other than the permission's becomes this node's error, as before the move. */
export async function readEventLogActivity(
	node: INode,
	session: SalesforceSession,
	now: DateTime,
): Promise<WithNotices<EventActivityRead>> {
	const range = { since: now.minus({ days: LOOKBACK_DAYS }), until: now.plus({ days: 1 }) };
	let files: EventLogFile[];
	try {
		files = newestPerType(
			await readLogFiles(
				session,
				buildEventLogFilesQuery({ range, eventTypes: ACTIVITY_EVENT_TYPES, interval: 'daily' }),
			),
		);
		const summary = new PerUserSummary();
		for (const file of files) {
			const body = await openLogFile(session, file.Id, {
				expectedLength: Number(file.LogFileLength),
			});
			const types = fieldTypeMap(file.LogFileFieldNames, file.LogFileFieldTypes);
			await forEachEventRow(body, types, (row) => summary.add(row, String(file.EventType)), {
				only: SUMMARY_COLUMNS,
			});
		}
		const byUser = new Map<string, EventActivity>();
		for (const item of summary.items()) {
			if (typeof item.userId !== 'string') continue;
			byUser.set(item.userId, {
				lastEventTime: (item.lastEventTime as string | null) ?? null,
				eventCount: item.eventCount as number,
				eventTypes: item.eventTypes as string[],
			});
		}
		const logDates = [...new Set(files.map((f) => String(f.LogDate)))];
		return { data: { byUser, logDates, readable: true }, notices: [] };
	} catch (error) {
		const info = describeSalesforceError(error);
		if (
			!isEventLogAccessError({
				errorCode: info.code,
				message: info.message,
				statusCode: (error as { httpStatus?: number }).httpStatus,
			})
		) {
			throw toNodeApiError(node, error);
		}
		return {
			data: { byUser: new Map(), logDates: [], readable: false },
			notices: [
				`Event Log File activity was not read: the connected user cannot read Event Log Files (${info.code}). Logins alone decide who is idle; grant "View Event Log Files" to add page views and API calls as evidence.`,
			],
		};
	}
}

/** The evidence entry of one user: null when Event Log Files could not be read. */
export function eventEvidence(read: EventActivityRead, userId: string): IDataObject | null {
	if (!read.readable) return null;
	const activity = read.byUser.get(userId);
	return {
		lastEventTime: activity?.lastEventTime ?? null,
		eventCount: activity?.eventCount ?? 0,
		eventTypes: activity?.eventTypes ?? [],
		logDates: read.logDates,
	};
}
