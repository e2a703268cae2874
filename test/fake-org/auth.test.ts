import { Connection } from 'jsforce';

import { FakeOrg } from './index';

const VERSION = '62.0';

describe('fake org: SOAP login', () => {
	let org: FakeOrg;
	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 50, seed: 7 } });
	});
	afterAll(() => org.stop());
	beforeEach(() => org.calls.reset());

	const soapConn = () => new Connection({ loginUrl: org.url, version: VERSION });

	it('signs in with password + security token and the session works for REST', async () => {
		const conn = soapConn();
		const info = await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
		expect(info.id).toBe(org.admin.userId);
		expect(info.organizationId).toBe(org.store.orgId);
		expect(conn.instanceUrl).toBe(org.url);
		const result = await conn.query<{ Username: string }>(
			`SELECT Username FROM User WHERE Id = '${org.admin.userId}'`,
		);
		expect(result.records[0].Username).toBe(org.admin.username);
		expect(org.calls.log.map((c) => c.kind)).toEqual(['soapLogin', 'query']);
	});

	it('answers the login envelope Salesforce sends (serverUrl, userInfo)', async () => {
		const body = `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>${org.admin.username}</username><password>${org.admin.password}${org.admin.securityToken}</password></login></se:Body></se:Envelope>`;
		const res = await fetch(`${org.url}/services/Soap/u/${VERSION}`, {
			method: 'POST',
			body,
			headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
		});
		const xml = await res.text();
		expect(res.status).toBe(200);
		expect(xml).toContain(
			`<serverUrl>${org.url}/services/Soap/u/${VERSION}/${org.store.orgId.slice(0, 15)}</serverUrl>`,
		);
		expect(xml).toContain('<passwordExpired>false</passwordExpired>');
		expect(xml).toContain(`<userName>${org.admin.username}</userName>`);
		expect(xml).toContain('<userType>Standard</userType>');
		expect(xml).toContain(`<organizationId>${org.store.orgId}</organizationId>`);
	});

	it('faults with HTTP 500 text/xml and a LoginFault for a wrong password', async () => {
		const body = `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>${org.admin.username}</username><password>wrong</password></login></se:Body></se:Envelope>`;
		const res = await fetch(`${org.url}/services/Soap/u/${VERSION}`, {
			method: 'POST',
			body,
			headers: { 'Content-Type': 'text/xml' },
		});
		expect(res.status).toBe(500);
		expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
		const xml = await res.text();
		expect(xml).toContain('<faultcode>sf:INVALID_LOGIN</faultcode>');
		expect(xml).toContain('<sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>');
	});

	it.each([
		[
			'wrong password',
			() => [org.admin.username, 'nope' + org.admin.securityToken],
			/^INVALID_LOGIN: Invalid username, password, security token; or user locked out\.$/,
		],
		['unknown user', () => ['nobody@acme.example.com', 'x'], /^INVALID_LOGIN:/],
		[
			'missing security token',
			() => [org.admin.username, org.admin.password],
			/^LOGIN_MUST_USE_SECURITY_TOKEN:/,
		],
	])(
		'jsforce gets the fault code first in the error message: %s',
		async (_name, creds, pattern) => {
			const [username, password] = creds();
			await expect(soapConn().login(username, password)).rejects.toThrow(pattern);
		},
	);

	it('refuses users whose profile lacks API Enabled, and frozen or inactive users', async () => {
		const marketing = org.store.addUser({ profile: 'Marketing User' });
		const frozen = org.store.addUser({ IsFrozen: true });
		const inactive = org.store.addUser({ IsActive: false });
		const m = org.addLoginUser(marketing);
		const f = org.addLoginUser(frozen);
		const i = org.addLoginUser(inactive);
		await expect(soapConn().login(m.username, m.password + m.securityToken)).rejects.toThrow(
			/^API_CURRENTLY_DISABLED: API is disabled for this User$/,
		);
		await expect(soapConn().login(f.username, f.password + f.securityToken)).rejects.toThrow(
			/^INVALID_LOGIN:/,
		);
		await expect(soapConn().login(i.username, i.password + i.securityToken)).rejects.toThrow(
			/^INVALID_LOGIN:/,
		);
	});

	it('lets a permission set grant API Enabled', async () => {
		const user = org.store.addUser({ profile: 'Marketing User' });
		org.store.assignPermissionSet(
			user.Id,
			org.store.permissionSets.find((p) => p.Name === 'API_Access')!.Id,
		);
		const creds = org.addLoginUser(user);
		await expect(
			soapConn().login(creds.username, creds.password + creds.securityToken),
		).resolves.toMatchObject({ id: user.Id });
	});

	it('accepts the password alone from a trusted network (requireToken: false)', async () => {
		const creds = org.addLoginUser(org.store.addUser(), { requireToken: false });
		await expect(soapConn().login(creds.username, creds.password)).resolves.toMatchObject({
			id: creds.userId,
		});
	});

	it('answers passwordExpired=true for an expired password, and REST refuses that session', async () => {
		const creds = org.addLoginUser(org.store.addUser(), { passwordExpired: true });
		await expect(
			soapConn().login(creds.username, creds.password + creds.securityToken),
		).rejects.toThrow(/password has expired/);
		const body = `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>${creds.username}</username><password>${creds.password}${creds.securityToken}</password></login></se:Body></se:Envelope>`;
		const xml = await (
			await fetch(`${org.url}/services/Soap/u/${VERSION}`, { method: 'POST', body })
		).text();
		expect(xml).toContain('<passwordExpired>true</passwordExpired>');
		const sessionId = xml.match(/<sessionId>([^<]+)</)![1];
		const res = await fetch(`${org.url}/services/data/v${VERSION}/limits`, {
			headers: { Authorization: `Bearer ${sessionId}` },
		});
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual([
			expect.objectContaining({ errorCode: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD' }),
		]);
	});

	it('signs in again by itself after the session expires (jsforce username/password refresh)', async () => {
		const conn = soapConn();
		await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
		org.controls.expireSessions();
		const result = await conn.query('SELECT COUNT() FROM User');
		expect(result.totalSize).toBe(org.store.users.length);
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'soapLogin:200',
			'query:401',
			'soapLogin:200',
			'query:200',
		]);
	});
});

