/**
 * Bulk API 2.0 query jobs on the transport's own client: the calls of one job (create, state,
 * results pages, abort) as salesforce/bulkQuery.ts's BulkQueryIo. JSON calls go through `send`
 * (retries, renewal, errors as everywhere); a results page through the same guarded path as a
 * LogFile download, its CSV streamed (gzip undone) with the `Sforce-Locator` of the next page.
 */
import type { IncomingMessage } from 'http';
import { pipeline } from 'stream';
import { createGunzip } from 'zlib';

import type { BulkJobInfo, BulkPacing, BulkQueryIo } from '../salesforce/bulkQuery';
import { BULK_POLL_TIMES, nextLocatorOf } from '../salesforce/bulkQuery';
import { SalesforceApiError, isSalesforceApiError } from './errors';
import { checkDeadline, networkError, sleep, transportOptions } from './http';
import { dataPath, openAuthorized, send } from './requests';
import type { SalesforceSession } from './session';

/** How a job's state is polled: the poll times of salesforce/bulkQuery.ts on the real clock. */
export const bulkPacing: BulkPacing = { ...BULK_POLL_TIMES, sleep, now: () => Date.now() };

const jobPath = (jobId?: string) =>
	dataPath(`/jobs/query${jobId ? `/${encodeURIComponent(jobId)}` : ''}`);

/**
 * The page's CSV bytes as they come off the wire, decompressed. The idle timer runs only while
 * a chunk is wanted (a slow consumer is no stall); a body cut short fails, never ends quietly.
 */
async function* pageChunks(res: IncomingMessage, target: URL): AsyncGenerator<Buffer> {
	const gzip = String(res.headers['content-encoding'] ?? '')
		.toLowerCase()
		.includes('gzip');
	const stream = gzip
		? pipeline(res, createGunzip({ chunkSize: 64 * 1024 }), () => undefined)
		: res;
	const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	const timeoutMs = transportOptions.idleTimeoutMs;
	let complete = false;
	try {
		for (;;) {
			let timer: NodeJS.Timeout | undefined;
			const stalled = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() =>
						reject(
							new SalesforceApiError(
								`Bulk API results from ${target.origin} stopped arriving for ${Math.round(timeoutMs / 1000)} s`,
								{ code: 'REQUEST_TIMEOUT', phase: 'request' },
							),
						),
					timeoutMs,
				);
			});
			let next: IteratorResult<Buffer>;
			try {
				next = await Promise.race([iterator.next(), stalled]);
			} finally {
				clearTimeout(timer);
			}
			if (next.done) break;
			checkDeadline(res, target);
			yield next.value;
		}
		complete = true;
	} catch (error) {
		throw isSalesforceApiError(error) ? error : networkError(target, error as Error);
	} finally {
		if (!complete) {
			res.destroy();
			stream.destroy();
		}
	}
}

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
			const { res, target } = await openAuthorized(
				session,
				{ method: 'GET', url: `${jobPath(jobId)}/results${query}` },
				'text/csv',
			);
			const header = res.headers['sforce-locator'];
			return {
				body: pageChunks(res, target),
				nextLocator: nextLocatorOf(Array.isArray(header) ? header[0] : header),
				discard: () => res.destroy(),
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
