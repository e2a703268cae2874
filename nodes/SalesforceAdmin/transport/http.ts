/**
 * The package's own HTTP client, on Node's http/https (no dependency: the package bundles
 * everything it ships, and these few needs — timeouts, proxies, gzip, no redirects — are small).
 * One request here is one exchange on the wire: it never follows a redirect and never retries;
 * requests.ts decides what to do with the answer.
 */
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import { promisify } from 'util';
import { gunzip, inflate } from 'zlib';

import { SalesforceApiError } from './errors';

export interface TransportOptions {
	/** A request fails when nothing arrives for this long: no answer, or a body that stalls. */
	idleTimeoutMs: number;
	/**
	 * A request fails when it has not finished after this long, however steadily bytes trickle
	 * in: sized for the largest Event Log File (a few GB on a slow link).
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
	/**
	 * Extra CA certificates (PEM) trusted besides Node's, e.g. a TLS-inspecting proxy's;
	 * NODE_EXTRA_CA_CERTS does the same for the whole process.
	 */
	extraCa?: string;
}

/** Defaults are generous for unattended nightly runs; tests shorten them. */
export const transportOptions: TransportOptions = {
	idleTimeoutMs: 120_000,
	overallTimeoutMs: 3 * 60 * 60_000,
	maxRetries: 3,
	retryDelayMs: 500,
	maxRetryAfterMs: 30_000,
	maxErrorBodyBytes: 64 * 1024,
};

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

export interface OutgoingRequest {
	method: string;
	headers: Record<string, string>;
	body?: Buffer;
}

/** Keep-alive pools for requests that may be repeated (GET); writes get a fresh connection. */
const pools = {
	http: new http.Agent({ keepAlive: true }),
	https: new https.Agent({ keepAlive: true }),
};

/** When each answer's request was sent: its overall deadline counts from there. */
const startedAt = new WeakMap<http.IncomingMessage, number>();

/**
 * Fails with REQUEST_TIMEOUT once the answer's request has run past the overall deadline (the
 * idle timeout cannot see a body that trickles).
 */
export function checkDeadline(res: http.IncomingMessage, target: URL): void {
	const start = startedAt.get(res);
	const ms = transportOptions.overallTimeoutMs;
	if (start === undefined || Date.now() - start <= ms) return;
	res.destroy();
	throw new SalesforceApiError(
		`Salesforce at ${target.origin} did not finish its answer within ${Math.round(ms / 1000)} s`,
		{ code: 'REQUEST_TIMEOUT', retryable: false },
	);
}

/**
 * Sends one request and resolves with the answer's head; the body is left to the caller.
 * Fails with a SalesforceApiError naming only the origin: network trouble (retryable), or
 * REQUEST_TIMEOUT when no answer starts within the idle timeout.
 */
export async function openRequest(
	target: URL,
	request: OutgoingRequest,
): Promise<http.IncomingMessage> {
	const proxy = proxyFor(target);
	const pooled = request.method === 'GET';
	const timeoutMs = transportOptions.idleTimeoutMs;
	const sentAt = Date.now();
	return await new Promise<http.IncomingMessage>((resolve, reject) => {
		let settled = false;
		let req: http.ClientRequest | undefined;
		let connect: http.ClientRequest | undefined;
		const fail = (error: Error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			req?.destroy();
			connect?.destroy();
			reject(error);
		};
		const timer = setTimeout(() => fail(timeoutError(target, timeoutMs)), timeoutMs);
		const onResponse = (res: http.IncomingMessage) => {
			if (settled) {
				res.destroy();
				return;
			}
			settled = true;
			clearTimeout(timer);
			startedAt.set(res, sentAt);
			// readers attach their own handlers; until then a broken connection must not crash n8n
			res.on('error', () => undefined);
			resolve(res);
		};
		const start = (socket?: tls.TLSSocket) => {
			if (settled) {
				// timed out while the tunnel was being opened: nothing is sent any more
				socket?.destroy();
				return;
			}
			try {
				req = createRequest(target, request, proxy, pooled, socket, onResponse);
				req.on('error', (error) => fail(networkError(target, error)));
				req.end(request.body);
			} catch (error) {
				fail(networkError(target, error as Error));
			}
		};
		if (proxy && target.protocol === 'https:') {
			openTunnel(proxy, target, (pending) => (connect = pending)).then(start, (error: Error) =>
				fail(networkError(target, error)),
			);
		} else {
			start();
		}
	});
}

