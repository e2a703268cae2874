/**
 * What goes over the wire, through the node the way n8n runs it, against the fake org over real
 * HTTP: tokens only to validated Salesforce instances, redirects refused, the LogFile download
 * retried, renewed, timed out and checked for truncation, API usage on the first failing call.
 * Timeouts and retry pauses are shortened by running the node with a tuning (test/helpers/tuned-node.ts).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { TransportOptions } from '../../nodes/SalesforceAdmin/transport';
import type { EventLogFileRecord } from '../fake-org';
import { FakeOrg } from '../fake-org';
import type { TestCredential } from '../helpers';
import { TunedSalesforceAdmin, oauth2Credentials, passwordCredentials, runNode } from '../helpers';

const FOREIGN = 'https://org.attacker.example';

let org: FakeOrg;
let recorder: Recorder;

beforeAll(async () => {
	org = await FakeOrg.start({
		seed: { users: 30, seed: 5, eventLogFiles: { days: 3, rowsPerFile: 30 } },
	});
	recorder = await Recorder.start();
});
afterAll(async () => {
	await org.stop();
	await recorder.stop();
});
beforeEach(() => {
	org.calls.reset();
	org.controls.setApiUsage(0, 5_000_000);
	org.controls.setInstanceUrl(undefined);
	recorder.requests.length = 0;
});

/** A local server that records every request that reaches it: where a token must never go. */
class Recorder {
	readonly requests: Array<{ url: string; authorization?: string }> = [];

	private constructor(private readonly server: http.Server) {}

