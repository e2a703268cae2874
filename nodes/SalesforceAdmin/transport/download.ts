/**
 * Streams one Event Log File's LogFile body: files reach 1 GB, so nothing is buffered. The
 * request goes through the same guarded path as every REST call (instance origin only, no
 * redirects, 401 -> renew once, 5xx retried before the body starts); the body then fails
 * loudly instead of ending quietly short: a stall is a REQUEST_TIMEOUT, and fewer bytes than
 * Content-Length or LogFileLength a LOG_FILE_TRUNCATED.
 */
import type { IncomingMessage } from 'http';
import { Readable, pipeline } from 'stream';
import { createGunzip } from 'zlib';

import { SalesforceApiError, isSalesforceApiError } from './errors';
import { checkDeadline, transportOptions } from './http';
import { dataPath, openAuthorized } from './requests';
import type { SalesforceSession } from './session';

export interface OpenLogFileOptions {
	/** The file's LogFileLength: the size of the CSV once decompressed, in bytes. */
	expectedLength?: number;
}

/** The LogFile body of one Event Log File as a stream of (decompressed) CSV bytes. */
export async function openLogFile(
	session: SalesforceSession,
	fileId: string,
	options: OpenLogFileOptions = {},
): Promise<Readable> {
	if (!/^[a-zA-Z0-9]{15,18}$/.test(fileId)) {
		throw new SalesforceApiError(`"${fileId}" is not an Event Log File ID`, {
			code: 'MALFORMED_ID',
			phase: 'download',
		});
	}
	const { res, target } = await openAuthorized(
		session,
		{ method: 'GET', url: dataPath(`/sobjects/EventLogFile/${fileId}/LogFile`) },
		'text/csv, */*',
	);
	const expected = options.expectedLength;
	const file = new FileBody(
		res,
		target,
		fileId,
		expected !== undefined && Number.isFinite(expected) ? expected : undefined,
	);
	return Readable.from(file.chunks());
}

const GZIP_MAGIC = [0x1f, 0x8b];

class FileBody {
	private readonly declaredLength?: number;

	constructor(
		private readonly res: IncomingMessage,
		private readonly target: URL,
		private readonly fileId: string,
		private readonly expectedLength?: number,
	) {
		const header = Number(res.headers['content-length']);
		this.declaredLength =
			res.headers['content-length'] !== undefined && Number.isFinite(header) ? header : undefined;
	}

	/** Decompressed bytes, checked against LogFileLength at the end. */
	async *chunks(): AsyncGenerator<Buffer> {
		let size = 0;
		try {
			for await (const chunk of this.decompressed()) {
				size += chunk.length;
				yield chunk;
			}
		} catch (error) {
			throw this.asDownloadError(error);
		}
		if (this.expectedLength !== undefined && size !== this.expectedLength) {
			throw this.truncated(`${size} of its ${this.expectedLength} bytes (LogFileLength) arrived`);
		}
	}

	/** gzip is undone whether or not Content-Encoding says so: a CSV never starts with 1f 8b. */
	private async *decompressed(): AsyncGenerator<Buffer> {
		const raw = this.raw();
		const first = await raw.next();
		if (first.done) return;
		const head = first.value;
		if (head[0] !== GZIP_MAGIC[0] || (head.length > 1 && head[1] !== GZIP_MAGIC[1])) {
			yield head;
			yield* raw;
			return;
		}
		async function* again() {
			yield head;
			yield* raw;
		}
		// 64 KB output chunks rather than zlib's 16 KB: a quarter of the per-chunk overhead
		const gunzip = pipeline(
			Readable.from(again()),
			createGunzip({ chunkSize: 64 * 1024 }),
			() => undefined,
		);
		try {
			for await (const chunk of gunzip) yield chunk as Buffer;
		} finally {
			gunzip.destroy();
		}
	}

	/**
	 * The bytes as they come off the wire. The idle timer runs only while a chunk is wanted, so
	 * a slow consumer is never mistaken for a stalled Salesforce.
	 */
	private async *raw(): AsyncGenerator<Buffer> {
		const iterator = this.res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
		let received = 0;
		let complete = false;
		try {
			for (;;) {
				const next = await this.withIdleTimeout(iterator.next());
				if (next.done) break;
				checkDeadline(this.res, this.target);
				received += next.value.length;
				yield next.value;
			}
			complete = true;
		} catch (error) {
			if (isSalesforceApiError(error)) throw error;
			throw this.truncated(
				`the connection closed after ${received}${this.declaredLength === undefined ? '' : ` of ${this.declaredLength}`} bytes`,
			);
		} finally {
			if (!complete) this.res.destroy();
		}
		if (this.declaredLength !== undefined && received !== this.declaredLength) {
			throw this.truncated(`${received} of ${this.declaredLength} bytes (Content-Length) arrived`);
		}
	}

	private async withIdleTimeout<T>(pending: Promise<T>): Promise<T> {
		const ms = transportOptions.idleTimeoutMs;
		let timer: NodeJS.Timeout | undefined;
		const stalled = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				const error = new SalesforceApiError(
					`The Event Log File ${this.fileId} stopped arriving: Salesforce at ${this.target.origin} sent nothing for ${Math.round(ms / 1000)} s`,
					{ code: 'REQUEST_TIMEOUT', phase: 'download' },
				);
				this.res.destroy(error);
				reject(error);
			}, ms);
		});
		try {
			return await Promise.race([pending, stalled]);
		} finally {
			clearTimeout(timer);
		}
	}

	private truncated(detail: string): SalesforceApiError {
		return new SalesforceApiError(
			`The Event Log File ${this.fileId} arrived incomplete: ${detail}`,
			{
				code: 'LOG_FILE_TRUNCATED',
				phase: 'download',
			},
		);
	}

	/** A gzip stream that ends early is a truncated file too. */
	private asDownloadError(error: unknown): unknown {
		if (isSalesforceApiError(error)) return error;
		const code = (error as { code?: unknown })?.code;
		if (typeof code === 'string' && code.startsWith('Z_'))
			return this.truncated(`the compressed body ends early (${code})`);
		return error;
	}
}
