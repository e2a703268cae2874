/**
 * The browser tests' scaffolding: Debian's Chromium driven by playwright-core, signed in to a
 * real n8n, with a screenshot and n8n's console tail when a step fails. Used by every
 * `*-browser.e2e.test.ts`.
 *
 * Needs `playwright-core` (a devDependency) and Chromium at /usr/bin/chromium
 * (`apt-get install -y chromium`); without them the suites are skipped with a message saying so.
 * E2E_CHROMIUM may point to another Chromium, PLAYWRIGHT_CORE_PATH to another playwright-core.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { OwnerAccount } from './n8n';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The part of playwright-core's API the tests use (typed here: the package may be absent). */
export interface Locator {
	first(): Locator;
	last(): Locator;
	nth(index: number): Locator;
	count(): Promise<number>;
	waitFor(options?: { timeout?: number; state?: 'visible' | 'attached' | 'hidden' }): Promise<void>;
	click(options?: { force?: boolean }): Promise<void>;
	dblclick(): Promise<void>;
	fill(value: string): Promise<void>;
	hover(): Promise<void>;
	innerText(): Promise<string>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
}
export interface Page {
	goto(url: string): Promise<unknown>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	getByRole(role: 'button' | 'link', options: { name: string | RegExp; exact?: boolean }): Locator;
	keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
	url(): string;
	isClosed(): boolean;
	waitForURL(match: (url: URL) => boolean, options?: { timeout?: number }): Promise<void>;
	fill(selector: string, value: string): Promise<void>;
	click(selector: string): Promise<void>;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
}
export interface BrowserContext {
	request: { post(url: string, options: { data: unknown }): Promise<{ ok(): boolean }> };
	newPage(): Promise<Page>;
	waitForEvent(event: 'page', options?: { timeout?: number }): Promise<Page>;
	setDefaultTimeout(ms: number): void;
	close(): Promise<void>;
}
interface Playwright {
	chromium: {
		launchPersistentContext(
			dir: string,
			options: { executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number } },
		): Promise<BrowserContext>;
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

/** `describe`, or `describe.skip` with a warning naming the suite when the browser is missing. */
export function describeIfBrowser(suite: string): jest.Describe {
	if (!missing) return describe;
	// eslint-disable-next-line no-console
	console.warn(`SKIPPED ${suite}: ${missing}`);
	return describe.skip;
}

/** `[data-test-id="…"]`, how n8n's editor marks its controls. */
export const testId = (id: string): string => `[data-test-id="${id}"]`;

export interface Browser {
	context: BrowserContext;
	/** Closes Chromium and removes its profile folder. */
	close(): Promise<void>;
}

/** Headless Chromium with a fresh profile; every action waits up to 60 s (a loaded 2-core machine). */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
	if (typeof playwright === 'string') throw new Error(playwright);
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	try {
		const context = await playwright.chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: options.viewport ?? { width: 1600, height: 1000 },
		});
		context.setDefaultTimeout(60_000);
		return {
			context,
			close: async () => {
				await context.close().catch(() => undefined);
				fs.rmSync(userDataDir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
}

/** Signs the browser in through n8n's REST login (its cookie then serves every page). */
export async function signInByApi(context: BrowserContext, editorUrl: string, owner: OwnerAccount): Promise<void> {
	const login = await context.request.post(`${editorUrl}/rest/login`, {
		data: { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password },
	});
	if (!login.ok()) throw new Error(`n8n refused the sign-in of ${owner.email}`);
}

/** Signs in as a person does: n8n's sign-in page, email and password, "Sign in". */
export async function signInWithForm(page: Page, editorUrl: string, credentials: { email: string; password: string }): Promise<void> {
	await page.goto(`${editorUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(credentials.email);
	await page.locator('input[type="password"]').first().fill(credentials.password);
	await page.locator(testId('form-submit-button')).first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/**
 * Runs `steps`, telling them apart by the name each sets with `step()`. On failure: a screenshot
 * of each open page to the temp folder and an error naming the step, the screenshots and the
 * tail of n8n's console.
 */
export async function inSteps(
	label: string,
	pages: () => Array<[string, Page | undefined]>,
	serverOutput: () => string,
	steps: (step: (name: string) => void) => Promise<void>,
): Promise<void> {
	let current = 'start';
	try {
		await steps((name) => (current = name));
	} catch (error) {
		const saved: string[] = [];
		for (const [name, page] of pages()) {
			if (!page || page.isClosed()) continue;
			const file = path.join(os.tmpdir(), `${label}-${current.replace(/\W+/g, '-')}-${name}.png`);
			try {
				await page.screenshot({ path: file, fullPage: true });
				saved.push(`${file} (${page.url()})`);
			} catch {
				/* the page went away meanwhile */
			}
		}
		throw new Error(
			`${error instanceof Error ? error.message : String(error)}\nstep: ${current}; screenshots: ${saved.join(', ') || 'none'}\nn8n (tail): ${serverOutput().slice(-2000)}`,
		);
	}
}

/** From the open workflow's trigger: the node panel, "Salesforce Admin", then the action by its label. */
export async function addSalesforceAdminAction(page: Page, action: string): Promise<void> {
	await page.locator(testId('canvas-handle-plus')).first().click();
	await page.locator(testId('node-creator-search-bar')).first().fill('Salesforce Admin');
	await page.locator(testId('node-creator-item-name'), { hasText: 'Salesforce Admin' }).first().click();
	await page.getByText(action, { exact: true }).first().click();
}

/**
 * In the open node: the User resource locator switched from its default expression to Fixed,
 * "From list", searched for `search`, and the entry `entry` picked.
 */
export async function pickUserFromList(page: Page, search: string, entry: string): Promise<void> {
	// From list is offered once the value is Fixed instead of the default expression
	await page.locator(testId('rlc-mode-selector')).first().hover();
	await page.getByText('Fixed', { exact: true }).first().click();
	await page.locator(testId('rlc-mode-selector')).first().click();
	await page.locator('.el-select-dropdown__item, [role="option"]', { hasText: /^\s*From list\s*$/i }).last().click();
	await page.locator(testId('rlc-input')).first().click();
	await page.locator(testId('rlc-search')).last().fill(search);
	await page.locator(testId('rlc-item'), { hasText: entry }).first().click();
}
