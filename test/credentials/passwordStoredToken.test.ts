/**
 * The password credential's preAuthentication and authenticate, which n8n runs for its HTTP
 * Request node ("Custom API Call"), against the fake org over real HTTP: SOAP login() (our own
 * request, no jsforce) and the OAuth username-password flow, the session stored and sent only to
 * Salesforce, only while it was made from the current sign-in fields, each sign-in error with
 * the admin guidance and without a secret, and a saved credential from before the hidden fields.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { SalesforceAdminPasswordApi } from '../../credentials/SalesforceAdminPasswordApi.credentials';
import { FakeOrg } from '../fake-org';
import { TestCredentialsHelper, passwordCredentials, preAuthenticationContext } from '../helpers';
import { loginEnvelope, xmlUnescape } from '../../nodes/SalesforceAdmin/transport/soapLogin';

const TYPE = 'salesforceAdminPasswordApi';
const credential = new SalesforceAdminPasswordApi();

let org: FakeOrg;

beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 31 } });
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
	org.controls.oauth.resetTokenRequests();
	org.controls.setInstanceUrl(undefined);
});

type Variant = 'soap' | 'oauth';
const VARIANTS: Variant[] = ['soap', 'oauth'];

/** The credential's data as n8n hands it over: every property's default applied. */
function fields(variant: Variant, overrides: Record<string, unknown> = {}) {
	const raw = {
		...passwordCredentials(org, { flow: variant }).data,
		...overrides,
	} as ICredentialDataDecryptedObject;
	return new TestCredentialsHelper().applyDefaults(TYPE, raw);
}

const preAuthenticate = async (data: ICredentialDataDecryptedObject) =>
	await credential.preAuthentication.call(preAuthenticationContext, data);

const authenticate = async (data: ICredentialDataDecryptedObject, url: string) =>
	(await credential.authenticate(data, { url, method: 'GET' } as IHttpRequestOptions)) as {
		headers?: Record<string, unknown>;
	};

const signIns = (variant: Variant) =>
	variant === 'soap'
		? org.calls.count('soapLogin')
		: org.controls.oauth.tokenRequests('password', org.admin.clientId);

const queryUrl = () =>
	`${org.url}/services/data/v62.0/query?q=${encodeURIComponent(
		`SELECT Id, Username FROM User WHERE Id = '${org.admin.userId}'`,
	)}`;

/** The error a promise rejects with. */
async function failure(pending: Promise<unknown>): Promise<Error & Record<string, unknown>> {
	try {
		await pending;
	} catch (error) {
		return error as Error & Record<string, unknown>;
	}
	throw new Error('expected a failure');
}

