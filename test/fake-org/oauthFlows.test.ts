import { createHmac, X509Certificate } from 'node:crypto';

import {
	AppKeys,
	authorizeInBrowser,
	FakeOrg,
	generateAppKeys,
	pkcePair,
	s256,
	signJwtAssertion,
} from './index';

const VERSION = '62.0';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SCOPE = 'refresh_token offline_access id api';

const basic = (id: string, secret: string) =>
	`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const ridOf = (html: string) => html.match(/name="rid" value="([^"]+)"/)![1];
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('fake org: OAuth flows of External Client Apps', () => {
	let org: FakeOrg;
	let keys: AppKeys;
	beforeAll(async () => {
		org = await FakeOrg.start();
		keys = generateAppKeys();
	});
	afterAll(() => org.stop());
	beforeEach(() => {
		org.calls.reset();
		org.controls.oauth.resetTokenRequests();
	});
	afterEach(() => {
		org.controls.oauth.clockOffsetMs = 0;
		org.controls.oauth.setJwtAudiences();
	});

	const token = async (fields: Record<string, string>, headers: Record<string, string> = {}) => {
		const res = await fetch(`${org.url}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
			body: new URLSearchParams(fields).toString(),
		});
		return {
			status: res.status,
			contentType: res.headers.get('content-type'),
			body: (await res.json()) as Record<string, string>,
		};
	};

	const authorizeUrl = (params: Record<string, string | undefined>) => {
		const url = new URL(`${org.url}/services/oauth2/authorize`);
		for (const [key, value] of Object.entries(params))
			if (value !== undefined) url.searchParams.set(key, value);
		return url.toString();
	};

	const postForm = (fields: Record<string, string>, cookie?: string) =>
		fetch(`${org.url}/services/oauth2/authorize`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				...(cookie ? { Cookie: cookie } : {}),
			},
			body: new URLSearchParams(fields).toString(),
		});

	const eca = () => org.externalClientApp;

	/** GET authorize, sign in on the form; returns the response after the login POST and the cookie. */
	async function signIn(
		params: Record<string, string | undefined>,
		username = org.admin.username,
		password = org.admin.password,
	) {
		const page = await fetch(authorizeUrl(params), { redirect: 'manual' });
		expect(page.status).toBe(200);
		const rid = ridOf(await page.text());
		const res = await postForm({ step: 'login', rid, username, pw: password });
		const cookie = res.headers.get('set-cookie')?.split(';')[0];
		return { res, rid, cookie };
	}

	/** The whole browser part for the seeded External Client App (admin is pre-authorized). */
	async function codeForEca(state = 'st4te') {
		const { verifier, challenge } = pkcePair();
		const { res } = await signIn({
			response_type: 'code',
			client_id: eca().clientId,
			redirect_uri: eca().callbackUrl,
			scope: SCOPE,
			state,
			code_challenge: challenge,
			code_challenge_method: 'S256',
		});
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location')!);
		return {
			code: location.searchParams.get('code')!,
			state: location.searchParams.get('state'),
			verifier,
			location,
		};
	}

	describe('authorize page and PKCE', () => {
		it('serves a sign-in form with the element ids a browser test clicks', async () => {
			const { challenge } = pkcePair();
			const res = await fetch(
				authorizeUrl({
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: eca().callbackUrl,
					code_challenge: challenge,
				}),
			);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
			const html = await res.text();
			for (const id of ['username', 'password', 'Login']) expect(html).toContain(`id="${id}"`);
			expect(org.calls.log.map((c) => c.kind)).toEqual(['authorize']);
		});

		it('GET authorize, POST the form, 302 with code and state, token exchange with the verifier', async () => {
			const { code, state, verifier, location } = await codeForEca();
			expect(location.origin + location.pathname).toBe(eca().callbackUrl);
			expect(state).toBe('st4te');
			expect(code).toMatch(/^aPrx/);
			// n8n 1.x: client_id:client_secret as HTTP Basic, code_verifier in the body
			const res = await token(
				{
					grant_type: 'authorization_code',
					code,
					redirect_uri: eca().callbackUrl,
					code_verifier: verifier,
				},
				{ Authorization: basic(eca().clientId, eca().clientSecret) },
			);
			expect(res.status).toBe(200);
			expect(res.contentType).toBe('application/json;charset=UTF-8');
			expect(Object.keys(res.body).sort()).toEqual([
				'access_token',
				'id',
				'instance_url',
				'issued_at',
				'refresh_token',
				'scope',
				'signature',
				'token_type',
			]);
			expect(res.body).toMatchObject({
				scope: SCOPE,
				instance_url: org.url,
				id: `${org.url}/id/${org.store.orgId}/${org.admin.userId}`,
				token_type: 'Bearer',
			});
			expect(res.body.signature).toBe(
				createHmac('sha256', eca().clientSecret)
					.update(res.body.id + res.body.issued_at)
					.digest('base64'),
			);
			// the access token works on the REST API, acting as the admin
			const rest = await fetch(
				`${org.url}/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`,
				{ headers: { Authorization: `Bearer ${res.body.access_token}` } },
			);
			expect(rest.status).toBe(200);
			const me = await (
				await fetch(`${org.url}/services/oauth2/userinfo`, {
					headers: { Authorization: `Bearer ${res.body.access_token}` },
				})
			).json();
			expect(me).toMatchObject({ user_id: org.admin.userId });
		});

		it('accepts client_id and client_secret in the body too (n8n 2.x with authentication: body)', async () => {
			const { code, verifier } = await codeForEca();
			const res = await token({
				grant_type: 'authorization_code',
				code,
				redirect_uri: eca().callbackUrl,
				code_verifier: verifier,
				client_id: eca().clientId,
				client_secret: eca().clientSecret,
			});
			expect(res.status).toBe(200);
		});

		it('a self-authorize app shows the consent page once; signed in and approved, authorize redirects at once', async () => {
			const params = {
				response_type: 'code',
				client_id: org.admin.clientId,
				redirect_uri: 'http://localhost/cb',
				scope: SCOPE,
				state: 's1',
			};
			const { res, rid, cookie } = await signIn(params);
			expect(res.status).toBe(200);
			const consent = await res.text();
			expect(consent).toContain('id="oaapprove"');
			expect(consent).toContain('id="oadeny"');
			expect(cookie).toMatch(/^fakeorg_sid=/);
			const approved = await postForm({ step: 'approve', rid, oaapprove: 'Allow' }, cookie);
			expect(approved.status).toBe(302);
			expect(new URL(approved.headers.get('location')!).searchParams.get('code')).toMatch(/^aPrx/);
			// the browser session and the approval skip both pages now
			const again = await fetch(authorizeUrl({ ...params, state: 's2' }), {
				redirect: 'manual',
				headers: { Cookie: cookie! },
			});
			expect(again.status).toBe(302);
			expect(new URL(again.headers.get('location')!).searchParams.get('state')).toBe('s2');
			// prompt=login (what n8n's Salesforce credential sends) always shows the form
			const forced = await fetch(authorizeUrl({ ...params, prompt: 'login' }), {
				redirect: 'manual',
				headers: { Cookie: cookie! },
			});
			expect(forced.status).toBe(200);
			expect(await forced.text()).toContain('id="Login"');
		});

		it('Deny redirects with access_denied', async () => {
			const user = org.store.addUser({ profile: 'Standard User' });
			const login = org.addLoginUser(user, { password: 'Secr3t!' });
			const { rid, cookie } = await signIn(
				{
					response_type: 'code',
					client_id: org.admin.clientId,
					redirect_uri: 'http://localhost/cb',
					state: 'x',
				},
				login.username,
				'Secr3t!',
			);
			const denied = await postForm({ step: 'approve', rid, oadeny: 'Deny' }, cookie);
			expect(denied.status).toBe(302);
			const location = new URL(denied.headers.get('location')!);
			expect(Object.fromEntries(location.searchParams)).toEqual({
				error: 'access_denied',
				error_description: 'end-user denied authorization',
				state: 'x',
			});
		});

		it("a wrong password shows the form again with Salesforce's message and sets no cookie", async () => {
			const { challenge } = pkcePair();
			const { res, cookie } = await signIn(
				{
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: eca().callbackUrl,
					code_challenge: challenge,
				},
				org.admin.username,
				'wrong',
			);
			expect(res.status).toBe(200);
			expect(cookie).toBeUndefined();
			const html = await res.text();
			expect(html).toContain('Please check your username and password.');
			expect(html).toContain('id="username"');
		});

		it('the security token is not part of the browser sign-in', async () => {
			const { challenge } = pkcePair();
			const { res } = await signIn(
				{
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: eca().callbackUrl,
					code_challenge: challenge,
				},
				org.admin.username,
				org.admin.password + org.admin.securityToken,
			);
			expect(res.status).toBe(200);
			expect(await res.text()).toContain('id="error"');
		});

		it('an unknown client_id or an unregistered redirect_uri is a 400 text page, not a redirect', async () => {
			const unknown = await fetch(
				authorizeUrl({ response_type: 'code', client_id: 'nope', redirect_uri: eca().callbackUrl }),
				{ redirect: 'manual' },
			);
			expect(unknown.status).toBe(400);
			expect(await unknown.text()).toBe(
				'error=invalid_client_id&error_description=client%20identifier%20invalid',
			);
			const mismatch = await fetch(
				authorizeUrl({
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: 'https://evil.example.com/cb',
				}),
				{ redirect: 'manual' },
			);
			expect(mismatch.status).toBe(400);
			expect(await mismatch.text()).toBe(
				'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration',
			);
		});

		it.each([
			[
				'no code_challenge on a PKCE app',
				{ code_challenge: undefined },
				'invalid_request',
				'missing required code challenge',
			],
			[
				'a scope the app does not have',
				{ scope: 'api chatter_api' },
				'invalid_scope',
				'the requested scope is not allowed',
			],
			[
				'response_type=token',
				{ response_type: 'token' },
				'unsupported_response_type',
				'response type not supported',
			],
		])(
			'redirects to the callback with error and error_description: %s',
			async (_name, change, error, description) => {
				const params = {
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: eca().callbackUrl,
					scope: SCOPE,
					state: 'st',
					code_challenge: pkcePair().challenge,
					...change,
				};
				const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
				expect(res.status).toBe(302);
				const location = new URL(res.headers.get('location')!);
				expect(location.origin + location.pathname).toBe(eca().callbackUrl);
				expect(Object.fromEntries(location.searchParams)).toEqual({
					error,
					error_description: description,
					state: 'st',
				});
			},
		);

		it('an admin-approved app refuses a user whose profile is not pre-authorized', async () => {
			const login = org.addLoginUser(org.store.addUser({ profile: 'Standard User' }), {
				password: 'Secr3t!',
			});
			const { res } = await signIn(
				{
					response_type: 'code',
					client_id: eca().clientId,
					redirect_uri: eca().callbackUrl,
					code_challenge: pkcePair().challenge,
					state: 'z',
				},
				login.username,
				'Secr3t!',
			);
			expect(res.status).toBe(302);
			const location = new URL(res.headers.get('location')!);
			expect(location.searchParams.get('error')).toBe('access_denied');
			expect(location.searchParams.get('error_description')).toBe(
				'user is not admin approved to access this app',
			);
		});

		it.each([
			[
				'a wrong code_verifier',
				(v: string) => ({ code_verifier: v + 'x' }),
				'invalid_grant',
				'invalid code verifier',
			],
			[
				'no code_verifier',
				() => ({ code_verifier: undefined }),
				'invalid_grant',
				'invalid code verifier',
			],
			[
				'another redirect_uri',
				() => ({ redirect_uri: 'http://localhost:5678/other' }),
				'redirect_uri_mismatch',
				'redirect_uri must match configuration',
			],
			[
				'no client secret (Require Secret for Web Server Flow)',
				() => ({ client_secret: undefined }),
				'invalid_client',
				'invalid client credentials',
			],
			[
				'a wrong client secret',
				() => ({ client_secret: 'nope' }),
				'invalid_client',
				'invalid client credentials',
			],
			[
				'an unknown client_id',
				() => ({ client_id: 'nope' }),
				'invalid_client_id',
				'client identifier invalid',
			],
			[
				'an unknown code',
				() => ({ code: 'aPrxnope' }),
				'invalid_grant',
				'invalid authorization code',
			],
		])('token exchange refused: %s', async (_name, change, error, description) => {
			const { code, verifier } = await codeForEca();
			const fields: Record<string, string | undefined> = {
				grant_type: 'authorization_code',
				code,
				redirect_uri: eca().callbackUrl,
				code_verifier: verifier,
				client_id: eca().clientId,
				client_secret: eca().clientSecret,
				...change(verifier),
			};
			const res = await token(
				Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
					string,
					string
				>,
			);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error, error_description: description });
		});

		it('a code is single use and expires after 15 minutes', async () => {
			const first = await codeForEca();
			const exchange = (c: { code: string; verifier: string }) =>
				token(
					{
						grant_type: 'authorization_code',
						code: c.code,
						redirect_uri: eca().callbackUrl,
						code_verifier: c.verifier,
					},
					{ Authorization: basic(eca().clientId, eca().clientSecret) },
				);
			expect((await exchange(first)).status).toBe(200);
			expect((await exchange(first)).body).toEqual({
				error: 'invalid_grant',
				error_description: 'invalid authorization code',
			});
			const second = await codeForEca();
			org.controls.oauth.advanceClock(15 * 60_000 + 1000);
			expect((await exchange(second)).body).toEqual({
				error: 'invalid_grant',
				error_description: 'expired authorization code',
			});
		});

		it('no refresh token without the refresh_token scope', async () => {
			const { verifier, challenge } = pkcePair();
			const { res } = await signIn({
				response_type: 'code',
				client_id: eca().clientId,
				redirect_uri: eca().callbackUrl,
				scope: 'api id',
				code_challenge: challenge,
			});
			const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
			const tokens = await token(
				{
					grant_type: 'authorization_code',
					code,
					redirect_uri: eca().callbackUrl,
					code_verifier: verifier,
				},
				{ Authorization: basic(eca().clientId, eca().clientSecret) },
			);
			expect(tokens.status).toBe(200);
			expect(tokens.body.refresh_token).toBeUndefined();
			expect(tokens.body.scope).toBe('api id');
		});

		it('the refresh token works, and needs the secret on an External Client App', async () => {
			const { code, verifier } = await codeForEca();
			const tokens = await token(
				{
					grant_type: 'authorization_code',
					code,
					redirect_uri: eca().callbackUrl,
					code_verifier: verifier,
				},
				{ Authorization: basic(eca().clientId, eca().clientSecret) },
			);
			const refresh = tokens.body.refresh_token;
			expect(
				await token({
					grant_type: 'refresh_token',
					refresh_token: refresh,
					client_id: eca().clientId,
				}),
			).toMatchObject({
				status: 400,
				body: { error: 'invalid_client', error_description: 'invalid client credentials' },
			});
			const refreshed = await token(
				{ grant_type: 'refresh_token', refresh_token: refresh },
				{ Authorization: basic(eca().clientId, eca().clientSecret) },
			);
			expect(refreshed.status).toBe(200);
			expect(refreshed.body.refresh_token).toBeUndefined();
			expect(refreshed.body.scope).toBe(SCOPE);
			// tests expire these tokens like any other session
			org.controls.expireSessions(eca().clientId);
			const rest = await fetch(`${org.url}/services/data/v${VERSION}/limits`, {
				headers: { Authorization: `Bearer ${refreshed.body.access_token}` },
			});
			expect(rest.status).toBe(401);
		});

		it('with refresh token rotation every refresh answers a new refresh token and spends the old one', async () => {
			org.controls.oauth.updateApp(eca().clientId, { refreshTokenRotation: true });
			try {
				const { code, verifier } = await codeForEca();
				const auth = { Authorization: basic(eca().clientId, eca().clientSecret) };
				const first = (
					await token(
						{
							grant_type: 'authorization_code',
							code,
							redirect_uri: eca().callbackUrl,
							code_verifier: verifier,
						},
						auth,
					)
				).body.refresh_token;
				const rotated = await token({ grant_type: 'refresh_token', refresh_token: first }, auth);
				expect(rotated.status).toBe(200);
				expect(rotated.body.refresh_token).toMatch(/^5Aep861/);
				expect(rotated.body.refresh_token).not.toBe(first);
				expect(
					(await token({ grant_type: 'refresh_token', refresh_token: first }, auth)).body,
				).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
				expect(
					(
						await token(
							{ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token },
							auth,
						)
					).status,
				).toBe(200);
			} finally {
				org.controls.oauth.updateApp(eca().clientId, { refreshTokenRotation: false });
			}
		});

		it('an External Client App does not offer the username-password flow', async () => {
			const res = await token({
				grant_type: 'password',
				client_id: eca().clientId,
				client_secret: eca().clientSecret,
				username: org.admin.username,
				password: org.admin.password + org.admin.securityToken,
			});
			expect(res).toMatchObject({
				status: 400,
				body: { error: 'invalid_grant', error_description: 'authentication failure' },
			});
		});
	});

	describe('JWT bearer flow', () => {
		const JWT_APP = '3MVG9JwtTestAppConsumerKey';
		beforeAll(() => {
			org.controls.oauth.registerApp({
				clientId: JWT_APP,
				name: 'JWT integration',
				certificate: keys.certificate,
				permittedUsers: 'adminApprovedPreAuthorized',
				preAuthorizedProfiles: ['System Administrator'],
				preAuthorizedPermissionSets: ['User_Manager'],
			});
		});

		const assertion = (
			claims: Partial<{ iss: string; sub: string; aud: string; exp: number | string }> = {},
			key = keys.privateKey,
		) => signJwtAssertion(key, { iss: JWT_APP, sub: org.admin.username, aud: org.url, ...claims });
		const jwt = (value: string) => token({ grant_type: JWT_GRANT, assertion: value });

		it('the helper builds a real self-signed X.509 certificate for the private key', () => {
			const cert = new X509Certificate(keys.certificate);
			expect(cert.verify(cert.publicKey)).toBe(true);
			expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(keys.publicKey);
		});

		it('answers access_token, scope, instance_url, id, token_type and no refresh token', async () => {
			const res = await jwt(assertion());
			expect(res.status).toBe(200);
			expect(Object.keys(res.body).sort()).toEqual([
				'access_token',
				'id',
				'instance_url',
				'scope',
				'token_type',
			]);
			expect(res.body).toMatchObject({
				instance_url: org.url,
				id: `${org.url}/id/${org.store.orgId}/${org.admin.userId}`,
				token_type: 'Bearer',
				scope: 'api id',
			});
			const me = await (
				await fetch(`${org.url}/services/oauth2/userinfo`, {
					headers: { Authorization: `Bearer ${res.body.access_token}` },
				})
			).json();
			expect(me).toMatchObject({ user_id: org.admin.userId });
		});

		it("accepts exp as a string (Salesforce's own example) and a PUBLIC KEY PEM as the certificate", async () => {
			expect((await jwt(assertion({ exp: String(nowSeconds() + 120) }))).status).toBe(200);
			const other = generateAppKeys({ modulusLength: 1024 });
			org.controls.oauth.registerApp({
				clientId: 'pemApp',
				certificate: other.publicKey,
				permittedUsers: 'adminApprovedPreAuthorized',
				preAuthorizedProfiles: ['System Administrator'],
			});
			expect((await jwt(assertion({ iss: 'pemApp' }, other.privateKey))).status).toBe(200);
		});

		it.each([
			[
				'signed with another key',
				() => assertion({}, generateAppKeys({ modulusLength: 1024 }).privateKey),
				'invalid_grant',
				'invalid assertion',
			],
			['not a JWT', () => 'not-a-jwt', 'invalid_grant', 'invalid assertion'],
			[
				'a tampered payload',
				() => {
					const [h, , s] = assertion().split('.');
					return `${h}.${Buffer.from(JSON.stringify({ iss: JWT_APP, sub: org.admin.username, aud: org.url, exp: nowSeconds() + 60 })).toString('base64url')}.${s}`;
				},
				'invalid_grant',
				'invalid assertion',
			],
			[
				'alg HS256',
				() =>
					signJwtAssertion(
						keys.privateKey,
						{ iss: JWT_APP, sub: org.admin.username, aud: org.url },
						{ header: { alg: 'HS256' } },
					),
				'invalid_grant',
				'invalid assertion',
			],
			[
				'an unknown consumer key',
				() => assertion({ iss: 'nope' }),
				'invalid_client_id',
				'client identifier invalid',
			],
			[
				'aud https://login.salesforce.com on a My Domain org',
				() => assertion({ aud: 'https://login.salesforce.com' }),
				'invalid_grant',
				'audience is invalid',
			],
			[
				'exp in the past',
				() => assertion({ exp: nowSeconds() - 5 }),
				'invalid_grant',
				'expired authorization code',
			],
			[
				'exp an hour away',
				() => assertion({ exp: nowSeconds() + 3600 }),
				'invalid_grant',
				'expired authorization code',
			],
			[
				'an unknown username',
				() => assertion({ sub: 'nobody@acme.example.com' }),
				'invalid_grant',
				"user hasn't approved this consumer",
			],
		])('refuses %s', async (_name, make, error, description) => {
			const res = await jwt(make());
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error, error_description: description });
		});

		it('takes the audiences the test allows (login, test, My Domain)', async () => {
			org.controls.oauth.setJwtAudiences([
				'https://login.salesforce.com',
				'https://test.salesforce.com',
				'https://acme.my.salesforce.com',
			]);
			expect((await jwt(assertion({ aud: 'https://test.salesforce.com' }))).status).toBe(200);
			expect((await jwt(assertion({ aud: 'https://acme.my.salesforce.com/' }))).status).toBe(200);
			expect((await jwt(assertion({ aud: org.url }))).body).toEqual({
				error: 'invalid_grant',
				error_description: 'audience is invalid',
			});
		});

		it('expires by the OAuth clock, without waiting', async () => {
			const value = assertion({ exp: nowSeconds() + 120 });
			org.controls.oauth.advanceClock(121_000);
			expect((await jwt(value)).body).toEqual({
				error: 'invalid_grant',
				error_description: 'expired authorization code',
			});
		});

		it('admin-approved: only users whose profile or permission set is pre-authorized', async () => {
			const user = org.store.addUser({ profile: 'Standard User' });
			expect((await jwt(assertion({ sub: user.Username }))).body).toEqual({
				error: 'invalid_grant',
				error_description: "user hasn't approved this consumer",
			});
			org.store.assignPermissionSet(
				user.Id,
				org.store.permissionSets.find((p) => p.Name === 'User_Manager')!.Id,
			);
			expect((await jwt(assertion({ sub: user.Username }))).status).toBe(200);
		});

		it('self-authorize: the user must have approved the app with a refresh_token scope before', async () => {
			org.controls.oauth.registerApp({
				clientId: 'selfApp',
				certificate: keys.certificate,
				permittedUsers: 'allUsersSelfAuthorize',
			});
			const user = org.store.addUser({ profile: 'Standard User' });
			const value = () => assertion({ iss: 'selfApp', sub: user.Username });
			expect((await jwt(value())).body).toEqual({
				error: 'invalid_grant',
				error_description: "user hasn't approved this consumer",
			});
			org.controls.oauth.approve(user.Id, 'selfApp', ['api', 'id']);
			expect((await jwt(value())).status).toBe(400);
			org.controls.oauth.approve(user.Id, 'selfApp', ['refresh_token']);
			const ok = await jwt(value());
			expect(ok.status).toBe(200);
			expect(ok.body.scope).toBe('api id');
		});

		it('a user who allowed the app on the consent page with refresh_token may then use it (authorizeInBrowser)', async () => {
			org.controls.oauth.registerApp({
				clientId: 'consentApp',
				certificate: keys.certificate,
				requirePkce: false,
				callbackUrls: ['http://localhost/cb'],
			});
			const login = org.addLoginUser(org.store.addUser({ profile: 'Standard User' }), {
				password: 'Secr3t!',
			});
			const value = () => assertion({ iss: 'consentApp', sub: login.username });
			expect((await jwt(value())).status).toBe(400);
			const url = authorizeUrl({
				response_type: 'code',
				client_id: 'consentApp',
				redirect_uri: 'http://localhost/cb',
				scope: 'api refresh_token',
				state: 'q',
			});
			const { location, cookie } = await authorizeInBrowser(url, {
				username: login.username,
				password: 'Secr3t!',
			});
			expect(location.searchParams.get('code')).toMatch(/^aPrx/);
			expect(cookie).toMatch(/^fakeorg_sid=/);
			expect((await jwt(value())).status).toBe(200);
			// signed in and approved: the next authorize redirects without any page
			expect(
				(
					await authorizeInBrowser(url, { username: login.username, password: 'unused', cookie })
				).location.searchParams.get('state'),
			).toBe('q');
			expect(
				await authorizeInBrowser(url, { username: login.username, password: 'wrong' }).catch(
					(e: Error) => e.message,
				),
			).toMatch(/sign-in refused/);
		});

		it('refuses an inactive user', async () => {
			const user = org.store.addUser({ profile: 'System Administrator', IsActive: false });
			expect((await jwt(assertion({ sub: user.Username }))).body).toEqual({
				error: 'invalid_grant',
				error_description: 'inactive user',
			});
		});
	});

	describe('client credentials flow', () => {
		const CC_APP = '3MVG9ClientCredentialsApp';
		const CC_SECRET = 'CC0SECRET';
		let runAs: { username: string; userId: string };
		beforeAll(() => {
			const user = org.store.addUser({
				profile: 'System Administrator',
				Username: 'integration@acme.example.com',
			});
			runAs = { username: user.Username, userId: user.Id };
			org.controls.oauth.registerApp({
				clientId: CC_APP,
				clientSecret: CC_SECRET,
				runAs: user.Username,
			});
		});

		it('answers a token for the Run As user (secret in the body or as HTTP Basic), no refresh token', async () => {
			for (const res of [
				await token({
					grant_type: 'client_credentials',
					client_id: CC_APP,
					client_secret: CC_SECRET,
				}),
				await token(
					{ grant_type: 'client_credentials' },
					{ Authorization: basic(CC_APP, CC_SECRET) },
				),
			]) {
				expect(res.status).toBe(200);
				expect(Object.keys(res.body).sort()).toEqual([
					'access_token',
					'id',
					'instance_url',
					'issued_at',
					'scope',
					'signature',
					'token_type',
				]);
				expect(res.body).toMatchObject({
					scope: 'api id',
					id: `${org.url}/id/${org.store.orgId}/${runAs.userId}`,
					token_type: 'Bearer',
				});
				const me = await (
					await fetch(`${org.url}/services/oauth2/userinfo`, {
						headers: { Authorization: `Bearer ${res.body.access_token}` },
					})
				).json();
				expect(me).toMatchObject({ user_id: runAs.userId, preferred_username: runAs.username });
			}
		});

		it('takes a secret with a colon or a percent sign in HTTP Basic', async () => {
			org.controls.oauth.registerApp({
				clientId: 'oddSecretApp',
				clientSecret: 'a:b%c',
				runAs: org.admin.username,
			});
			expect(
				(
					await token(
						{ grant_type: 'client_credentials' },
						{ Authorization: basic('oddSecretApp', 'a:b%c') },
					)
				).status,
			).toBe(200);
		});

		it.each([
			[
				'a wrong secret',
				{ client_id: CC_APP, client_secret: 'nope' },
				'invalid_client',
				'invalid client credentials',
			],
			['no secret', { client_id: CC_APP }, 'invalid_client', 'invalid client credentials'],
			[
				'an unknown client_id',
				{ client_id: 'nope', client_secret: CC_SECRET },
				'invalid_client_id',
				'client identifier invalid',
			],
		])('refuses %s', async (_name, fields, error, description) => {
			expect(await token({ grant_type: 'client_credentials', ...fields })).toMatchObject({
				status: 400,
				body: { error, error_description: description },
			});
		});

		it('refuses an app without a Run As user', async () => {
			const res = await token({
				grant_type: 'client_credentials',
				client_id: eca().clientId,
				client_secret: eca().clientSecret,
			});
			expect(res).toMatchObject({
				status: 400,
				body: { error: 'invalid_grant', error_description: 'no client credentials user enabled' },
			});
		});
	});

	describe('token request counters', () => {
		it('counts every token request by grant type and client id', async () => {
			org.controls.oauth.registerApp({
				clientId: 'countApp',
				clientSecret: 's',
				runAs: org.admin.username,
			});
			for (let i = 0; i < 3; i++)
				await token({
					grant_type: 'client_credentials',
					client_id: 'countApp',
					client_secret: 's',
				});
			await token({
				grant_type: 'client_credentials',
				client_id: 'countApp',
				client_secret: 'wrong',
			});
			await token({
				grant_type: 'password',
				client_id: org.admin.clientId,
				client_secret: org.admin.clientSecret,
				username: org.admin.username,
				password: 'x',
			});
			await token({
				grant_type: JWT_GRANT,
				assertion: signJwtAssertion(keys.privateKey, {
					iss: 'countApp',
					sub: org.admin.username,
					aud: org.url,
				}),
			});
			const { oauth } = org.controls;
			expect(oauth.tokenRequests('client_credentials', 'countApp')).toBe(4);
			expect(oauth.tokenRequests(undefined, 'countApp')).toBe(5);
			expect(oauth.tokenRequests(JWT_GRANT)).toBe(1);
			expect(oauth.tokenRequests('password')).toBe(1);
			expect(oauth.tokenRequests()).toBe(6);
			oauth.resetTokenRequests();
			expect(oauth.tokenRequests()).toBe(0);
		});
	});

	it("s256 is RFC 7636's example", () => {
		expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
			'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
		);
	});
});
