/**
 * A new write node in the editor, in a real browser (n8n 1.x and 2.x, E2E_N8N): Freeze user
 * added from the node panel starts in dry run, its User is picked from the list (the fake
 * org's users, searched by name), the step runs and reports `dryRun`, nobody is frozen, and
 * the canvas subtitle says "Freeze user · dry run".
 *
 * Needs `playwright-core` (a devDependency) and Debian's Chromium at /usr/bin/chromium; without
 * them the test is skipped with a message saying so.
 */
import { FakeOrg } from '../fake-org';
import type { UserRecord } from '../fake-org';
import { addSalesforceAdminAction, describeIfBrowser, inSteps, launchChromium, pickUserFromList, signInByApi, testId } from './browser';
import { oauthCredential } from './fixtures';
import type { N8nServer } from './n8n';
import { DEFAULT_OWNER, linearWorkflow, majorsUnderTest, N8nHarness } from './n8n';

describeIfBrowser('editor-dry-run-browser.e2e').each(majorsUnderTest())('n8n %s.x: a Freeze node added in the editor', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
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
	}, 420_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	it('starts in dry run, picks the user from the list, reports dryRun and changes nothing', async () => {
		const browser = await launchChromium();
		const page = await browser.context.newPage();
		try {
			await inSteps(`editor-dry-run-n8n${major}`, () => [['editor', page]], () => server.output, async (step) => {
				step('sign in');
				const editor = `http://localhost:${server.port}`;
				await signInByApi(browser.context, editor, DEFAULT_OWNER);

				step('open the workflow');
				await page.goto(`${editor}/workflow/${workflowId}`);
				step('add Freeze user from the node panel');
				await addSalesforceAdminAction(page, 'Freeze user');

				step('pick the user from the list');
				// a new node: the switch is on, the User is By ID {{ $json.id }}
				await page.getByText('Dry Run', { exact: true }).first().waitFor();
				await pickUserFromList(page, 'Fromthelist', 'Pickme Fromthelist');

				step('run the step');
				await page.locator(testId('node-execute-button')).first().click();
				// the output table: the picked user, result dryRun
				await page.getByText('dryRun', { exact: true }).first().waitFor();
				await page.getByText(target.Username, { exact: true }).first().waitFor();

				step('the canvas subtitle');
				await page.keyboard.press('Escape');
				await page.getByText('Freeze user · dry run').first().waitFor();
			});
		} finally {
			await browser.close();
		}

		// nothing was written: the list is one query, the dry run reads and stops
		expect(org.calls.count('collectionsPatch') + org.calls.count('sobjectPatch')).toBe(0);
		expect(org.store.userLoginFor(target.Id)?.IsFrozen ?? false).toBe(false);
	}, 360_000);
});