/** Everything n8n could show of an error (also wrapped as the HTTP Request node does). */
function shown(error: Error & Record<string, unknown>): string {
	const node = { name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest' } as INode;
	const wrapped = new NodeApiError(node, error as never);
	return JSON.stringify({
		message: error.message,
		description: error.description,
		stack: error.stack,
		error,
		wrapped: wrapped.toJSON?.(),
		wrappedMessage: wrapped.message,
		wrappedDescription: wrapped.description,
	});
}

describe.each(VARIANTS)('%s: preAuthentication', (variant) => {
	it('signs in once and returns the session, its instance, identity URL and fingerprint', async () => {
		const data = fields(variant);
		const stored = await preAuthenticate(data);
		expect(signIns(variant)).toBe(1);
		expect(org.calls.count('soapLogin') + org.calls.count('token')).toBe(1);
		expect(stored).toEqual({
			accessToken: expect.stringMatching(/^00D\w{12}!/),
			instanceUrl: org.url,
			identityUrl: `${org.url}/id/${org.store.orgId}/${org.admin.userId}`,
			tokenFingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		if (variant === 'soap') {
			// the pinned legacy version, not jsforce's default
			expect(org.calls.log[0]).toMatchObject({ method: 'POST', path: '/services/Soap/u/62.0' });
		}

		// the stored session works: authenticate signs a REST query with it
		const request = await authenticate({ ...data, ...stored }, queryUrl());
		expect(request.headers).toEqual({ Authorization: `Bearer ${String(stored.accessToken)}` });
		const res = await fetch(queryUrl(), { headers: request.headers as Record<string, string> });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			totalSize: 1,
			records: [expect.objectContaining({ Username: org.admin.username })],
		});
	});

	it('a wrong password: the sign-in error with the admin guidance, no secret anywhere', async () => {
		const wrong = 'Wr0ng&Passw0rd!';
		const error = await failure(preAuthenticate(fields(variant, { password: wrong })));
		expect(error.name).toBe('SalesforceApiError');
		if (variant === 'soap') {
			expect(error).toMatchObject({ code: 'INVALID_LOGIN', phase: 'signIn' });
			expect(error.message).toBe('Invalid username, password, security token; or user locked out.');
		} else {
			expect(error).toMatchObject({ code: 'invalid_grant', phase: 'signIn' });
			expect(error.message).toBe('authentication failure');
			expect(error.description).toMatch(/connected app must also allow this user/);
		}
		expect(error.description).toMatch(/security token may have been reset/);
		expect(error.description).toMatch(/locked out/);
		// n8n's HTTP Request node shows the guidance under the message
		const node = { name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest' } as INode;
		expect(new NodeApiError(node, error as never).description).toBe(error.description);
		const text = shown(error);
		for (const secret of [
			wrong,
			wrong + org.admin.securityToken,
			'Wr0ng&amp;Passw0rd!',
			org.admin.securityToken,
			org.admin.clientSecret,
		])
			expect(text).not.toContain(secret);
	});

	it('an instance URL that is not Salesforce: refused before the session is returned', async () => {
		org.controls.setInstanceUrl('https://collector.example.com');
		const error = await failure(preAuthenticate(fields(variant)));
		expect(error).toMatchObject({ code: 'UNTRUSTED_INSTANCE_URL' });
		expect(error.description).toMatch(/not a Salesforce address/);
	});

	it('incomplete fields are refused before any call', async () => {
		const error = await failure(preAuthenticate(fields(variant, { password: '' })));
		expect(error.name).toBe('CredentialSetupError');
		expect(error.message).toBe('The credential needs a username and a password');
		expect(org.calls.count()).toBe(0);
	});
});

describe('SOAP login() of the credential', () => {
	it('XML-escapes the username and password (a password with & < > " \')', async () => {
		const password = `P&ss<w>"rd'1`;
		const user = org.store.addUser({ profile: 'System Administrator' });
		const login = org.addLoginUser(user, { password, requireToken: false });
		const envelope = loginEnvelope(login.username, password);
		expect(envelope).toContain('<password>P&amp;ss&lt;w&gt;&quot;rd&apos;1</password>');
		expect(xmlUnescape('P&amp;ss&lt;w&gt;&quot;rd&apos;1')).toBe(password);
		const stored = await preAuthenticate(
			fields('soap', { username: login.username, password, securityToken: '' }),
		);
		expect(stored.identityUrl).toBe(`${org.url}/id/${org.store.orgId}/${user.Id}`);
	});

	const named = (text: string) =>
		text.replace(
			/[&<>"']/g,
			(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
		);
	const hex = (text: string) =>
		text.replace(/[&<>"']/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);

	it.each([
		['named entities', named],
		['hex references', hex],
	])('a fault that echoes the password (%s): scrubbed from the message', async (_name, escape) => {
		const password = `Wr0ng&<Pa"ss>'w0rd`;
		org.controls.echoPasswordInLoginFault = (sent) => `(password was "${escape(sent)}")`;
		try {
			const error = await failure(preAuthenticate(fields('soap', { password })));
			expect(error.message).toMatch(/\(password was "\[redacted\]"\)$/);
			const text = shown(error);
			expect(error).toMatchObject({ code: 'INVALID_LOGIN' });
			for (const form of [
				password,
				named(password),
				hex(password),
				'Pa"ss',
				'Pa&quot;ss',
				'Pa&#x22;ss',
				'Pa\\"ss',
				org.admin.securityToken,
			])
				expect(text).not.toContain(form);
		} finally {
			org.controls.echoPasswordInLoginFault = undefined;
		}
	});

	it('LOGIN_MUST_USE_SECURITY_TOKEN says to append the security token', async () => {
		const error = await failure(preAuthenticate(fields('soap', { securityToken: '' })));
		expect(error).toMatchObject({ code: 'LOGIN_MUST_USE_SECURITY_TOKEN' });
		expect(error.description).toMatch(/Enter the security token in the credential/);
	});

	it('API_CURRENTLY_DISABLED says to grant API Enabled', async () => {
		const marketing = org.addLoginUser(org.store.addUser({ profile: 'Marketing User' }));
		const error = await failure(
			preAuthenticate(
				fields('soap', {
					username: marketing.username,
					password: marketing.password,
					securityToken: marketing.securityToken,
				}),
			),
		);
		expect(error).toMatchObject({ code: 'API_CURRENTLY_DISABLED' });
		expect(error.description).toMatch(/API Enabled/);
	});

	it('an expired password: no session is stored, the guidance says to set a new one', async () => {
		const user = org.store.addUser({ profile: 'System Administrator' });
		const login = org.addLoginUser(user, { passwordExpired: true });
		const error = await failure(
			preAuthenticate(
				fields('soap', {
					username: login.username,
					password: login.password,
					securityToken: login.securityToken,
				}),
			),
		);
		expect(error).toMatchObject({ code: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD' });
		expect(error.description).toMatch(/password has expired/);
	});
});

describe('authenticate', () => {
	let data: ICredentialDataDecryptedObject;

	beforeAll(async () => {
		const soap = fields('soap');
		data = { ...soap, ...(await preAuthenticate(soap)) };
	});

	it.each([
		'https://example.com/services/data/v62.0/query',
		'https://salesforce.com.example.org/services/data/',
		'https://evilsalesforce.com/',
		'http://na1.salesforce.com/services/data/',
		'http://127.0.0.2:1/services/data/',
		'not a url',
		// another org's My Domain: a Salesforce host, but not this org's
		'https://acme.my.salesforce.com/services/data/v62.0/',
	])('refuses to send the session to %s', async (url) => {
		await expect(authenticate(data, url)).rejects.toThrow(/sends its token only to its own org/);
	});

	it('sends it to the org', async () => {
		const request = await authenticate(data, queryUrl());
		expect(request.headers?.Authorization).toBe(`Bearer ${String(data.accessToken)}`);
	});

	it('the message names no token', async () => {
		const error = await failure(authenticate(data, 'https://example.com/x'));
		expect(error.message).not.toContain(String(data.accessToken));
	});

	it.each([
		['password', { password: 'An0therPassw0rd!' }],
		['security token', { securityToken: 'NEWTOKEN123456' }],
		['username', { username: 'someone.else@acme.example.com' }],
		['client ID and secret (OAuth instead of SOAP)', { clientId: 'x', clientSecret: 'y' }],
		['My Domain URL', { myDomainUrl: 'http://localhost:1' }],
	])('changed %s: the stored session is not sent', async (_name, change) => {
		const request = await authenticate({ ...data, ...change }, queryUrl());
		expect(request.headers?.Authorization).toBeUndefined();
	});

	it('an OAuth variant: a changed client secret changes the fingerprint', async () => {
		const oauth = fields('oauth');
		const stored = { ...oauth, ...(await preAuthenticate(oauth)) };
		expect((await authenticate(stored, queryUrl())).headers?.Authorization).toMatch(/^Bearer /);
		const changed = { ...stored, clientSecret: 'An0therSecret' };
		expect((await authenticate(changed, queryUrl())).headers?.Authorization).toBeUndefined();
	});

	it('a changed access mode keeps the session (it does not sign in as anyone else)', async () => {
		const request = await authenticate({ ...data, accessMode: 'readWrite' }, queryUrl());
		expect(request.headers?.Authorization).toBe(`Bearer ${String(data.accessToken)}`);
	});
});

describe('a credential saved before the hidden fields existed', () => {
	it('sends nothing until n8n signs in, then n8n stores the session with it', async () => {
		const helper = new TestCredentialsHelper();
		const { data: raw } = passwordCredentials(org);
		helper.set(TYPE, raw);
		const data = helper.applyDefaults(TYPE, raw);
		expect(data.accessToken).toBe('');
		expect((await authenticate(data, queryUrl())).headers?.Authorization).toBeUndefined();

		const node = {
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			credentials: { [TYPE]: { id: '1', name: 'Test' } },
		} as unknown as INode;
		const merged = await helper.preAuthentication(
			preAuthenticationContext,
			data,
			TYPE,
			node,
			false,
		);
		expect(merged?.accessToken).toEqual(expect.any(String));
		expect(helper.get(TYPE)).toMatchObject({
			instanceUrl: org.url,
			accessToken: merged?.accessToken,
		});
		expect(org.calls.count('soapLogin')).toBe(1);
		// a stored session is not replaced until it is refused
		await helper.preAuthentication(preAuthenticationContext, merged!, TYPE, node, false);
		expect(org.calls.count('soapLogin')).toBe(1);
		const request = await authenticate(merged!, queryUrl());
		const res = await fetch(queryUrl(), { headers: request.headers as Record<string, string> });
		expect(res.status).toBe(200);
	});

	it('no new visible field: every added property is hidden', () => {
		const visible = credential.properties.filter((p) => p.type !== 'hidden').map((p) => p.name);
		expect(visible).toEqual([
			'notice',
			'environment',
			'myDomainUrl',
			'username',
			'password',
			'securityToken',
			'clientId',
			'clientSecret',
			'accessMode',
		]);
		expect(credential.properties.find((p) => p.name === 'accessToken')?.typeOptions).toEqual({
			expirable: true,
			password: true,
		});
	});
});
