/**
 * A new write node in the editor, in a real browser (n8n 1.x and 2.x, E2E_N8N): Freeze user
 * added from the node panel starts in dry run, its User is picked from the list (the fake
 * org's users, searched by name), the step runs and reports `dryRun`, nobody is frozen, and
 * the canvas subtitle says "Freeze user · dry run".
 *
 * Needs `playwright-core` (a devDependency) and Debian's Chromium at /usr/bin/chromium; without
 * them the test is skipped with a message saying so.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { FakeOrg } from '../fake-org';
import type { UserRecord } from '../fake-org';
import { oauthCredential } from './fixtures';
import type { N8nServer } from './n8n';
import { DEFAULT_OWNER, linearWorkflow, majorsUnderTest, N8nHarness } from './n8n';

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

/** The part of playwright-core's API this test uses (typed here: the package may be absent). */
interface Locator {
	first(): Locator;
	last(): Locator;
	waitFor(options?: { timeout?: number; state?: 'visible' | 'attached' }): Promise<void>;
	click(options?: { force?: boolean }): Promise<void>;
	fill(value: string): Promise<void>;
	hover(): Promise<void>;
	innerText(): Promise<string>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
}
interface Page {
	goto(url: string): Promise<unknown>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
	url(): string;
	isClosed(): boolean;
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
	console.warn(`SKIPPED editor-dry-run-browser.e2e: ${missing}`);
}
const describeIfBrowser = missing ? describe.skip : describe;

const testId = (id: string) => `[data-test-id="${id}"]`;

describeIfBrowser.each(majorsUnderTest())('n8n %s.x: a Freeze node added in the editor', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
	let userDataDir: string;
	let target: UserRecord;
	const workflowId = 'wfEditorDryRun01';
	const credential = { id: 'credEditorOauth01', name: 'Fake org (Read/Take Action)' };

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 30, seed: 71 } });
		target = org.store.addUser({ FirstName: 'Pickme', LastName: 'Fromthelist' });
		n8n = await N8nHarness.create({ major, name: 'editor-dry-run' });
		await n8n.importCredentials([oauthCredential(org, credential, 'readWrite')]);
		await n8n.importWorkflows([linearWorkflow(workflowId, 'Editor: new Freeze node', [])]);
		server = await n8n.startServer({ timeoutMs: 240_000 });
		userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-chromium-'));
	}, 420_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
		if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
	});

	it('starts in dry run, picks the user from the list, reports dryRun and changes nothing', async () => {
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

			step = 'open the workflow';
			await page.goto(`${editor}/workflow/${workflowId}`);
			step = 'open the node panel from the trigger';
			await page.locator(testId('canvas-handle-plus')).first().click();
			await page.locator(testId('node-creator-search-bar')).first().fill('Salesforce Admin');
			await page.locator(testId('node-creator-item-name'), { hasText: 'Salesforce Admin' }).first().click();
			step = 'pick the action';
			await page.getByText('Freeze user', { exact: true }).first().click();

			step = 'pick the user from the list';
			// a new node: the switch is on, the User is By ID {{ $json.id }}
			await page.getByText('Dry Run', { exact: true }).first().waitFor();
			// From list is offered once the value is Fixed instead of the default expression
			await page.locator(testId('rlc-mode-selector')).first().hover();
			await page.getByText('Fixed', { exact: true }).first().click();
			await page.locator(testId('rlc-mode-selector')).first().click();
			await page.locator('.el-select-dropdown__item, [role="option"]', { hasText: /^\s*From list\s*$/i }).last().click();
			step = 'open the list';
			await page.locator(testId('rlc-input')).first().click();
			await page.locator(testId('rlc-search')).last().fill('Fromthelist');
			await page.locator(testId('rlc-item'), { hasText: 'Pickme Fromthelist' }).first().click();

			step = 'run the step';
			await page.locator(testId('node-execute-button')).first().click();
			// the output table: the picked user, result dryRun
			await page.getByText('dryRun', { exact: true }).first().waitFor();
			await page.getByText(target.Username, { exact: true }).first().waitFor();

			step = 'the canvas subtitle';
			await page.keyboard.press('Escape');
			await page.getByText('Freeze user · dry run').first().waitFor();
		} catch (error) {
			const file = path.join(os.tmpdir(), `editor-dry-run-n8n${major}-${step.replace(/\W+/g, '-')}.png`);
			await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
			throw new Error(
				`${error instanceof Error ? error.message : String(error)}\nstep: ${step}; screenshot: ${file}\nn8n (tail): ${server.output.slice(-1500)}`,
			);
		} finally {
			await context.close();
		}

		// nothing was written: the list is one query, the dry run reads and stops
		expect(org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch')).toBe(0);
		expect(org.store.userLoginFor(target.Id)?.IsFrozen ?? false).toBe(false);
	}, 360_000);
});
