/**
 * Streams one Event Log File's LogFile body. jsforce's own request buffers the whole body for
 * its promise, which a 1 GB log file must not do, so this is a plain HTTP GET with the session's
 * token: gzip is asked for (and undone while streaming), a 401 refreshes the session once the
 * way jsforce would, and an error answer becomes a Salesforce-shaped error.
 */
import * as http from 'http';
import * as https from 'https';
import { Readable } from 'stream';

import { gunzipIfNeeded } from '../../salesforce/eventLogCsv';
import type { SalesforceSession } from '../../transport';
import { dataPath } from '../../transport';

const MAX_ERROR_BODY = 64 * 1024;

export class LogFileDownloadError extends Error {
	constructor(
		message: string,
		readonly errorCode: string,
		readonly statusCode: number,
	) {
		super(message);
		this.name = errorCode;
	}
}

/** The LogFile body of one Event Log File as a stream of (decompressed) CSV bytes. */
export async function openLogFile(session: SalesforceSession, fileId: string): Promise<Readable> {
	if (!/^[a-zA-Z0-9]{15,18}$/.test(fileId)) throw new Error(`"${fileId}" is not an Event Log File ID`);
	const { conn } = session;
	const url = new URL(`${conn.instanceUrl}${dataPath(`/sobjects/EventLogFile/${fileId}/LogFile`)}`);

	const requestedAt = Date.now();
	let response = await get(url, conn.accessToken ?? '');
	const refresh = conn._refreshDelegate;
	if (response.statusCode === 401 && refresh) {
		response.resume();
		await refresh.refresh(requestedAt);
		response = await get(url, conn.accessToken ?? '');
	}
	const status = response.statusCode ?? 0;
	if (status >= 400) throw await errorFromResponse(response, status);
	return Readable.from(gunzipIfNeeded(response));
}

function get(url: URL, accessToken: string): Promise<http.IncomingMessage> {
	const client = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = client.get(
			url,
			{ headers: { Authorization: `Bearer ${accessToken}`, 'Accept-Encoding': 'gzip', Accept: 'text/csv, */*' } },
			resolve,
		);
		request.on('error', reject);
	});
}

/** Salesforce answers errors as JSON `[{ errorCode, message }]`. */
async function errorFromResponse(response: http.IncomingMessage, status: number): Promise<LogFileDownloadError> {
	let text = '';
	for await (const chunk of Readable.from(gunzipIfNeeded(response))) {
		if (text.length < MAX_ERROR_BODY) text += chunk.toString('utf8');
	}
	try {
		const body = JSON.parse(text) as unknown;
		const first = (Array.isArray(body) ? body[0] : body) as { errorCode?: string; message?: string } | undefined;
		if (first?.errorCode || first?.message) {
			return new LogFileDownloadError(first.message ?? text, first.errorCode ?? `ERROR_HTTP_${status}`, status);
		}
	} catch {
		// not JSON: use the text as it is
	}
	return new LogFileDownloadError(text.slice(0, 500) || `HTTP ${status}`, `ERROR_HTTP_${status}`, status);
}
