/**
 * Where a token may travel on the paths around the node's own requests, through n8n-core the
 * way n8n runs them, against the fake org over real HTTP: the renewal probe, Custom API Call
 * (n8n's request helpers with our credential's `authenticate`, as the HTTP Request node calls
 * them), OAuth2 refresh with refresh-token rotation, and the overall deadline of a request.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import { SalesforceAdminJwtApi } from '../../credentials/SalesforceAdminJwtApi.credentials';
import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { API_VERSION } from '../../nodes/SalesforceAdmin/transport';
import { downloadDeadline } from '../../nodes/SalesforceAdmin/transport/download';
import { FakeOrg } from '../fake-org';
import type { ServerApp, TestCredential } from '../helpers';
import {
	TestCredentialsHelper,
	TunedSalesforceAdmin,
	clientCredentials,
	jwtCredentials,
	oauth2Credentials,
	passwordCredentials,
	registerServerApp,
	runNode,
} from '../helpers';

/** A local server that is not the org: it answers every request with `status` and records it. */
class Elsewhere {
	readonly requests: Array<{ url: string; authorization?: string }> = [];

	status = 401;

	private constructor(private readonly server: http.Server) {}

	static async start(): Promise<Elsewhere> {
		const server = http.createServer();
		const elsewhere = new Elsewhere(server);
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
			elsewhere.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
			res.writeHead(elsewhere.status, { 'Content-Type': 'application/json' });
			res.end(elsewhere.status === 401 ? '[{"errorCode":"INVALID_SESSION_ID"}]' : '{}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return elsewhere;
	}

	get origin(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** The Authorization headers that reached this server: none may. */
	tokens(): string[] {
		return this.requests.map((r) => r.authorization ?? '').filter(Boolean);
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

let org: FakeOrg;
let app: ServerApp;
let elsewhere: Elsewhere;

beforeAll(async () => {
	org = await FakeOrg.start({
		seed: { users: 10, seed: 19, eventLogFiles: { days: 1, rowsPerFile: 200 } },
	});
	app = registerServerApp(org);
	elsewhere = await Elsewhere.start();
});
afterAll(async () => {
	await org.stop();
	await elsewhere.stop();
});
beforeEach(() => {
	org.calls.reset();
	org.controls.oauth.resetTokenRequests();
	elsewhere.requests.length = 0;
	elsewhere.status = 401;
});

async function getAdmin(
	credentials: TestCredential,
	extra: Partial<Parameters<typeof runNode>[0]>,
) {
	return await runNode({
		resource: 'user',
		operation: 'get',
		parameters: { userId: org.admin.username },
		credentials,
		...extra,
	});
}

describe.each([
	['JWT bearer', () => jwtCredentials(org, app)],
	['client credentials', () => clientCredentials(org, app)],
])('%s: the renewal probe never follows a redirect', (_name, credentials) => {
	it('a stored token that expired, a probe answered with 302 to another host: no token goes there', async () => {
		const helper = new TestCredentialsHelper();
		expect((await getAdmin(credentials(), { credentialsHelper: helper })).error).toBeUndefined();
		org.controls.expireSessions(app.clientId);
		// the probe (the stored instance's resource list) is sent elsewhere, twice
		org.controls.redirectNext(2, `${elsewhere.origin}/services/data/v${API_VERSION}/`, 'resources');
		const result = await getAdmin(credentials(), {
			credentialsHelper: helper,
			keepStoredCredential: true,
		});
		expect(elsewhere.tokens()).toEqual([]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
	});
});

/**
 * A node that makes one request with the credential the way n8n's HTTP Request node does for
 * "Custom API Call" (predefined credential type, redirects followed: its default).
 */
class CustomApiCall extends SalesforceAdmin {
	static url = '';

	static helper: 'requestWithAuthentication' | 'httpRequestWithAuthentication' =
		'requestWithAuthentication';

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const type = Object.keys(this.getNode().credentials ?? {})[0];
		const body: unknown =
			CustomApiCall.helper === 'requestWithAuthentication'
				? await this.helpers.requestWithAuthentication.call(this, type, {
						method: 'GET',
						uri: CustomApiCall.url,
						json: true,
						followRedirect: true,
						followAllRedirects: true,
					})
				: await this.helpers.httpRequestWithAuthentication.call(this, type, {
						method: 'GET',
						url: CustomApiCall.url,
						json: true,
					} as IHttpRequestOptions);
		return [[{ json: { body: body as string } }]];
	}
}

describe('Custom API Call (n8n request helpers with our credential)', () => {
	const queryUrl = () => `${org.url}/services/data/v${API_VERSION}/query?q=SELECT+Id+FROM+User`;

	it.each(['requestWithAuthentication', 'httpRequestWithAuthentication'] as const)(
		'%s: a 302 from the org to another host: the token does not follow it',
		async (helperName) => {
			CustomApiCall.helper = helperName;
			CustomApiCall.url = queryUrl();
			elsewhere.status = 200;
			const helper = new TestCredentialsHelper();
			// the first run stores the token; the second one is redirected
			expect(
				(
					await runNode({
						credentials: jwtCredentials(org, app),
						credentialsHelper: helper,
						nodeType: new CustomApiCall(),
					})
				).error,
			).toBeUndefined();
			org.controls.redirectNext(1, `${elsewhere.origin}/steal`, 'query');
			await runNode({
				credentials: jwtCredentials(org, app),
				credentialsHelper: helper,
				keepStoredCredential: true,
				nodeType: new CustomApiCall(),
			});
			expect(elsewhere.tokens()).toEqual([]);
		},
	);

	describe("the credential's authenticate, with a token the fake org issued", () => {
		let stored: ICredentialDataDecryptedObject;
		const jwt = new SalesforceAdminJwtApi();
		const authenticate = async (url: string) =>
			await jwt.authenticate(stored, { method: 'GET', url } as IHttpRequestOptions);

		beforeAll(async () => {
			const helper = new TestCredentialsHelper();
			const run = await runNode({
				credentials: jwtCredentials(org, app),
				credentialsHelper: helper,
			});
			expect(run.error).toBeUndefined();
			stored = helper.applyDefaults('salesforceAdminJwtApi', helper.get('salesforceAdminJwtApi')!);
		});

		it.each([
			["another org's My Domain", 'https://other.my.salesforce.com/services/data/'],
			['a legacy Site on force.com', 'https://acme.force.com/services/data/'],
			['cloudforce.com', 'https://acme.cloudforce.com/services/data/'],
			['database.com', 'https://acme.database.com/services/data/'],
			['an instance of another org', 'https://na1.salesforce.com/services/data/'],
			['the org on another port', 'http://127.0.0.1:1/services/data/'],
		])('refuses %s', async (_name, url) => {
			await expect(authenticate(url)).rejects.toThrow(/sends its token only to its own org/);
		});

		it("signs a request to the org's own instance, with redirects switched off", async () => {
			const request = await authenticate(queryUrl());
			expect(request.headers?.Authorization).toBe(`Bearer ${String(stored.accessToken)}`);
			expect(request).toMatchObject({ disableFollowRedirect: true, followRedirect: false });
		});
	});
});

describe('OAuth2 with refresh-token rotation', () => {
	beforeAll(() => org.controls.oauth.updateApp(org.admin.clientId, { refreshTokenRotation: true }));
	afterAll(() => org.controls.oauth.updateApp(org.admin.clientId, { refreshTokenRotation: false }));

	it('two executions refreshing at once in one process: both succeed, one refresh', async () => {
		const helper = new TestCredentialsHelper();
		const credentials = oauth2Credentials(org);
		helper.set(credentials.type, credentials.data);
		org.controls.expireSessions();
		const runs = await Promise.all(
			[1, 2].map(
				async () =>
					await getAdmin(credentials, { credentialsHelper: helper, keepStoredCredential: true }),
			),
		);
		for (const run of runs) expect(run.error?.message).toBeUndefined();
		expect(org.calls.count('token')).toBe(1);
	});

	it('another worker rotates the refresh token while this execution refreshes: its stored token is used, no "reconnect"', async () => {
		const credentials = oauth2Credentials(org);
		/**
		 * n8n in another worker: as n8n-core here reads the refresh token to spend it, the other
		 * worker spends the same one first and saves what it got, as a second process would.
		 */
		class RacingWorker extends TestCredentialsHelper {
			raced = false;

			async getDecrypted(...args: Parameters<TestCredentialsHelper['getDecrypted']>) {
				const data = await super.getDecrypted(...args);
				if (!this.raced && /refreshOAuth2Token/.test(new Error().stack ?? '')) {
					this.raced = true;
					const read = data.oauthTokenData as Record<string, string>;
					const answer = await fetch(`${org.url}/services/oauth2/token`, {
						method: 'POST',
						headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams({
							grant_type: 'refresh_token',
							refresh_token: read.refresh_token,
							client_id: org.admin.clientId,
							client_secret: org.admin.clientSecret,
						}).toString(),
					});
					const rotated = (await answer.json()) as Record<string, string>;
					expect(rotated.refresh_token).toBeTruthy();
					await this.updateCredentialsOauthTokenData({ id: '1', name: 'x' }, credentials.type, {
						oauthTokenData: { ...read, ...rotated },
					});
				}
				return data;
			}
		}
		const helper = new RacingWorker();
		helper.set(credentials.type, credentials.data);
		org.controls.expireSessions();
		const result = await getAdmin(credentials, {
			credentialsHelper: helper,
			keepStoredCredential: true,
		});
		expect(helper.raced).toBe(true);
		expect(result.error?.message).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ username: org.admin.username });
	});
});

describe('overall deadline', () => {
	it('sized for the largest Event Log File: a file too big to arrive in 3 h at 100 KB/s gets longer', () => {
		const GB = 2 ** 30;
		const threeHours = 3 * 3_600_000;
		expect(downloadDeadline(undefined)).toBe(threeHours);
		expect(downloadDeadline(100 * 2 ** 20)).toBe(threeHours);
		// 5 GB at 100 KB/s: about 14.6 hours
		expect(downloadDeadline(5 * GB) / 3_600_000).toBeCloseTo((5 * GB) / (100 * 1024) / 3600, 3);
	});

	it('an Event Log File that trickles one byte every 200 ms fails with REQUEST_TIMEOUT', async () => {
		// the idle timeout never fires on a trickle; the deadline must
		org.controls.failLogFileBody(1, { afterBytes: 300, mode: 'trickle', contentLength: true });
		const result = await runNode({
			resource: 'eventLog',
			operation: 'getEvents',
			parameters: { output: 'perUser', filters: { eventTypes: ['Login'] } },
			credentials: passwordCredentials(org),
			nodeType: new TunedSalesforceAdmin({
				transport: { idleTimeoutMs: 2_000, overallTimeoutMs: 4_000 },
			}),
		});
		expect(result.error?.message).toMatch(/^REQUEST_TIMEOUT: .*did not finish/);
	}, 60_000);
});
