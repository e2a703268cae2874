/**
 * The OAuth2 credential in n8n's HTTP Request node ("Predefined Credential Type", the node's
 * Custom API Call): n8n never runs a credential's own checks on that path, so the credential
 * declares n8n's "Allowed HTTP Request Domains" itself, fixed to this org's hosts (the token's
 * instance URL and the My Domain host). A real n8n (1.x and 2.x, E2E_N8N) must send the token to
 * the org, refuse every other host before any request leaves, and our own node must work as before.
 *
 * n8n 1.x (1.123) checks the allowed domains on this path only when following a redirect: the
 * HTTP Request node's first request goes out through n8n-core's legacy request helper, which
 * never looks at them (only 2.x's does). So a URL typed to another host is refused on 2.x only;
 * a redirect to another host is refused on both.
 */
import { FakeOrg } from '../fake-org';
import type { CredentialRef } from './fixtures';
import { httpWorkflow, oauthCredential, salesforceNode } from './fixtures';
import type { N8nServer } from './n8n';
import { linearWorkflow, majorsUnderTest, mustSucceed, N8nHarness } from './n8n';

const CRED: CredentialRef = { type: 'salesforceAdminOAuth2Api', id: 'oaDomCred0000001', name: 'Fake org (OAuth2, domains)' };
const WF = {
	httpOwnOrg: 'oaDomHttpOwn0001',
	httpOtherOrg: 'oaDomHttpOther01',
	httpOtherMyDomain: 'oaDomHttpMyDom01',
	read: 'oaDomRead0000001',
	freeze: 'oaDomFreeze00001',
} as const;

const query = (username: string) => `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id, Username FROM User WHERE Username = '${username}'`)}`;

describe.each(majorsUnderTest())('n8n %s.x: the OAuth2 credential in the HTTP Request node', (major) => {
	let org: FakeOrg;
	let otherOrg: FakeOrg;
	let n8n: N8nHarness;
	let target: { Id: string; Username: string };
	let otherOrgUrl: string;
	// n8n 1.x does not check the first request's host on this path (see above)
	const itRefusesTypedUrls = major === 2 ? it : it.skip;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 19 } });
		otherOrg = await FakeOrg.start({ seed: { users: 5, seed: 20 } });
		target = org.store.addUser({ profile: 'Standard User', FirstName: 'Fran', LastName: 'Freeze' }) as unknown as { Id: string; Username: string };
		n8n = await N8nHarness.create({ major, name: 'oauth2-domains' });
		await n8n.importCredentials([oauthCredential(org, CRED, 'readWrite')]);
		// n8n compares host names, not ports: the other org is reached by another loopback name
		otherOrgUrl = otherOrg.url.replace('127.0.0.1', 'localhost');
		await n8n.importWorkflows([
			httpWorkflow(WF.httpOwnOrg, CRED, `${org.url}${query(org.admin.username)}`),
			httpWorkflow(WF.httpOtherOrg, CRED, `${otherOrgUrl}${query(otherOrg.admin.username)}`),
			httpWorkflow(WF.httpOtherMyDomain, CRED, `https://someone-else.my.salesforce.com${query('ceo@someone-else.com')}`),
			linearWorkflow(WF.read, 'Read (OAuth2)', [
				salesforceNode('Get users', { resource: 'user', operation: 'getMany', returnAll: false, limit: 5, filters: {} }, CRED),
			]),
			linearWorkflow(WF.freeze, 'Freeze (OAuth2)', [
				salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', userId: target.Username, options: { dryRun: false } }, CRED),
			]),
		]);
	}, 240_000);

	afterAll(async () => {
		await n8n?.dispose();
		await otherOrg?.stop();
		await org?.stop();
	});

	it("sends the stored token to the org's instance URL", async () => {
		org.calls.reset();
		const run = await n8n.execute(WF.httpOwnOrg);
		mustSucceed(run);
		expect(run.json('HTTP Request')[0]).toMatchObject({ totalSize: 1, records: [expect.objectContaining({ Username: org.admin.username })] });
		// the fake org ran the query as the token's user: the token was sent and accepted
		expect(org.calls.log).toEqual([expect.objectContaining({ kind: 'query', status: 200, userId: org.admin.userId })]);
	}, 120_000);

	it("does not follow the org's redirect to another host with the token", async () => {
		org.calls.reset();
		otherOrg.calls.reset();
		org.controls.redirectNext(1, `${otherOrgUrl}${query(otherOrg.admin.username)}`, 'query');
		const run = await n8n.execute(WF.httpOwnOrg);
		expect(run.ok).toBe(false);
		expect(JSON.stringify(run.error)).toMatch(/Domain not allowed/);
		expect(org.calls.log).toEqual([expect.objectContaining({ kind: 'query', status: 302 })]);
		expect(otherOrg.calls.count()).toBe(0);
	}, 120_000);

	itRefusesTypedUrls('refuses another org before any request reaches it', async () => {
		otherOrg.calls.reset();
		const run = await n8n.execute(WF.httpOtherOrg);
		expect(run.ok).toBe(false);
		expect(JSON.stringify(run.error)).toMatch(/Domain not allowed/);
		expect(otherOrg.calls.count()).toBe(0);
	}, 120_000);

	itRefusesTypedUrls("refuses another org's My Domain host (*.my.salesforce.com)", async () => {
		const run = await n8n.execute(WF.httpOtherMyDomain);
		expect(run.ok).toBe(false);
		expect(JSON.stringify(run.error)).toMatch(/Domain not allowed/);
	}, 120_000);

	it('our own node still reads with the OAuth2 credential', async () => {
		const run = await n8n.execute(WF.read);
		mustSucceed(run);
		expect(run.json('Get users')).toHaveLength(5);
	}, 120_000);

	it('…and writes', async () => {
		const run = await n8n.execute(WF.freeze);
		mustSucceed(run);
		expect(run.json('Freeze user')[0]).toMatchObject({ id: target.Id, result: 'changed' });
		expect(org.store.userLogins.find((l) => l.UserId === target.Id)?.IsFrozen).toBe(true);
	}, 120_000);
	describe('the editor', () => {
		let server: N8nServer;

		beforeAll(async () => {
			server = await n8n.startServer();
		}, 240_000);

		afterAll(async () => {
			await server?.stop();
		});

		it("shows no editable copy of n8n's allowed-domains fields: the credential's own hidden ones replace them", async () => {
			const types = (await server.credentialTypes()) as Array<{ name: string; properties?: Array<{ name: string; type: string; default: unknown }> }>;
			const properties = types.find((t) => t.name === 'salesforceAdminOAuth2Api')?.properties ?? [];
			const domainFields = properties.filter((p) => p.name === 'allowedHttpRequestDomains' || p.name === 'allowedDomains');
			expect(domainFields.map((p) => [p.name, p.type])).toEqual([
				['allowedHttpRequestDomains', 'hidden'],
				['allowedDomains', 'hidden'],
			]);
			expect(domainFields[0].default).toBe('domains');
		}, 120_000);
	});
});
