/** Listing Event Log Files: the query pages of the matching EventLogFile records. */
import type { EventLogFilters } from '../salesforce/eventLogs';
import { buildEventLogFilesQuery } from '../salesforce/eventLogs';
import type { EventLogFile } from '../salesforce/records';
import type { SalesforceSession } from '../transport';
import { queryPages } from '../transport';

/** The matching EventLogFile records, newest first (one call a page of 2,000 files). */
export async function* listLogFiles(
	session: SalesforceSession,
	filters: EventLogFilters,
	limit?: number,
): AsyncGenerator<EventLogFile[]> {
	yield* queryPages<EventLogFile>(session, buildEventLogFilesQuery(filters, limit), { limit });
}
