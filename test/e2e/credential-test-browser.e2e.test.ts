/**
 * What n8n's editor shows for the credential Test, in a real browser (n8n 1.x and 2.x,
 * E2E_N8N): opening a saved credential runs the test. On success both majors show only their
 * own "Connection tested successfully" banner: they drop the test's message (who is connected,
 * API Enabled, View Event Log Files), which only n8n's REST answer carries
 * (credential-test.e2e.test.ts). On failure they show the message under "More details".
 * docs/credentials.md says so.
 *
 * Needs `playwright-core` (a devDependency) and Debian's Chromium at /usr/bin/chromium; without
 * them the test is skipped with a message saying so.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { FakeOrg } from '../fake-org';
import { passwordCredential } from './fixtures';
import type { N8nServer } from './n8n';
import { DEFAULT_OWNER, majorsUnderTest, N8nHarness } from './n8n';

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

/** The part of playwright-core's API this test uses (typed here: the package may be absent). */
interface Locator {
	first(): Locator;
	waitFor(options?: { timeout?: number; state?: 'visible' | 'attached' }): Promise<void>;
	click(): Promise<void>;
	innerText(): Promise<string>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
}
interface Page {
	goto(url: string): Promise<unknown>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
}
interface BrowserContext {
	request: { post(url: string, options: { data: unknown }): Promise<{ ok(): boolean }> };
	newPage(): Promise<Page>;
	setDefaultTimeout(ms: number): void;
	close(): Promise<void>;
}
interface Playwright {
	chromium: {
		launchPersistentContext(dir: string, options: { executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number } }): Promise<BrowserContext>;
	};
}

function loadPlaywright(): Playwright | string {
	try {
		return require(process.env.PLAYWRIGHT_CORE_PATH ?? 'playwright-core') as Playwright;
	} catch {
		return 'playwright-core is not installed (npm install --save-dev playwright-core)';
	}
}

const playwright = loadPlaywright();
const missing =
	typeof playwright === 'string' ? playwright : !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install -y chromium)` : undefined;
if (missing) {
	// eslint-disable-next-line no-console
	console.warn(`SKIPPED credential-test-browser.e2e: ${missing}`);
}
const describeIfBrowser = missing ? describe.skip : describe;

const GOOD = { id: 'credTestBrowser01', name: 'Fake org (password)' };
const WRONG = { id: 'credTestBrowser02', name: 'Fake org (wrong password)' };

describeIfBrowser.each(majorsUnderTest())('n8n %s.x: the credential Test in the editor', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
	let userDataDir: string;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 83 } });
		n8n = await N8nHarness.create({ major, name: 'credential-test-browser' });
		await n8n.importCredentials([
			passwordCredential(org, GOOD, 'readOnly'),
			passwordCredential(org, WRONG, 'readOnly', { password: 'not-the-password' }),
		]);
		server = await n8n.startServer({ timeoutMs: 240_000 });
		userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credtest-chromium-'));
	}, 420_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
		if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
	});

	it('success shows only n8n\'s own banner; a failure shows the message under More details', async () => {
		// what the REST answer carries, which the editor receives
		const rest = await server.testCredential(GOOD.id);
		expect(rest).toEqual({ status: 'OK', message: expect.stringMatching(/^Connected as Ada Admin \(/) });

		const { chromium } = playwright as Playwright;
		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 1600, height: 1000 },
		});
		let step = 'sign in';
		const page = await context.newPage();
		try {
			const editor = `http://localhost:${server.port}`;
			const login = await context.request.post(`${editor}/rest/login`, {
				data: { emailOrLdapLoginId: DEFAULT_OWNER.email, email: DEFAULT_OWNER.email, password: DEFAULT_OWNER.password },
			});
			expect(login.ok()).toBe(true);
			context.setDefaultTimeout(60_000);

			step = 'open the working credential (n8n tests it)';
			await page.goto(`${editor}/home/credentials/${GOOD.id}`);
			const success = page.locator('[data-test-id="credentials-config-container-test-success"]').first();
			await success.waitFor({ state: 'visible' });
			expect((await success.innerText()).replace(/\s+/g, ' ')).toMatch(/^Connection tested successfully\b/);
			const modal = page.locator('[data-test-id="credential-edit-dialog"]').first();
			expect(await modal.innerText()).not.toContain('Connected as');

			step = 'open the credential with a wrong password';
			await page.goto(`${editor}/home/credentials/${WRONG.id}`);
			await page.getByText(/Couldn.t connect with these settings/).first().waitFor({ state: 'visible' });
			await page.getByText('More details', { exact: true }).first().click();
			await page.getByText(/INVALID_LOGIN: /).first().waitFor({ state: 'visible' });
			const shown = await page.locator('[data-test-id="credential-edit-dialog"]').first().innerText();
			expect(shown).toMatch(/security token may have been reset/);
			expect(shown).not.toContain('not-the-password');
		} catch (error) {
			const file = path.join(os.tmpdir(), `credential-test-n8n${major}-${step.replace(/\W+/g, '-')}.png`);
			await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
			throw new Error(
				`${error instanceof Error ? error.message : String(error)}\nstep: ${step}; screenshot: ${file}\nn8n (tail): ${server.output.slice(-1500)}`,
			);
		} finally {
			await context.close();
		}
	}, 360_000);
});
