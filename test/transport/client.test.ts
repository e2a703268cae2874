/**
 * The transport over n8n-core's own request helper against the fake org over real HTTP:
 * retries of reads (never of writes), one renewal shared by concurrent requests and one per
 * request, idle timeouts, links to other origins refused, and n8n's proxy settings (the
 * environment n8n reads) through a tiny local proxy.
 */
import * as http from 'http';
import * as net from 'net';
import { gzipSync } from 'zlib';

import {
	DEFAULT_TRANSPORT_OPTIONS,
	dataPath,
	describeSalesforceError,
	openLogFile,
	queryAll,
	send,
	settingsFromCredential,
	signIn,
	updateRecords,
} from '../../nodes/SalesforceAdmin/transport';
import type { TransportOptions } from '../../nodes/SalesforceAdmin/transport';
import { retryDelay } from '../../nodes/SalesforceAdmin/transport/wire';
import { FakeOrg } from '../fake-org';
import { oauth2Credentials, passwordCredentials, runNode, testWire } from '../helpers';

const PROXY_VARIABLES = [
	'http_proxy',
	'HTTP_PROXY',
	'https_proxy',
	'HTTPS_PROXY',
	'all_proxy',
	'ALL_PROXY',
	'no_proxy',
	'NO_PROXY',
];
const savedEnv = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 40, seed: 9 } });
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.setInstanceUrl(undefined);
});
afterEach(() => {
	for (const name of PROXY_VARIABLES) {
		if (savedEnv[name] === undefined) delete process.env[name];
		else process.env[name] = savedEnv[name];
	}
});

const kinds = () => org.calls.log.map((c) => `${c.kind}:${c.status}`);
/** Retry pauses of a few ms, not the defaults' seconds; `tuning` shortens more. */
const quick = (tuning: Partial<TransportOptions> = {}) =>
	testWire(undefined, { retryDelayMs: 5, ...tuning });
const passwordSession = (overrides = {}, tuning: Partial<TransportOptions> = {}) =>
	signIn(settingsFromCredential('password', passwordCredentials(org, overrides).data), {
		wire: quick(tuning),
	});
const oauthSession = () =>
	signIn(settingsFromCredential('oAuth2', oauth2Credentials(org).data), { wire: quick() });

async function errorOf(call: () => Promise<unknown>) {
	try {
		await call();
	} catch (error) {
		return describeSalesforceError(error);
	}
	throw new Error('the call did not fail');
}

