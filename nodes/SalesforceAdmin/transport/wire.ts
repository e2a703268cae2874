/**
 * The one way bytes reach Salesforce: n8n's own request helpers (`helpers.httpRequest`; the
 * credential test's `helpers.request` where n8n hands it nothing else), so n8n's proxy and TLS
 * settings apply and no Node network module is touched. One call here is one exchange on the
 * wire: it never follows a redirect (n8n's client would re-send the token to wherever it points)
 * and never retries; requests.ts decides what to do with the answer.
 *
 * Deadlines, without timers of our own: every request has an overall deadline
 * (`AbortSignal.timeout`) and an idle timeout (n8n's `timeout`, a socket that stays silent; for a
 * streamed body a watchdog that counts only while a chunk is wanted, so a slow consumer is never
 * mistaken for a stalled Salesforce), and stops when the execution is cancelled.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { SalesforceApiError } from './errors';

export interface TransportOptions {
	/** A request fails when nothing arrives for this long: no answer, or a body that stalls. */
	idleTimeoutMs: number;
	/**
	 * A request fails when it has not finished after this long, however steadily bytes trickle
	 * in: sized for the largest Event Log File (a few GB on a slow link). A read that needs more
	 * passes its own (`WireRequest.overallTimeoutMs`).
	 */
	overallTimeoutMs: number;
	/** Retries of a GET after 502/503/504 or a network error (never of PATCH or POST). */
	maxRetries: number;
	/** Pause before the first retry; doubles after each. */
	retryDelayMs: number;
	/** A longer Retry-After is not waited for: the error surfaces instead. */
	maxRetryAfterMs: number;
	/** Bytes of an error answer that are read; the rest is dropped. */
	maxErrorBodyBytes: number;
}

/**
 * Generous for unattended nightly runs; what n8n runs with. A wire is made with its own options
 * (wireFrom), so tests that need shorter deadlines pass them in instead of changing these.
 */
export const DEFAULT_TRANSPORT_OPTIONS: Readonly<TransportOptions> = Object.freeze({
	idleTimeoutMs: 120_000,
	overallTimeoutMs: 3 * 60 * 60_000,
	maxRetries: 3,
	retryDelayMs: 500,
	maxRetryAfterMs: 30_000,
	maxErrorBodyBytes: 64 * 1024,
});

export interface WireRequest {
	method: string;
	/** Absolute: the caller has checked where it goes. */
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** The body as chunks while they arrive (Event Log Files, Bulk results), not as one text. */
	stream?: boolean;
	/** This request's own overall deadline, instead of the wire's overallTimeoutMs. */
	overallTimeoutMs?: number;
}

export interface WireAnswer {
	status: number;
	/** A response header (name in any case); several values joined with ", ". */
	header(name: string): string | undefined;
	/** The whole body as text (gzip undone by n8n's client); '' for a streamed answer. */
	text: string;
	/** A streamed answer's body chunks; a stall, a cut or a deadline fails the iteration. */
	chunks: AsyncIterable<Buffer>;
	/** Stops reading a streamed answer and closes its connection. */
	discard(): void;
}

/** One exchange on the wire, and the deadlines and retries it was made with. */
export interface Wire {
	(request: WireRequest): Promise<WireAnswer>;
	readonly options: Readonly<TransportOptions>;
}

/**
 * The options of n8n's legacy `helpers.request`, the only request helper n8n (1.x and 2.x)
 * hands a node's credential test function; used there only, and only when `httpRequest` is absent.
 */
interface LegacyRequestOptions {
	method: string;
	uri: string;
	headers: Record<string, string>;
	body?: string;
	resolveWithFullResponse: true;
	simple: false;
	followRedirect: false;
	followAllRedirects: false;
	json: false;
	encoding: null;
	timeout: number;
}

/** The request helpers n8n hands a node, a poll, a preAuthentication or a credential test. */
export interface RequestHelpers {
	httpRequest?: (options: IHttpRequestOptions) => Promise<unknown>;
	request?: (options: LegacyRequestOptions) => Promise<unknown>;
}

