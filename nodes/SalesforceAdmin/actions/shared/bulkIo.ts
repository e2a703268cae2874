/**
 * The HTTP side of a Bulk API 2.0 query job (BulkQueryIo) on the current transport.
 * TEMPORARY: transport/ is being rewritten on its own HTTP client; once that is merged this
 * moves to transport/bulk.ts and reads results pages through the new client. Until then the
 * JSON calls go through the transport's `send` and a results page (CSV, whose `Sforce-Locator`
 * header `send` does not return) through fetch with the session's token.
 */
import { Readable } from 'stream';

import type { BulkJobInfo, BulkQueryIo } from '../../salesforce/bulkQuery';
import { nextLocatorOf } from '../../salesforce/bulkQuery';
import type { SalesforceSession } from '../../transport';
import { dataPath, send, withApiUsage } from '../../transport';

const jobPath = (jobId?: string) => dataPath(`/jobs/query${jobId ? `/${encodeURIComponent(jobId)}` : ''}`);

async function resultsPage(session: SalesforceSession, jobId: string, locator: string | undefined) {
	const query = locator ? `?locator=${encodeURIComponent(locator)}` : '';
	const url = `${session.conn.instanceUrl}${jobPath(jobId)}/results${query}`;
	const res = await fetch(url, { headers: { Authorization: `Bearer ${session.conn.accessToken}`, Accept: 'text/csv' } });
	if (res.ok && res.body) {
		// streamed: the page is parsed as it arrives
		const stream = Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
		return { body: stream, nextLocator: nextLocatorOf(res.headers.get('sforce-locator') ?? undefined) };
	}
	const body = await res.text();
	if (!res.ok) {
		let code = `HTTP_${res.status}`;
		let message = body.slice(0, 500);
		try {
			const parsed = JSON.parse(body) as Array<{ errorCode?: string; message?: string }>;
			code = parsed[0]?.errorCode ?? code;
			message = parsed[0]?.message ?? message;
		} catch {
			// not JSON: keep the text
		}
		throw withApiUsage(session, Object.assign(new Error(message), { errorCode: code, statusCode: res.status }));
	}
	return { body, nextLocator: nextLocatorOf(res.headers.get('sforce-locator') ?? undefined) };
}

export function bulkQueryIo(session: SalesforceSession): BulkQueryIo {
	return {
		createJob: async (soql, operation) =>
			await send<BulkJobInfo>(session, {
				method: 'POST',
				url: jobPath(),
				body: JSON.stringify({ operation, query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' }),
				headers: { 'Content-Type': 'application/json' },
			}),
		jobInfo: async (jobId) => await send<BulkJobInfo>(session, { method: 'GET', url: jobPath(jobId) }),
		resultsPage: async (jobId, locator) => await resultsPage(session, jobId, locator),
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
