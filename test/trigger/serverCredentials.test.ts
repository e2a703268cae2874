/**
 * The trigger offers the same four credentials as the action node (one shared definition), and
 * polls with the JWT bearer and client credentials credentials reuse the token n8n stores: one
 * token request for many polls.
 */
import { SalesforceAdminTrigger } from '../../nodes/SalesforceAdmin/SalesforceAdminTrigger.node';
import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { FakeOrg } from '../fake-org';
import type { ServerApp } from '../helpers/credentials';
import { clientCredentials, jwtCredentials, registerServerApp } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';

let org: FakeOrg;
let app: ServerApp;

beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 13 } });
	app = registerServerApp(org);
});
afterAll(async () => await org.stop());
beforeEach(() => org.controls.oauth.resetTokenRequests());

describe('trigger credentials', () => {
	it('offers OAuth2, Username and Password, JWT Bearer and Client Credentials, like the action node', () => {
		const trigger = new SalesforceAdminTrigger().description;
		const action = new SalesforceAdmin().description;
		const options = (d: typeof trigger) =>
			d.properties.find((p) => p.name === 'authentication')?.options;
		expect(options(trigger)).toEqual([
			{ name: 'OAuth2', value: 'oAuth2' },
			{ name: 'Username and Password', value: 'password' },
			{ name: 'JWT Bearer', value: 'jwt' },
			{ name: 'Client Credentials', value: 'clientCredentials' },
		]);
		expect(options(action)).toEqual(options(trigger));
		expect(
			trigger.credentials?.map((c) => [c.name, c.displayOptions?.show?.authentication]),
		).toEqual([
			['salesforceAdminOAuth2Api', ['oAuth2']],
			['salesforceAdminPasswordApi', ['password']],
			['salesforceAdminJwtApi', ['jwt']],
			['salesforceAdminClientCredentialsApi', ['clientCredentials']],
		]);
		expect(action.credentials).toEqual(trigger.credentials);
	});

	it.each([
		['JWT bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer', () => jwtCredentials(org, app)],
		['client credentials', 'client_credentials', () => clientCredentials(org, app)],
	])('%s: activation and 10 polls cost one token request', async (_name, grant, credentials) => {
		const h = new PollHarness(credentials(), {
			event: 'licenseThreshold',
			thresholdType: 'minAvailable',
			minAvailable: 1,
			licenseTypes: ['user'],
		});
		expect((await h.activate()).error).toBeUndefined();
		for (let i = 0; i < 10; i++) expect((await h.poll()).error).toBeUndefined();
		expect(org.controls.oauth.tokenRequests(grant, app.clientId)).toBe(1);
	});
});
