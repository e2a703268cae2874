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
import { FakeOrg } from '../fake-org';
import { describeIfBrowser, inSteps, launchChromium, signInByApi, testId } from './browser';
import { passwordCredential } from './fixtures';
import type { N8nServer } from './n8n';
import { DEFAULT_OWNER, majorsUnderTest, N8nHarness } from './n8n';

const GOOD = { id: 'credTestBrowser01', name: 'Fake org (password)' };
const WRONG = { id: 'credTestBrowser02', name: 'Fake org (wrong password)' };

describeIfBrowser('credential-test-browser.e2e').each(majorsUnderTest())('n8n %s.x: the credential Test in the editor', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 10, seed: 83 } });
		n8n = await N8nHarness.create({ major, name: 'credential-test-browser' });
		await n8n.importCredentials([
			passwordCredential(org, GOOD, 'readOnly'),
			passwordCredential(org, WRONG, 'readOnly', { password: 'not-the-password' }),
		]);
		server = await n8n.startServer({ timeoutMs: 240_000 });
	}, 420_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	it('success shows only n8n\'s own banner; a failure shows the message under More details', async () => {
		// what the REST answer carries, which the editor receives
		const rest = await server.testCredential(GOOD.id);
		expect(rest).toEqual({ status: 'OK', message: expect.stringMatching(/^Connected as Ada Admin \(/) });

		const browser = await launchChromium();
		const page = await browser.context.newPage();
		try {
			await inSteps(`credential-test-n8n${major}`, () => [['editor', page]], () => server.output, async (step) => {
				step('sign in');
				const editor = `http://localhost:${server.port}`;
				await signInByApi(browser.context, editor, DEFAULT_OWNER);

				step('open the working credential (n8n tests it)');
				await page.goto(`${editor}/home/credentials/${GOOD.id}`);
				const success = page.locator(testId('credentials-config-container-test-success')).first();
				await success.waitFor({ state: 'visible' });
				expect((await success.innerText()).replace(/\s+/g, ' ')).toMatch(/^Connection tested successfully\b/);
				const modal = page.locator(testId('credential-edit-dialog')).first();
				expect(await modal.innerText()).not.toContain('Connected as');

				step('open the credential with a wrong password');
				await page.goto(`${editor}/home/credentials/${WRONG.id}`);
				await page.getByText(/Couldn.t connect with these settings/).first().waitFor({ state: 'visible' });
				await page.getByText('More details', { exact: true }).first().click();
				await page.getByText(/INVALID_LOGIN: /).first().waitFor({ state: 'visible' });
				const shown = await page.locator(testId('credential-edit-dialog')).first().innerText();
				expect(shown).toMatch(/security token may have been reset/);
				expect(shown).not.toContain('not-the-password');
			});
		} finally {
			await browser.close();
		}
	}, 360_000);
});
