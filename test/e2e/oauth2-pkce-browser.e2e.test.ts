/**
 * The OAuth2 credential's "Connect my account" in a real browser: real n8n (1.x and 2.x,
 * E2E_N8N) opens the credential's modal, the button opens the fake org's authorize page in a
 * popup (authorization code with PKCE against an External Client App that requires PKCE and the
 * secret), the test signs in and allows, n8n exchanges the code (verifier + secret) and shows
 * the account connected; then a workflow runs with the credential. My Domain URL in the
 * authorize and token URLs.
 *
 * Needs `playwright-core` (a devDependency) and Debian's Chromium at /usr/bin/chromium
 * (`apt-get install -y chromium`); without them the test is skipped with a message saying so.
 * PLAYWRIGHT_CORE_PATH may point to another copy of playwright-core.
 */
import { FakeOrg } from '../fake-org';
import type { Locator, Page } from './browser';
import { describeIfBrowser, inSteps, launchChromium, signInByApi, testId } from './browser';
import { salesforceNode } from './fixtures';
import type { N8nServer } from './n8n';
import { DEFAULT_OWNER, linearWorkflow, majorsUnderTest, N8nHarness } from './n8n';

/**
 * The credential modal's OAuth2 controls, which differ between the majors:
 * - 1.x: a primary "Connect my account" button (inside `data-test-id="oauth-connect-button"`);
 * - 2.x: a "Connect your account to use this credential" banner with a "Connect" button.
 * Both show "Account connected" in `data-test-id="oauth-connect-success-banner"` once the code
 * exchange succeeded (2.x keeps that banner in the DOM, hidden, before: wait for it visible).
 */
function connectButton(page: Page, major: number): Locator {
	return major === 1
		? page.getByRole('button', { name: 'Connect my account', exact: true })
		: page.getByRole('button', { name: 'Connect', exact: true });
}

function connectedBanner(page: Page): Locator {
	return page.locator(testId('oauth-connect-success-banner'), { hasText: 'Account connected' }).first();
}

describeIfBrowser('oauth2-pkce-browser.e2e').each(majorsUnderTest())('n8n %s.x: OAuth2 with PKCE in a browser', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
	const clientId = '3MVG9PkceBrowserApp';
	const clientSecret = 'Pkce-Browser-S3cret-0123456789';
	const credentialName = 'Fake org (OAuth2 PKCE)';
	const workflowId = 'wfPkceBrowser001';

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 61 } });
		n8n = await N8nHarness.create({ major, name: 'pkce-browser' });
		// n8n 2.x's first start runs its migrations: slow on a loaded machine
		server = await n8n.startServer({ timeoutMs: 240_000 });
		const callbacks = [`http://localhost:${server.port}`, `http://127.0.0.1:${server.port}`].map((base) => `${base}/rest/oauth2-credential/callback`);
		// an External Client App: PKCE and the secret required (the fake org's defaults)
		org.controls.oauth.registerApp({ clientId, clientSecret, callbackUrls: callbacks });
	}, 420_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	it('Connect my account signs in with PKCE, and a workflow runs with the credential', async () => {
		const created = await server.rest<{ id: string }>('POST', '/credentials', {
			name: credentialName,
			type: 'salesforceAdminOAuth2Api',
			data: { environment: 'myDomain', myDomainUrl: org.url, clientId, clientSecret, accessMode: 'readOnly' },
		});

		const browser = await launchChromium();
		const page = await browser.context.newPage();
		let popup: Page | undefined;
		try {
			await inSteps(
				`pkce-n8n${major}`,
				() => [
					['editor', page],
					['popup', popup],
				],
				() => server.output,
				async (step) => {
					step('sign in');
					const editor = `http://localhost:${server.port}`;
					await signInByApi(browser.context, editor, DEFAULT_OWNER);
					step('modal');
					await page.goto(`${editor}/home/credentials/${created.id}`);
					const connect = connectButton(page, major);
					await connect.waitFor();
					step('popup');
					[popup] = await Promise.all([browser.context.waitForEvent('page'), connect.click()]);
					// n8n 2.x opens the popup blank (about:blank), then sends it to the authorize URL
					await popup.waitForURL((url) => url.pathname === '/services/oauth2/authorize');
					// the authorize URL n8n built: the My Domain, PKCE S256, the exact scopes
					const authorize = new URL(popup.url());
					expect(authorize.origin).toBe(org.url);
					expect(authorize.pathname).toBe('/services/oauth2/authorize');
					expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
					expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
					expect(authorize.searchParams.get('scope')).toBe('refresh_token offline_access id api');
					step('login');
					await popup.fill('#username', org.admin.username);
					await popup.fill('#password', org.admin.password);
					await popup.click('#Login');
					step('approve');
					await popup.locator('#oaapprove').click();
					// n8n's callback exchanges the code (verifier + secret) and the modal shows it connected
					step('connected');
					await connectedBanner(page).waitFor();
				},
			);
		} finally {
			await browser.close();
		}

		// n8n exchanged the code at the My Domain's token endpoint: one authorization_code request,
		// accepted (the app requires PKCE and the secret: a missing or wrong verifier or secret is a 400)
		expect(org.controls.oauth.tokenRequests('authorization_code', clientId)).toBe(1);
		expect(org.calls.log.filter((c) => c.kind === 'token').map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
			'POST /services/oauth2/token 200',
		]);

		await n8n.importWorkflows([
			linearWorkflow(workflowId, 'PKCE read', [
				salesforceNode('Get user', { resource: 'user', operation: 'get', userId: org.admin.username }, {
					type: 'salesforceAdminOAuth2Api',
					id: created.id,
					name: credentialName,
				}),
			]),
		]);
		await server.stop();
		const run = await n8n.execute(workflowId);
		if (!run.ok) throw new Error(run.describe());
		expect(run.json('Get user')[0]).toMatchObject({ id: org.admin.userId, username: org.admin.username });
		expect(JSON.stringify(run.data)).not.toContain(clientSecret);
	}, 300_000);
});
