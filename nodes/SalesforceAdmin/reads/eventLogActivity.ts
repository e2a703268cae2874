/**
 * Event Log File activity for Get license recommendations, where the credential may read it:
 * a user who works in one long session logs in rarely but leaves events. Reads the newest Daily
 * file of each activity type of the last week (one list call, one download per type, at most
 * five), summed per user in bounded memory (eventLog's PerUserSummary: one record per user).
 * Without View Event Log Files the read is skipped with a notice, never an error.
 */
import type { DateTime } from 'luxon';
import type { INode } from 'n8n-workflow';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../salesforce/eventLogCsv';
import { buildEventLogFilesQuery, isEventLogAccessError } from '../salesforce/eventLogs';
import type { EventActivity, EventActivityRead } from '../salesforce/activityEvidence';
import type { EventLogFile } from '../salesforce/records';
import { ACTIVITY_EVENT_TYPES, LOOKBACK_DAYS, newestPerType } from '../salesforce/activityEvidence';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, openLogFile, toNodeApiError } from '../transport';
import { readLogFiles } from './logFiles';
import type { WithNotices } from './withNotices';

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