describe('fake org: OAuth 2.0', () => {
	let org: FakeOrg;
	beforeAll(async () => {
		org = await FakeOrg.start();
	});
	afterAll(() => org.stop());
	beforeEach(() => org.calls.reset());

	const oauth2 = () => ({
		loginUrl: org.url,
		clientId: org.admin.clientId,
		clientSecret: org.admin.clientSecret,
		redirectUri: 'http://localhost/cb',
	});

	it('username-password flow returns a Bearer token with instance_url and id', async () => {
		const conn = new Connection({ oauth2: oauth2(), version: VERSION });
		const info = await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
		expect(info.id).toBe(org.admin.userId);
		expect(conn.instanceUrl).toBe(org.url);
		const identity = await conn.identity();
		expect(identity).toMatchObject({
			user_id: org.admin.userId,
			organization_id: org.store.orgId,
			username: org.admin.username,
			user_type: 'Standard',
		});
		expect(org.calls.log.map((c) => c.kind)).toEqual(['token', 'identity']);
	});

	it('token errors are HTTP 400 JSON, turned into errors named by their code', async () => {
		const badPassword = new Connection({ oauth2: oauth2(), version: VERSION });
		await expect(badPassword.login(org.admin.username, 'wrong')).rejects.toMatchObject({
			name: 'invalid_grant',
			message: 'authentication failure',
		});
		const badSecret = new Connection({
			oauth2: { ...oauth2(), clientSecret: 'nope' },
			version: VERSION,
		});
		await expect(
			badSecret.login(org.admin.username, org.admin.password + org.admin.securityToken),
		).rejects.toMatchObject({ name: 'invalid_client' });
		const badClient = new Connection({
			oauth2: { ...oauth2(), clientId: 'nope' },
			version: VERSION,
		});
		await expect(
			badClient.login(org.admin.username, org.admin.password + org.admin.securityToken),
		).rejects.toMatchObject({ name: 'invalid_client_id' });
		const res = await fetch(`${org.url}/services/oauth2/token`, {
			method: 'POST',
			body:
				'grant_type=password&username=x&password=y&client_id=' +
				encodeURIComponent(org.admin.clientId) +
				'&client_secret=' +
				org.admin.clientSecret,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({
			error: 'invalid_grant',
			error_description: 'authentication failure',
		});
	});

	it('authorization code flow: the code is exchanged once for access + refresh tokens', async () => {
		const code = org.issueAuthorizationCode();
		const conn = new Connection({ oauth2: oauth2(), version: VERSION });
		const info = await conn.authorize(code);
		expect(info.id).toBe(org.admin.userId);
		expect(conn.refreshToken).toMatch(/^5Aep861/);
		await expect(new Connection({ oauth2: oauth2() }).authorize(code)).rejects.toMatchObject({
			name: 'invalid_grant',
			message: 'invalid authorization code',
		});
	});

	it('the authorize endpoint signs in, asks for consent and redirects back with a code and the state', async () => {
		const callback = 'http://localhost:5678/rest/oauth2-credential/callback';
		const url = `${org.url}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(org.admin.clientId)}&redirect_uri=${encodeURIComponent(callback)}&state=abc&scope=${encodeURIComponent('refresh_token offline_access id api')}`;
		const page = await fetch(url, { redirect: 'manual' });
		expect(page.status).toBe(200);
		const rid = (await page.text()).match(/name="rid" value="([^"]+)"/)![1];
		const post = (fields: Record<string, string>) =>
			fetch(`${org.url}/services/oauth2/authorize`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ rid, ...fields }).toString(),
			});
		const consent = await post({
			step: 'login',
			username: org.admin.username,
			pw: org.admin.password,
		});
		expect(consent.status).toBe(200);
		expect(await consent.text()).toContain('id="oaapprove"');
		const res = await post({ step: 'approve', oaapprove: 'Allow' });
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location')!);
		expect(location.origin + location.pathname).toBe(callback);
		expect(location.searchParams.get('state')).toBe('abc');
		const token = await fetch(`${org.url}/services/oauth2/token`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `Basic ${Buffer.from(`${org.admin.clientId}:${org.admin.clientSecret}`).toString('base64')}`,
			},
			body: `grant_type=authorization_code&code=${encodeURIComponent(location.searchParams.get('code')!)}&redirect_uri=${encodeURIComponent(callback)}`,
		});
		expect(token.status).toBe(200);
		expect(await token.json()).toMatchObject({
			token_type: 'Bearer',
			instance_url: org.url,
			refresh_token: expect.any(String),
			id: `${org.url}/id/${org.store.orgId}/${org.admin.userId}`,
		});
	});

	it('a 401 on an expired access token is refreshed with the refresh token and the call retried', async () => {
		const tokens = org.issueOAuthTokens();
		const conn = new Connection({
			oauth2: oauth2(),
			instanceUrl: tokens.instance_url,
			accessToken: tokens.access_token,
			refreshToken: tokens.refresh_token,
			version: VERSION,
		});
		const refreshed: string[] = [];
		conn.on('refresh', (token: string) => refreshed.push(token));
		org.controls.expireSessions();
		const result = await conn.query('SELECT Id FROM User');
		expect(result.totalSize).toBe(org.store.users.length);
		expect(refreshed).toHaveLength(1);
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual([
			'query:401',
			'token:200',
			'query:200',
		]);
		expect(org.calls.total()).toBe(1);
	});

	it('a revoked refresh token fails the refresh with invalid_grant', async () => {
		const tokens = org.issueOAuthTokens();
		const conn = new Connection({
			oauth2: oauth2(),
			instanceUrl: tokens.instance_url,
			accessToken: tokens.access_token,
			refreshToken: tokens.refresh_token,
			version: VERSION,
		});
		org.controls.revokeRefreshToken(tokens.refresh_token);
		org.controls.expireSessions();
		// jsforce wraps the token endpoint's error: "Unable to refresh session due to: ...".
		await expect(conn.query('SELECT Id FROM User')).rejects.toThrow(
			/expired access\/refresh token/,
		);
		expect(org.calls.log.map((c) => `${c.kind}:${c.status}`)).toEqual(['query:401', 'token:400']);
	});

	it('REST answers 401 INVALID_SESSION_ID for an unknown token; identity answers 403 Bad_OAuth_Token', async () => {
		const rest = await fetch(`${org.url}/services/data/v${VERSION}/query?q=SELECT+Id+FROM+User`, {
			headers: { Authorization: 'Bearer nope' },
		});
		expect(rest.status).toBe(401);
		expect(await rest.json()).toEqual([
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);
		const id = await fetch(`${org.url}/id/${org.store.orgId}/${org.admin.userId}`, {
			headers: { Authorization: 'Bearer nope' },
		});
		expect(id.status).toBe(403);
		expect(await id.text()).toBe('Bad_OAuth_Token');
	});

	it('userinfo describes the token user; the refresh response signature verifies', async () => {
		const tokens = org.issueOAuthTokens();
		const info = await (
			await fetch(`${org.url}/services/oauth2/userinfo`, {
				headers: { Authorization: `Bearer ${tokens.access_token}` },
			})
		).json();
		expect(info).toMatchObject({
			user_id: org.admin.userId,
			preferred_username: org.admin.username,
			organization_id: org.store.orgId,
		});
		const { createHmac } = await import('node:crypto');
		expect(tokens.signature).toBe(
			createHmac('sha256', org.admin.clientSecret)
				.update(tokens.id + tokens.issued_at)
				.digest('base64'),
		);
	});
});