function createRequest(
	target: URL,
	request: OutgoingRequest,
	proxy: URL | undefined,
	pooled: boolean,
	tunnel: tls.TLSSocket | undefined,
	onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
	const headers = {
		...request.headers,
		...(request.body ? { 'Content-Length': String(request.body.length) } : {}),
	};
	if (tunnel) {
		// https through a CONNECT tunnel: TLS runs end to end inside it
		// no agent, so Node uses createConnection (agent: false would make a fresh Agent instead)
		return https.request(
			target,
			{ method: request.method, headers, createConnection: () => tunnel },
			onResponse,
		);
	}
	if (proxy) {
		// plain http through a proxy: the absolute URI goes to the proxy
		return http.request(
			{
				host: proxy.hostname.replace(/^\[|\]$/g, ''),
				port: proxy.port || 80,
				method: request.method,
				path: target.href,
				headers: { ...headers, Host: target.host, ...proxyAuthorization(proxy) },
				agent: pooled ? pools.http : false,
			},
			onResponse,
		);
	}
	const client = target.protocol === 'https:' ? https : http;
	const agent = pooled ? (target.protocol === 'https:' ? pools.https : pools.http) : false;
	return client.request(target, { method: request.method, headers, agent, ...trust() }, onResponse);
}

/** CONNECT host:port at the proxy, then TLS to the target through the tunnel. */
async function openTunnel(
	proxy: URL,
	target: URL,
	onConnect: (pending: http.ClientRequest) => void,
): Promise<tls.TLSSocket> {
	const client = proxy.protocol === 'https:' ? https : http;
	const authority = `${target.hostname}:${target.port || 443}`;
	const socket = await new Promise<import('net').Socket>((resolve, reject) => {
		const req = client.request({
			host: proxy.hostname.replace(/^\[|\]$/g, ''),
			port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
			method: 'CONNECT',
			path: authority,
			headers: { Host: authority, ...proxyAuthorization(proxy) },
			agent: false,
		});
		onConnect(req);
		req.on('connect', (res: http.IncomingMessage, tunnel: import('net').Socket) => {
			if (res.statusCode === 200) {
				resolve(tunnel);
				return;
			}
			tunnel.destroy();
			reject(
				Object.assign(
					new Error(`the proxy ${proxy.host} refused the tunnel (HTTP ${res.statusCode})`),
					{ code: 'EPROXY' },
				),
			);
		});
		req.on('error', reject);
		req.end();
	});
	return tls.connect({ socket, servername: target.hostname.replace(/^\[|\]$/g, ''), ...trust() });
}

/** Node's CAs plus the extra ones (a `ca` option alone would replace Node's). */
function trust(): { ca?: string[] } {
	return transportOptions.extraCa
		? { ca: [...tls.rootCertificates, transportOptions.extraCa] }
		: {};
}

function proxyAuthorization(proxy: URL): Record<string, string> {
	if (!proxy.username) return {};
	const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
	return { 'Proxy-Authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

const env = (...names: string[]) =>
	names.map((n) => process.env[n]).find((v) => v !== undefined && v.trim() !== '');

/**
 * The proxy for a target, read from the environment like curl does: https_proxy / HTTPS_PROXY
 * for https, http_proxy (and HTTP_PROXY: n8n is no CGI script) for http, all_proxy as the
 * fallback, and NO_PROXY / no_proxy for exceptions (loopback included: list it there).
 */
export function proxyFor(target: URL): URL | undefined {
	const raw =
		target.protocol === 'https:'
			? env('https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY')
			: env('http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY');
	if (!raw || bypassesProxy(target, env('no_proxy', 'NO_PROXY') ?? '')) return undefined;
	try {
		// curl reads a bare host:port as an http proxy
		return new URL(
			/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `http://${raw.trim()}`,
		);
	} catch {
		return undefined;
	}
}

/** NO_PROXY: `*`, or host names / domains (leading dot optional) / IPs, each with an optional port. */
function bypassesProxy(target: URL, noProxy: string): boolean {
	const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	const port = target.port || (target.protocol === 'https:' ? '443' : '80');
	for (const raw of noProxy.split(/[\s,]+/)) {
		const entry = raw.trim().toLowerCase();
		if (!entry) continue;
		if (entry === '*') return true;
		const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=(:\d+)?$)/g, ''));
		const name = (match?.[1] ?? entry).replace(/^\*?\./, '');
		if (match?.[2] && match[2] !== port) continue;
		if (host === name || host.endsWith(`.${name}`)) return true;
	}
	return false;
}