describe('retries', () => {
	it('a GET answered 503 is sent again', async () => {
		const session = await passwordSession();
		org.controls.failNext(2, 503, undefined, undefined, 'query');
		const rows = await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		expect(rows).toHaveLength(1);
		expect(kinds()).toEqual(['soapLogin:200', 'query:503', 'query:503', 'query:200']);
	});

	it("a GET that keeps failing stops after maxRetries with Salesforce's code", async () => {
		const session = await passwordSession({}, { maxRetries: 2 });
		org.controls.failNext(5, 502, undefined, undefined, 'query');
		const info = await errorOf(() => queryAll(session, 'SELECT Id FROM User'));
		expect(info.code).toBe('SERVER_UNAVAILABLE');
		expect(org.calls.count('query')).toBe(3);
	});

	it('a PATCH answered 503 is never sent again blindly: the error keeps its code and status', async () => {
		const session = await passwordSession({ accessMode: 'readWrite' });
		org.controls.failNext(1, 503, undefined, undefined, 'collectionsPatch');
		const user = org.store.users.find((u) => u.Id !== org.admin.userId && u.IsActive)!;
		let error: unknown;
		try {
			await updateRecords(session, 'User', [{ Id: user.Id, Department: 'Ops' }]);
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({
			errorCode: 'SERVER_UNAVAILABLE',
			httpStatus: 503,
			retryable: true,
		});
		expect(org.calls.count('collectionsPatch')).toBe(1);
	});
});

describe('retryDelay', () => {
	it('honours a small Retry-After (seconds or a date), refuses a long one, else backs off', () => {
		const options = { retryDelayMs: 100, maxRetryAfterMs: 30_000 };
		expect(retryDelay(0, '2', options)).toBe(2000);
		expect(retryDelay(0, '120', options)).toBeUndefined();
		expect(retryDelay(0, new Date(Date.now() + 3600_000).toUTCString(), options)).toBeUndefined();
		expect(retryDelay(0, undefined, options)).toBe(100);
		expect(retryDelay(2, undefined, options)).toBe(400);
	});
});

describe('transport options', () => {
	it('a wire keeps the options it was made with; the defaults stay as they are', () => {
		const tuned = testWire(undefined, { idleTimeoutMs: 300, maxRetries: 1 });
		const plain = testWire();
		expect(tuned.options).toMatchObject({ idleTimeoutMs: 300, maxRetries: 1, retryDelayMs: 500 });
		expect(plain.options).toEqual({
			idleTimeoutMs: 120_000,
			overallTimeoutMs: 3 * 3_600_000,
			maxRetries: 3,
			retryDelayMs: 500,
			maxRetryAfterMs: 30_000,
			maxErrorBodyBytes: 64 * 1024,
		});
		expect(Object.isFrozen(DEFAULT_TRANSPORT_OPTIONS)).toBe(true);
		expect(Object.isFrozen(tuned.options)).toBe(true);
	});
});

describe('session renewal', () => {
	it('concurrent requests refused together share one renewal', async () => {
		const session = await oauthSession();
		org.controls.expireSessions();
		const soql = 'SELECT Id FROM User LIMIT 1';
		// every answer takes 500 ms, so all three requests are out before the first 401 comes
		// back, however busy the machine: they are refused together, not one after the other
		org.controls.setLatency(500);
		try {
			await Promise.all([
				queryAll(session, soql),
				queryAll(session, soql),
				queryAll(session, soql),
			]);
		} finally {
			org.controls.setLatency(0);
		}
		expect(org.calls.count('token')).toBe(1);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(3);
		expect(org.calls.log.filter((c) => c.kind === 'query' && c.status === 200)).toHaveLength(3);
	});

	it('a session expiring again later in the run is renewed again (once per request)', async () => {
		const session = await passwordSession();
		org.controls.expireSessionsOnCall('query', 1, 3, 5);
		for (let i = 0; i < 3; i++) await queryAll(session, 'SELECT Id FROM User LIMIT 1');
		expect(org.calls.count('soapLogin')).toBe(4);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(3);
	});
});

describe('timeouts', () => {
	it('a sign-in that gets no answer fails with REQUEST_TIMEOUT (jsforce alone would wait 30 minutes)', async () => {
		org.controls.setLatency(2_000);
		try {
			const info = await errorOf(() => passwordSession({}, { idleTimeoutMs: 300 }));
			expect(info.code).toBe('REQUEST_TIMEOUT');
			expect(info.message).toContain(org.url);
		} finally {
			org.controls.setLatency(0);
		}
	}, 30_000);

	it('a JSON answer whose body stalls fails with REQUEST_TIMEOUT, not a hang', async () => {
		// an "instance" that starts its answer and then sends nothing more
		const stalling = http.createServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
			res.write('{"totalSize":1,"done":true,"records":[');
		});
		await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
		try {
			const credentials = oauth2Credentials(org);
			const instance = `http://127.0.0.1:${(stalling.address() as net.AddressInfo).port}`;
			const tokens = {
				...(credentials.data.oauthTokenData as Record<string, unknown>),
				instance_url: instance,
			};
			const session = await signIn(
				settingsFromCredential('oAuth2', { ...credentials.data, oauthTokenData: tokens }),
				{ wire: quick({ idleTimeoutMs: 300 }) },
			);
			const info = await errorOf(() => queryAll(session, 'SELECT Id FROM User'));
			expect(info.code).toBe('REQUEST_TIMEOUT');
			expect(info.message).toContain(instance);
		} finally {
			stalling.closeAllConnections();
			stalling.close();
		}
	}, 30_000);
});

