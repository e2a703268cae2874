/**
 * Streams one Event Log File's LogFile body: files reach 1 GB, so nothing is buffered. The
 * request goes through the same guarded path as every REST call (instance origin only, no
 * redirects, 401 -> renew once, 5xx retried before the body starts) in n8n's stream mode; gzip
 * is asked for and n8n's client undoes it (a gzip body without Content-Encoding is undone here,
 * with the platform's DecompressionStream). The body fails loudly instead of ending quietly
 * short: a stall or a cancelled execution stops it, fewer bytes than LogFileLength is a
 * LOG_FILE_TRUNCATED.
 */
import { gunzipIfNeeded } from '../salesforce/gzip';
import { SalesforceApiError, isSalesforceApiError } from './errors';
import { dataPath, openAuthorized } from './requests';
import type { SalesforceSession } from './session';
import { DEFAULT_TRANSPORT_OPTIONS } from './wire';

export interface OpenLogFileOptions {
	/** The file's LogFileLength: the size of the CSV once decompressed, in bytes. */
	expectedLength?: number;
	/** The download's overall deadline, when a file needs longer than the wire's allows. */
	overallTimeoutMs?: number;
}

/** The slowest link a download is still given time for: 100 KB/s (a 5 GB file gets 14 h). */
const MIN_DOWNLOAD_BYTES_PER_SECOND = 100 * 1024;

/**
 * A download's overall deadline: the transport's, or longer for a file too big to arrive in it
 * at MIN_DOWNLOAD_BYTES_PER_SECOND, so no file is too large to be read.
 */
export function downloadDeadline(
	expectedLength: number | undefined,
	overallTimeoutMs = DEFAULT_TRANSPORT_OPTIONS.overallTimeoutMs,
): number {
	const sized =
		expectedLength !== undefined && Number.isFinite(expectedLength)
			? (expectedLength / MIN_DOWNLOAD_BYTES_PER_SECOND) * 1000
			: 0;
	return Math.max(overallTimeoutMs, Math.ceil(sized));
}

/** The LogFile body of one Event Log File as (decompressed) CSV bytes, chunk by chunk. */
export async function openLogFile(
	session: SalesforceSession,
	fileId: string,
	options: OpenLogFileOptions = {},
): Promise<AsyncIterable<Buffer>> {
	if (!/^[a-zA-Z0-9]{15,18}$/.test(fileId)) {
		throw new SalesforceApiError(`"${fileId}" is not an Event Log File ID`, {
			code: 'MALFORMED_ID',
			phase: 'download',
		});
	}
	const { answer, target } = await openAuthorized(
		session,
		{
			method: 'GET',
			url: dataPath(`/sobjects/EventLogFile/${fileId}/LogFile`),
			stream: true,
			overallTimeoutMs:
				options.overallTimeoutMs ??
				downloadDeadline(options.expectedLength, session.wire.options.overallTimeoutMs),
		},
		'text/csv, */*',
	);
	const expected = options.expectedLength;
	return fileChunks(
		answer.chunks,
		answer.discard,
		target,
		fileId,
		expected !== undefined && Number.isFinite(expected) ? expected : undefined,
		session.wire.options.idleTimeoutMs,
	);
}

/** Decompressed bytes, checked against LogFileLength at the end. */
async function* fileChunks(
	raw: AsyncIterable<Buffer>,
	discard: () => void,
	target: URL,
	fileId: string,
	expectedLength: number | undefined,
	idleMs: number,
): AsyncGenerator<Buffer> {
	const truncated = (detail: string) =>
		new SalesforceApiError(`The Event Log File ${fileId} arrived incomplete: ${detail}`, {
			code: 'LOG_FILE_TRUNCATED',
			phase: 'download',
		});
	let size = 0;
	let complete = false;
	try {
		for await (const chunk of gunzipIfNeeded(raw)) {
			size += chunk.length;
			yield chunk;
		}
		complete = true;
	} catch (error) {
		throw asDownloadError(error, target, fileId, size, idleMs, truncated);
	} finally {
		if (!complete) discard();
	}
	if (expectedLength !== undefined && size !== expectedLength) {
		throw truncated(`${size} of its ${expectedLength} bytes (LogFileLength) arrived`);
	}
}

function asDownloadError(
	error: unknown,
	target: URL,
	fileId: string,
	size: number,
	idleMs: number,
	truncated: (detail: string) => SalesforceApiError,
): unknown {
	if (isSalesforceApiError(error)) {
		if (error.code === 'REQUEST_TIMEOUT' && /sent nothing/.test(error.message)) {
			return new SalesforceApiError(
				`The Event Log File ${fileId} stopped arriving: Salesforce at ${target.origin} sent nothing for ${Math.round(idleMs / 1000)} s`,
				{ code: 'REQUEST_TIMEOUT', phase: 'download' },
			);
		}
		// a connection that breaks off mid-body: the file is incomplete
		if (error.retryable || /^ERR_|^ECONNRESET$/.test(error.code)) {
			return truncated(`the connection closed after ${size} bytes`);
		}
		return error;
	}
	// a gzip stream that ends early is a truncated file too
	return truncated(`the compressed body ends early (${(error as Error)?.message ?? error})`);
}

/**
 * A whole file in one Buffer: for n8n's binary data, whose helper takes a Buffer or a Node
 * stream (n8n keeps binary data in memory by default anyway).
 */
export async function collectBytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	return Buffer.concat(parts);
}
