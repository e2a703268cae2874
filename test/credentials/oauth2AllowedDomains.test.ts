/**
 * The hosts n8n's HTTP Request node may send the OAuth2 credential's token to: n8n's own
 * allowedHttpRequestDomains/allowedDomains fields, declared hidden by the credential and resolved
 * from `$self` by n8n-workflow's expression engine as n8n's CredentialsHelper does. Only this
 * org's hosts may come out; nothing usable gives "" (n8n then refuses every request).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { TestCredentialsHelper } from '../helpers';

const helper = new TestCredentialsHelper();

function allowed(data: ICredentialDataDecryptedObject): { mode: unknown; domains: unknown } {
	const resolved = helper.applyDefaults('salesforceAdminOAuth2Api', data);
	return { mode: resolved.allowedHttpRequestDomains, domains: resolved.allowedDomains };
}

const token = (instance_url: unknown) => ({ oauthTokenData: { access_token: 'x', instance_url } });

describe('OAuth2 credential: allowed HTTP Request domains', () => {
	it.each([
		[
			'My Domain, instance on it',
			{
				environment: 'myDomain',
				myDomainUrl: 'https://acme.my.salesforce.com',
				...token('https://acme.my.salesforce.com'),
			},
			'acme.my.salesforce.com',
		],
		[
			'My Domain typed with a path and http',
			{
				environment: 'myDomain',
				myDomainUrl: 'http://Acme.my.salesforce.com/lightning',
				...token('https://acme.my.salesforce.com/'),
			},
			'acme.my.salesforce.com',
		],
		[
			'production: the instance only',
			{ environment: 'production', ...token('https://na1.salesforce.com') },
			'na1.salesforce.com',
		],
		[
			'sandbox: the instance only',
			{ environment: 'sandbox', ...token('https://acme--uat.sandbox.my.salesforce.com') },
			'acme--uat.sandbox.my.salesforce.com',
		],
		[
			'loopback test org (port dropped: n8n matches host names)',
			{
				environment: 'myDomain',
				myDomainUrl: 'http://127.0.0.1:4567',
				...token('http://127.0.0.1:4567'),
			},
			'127.0.0.1',
		],
		['not connected yet, production', { environment: 'production' }, ''],
		[
			'an instance URL that smuggles a host (user info)',
			{ environment: 'production', ...token('https://evil.example@na1.salesforce.com') },
			'',
		],
		[
			'an instance URL that is not text',
			{ environment: 'production', ...token({ host: 'evil.example' }) },
			'',
		],
		[
			'a My Domain URL that is not a URL',
			{ environment: 'myDomain', myDomainUrl: 'javascript:alert(1)' },
			'',
		],
	])('%s', (_name, data, domains) => {
		expect(allowed(data as ICredentialDataDecryptedObject)).toEqual({ mode: 'domains', domains });
	});
});