interface FullResponse {
	statusCode?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

/** Network error codes after which a GET is sent again. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ENETDOWN',
	'EHOSTDOWN',
]);

/**
 * The wire over n8n's helpers: `httpRequest` where n8n offers it (every node context and
 * preAuthentication), else the legacy `request` (n8n 1.x's credential test context).
 * `cancelSignal` is the execution's: a cancelled execution stops its requests, downloads too.
 * `tuning` replaces some of DEFAULT_TRANSPORT_OPTIONS (tests: shorter deadlines and pauses).
 */
export function wireFrom(
	helpers: RequestHelpers,
	cancelSignal?: AbortSignal,
	tuning: Partial<TransportOptions> = {},
): Wire {
	const options = Object.freeze({ ...DEFAULT_TRANSPORT_OPTIONS, ...tuning });
	const { httpRequest, request } = helpers;
	const send: (r: WireRequest) => Promise<WireAnswer> =
		typeof httpRequest === 'function'
			? async (r) => await viaHttpRequest(httpRequest, r, options, cancelSignal)
			: typeof request === 'function'
				? async (r) => await viaRequest(request, r, options)
				: async () => {
						throw new SalesforceApiError(
							"n8n offers this call no request helper: it can't reach Salesforce",
							{ code: 'NO_REQUEST_HELPER' },
						);
					};
	return Object.assign(send, { options });
}

async function viaHttpRequest(
	httpRequest: NonNullable<RequestHelpers['httpRequest']>,
	request: WireRequest,
	options: TransportOptions,
	cancelSignal: AbortSignal | undefined,
): Promise<WireAnswer> {
	const target = new URL(request.url);
	const overallMs = request.overallTimeoutMs ?? options.overallTimeoutMs;
	const deadline = AbortSignal.timeout(overallMs);
	const watchdog = new IdleWatchdog(options.idleTimeoutMs);
	const signal = AbortSignal.any(
		[deadline, watchdog.signal, cancelSignal].filter((s): s is AbortSignal => s !== undefined),
	);
	const explain = (error: unknown) =>
		failure(error, target, {
			deadline,
			overallMs,
			idleMs: options.idleTimeoutMs,
			watchdog,
			cancelSignal,
		});
	// the head of a streamed answer is waited for like any chunk; a text answer has n8n's timeout
	if (request.stream) watchdog.waiting();
	let response: FullResponse;
	try {
		response = (await httpRequest({
			method: request.method as IHttpRequestOptions['method'],
			url: request.url,
			headers: request.headers,
			...(request.body !== undefined ? { body: request.body } : {}),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			json: false,
			encoding: request.stream ? 'stream' : 'arraybuffer',
			...(request.stream ? {} : { timeout: options.idleTimeoutMs }),
			abortSignal: signal,
		})) as FullResponse;
	} catch (error) {
		watchdog.stop();
		throw explain(error);
	}
	watchdog.arrived();
	if (!request.stream) {
		watchdog.stop();
		return answerOf(response, textOf(response.body), emptyChunks(), () => undefined);
	}
	const body = response.body as AsyncIterable<Buffer> & { destroy?: () => void };
	const discard = () => {
		watchdog.stop();
		body.destroy?.();
	};
	return answerOf(response, '', watchedChunks(body, watchdog, explain), discard);
}

/** n8n 1.x's credential test has only the legacy helper: no stream, no abort signal. */
async function viaRequest(
	request: NonNullable<RequestHelpers['request']>,
	r: WireRequest,
	options: TransportOptions,
): Promise<WireAnswer> {
	const target = new URL(r.url);
	if (r.stream) {
		throw new SalesforceApiError('A streamed download needs n8n\'s "httpRequest" helper', {
			code: 'NO_REQUEST_HELPER',
		});
	}
	const overallMs = r.overallTimeoutMs ?? options.overallTimeoutMs;
	const deadline = AbortSignal.timeout(overallMs);
	const pending = request({
		method: r.method,
		uri: r.url,
		headers: r.headers,
		...(r.body !== undefined ? { body: r.body } : {}),
		resolveWithFullResponse: true,
		simple: false,
		followRedirect: false,
		followAllRedirects: false,
		json: false,
		encoding: null,
		timeout: options.idleTimeoutMs,
	});
	// without an abort signal the deadline can only stop waiting for it
	const late = new Promise<never>((_, reject) =>
		deadline.addEventListener('abort', () => reject(deadline.reason), { once: true }),
	);
	late.catch(() => undefined);
	let response: FullResponse;
	try {
		response = (await Promise.race([pending, late])) as FullResponse;
	} catch (error) {
		throw failure(error, target, { deadline, overallMs, idleMs: options.idleTimeoutMs });
	}
	return answerOf(response, textOf(response.body), emptyChunks(), () => undefined);
}

function answerOf(
	response: FullResponse,
	text: string,
	chunks: AsyncIterable<Buffer>,
	discard: () => void,
): WireAnswer {
	const headers = response.headers ?? {};
	return {
		status: Number(response.statusCode ?? 0),
		header: (name) => {
			const value = headers[name.toLowerCase()] ?? headers[name];
			if (value === undefined || value === null) return undefined;
			return Array.isArray(value) ? value.join(', ') : String(value);
		},
		text,
		chunks,
		discard,
	};
}

function textOf(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (ArrayBuffer.isView(body))
		return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
	return JSON.stringify(body);
}

async function* emptyChunks(): AsyncGenerator<Buffer> {}

/** A streamed body's chunks, the watchdog counting only while one is wanted. */
async function* watchedChunks(
	body: AsyncIterable<Buffer> & { destroy?: () => void },
	watchdog: IdleWatchdog,
	explain: (error: unknown) => SalesforceApiError,
): AsyncGenerator<Buffer> {
	const iterator = body[Symbol.asyncIterator]();
	let complete = false;
	try {
		for (;;) {
			watchdog.waiting();
			let next: IteratorResult<Buffer>;
			try {
				next = await iterator.next();
			} catch (error) {
				throw explain(error);
			}
			watchdog.arrived();
			if (next.done) break;
			yield next.value;
		}
		complete = true;
	} finally {
		watchdog.stop();
		if (!complete) body.destroy?.();
	}
}

/**
 * Aborts when a wanted chunk has not come within `ms`. One timer (AbortSignal.timeout) per idle
 * period, not per chunk: when it fires it checks how long the current wait has lasted and, if
 * shorter, waits the rest.
 */
class IdleWatchdog {
	private readonly controller = new AbortController();

