/** Listing Event Log Files: the query pages of the matching EventLogFile records. */
import type { IDataObject } from 'n8n-workflow';

import type { EventLogFilters } from '../salesforce/eventLogs';
import { buildEventLogFilesQuery } from '../salesforce/eventLogs';
import type { SalesforceSession } from '../transport';
import { queryPages } from '../transport';

/** The matching EventLogFile records, newest first (one call a page of 2,000 files). */
export async function* listLogFiles(
	session: SalesforceSession,
	filters: EventLogFilters,
	limit?: number,
): AsyncGenerator<IDataObject[]> {
	yield* queryPages(session, buildEventLogFilesQuery(filters, limit), { limit });
}
