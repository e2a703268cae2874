/**
 * What the credential types promise: the OAuth2 credential uses n8n's PKCE grant and the exact
 * scopes, and says where the callback URL goes; the password credential warns about SOAP
 * login()'s retirement and signs in at a pinned API version that still has it.
 */
import { SalesforceAdminOAuth2Api } from '../../credentials/SalesforceAdminOAuth2Api.credentials';
import { SalesforceAdminPasswordApi } from '../../credentials/SalesforceAdminPasswordApi.credentials';
import { SOAP_LOGIN_API_VERSION } from '../../nodes/SalesforceAdmin/transport/apiVersion';
import { FakeOrg } from '../fake-org';
import { passwordCredentials, runNode } from '../helpers';

const prop = (props: Array<{ name: string }>, name: string) =>
	props.find((p) => p.name === name) as Record<string, unknown> | undefined;

describe('credential definitions', () => {
	it('OAuth2: authorization code with PKCE (hidden grantType pkce), scope exactly "refresh_token offline_access id api"', () => {
		const { properties } = new SalesforceAdminOAuth2Api();
		expect(prop(properties, 'grantType')).toMatchObject({ type: 'hidden', default: 'pkce' });
		expect(prop(properties, 'scope')).toMatchObject({
			type: 'hidden',
			default: 'refresh_token offline_access id api',
		});
	});

	it('OAuth2: the notice names the real place of the callback URL in Salesforce', () => {
		const notice = String(prop(new SalesforceAdminOAuth2Api().properties, 'notice')?.displayName);
		expect(notice).toMatch(
			/Setup > External Client App Manager > New External Client App > OAuth Settings > Callback URL/,
		);
		expect(notice).toMatch(/Require Proof Key for Code Exchange \(PKCE\)/);
		expect(notice).toMatch(/Require secret for Web Server Flow/);
	});

	it('password: the notice says SOAP login() is retiring and points to JWT bearer / client credentials', () => {
		const notice = String(prop(new SalesforceAdminPasswordApi().properties, 'notice')?.displayName);
		expect(notice).toMatch(/retired from API 65\.0/);
		expect(notice).toMatch(/Summer '27/);
		expect(notice).toMatch(/External Client Apps do not offer the OAuth username-password flow/);
		expect(notice).toMatch(/JWT Bearer or Client Credentials/);
	});

	it('password: SOAP login() goes to a pinned API version below 65.0', async () => {
		expect(Number(SOAP_LOGIN_API_VERSION)).toBeLessThan(65);
		const org = await FakeOrg.start({ seed: { users: 5, seed: 3 } });
		try {
			const result = await runNode({
				resource: 'user',
				operation: 'get',
				parameters: { userId: org.admin.username },
				credentials: passwordCredentials(org),
			});
			expect(result.error).toBeUndefined();
			const login = org.calls.log.find((c) => c.kind === 'soapLogin');
			expect(login?.path).toBe(`/services/Soap/u/${SOAP_LOGIN_API_VERSION}`);
		} finally {
			await org.stop();
		}
	});
});