	static async start(): Promise<Recorder> {
		const server = http.createServer();
		const recorder = new Recorder(server);
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
			recorder.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"totalSize":0,"done":true,"records":[]}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return recorder;
	}

	get origin(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

const kinds = () => org.calls.log.map((c) => `${c.kind}:${c.status}`);

/** The node with retry pauses of a few ms, not the defaults' seconds; `tuning` shortens more. */
const quickNode = (tuning: Partial<TransportOptions> = {}) =>
	new TunedSalesforceAdmin({ transport: { retryDelayMs: 5, ...tuning } });

async function getAdmin(
	credentials: TestCredential = passwordCredentials(org),
	tuning: Partial<TransportOptions> = {},
) {
	return await runNode({
		resource: 'user',
		operation: 'get',
		parameters: { userId: org.admin.username },
		credentials,
		nodeType: quickNode(tuning),
	});
}

async function getEvents(
	parameters: Record<string, unknown> = {},
	credentials: TestCredential = passwordCredentials(org),
	tuning: Partial<TransportOptions> = {},
) {
	return await runNode({
		resource: 'eventLog',
		operation: 'getEvents',
		parameters: { output: 'perUser', filters: { eventTypes: ['Login'] }, ...parameters },
		credentials,
		nodeType: quickNode(tuning),
	});
}

const loginFiles = (): EventLogFileRecord[] =>
	org.store.eventLogFiles.filter((f) => f.EventType === 'Login');

describe('tokens go only to Salesforce: instance URLs are checked first', () => {
	it.each([
		['SOAP login serverUrl', FOREIGN, 'soap'],
		[
			'SOAP login serverUrl over http on a Salesforce host',
			'http://acme.my.salesforce.com',
			'soap',
		],
		[
			'OAuth username-password instance_url',
			'https://acme.my.salesforce.com.attacker.example',
			'oauth',
		],
	] as const)(
		'%s pointing elsewhere is refused before any REST call',
		async (_name, instanceUrl, flow) => {
			org.controls.setInstanceUrl(instanceUrl);
			const result = await getAdmin(passwordCredentials(org, { flow }));
			expect(result.error?.message).toMatch(/^UNTRUSTED_INSTANCE_URL: /);
			expect(result.error?.message).toContain(new URL(instanceUrl).host);
			expect(result.error?.description).toMatch(/not a Salesforce address/);
			// the sign-in itself, then nothing
			expect(kinds()).toEqual([flow === 'soap' ? 'soapLogin:200' : 'token:200']);
		},
	);

	it('a loopback instance is refused when the login URL is not loopback', async () => {
		org.controls.setInstanceUrl(recorder.origin);
		const credentials = oauth2Credentials(org);
		const tokens = {
			...(credentials.data.oauthTokenData as Record<string, unknown>),
			instance_url: recorder.origin,
		};
		// signs in at the real Salesforce host by environment, with stored tokens that name loopback
		const result = await getAdmin({
			...credentials,
			data: { ...credentials.data, environment: 'production', oauthTokenData: tokens },
		});
		expect(result.error?.message).toMatch(/^UNTRUSTED_INSTANCE_URL: /);
		expect(recorder.requests).toEqual([]);
	});

	it('stored OAuth2 token data with a foreign instance_url: refused, nothing sent anywhere', async () => {
		const credentials = oauth2Credentials(org);
		const tokens = {
			...(credentials.data.oauthTokenData as Record<string, unknown>),
			instance_url: FOREIGN,
		};
		const result = await getAdmin({
			...credentials,
			data: { ...credentials.data, oauthTokenData: tokens },
		});
		expect(result.error?.message).toMatch(/^UNTRUSTED_INSTANCE_URL: .*org\.attacker\.example/);
		expect(org.calls.log).toEqual([]);
	});

	it("a refreshed token (n8n's refresh helper) naming a foreign instance is never used", async () => {
		const credentials = oauth2Credentials(org);
		const tokens = credentials.data.oauthTokenData as Record<string, string>;
		org.controls.expireSessions();
		org.controls.setInstanceUrl(FOREIGN);
		const result = await getAdmin(credentials);
		expect(result.error?.message).toMatch(/^UNTRUSTED_INSTANCE_URL: /);
		expect(kinds()).toEqual([expect.stringMatching(/:401$/), 'token:200']);
		const text = JSON.stringify({
			error: result.error,
			stack: result.error?.stack,
			description: result.error?.description,
		});
		const saved = result.credentialSaves[0]?.data.oauthTokenData as
			| Record<string, string>
			| undefined;
		for (const secret of [
			tokens.access_token,
			tokens.refresh_token,
			saved?.access_token ?? 'x'.repeat(10),
		]) {
			expect(text).not.toContain(secret);
		}
	});
});

describe('redirects are refused, never followed', () => {
	it('a REST answer 302 to another address: REDIRECT_REFUSED naming only its origin, nothing sent there', async () => {
		org.controls.redirectNext(
			1,
			`${recorder.origin}/services/data/v62.0/query?session=abc`,
			'query',
		);
		const result = await getAdmin();
		expect(result.error?.message).toBe(
			`REDIRECT_REFUSED: Salesforce answered with a redirect to ${recorder.origin}; the token is never sent to another address`,
		);
		expect(result.error?.description).toMatch(/never follows/);
		expect(recorder.requests).toEqual([]);
	});

	it('a LogFile answer 302 to another address: refused the same way', async () => {
		org.controls.redirectNext(1, `${recorder.origin}/logfile.csv`, 'logFile');
		const result = await getEvents();
		expect(result.error?.message).toMatch(
			/^REDIRECT_REFUSED: Salesforce answered with a redirect to http:\/\/127\.0\.0\.1:\d+;/,
		);
		expect(result.error?.message).not.toContain('logfile.csv');
		expect(recorder.requests).toEqual([]);
	});
});

describe('LogFile download', () => {
	let baseline: unknown[];
	beforeAll(async () => {
		baseline = (await getEvents()).items.map((i) => i.json);
		expect(baseline.length).toBeGreaterThan(0);
	});

	it('503s before the body starts are retried', async () => {
		org.controls.failNext(2, 503, undefined, undefined, 'logFile');
		const result = await getEvents();
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual(baseline);
		expect(org.calls.count('logFile')).toBe(loginFiles().length + 2);
	});

	it('a session that expires twice during the downloads is renewed twice', async () => {
		expect(loginFiles().length).toBeGreaterThanOrEqual(3);
		org.controls.expireSessionsOnCall('logFile', 1, 3);
		const result = await getEvents();
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual(baseline);
		expect(org.calls.count('soapLogin')).toBe(3);
		expect(org.calls.log.filter((c) => c.status === 401)).toHaveLength(2);
	});

	it('a stalled body fails with REQUEST_TIMEOUT instead of hanging', async () => {
		// long enough that the sign-in and listing before the download never hit it on a loaded
		// machine; the stall itself is endless
		org.controls.failLogFileBody(1, { afterBytes: 500, mode: 'stall', contentLength: true });
		const result = await getEvents({}, passwordCredentials(org), { idleTimeoutMs: 2000 });
		expect(result.error?.message).toMatch(
			/^REQUEST_TIMEOUT: The Event Log File \w+ stopped arriving/,
		);
		expect(result.error?.description).toMatch(/stopped answering/);
	}, 30_000);

	it.each([
		[
			'with Content-Length (the connection closes early)',
			true,
			/connection closed after \d+ bytes/,
		],
		[
			'without Content-Length (the body ends cleanly, short of LogFileLength)',
			false,
			/LogFileLength/,
		],
	])('a body cut short %s fails with LOG_FILE_TRUNCATED', async (_name, contentLength, detail) => {
		for (const output of ['perUser', 'binary']) {
			org.controls.failLogFileBody(1, { afterBytes: 700, mode: 'cut', contentLength });
			const result = await getEvents({ output });
			expect(result.error?.message).toMatch(
				/^LOG_FILE_TRUNCATED: The Event Log File \w+ arrived incomplete/,
			);
			expect(result.error?.message).toMatch(detail);
			expect(result.items).toEqual([]);
		}
	});
});

describe('API usage and errors', () => {
	it("REQUEST_LIMIT_EXCEEDED on the first call of a run carries that answer's Sforce-Limit-Info", async () => {
		org.controls.setApiUsage(15_001, 15_000);
		const result = await getAdmin(oauth2Credentials(org));
		expect(result.error?.message).toBe('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
		expect(result.error?.description).toMatch(/used 15,001 of its 15,000 daily API requests/);
		expect(org.calls.log).toHaveLength(1);
	});

	it('gzip-compressed JSON answers are decompressed', async () => {
		org.controls.gzipJson = true;
		try {
			const result = await getAdmin();
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ id: org.admin.userId });
		} finally {
			org.controls.gzipJson = false;
		}
	});

	it('an answer that never comes fails with REQUEST_TIMEOUT', async () => {
		org.controls.setLatency(3_000);
		try {
			const result = await getAdmin(oauth2Credentials(org), { idleTimeoutMs: 300 });
			expect(result.error?.message).toMatch(
				/^REQUEST_TIMEOUT: Salesforce at http:\/\/127\.0\.0\.1:\d+ sent nothing/,
			);
		} finally {
			org.controls.setLatency(0);
		}
	}, 30_000);
});

describe("a run's tuning", () => {
	it('is its own: the next run of the node, untuned, waits as long as the defaults say', async () => {
		// every answer takes 600 ms: past the tuned run's idle timeout, far within the default's
		org.controls.setLatency(600);
		try {
			const tuned = await getAdmin(oauth2Credentials(org), { idleTimeoutMs: 300 });
			expect(tuned.error?.message).toMatch(/^REQUEST_TIMEOUT: .* sent nothing/);
			const plain = await runNode({
				resource: 'user',
				operation: 'get',
				parameters: { userId: org.admin.username },
				credentials: oauth2Credentials(org),
			});
			expect(plain.error).toBeUndefined();
			expect(plain.items[0].json).toMatchObject({ id: org.admin.userId });
		} finally {
			org.controls.setLatency(0);
		}
	}, 60_000);
});

describe('log files listed by the node carry LogFileLength', () => {
	it('the listing selects LogFileLength, which the download checks against', async () => {
		await getEvents();
		expect(org.calls.soql()[0]).toMatch(/\bLogFileLength\b/);
		expect(loginFiles()[0].LogFileLength).toBeGreaterThan(0);
	});
});