describe('LogFile streams', () => {
	const drain = async (body: AsyncIterable<Buffer>, pauseMs = 0) => {
		let size = 0;
		for await (const chunk of body) {
			size += chunk.length;
			if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
		}
		return size;
	};

	it('a slow reader is not mistaken for a stalled Salesforce', async () => {
		const file = org.store.addEventLogFile({
			EventType: 'API',
			LogDate: new Date(Date.now() - 86_400_000),
			rows: 100, // a few chunks, each waited on longer than the idle timeout
			seed: 3,
		});
		const signedIn = await passwordSession();
		// 1 s, not less: on a loaded machine the fake org (same process) may take a few hundred ms
		// to answer at all, which is not what this test is about; the sign-in is not timed
		const session = { ...signedIn, wire: quick({ idleTimeoutMs: 1000 }) };
		const body = await openLogFile(session, file.Id, { expectedLength: file.LogFileLength });
		// every chunk waits longer than the idle timeout before the next is asked for
		expect(await drain(body, 1300)).toBe(file.LogFileLength);
	}, 90_000);

	it('a gzip body that ends early fails with LOG_FILE_TRUNCATED', async () => {
		const csv = Buffer.from(`"A","B"\n${'"1","2"\n'.repeat(5000)}`);
		const gzipped = gzipSync(csv);
		const cut = gzipped.subarray(0, gzipped.length - 20);
		const instance = http.createServer((_req, res) => {
			res.writeHead(200, {
				'Content-Type': 'text/csv',
				'Content-Encoding': 'gzip',
				'Content-Length': String(cut.length),
			});
			res.end(cut);
		});
		await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
		try {
			const credentials = oauth2Credentials(org);
			const url = `http://127.0.0.1:${(instance.address() as net.AddressInfo).port}`;
			const tokens = {
				...(credentials.data.oauthTokenData as Record<string, unknown>),
				instance_url: url,
			};
			const session = await signIn(
				settingsFromCredential('oAuth2', { ...credentials.data, oauthTokenData: tokens }),
				{ wire: quick() },
			);
			const body = await openLogFile(session, '0AT000000000001AAA', { expectedLength: csv.length });
			const info = await errorOf(() => drain(body));
			expect(info.code).toBe('LOG_FILE_TRUNCATED');
			// n8n's client inflates leniently (sync flush): the shortfall shows against LogFileLength
			expect(info.message).toMatch(/arrived incomplete: \d+ of its \d+ bytes \(LogFileLength\)/);
		} finally {
			instance.closeAllConnections();
			instance.close();
		}
	});
});

describe('where requests go', () => {
	it('an absolute URL on another origin is refused before anything is sent', async () => {
		const session = await passwordSession();
		const info = await errorOf(() =>
			send(session, {
				method: 'GET',
				url: 'https://org.attacker.example/services/data/v62.0/query/01gxx-2000',
			}),
		);
		expect(info.code).toBe('UNTRUSTED_URL');
		expect(org.calls.count()).toBe(1); // the sign-in only
	});

	it('an absolute URL on the instance itself is fine', async () => {
		const session = await passwordSession();
		const answer = await send<{ sobjects: unknown[] }>(session, {
			method: 'GET',
			url: `${session.auth.instanceUrl}${dataPath('/sobjects')}`,
		});
		expect(answer.sobjects.length).toBeGreaterThan(0);
	});
});

/** A tiny forward proxy: absolute-URI requests go to their URL, CONNECT goes to `tunnelTo`. */
class TestProxy {
	readonly seen: string[] = [];

	tunnelTo?: number;

	private readonly tunnels = new Set<net.Socket>();

	private constructor(private readonly server: http.Server) {}

	static async start(): Promise<TestProxy> {
		const server = http.createServer();
		const proxy = new TestProxy(server);
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
			proxy.seen.push(`${req.method} ${req.url}`);
			const target = new URL(req.url ?? '');
			const upstream = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: `${target.pathname}${target.search}`,
					method: req.method,
					headers: req.headers,
				},
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			req.pipe(upstream);
		});
		server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
			proxy.seen.push(`CONNECT ${req.url}`);
			proxy.tunnels.add(socket);
			const upstream = net.connect(proxy.tunnelTo ?? 1, '127.0.0.1', () => {
				socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(socket);
				socket.pipe(upstream);
			});
			upstream.on('error', () => socket.destroy());
			socket.on('error', () => upstream.destroy());
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		for (const socket of this.tunnels) socket.destroy();
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

describe("n8n's proxy settings (HTTP_PROXY / NO_PROXY, read by n8n's request helper)", () => {
	let proxy: TestProxy;
	beforeAll(async () => {
		proxy = await TestProxy.start();
	});
	afterAll(async () => await proxy.stop());
	beforeEach(() => {
		proxy.seen.length = 0;
	});

	const getAdmin = async () =>
		await runNode({
			resource: 'user',
			operation: 'get',
			parameters: { userId: org.admin.username },
			credentials: oauth2Credentials(org),
		});

	it('http targets go to HTTP_PROXY with the absolute URI; NO_PROXY exempts them', async () => {
		process.env.HTTP_PROXY = proxy.url;
		const result = await getAdmin();
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: org.admin.userId });
		expect(proxy.seen.length).toBeGreaterThan(0);
		expect(proxy.seen[0]).toMatch(new RegExp(`^GET ${org.url}/services/data/v62\\.0/`));

		proxy.seen.length = 0;
		process.env.NO_PROXY = 'example.com, 127.0.0.1';
		expect((await getAdmin()).error).toBeUndefined();
		expect(proxy.seen).toEqual([]);
	});
});