	private waitingSince: number | undefined;

	private timer: AbortSignal | undefined;

	private stopped = false;

	constructor(readonly ms: number) {}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	get fired(): boolean {
		return this.controller.signal.aborted;
	}

	waiting(): void {
		if (this.stopped) return;
		this.waitingSince = Date.now();
		if (!this.timer) this.arm(this.ms);
	}

	arrived(): void {
		this.waitingSince = undefined;
	}

	stop(): void {
		this.stopped = true;
		this.waitingSince = undefined;
		this.timer?.removeEventListener('abort', this.onTimer);
		this.timer = undefined;
	}

	private arm(ms: number): void {
		this.timer = AbortSignal.timeout(Math.max(1, ms));
		this.timer.addEventListener('abort', this.onTimer, { once: true });
	}

	private readonly onTimer = () => {
		this.timer = undefined;
		if (this.stopped || this.waitingSince === undefined) return;
		const waited = Date.now() - this.waitingSince;
		if (waited >= this.ms) this.controller.abort();
		else this.arm(this.ms - waited);
	};
}

interface FailureContext {
	deadline: AbortSignal;
	overallMs: number;
	idleMs: number;
	watchdog?: IdleWatchdog;
	cancelSignal?: AbortSignal;
}

/** What went wrong, as a SalesforceApiError naming only the origin (never a path or query). */
function failure(error: unknown, target: URL, context: FailureContext): SalesforceApiError {
	if (error instanceof SalesforceApiError) return error;
	if (context.cancelSignal?.aborted) {
		return new SalesforceApiError(
			`The execution was cancelled: the request to ${target.origin} was stopped`,
			{ code: 'EXECUTION_CANCELLED', retryable: false },
		);
	}
	if (context.deadline.aborted) {
		return new SalesforceApiError(
			`Salesforce at ${target.origin} did not finish its answer within ${seconds(context.overallMs)} s`,
			{ code: 'REQUEST_TIMEOUT', retryable: false },
		);
	}
	const e = (error ?? {}) as { code?: unknown; message?: unknown };
	const code = typeof e.code === 'string' ? e.code : '';
	const message = typeof e.message === 'string' ? e.message : String(error);
	if (context.watchdog?.fired || (code === 'ECONNABORTED' && /timeout/i.test(message))) {
		return idleTimeoutError(target, context.idleMs);
	}
	return networkError(target, code || 'ECONNRESET', message);
}

const seconds = (ms: number) => Math.round(ms / 1000);

export function idleTimeoutError(target: URL, ms: number): SalesforceApiError {
	return new SalesforceApiError(
		`Salesforce at ${target.origin} sent nothing for ${seconds(ms)} s`,
		{
			code: 'REQUEST_TIMEOUT',
			retryable: false,
		},
	);
}

/** A socket-level failure, naming only the origin. */
export function networkError(target: URL, code: string, message: string): SalesforceApiError {
	// n8n's client may quote the URL it called: only the origin stays
	const plain = message.split(target.href).join(target.origin);
	return new SalesforceApiError(`${code} at ${target.origin} (${plain})`, {
		code,
		retryable: RETRYABLE_NETWORK_CODES.has(code),
	});
}

/** Statuses after which a GET is sent again. */
export const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** How long to wait before retry number `retry` (0-based): Retry-After when small, else backoff. */
export function retryDelay(
	retry: number,
	retryAfter: string | undefined,
	options: Pick<TransportOptions, 'retryDelayMs' | 'maxRetryAfterMs'>,
): number | undefined {
	if (retryAfter) {
		const secs = Number(retryAfter);
		const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - Date.now();
		if (Number.isFinite(ms)) return ms > options.maxRetryAfterMs ? undefined : Math.max(0, ms);
	}
	return options.retryDelayMs * 2 ** retry;
}

/** Reads a streamed answer's body up to `limit` bytes (error bodies), then closes it. */
export async function readLimited(answer: WireAnswer, limit: number): Promise<string> {
	if (answer.text) return answer.text.slice(0, limit);
	const parts: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of answer.chunks) {
			parts.push(chunk);
			size += chunk.length;
			if (size >= limit) break;
		}
	} catch {
		// what arrived is enough to name the error
	} finally {
		answer.discard();
	}
	return Buffer.concat(parts).subarray(0, limit).toString('utf8');
}
