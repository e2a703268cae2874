/**
 * Listing Event Log Files: the query pages of the matching EventLogFile records, and the error
 * that says how to grant View Event Log Files when Salesforce refuses them.
 */
import type { INode } from 'n8n-workflow';

import type { EventLogErrorLike, EventLogFilters } from '../salesforce/eventLogs';
import {
	buildEventLogFilesQuery,
	EVENT_LOG_GRANT_HELP,
	isEventLogAccessError,
} from '../salesforce/eventLogs';
import type { EventLogFile } from '../salesforce/records';
import type { SalesforceSession } from '../transport';
import { queryAll, queryPages, toNodeApiError } from '../transport';

/** The matching EventLogFile records, newest first (one call a page of 2,000 files). */
export async function* listLogFiles(
	session: SalesforceSession,
	filters: EventLogFilters,
	limit?: number,
): AsyncGenerator<EventLogFile[]> {
	yield* queryPages<EventLogFile>(session, buildEventLogFilesQuery(filters, limit), { limit });
}

/** The EventLogFile records one query finds (the trigger's window and sample queries). */
export async function readLogFiles(
	session: SalesforceSession,
	soql: string,
): Promise<EventLogFile[]> {
	return await queryAll<EventLogFile>(session, soql);
}

/**
 * The error for a refused Event Log File read or download: one that says which permission to
 * grant and how (for the event-log operations, the license activity read and the trigger); any
 * other error as it came.
 */
export function eventLogError(
	ctx: { getNode(): INode },
	error: EventLogErrorLike,
	itemIndex: number,
): Error {
	if (!isEventLogAccessError(error)) return error as Error;
	const apiError = toNodeApiError(ctx.getNode(), error, itemIndex);
	// an error that is already the node's (toNodeApiError hands it back) is left as it is
	if (apiError === (error as unknown)) return apiError;
	apiError.message = `The connected user cannot read Event Log Files (${error.errorCode ?? 'HTTP 403'}: ${error.message ?? ''})`;
	apiError.description = EVENT_LOG_GRANT_HELP;
	return apiError;
}
