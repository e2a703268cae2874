/**
 * Bulk API 2.0 query jobs over n8n's request helpers: the calls of one job (create, state,
 * results pages, abort) as salesforce/bulkQuery.ts's BulkQueryIo. JSON calls go through `send`
 * (retries, renewal, errors as everywhere); a results page through the same guarded path in
 * stream mode (gzip asked for, undone by n8n's client), its CSV streamed with the
 * `Sforce-Locator` of the next page. The job is polled with n8n's `sleep`.
 */
import { sleep } from 'n8n-workflow';

import type { BulkJobInfo, BulkPacing, BulkQueryIo } from '../salesforce/bulkQuery';
import { BULK_POLL_TIMES, nextLocatorOf } from '../salesforce/bulkQuery';
import { dataPath, openAuthorized, send } from './requests';
import type { SalesforceSession } from './session';

/**
 * How a job's state is polled: the poll times of salesforce/bulkQuery.ts on the real clock. A
 * session may poll otherwise (SalesforceSession.bulk: tests poll quicker).
 */
export const DEFAULT_BULK_PACING: Readonly<BulkPacing> = Object.freeze({
	...BULK_POLL_TIMES,
	sleep,
	now: () => Date.now(),
});

const jobPath = (jobId?: string) =>
	dataPath(`/jobs/query${jobId ? `/${encodeURIComponent(jobId)}` : ''}`);

/** The calls of Bulk API 2.0 query jobs on this session, one REST API call each. */
export function bulkQueryIo(session: SalesforceSession): BulkQueryIo {
	return {
		createJob: async (soql, operation) =>
			await send<BulkJobInfo>(session, {
				method: 'POST',
				url: jobPath(),
				body: JSON.stringify({
					operation,
					query: soql,
					contentType: 'CSV',
					columnDelimiter: 'COMMA',
					lineEnding: 'LF',
				}),
				headers: { 'Content-Type': 'application/json' },
			}),
		jobInfo: async (jobId) =>
			await send<BulkJobInfo>(session, { method: 'GET', url: jobPath(jobId) }),
		resultsPage: async (jobId, locator) => {
			const query = locator ? `?locator=${encodeURIComponent(locator)}` : '';
			const { answer } = await openAuthorized(
				session,
				{ method: 'GET', url: `${jobPath(jobId)}/results${query}`, stream: true },
				'text/csv',
			);
			return {
				body: answer.chunks,
				nextLocator: nextLocatorOf(answer.header('sforce-locator')),
				discard: answer.discard,
			};
		},
		abortJob: async (jobId) => {
			await send(session, {
				method: 'PATCH',
				url: jobPath(jobId),
				body: JSON.stringify({ state: 'Aborted' }),
				headers: { 'Content-Type': 'application/json' },
			});
		},
	};
}