function timeoutError(target: URL, ms: number): SalesforceApiError {
	return new SalesforceApiError(
		`Salesforce at ${target.origin} sent nothing for ${Math.round(ms / 1000)} s`,
		{
			code: 'REQUEST_TIMEOUT',
			retryable: false,
		},
	);
}

/** A socket-level failure, naming only the origin (never a path with a query in it). */
export function networkError(target: URL, error: Error & { code?: unknown }): SalesforceApiError {
	if (error instanceof SalesforceApiError) return error;
	const code = typeof error.code === 'string' ? error.code : 'ECONNRESET';
	return new SalesforceApiError(`${target.origin}: ${code} ${error.message}`, {
		code,
		retryable: RETRYABLE_NETWORK_CODES.has(code),
	});
}

/**
 * The whole body of an answer, decompressed (gzip / deflate), failing with REQUEST_TIMEOUT
 * when it stalls. `limit` stops reading early (error bodies).
 */
export async function readBody(
	res: http.IncomingMessage,
	target: URL,
	limit = Infinity,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	await new Promise<void>((resolve, reject) => {
		const timeoutMs = transportOptions.idleTimeoutMs;
		let timer = setTimeout(onIdle, timeoutMs);
		let finished = false;
		function onIdle() {
			// settled first: destroying the answer also reports it as aborted
			done(timeoutError(target, timeoutMs));
			res.destroy();
		}
		const done = (error?: Error) => {
			if (finished) return;
			finished = true;
			clearTimeout(timer);
			if (error) reject(error instanceof SalesforceApiError ? error : networkError(target, error));
			else resolve();
		};
		res.on('data', (chunk: Buffer) => {
			clearTimeout(timer);
			timer = setTimeout(onIdle, timeoutMs);
			try {
				checkDeadline(res, target);
			} catch (error) {
				done(error as Error);
				return;
			}
			if (size < limit) chunks.push(chunk);
			size += chunk.length;
			if (size >= limit) {
				res.destroy();
				done();
			}
		});
		res.on('end', () => done());
		res.on('error', (error) => done(error));
		res.on('aborted', () =>
			done(
				Object.assign(new Error('the connection closed before the answer was complete'), {
					code: 'ECONNRESET',
				}),
			),
		);
	});
	const raw = Buffer.concat(chunks);
	return limit === Infinity
		? await decompress(raw, res.headers['content-encoding'])
		: await decompress(raw, res.headers['content-encoding']).catch(() => raw);
}

async function decompress(raw: Buffer, encoding: string | undefined): Promise<Buffer> {
	const value = (encoding ?? '').toLowerCase();
	if (value.includes('gzip')) return await promisify(gunzip)(raw);
	if (value.includes('deflate')) return await promisify(inflate)(raw);
	return raw;
}

/** Statuses after which a GET is sent again. */
export const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** How long to wait before retry number `retry` (0-based): Retry-After when small, else backoff. */
export function retryDelay(retry: number, retryAfter?: string | string[]): number | undefined {
	const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
	if (header) {
		const seconds = Number(header);
		const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
		if (Number.isFinite(ms))
			return ms > transportOptions.maxRetryAfterMs ? undefined : Math.max(0, ms);
	}
	return transportOptions.retryDelayMs * 2 ** retry;
}

export const sleep = async (ms: number) =>
	await new Promise<void>((resolve) => setTimeout(resolve, ms));
