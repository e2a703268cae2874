/**
 * The HTTP front: one server on loopback, routing by path to the SOAP, OAuth, identity and
 * REST handlers, with the call log and the pieces every answer shares.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

import { CallKind, CallLog, CallRecord, Controls, REST_KINDS } from './controls';
import { SfError } from './errors';
import type { Sessions } from './sessions';
import type { OrgStore } from './store';

/** What every handler can reach. */
export interface OrgRuntime {
	store: OrgStore;
	sessions: Sessions;
	controls: Controls;
	calls: CallLog;
	/** 'http://127.0.0.1:PORT' once listening. */
	url: string;
}

export class Exchange {
	readonly url: URL;
	readonly method: string;
	readonly call: CallRecord;
	private bodyText?: Promise<string>;

	constructor(
		readonly org: OrgRuntime,
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
	) {
		this.url = new URL(req.url ?? '/', 'http://127.0.0.1');
		this.method = (req.method ?? 'GET').toUpperCase();
		// every answer's Date is the org's clock (Node would send the machine's; tests skew them)
		res.setHeader('Date', org.store.now().toUTCString());
		this.call = {
			method: this.method,
			path: this.url.pathname,
			kind: 'unknown',
			status: 0,
			counted: false,
		};
	}

	get path(): string {
		return this.url.pathname;
	}

	header(name: string): string | undefined {
		const value = this.req.headers[name.toLowerCase()];
		return Array.isArray(value) ? value.join(', ') : value;
	}

	body(): Promise<string> {
		this.bodyText ??= new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			this.req.on('data', (chunk: Buffer) => chunks.push(chunk));
			this.req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			this.req.on('error', reject);
		});
		return this.bodyText;
	}

	/** The bearer token of the request (Authorization: Bearer/OAuth, or ?oauth_token=). */
	accessToken(): string | undefined {
		const auth = this.header('authorization');
		const match = auth?.match(/^(?:Bearer|OAuth)\s+(.+)$/i);
		return match?.[1].trim() ?? this.url.searchParams.get('oauth_token') ?? undefined;
	}

	send(
		status: number,
		body: string | Buffer,
		contentType: string,
		headers: Record<string, string> = {},
	): void {
		this.call.status = status;
		let payload = typeof body === 'string' ? Buffer.from(body) : body;
		if (
			this.org.controls.gzipJson &&
			contentType.startsWith('application/json') &&
			/\bgzip\b/i.test(this.header('accept-encoding') ?? '')
		) {
			payload = gzipSync(payload);
			headers = { ...headers, 'Content-Encoding': 'gzip' };
		}
		this.res.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': String(payload.length),
			...this.limitHeader(),
			...headers,
		});
		this.res.end(payload);
	}

	json(status: number, body: unknown, headers: Record<string, string> = {}): void {
		this.send(status, JSON.stringify(body), 'application/json;charset=UTF-8', headers);
	}

	noContent(): void {
		this.call.status = 204;
		this.res.writeHead(204, this.limitHeader());
		this.res.end();
	}

	error(error: SfError): void {
		this.json(error.status, error.toJSON());
	}

	/** REST answers carry the org's API usage. */
	limitHeader(): Record<string, string> {
		if (!REST_KINDS.has(this.call.kind)) return {};
		const { apiUsed, apiMax } = this.org.controls;
		return { 'Sforce-Limit-Info': `api-usage=${apiUsed}/${apiMax}` };
	}

	setKind(kind: CallKind): void {
		this.call.kind = kind;
	}
}

export type Handler = (ex: Exchange) => Promise<void> | void;

export interface Routes {
	soap: Handler;
	token: Handler;
	authorize: Handler;
	revoke: Handler;
	identity: Handler;
	userinfo: Handler;
	versions: Handler;
	rest: Handler;
}

export function createOrgServer(org: OrgRuntime, routes: Routes): Server {
	return createServer((req, res) => {
		const ex = new Exchange(org, req, res);
		org.calls.log.push(ex.call);
		void dispatch(ex, routes).catch((error: unknown) => {
			if (res.headersSent) {
				res.destroy(error as Error);
				return;
			}
			if (error instanceof SfError) ex.error(error);
			else
				ex.json(500, [
					{
						message: `fake org: ${(error as Error)?.stack ?? String(error)}`,
						errorCode: 'UNKNOWN_EXCEPTION',
					},
				]);
		});
	});
}

async function dispatch(ex: Exchange, routes: Routes): Promise<void> {
	const latency = ex.org.controls.latencyMs;
	if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
	const path = ex.path.replace(/\/+$/, '') || '/';
	if (/^\/services\/Soap\/u\/\d+\.\d(\/[^/]+)?$/.test(path)) return routes.soap(ex);
	if (path === '/services/oauth2/token') return routes.token(ex);
	if (path === '/services/oauth2/authorize') return routes.authorize(ex);
	if (path === '/services/oauth2/revoke') return routes.revoke(ex);
	if (path === '/services/oauth2/userinfo') return routes.userinfo(ex);
	if (/^\/id\/[^/]+\/[^/]+$/.test(path)) return routes.identity(ex);
	if (path === '/services/data') return routes.versions(ex);
	if (path.startsWith('/services/data/v')) return routes.rest(ex);
	ex.setKind('unknown');
	ex.send(404, 'Not Found', 'text/plain');
}
