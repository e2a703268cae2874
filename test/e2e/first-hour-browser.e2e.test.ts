/**
 * A new admin's first hour with `npm run demo`, in a real browser (n8n 1.x and 2.x, E2E_N8N):
 * the demo started as `npm run demo` starts it (scripts/demo.ts: the seeded demo org, n8n with
 * the demo credentials and the examples, the owner account), then, as its ready banner says:
 * sign in on n8n's sign-in page, open the workflow the banner names and execute it, open the
 * lifecycle example and execute it, and both name the same idle users; then a new workflow with
 * a Freeze user node from the node panel, its User picked from the list, reports `dryRun`.
 *
 * Who is idle is worked out here from the demo org's own records (the fake org's store), never
 * from a node's output. Needs playwright-core and Chromium (see browser.ts).
 */
import type { UserRecord } from '../fake-org';
import { Demo, startDemo } from '../../scripts/demo';
import { DEMO_CREDENTIALS, LIFECYCLE_WORKFLOW, TOUR_WORKFLOW } from '../../scripts/demo-tour';
import type { Page } from './browser';
import { addSalesforceAdminAction, describeIfBrowser, inSteps, launchChromium, pickUserFromList, signInWithForm, testId } from './browser';
import type { StoredExecution } from './n8n';
import { majorsUnderTest } from './n8n';

const DAY = 86_400_000;
const PAID = ['Salesforce', 'Salesforce Platform'];
/** The lifecycle's recommendations for an idle active user (docs/recommendations.md). */
const IDLE_ACTIONS = ['freeze', 'deactivate', 'removeFeatureLicenses'];

/** What the banner prints: the sign-in, the tour workflow (step 3), the lifecycle (step 4), the idle count. */
function readBanner(banner: string[]) {
	const text = banner.join('\n');
	const field = (pattern: RegExp, what: string): RegExpMatchArray => {
		const match = text.match(pattern);
		if (!match) throw new Error(`the banner has no ${what}:\n${text}`);
		return match;
	};
	const [, email, password] = field(/^ {2}2\. Sign in +(\S+) +\/ +(\S+)$/m, 'sign-in line');
	const [, tour] = field(/^ {2}3\. Open the workflow "([^"]+)"/m, 'step 3');
	const [, idle] = field(/finds the (\d+) active Salesforce and Salesforce Platform users/, 'idle count');
	const [, lifecycle] = field(/^ {2}4\. Open "([^"]+)"/m, 'step 4');
	return { email, password, tour, lifecycle, idle: Number(idle) };
}

/** Items a node put out (first output, last run) in a stored execution. */
function itemsOf<T>(execution: StoredExecution, node: string): T[] {
	const runs = execution.data?.resultData.runData[node] ?? [];
	return (runs.at(-1)?.data?.main[0] ?? []).map((item) => item.json as T);
}

/**
 * Active internal users on Salesforce / Salesforce Platform without a login for 90 days before
 * `now`; one who never logged in counts from the day the account was created.
 */
function idlePaidUsers(demo: Demo, now: number): UserRecord[] {
	const { store } = demo.org;
	const licenseOf = new Map(store.profiles.map((p) => [p.Id, store.get<{ Name: string }>('UserLicense', p.UserLicenseId)?.Name]));
	return store.users.filter(
		(u) =>
			u.IsActive &&
			u.UserType === 'Standard' &&
			PAID.includes(licenseOf.get(u.ProfileId) ?? '') &&
			Date.parse((u.LastLoginDate ?? u.CreatedDate).replace('+0000', 'Z')) < now - 90 * DAY,
	);
}

interface Recommendation {
	id: string;
	username: string;
	license: string;
	recommendation: string;
	reason: string;
	evidence: { idleDays: number };
}

describeIfBrowser('first-hour-browser.e2e').each(majorsUnderTest())('n8n %s.x: a new admin\'s first hour with the demo', (major) => {
	let demo: Demo;

	beforeAll(async () => {
		demo = await startDemo({ major });
	}, 600_000);

	afterAll(async () => {
		await demo?.stop();
	});

	/** The newest finished execution of a workflow, once the editor's run has been stored. */
	async function finishedExecution(workflowId: string, afterId: number): Promise<StoredExecution> {
		for (;;) {
			let execution: StoredExecution | undefined;
			try {
				execution = demo.n8n.readExecution(workflowId, afterId);
			} catch {
				// the database busy with n8n's own write: read again
			}
			if (execution && execution.stoppedAt && execution.status !== 'running' && execution.status !== 'new') return execution;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	it('signs in, runs the workflow the banner names and the lifecycle (same idle users), then a new Freeze node reports dryRun for a user picked from the list', async () => {
		const banner = readBanner(demo.banner);
		// the banner names the workflows by their names in examples/, the source it reads them from
		expect(banner.tour).toBe(TOUR_WORKFLOW);
		expect(banner.lifecycle).toBe(LIFECYCLE_WORKFLOW);
		const workflowNamed = (name: string) => {
			const workflow = demo.examples.find((w) => w.name === name);
			if (!workflow) throw new Error(`the demo imported no workflow "${name}"`);
			return workflow;
		};
		const tour = workflowNamed(banner.tour);
		const lifecycle = workflowNamed(banner.lifecycle);
		// the lifecycle's idle threshold is the nightly example's 90 days
		const freezeAfterDays = lifecycle.nodes.find((n) => n.name === 'Get license recommendations')?.parameters.freezeAfterDays as number;
		expect(freezeAfterDays).toBe(90);

		const browser = await launchChromium();
		const page: Page = await browser.context.newPage();
		let nightly: StoredExecution | undefined;
		let recommendations: StoredExecution | undefined;
		let expectedIdle: UserRecord[] = [];
		let picked: UserRecord | undefined;
		try {
			await inSteps(`first-hour-n8n${major}`, () => [['editor', page]], () => demo.server.output, async (step) => {
				step('sign in with the banner\'s credentials');
				await signInWithForm(page, demo.url, banner);

				const openAndExecute = async (name: string, id: string): Promise<StoredExecution> => {
					step(`open "${name}" from the workflow list`);
					await page.goto(`${demo.url}/home/workflows`);
					await page.getByText(name, { exact: true }).first().click();
					await page.waitForURL((url) => url.pathname === `/workflow/${id}`);
					step(`execute "${name}"`);
					const before = demo.n8n.readExecution(id)?.id ?? 0;
					await page.locator(testId('execute-workflow-button')).first().click();
					return await finishedExecution(id, before);
				};

				const started = Date.now();
				nightly = await openAndExecute(banner.tour, tour.id!);
				expectedIdle = idlePaidUsers(demo, started);
				// the editor shows the run: the idle users on the way out of "Get idle paid users"
				step('the canvas shows the idle users');
				await page.getByText(`${expectedIdle.length} items`, { exact: true }).first().waitFor();

				recommendations = await openAndExecute(banner.lifecycle, lifecycle.id!);

				step('a new workflow: Trigger manually');
				await page.goto(`${demo.url}/workflow/new`);
				await page.locator(testId('canvas-add-button')).first().click();
				// the first entry of the trigger list
				await page.locator(testId('node-creator-item-name'), { hasText: 'Trigger manually' }).first().click();
				await page.keyboard.press('Escape');

				step('add Freeze user from the node panel');
				await addSalesforceAdminAction(page, 'Freeze user');
				// a new write node starts in dry run
				await page.getByText('Dry Run', { exact: true }).first().waitFor();

				step('pick the demo\'s JWT bearer credential (Read/Take Action)');
				// n8n offers every Salesforce Admin credential in one list (and pre-selects the last used)
				await page.locator(testId('node-credentials-select')).first().click();
				await page.locator('.el-select-dropdown__item, [role="option"]', { hasText: DEMO_CREDENTIALS.jwt.name }).last().click();

				step('pick a user from the list');
				// an idle user the nightly example would freeze (not frozen yet, not an administrator, whom
				// the writes skip), with a name no one else has
				const { store } = demo.org;
				const profileName = new Map(store.profiles.map((p) => [p.Id, p.Name]));
				const nameCount = new Map<string, number>();
				for (const u of store.users) nameCount.set(u.Name, (nameCount.get(u.Name) ?? 0) + 1);
				picked = expectedIdle.find(
					(u) => !store.userLoginFor(u.Id)?.IsFrozen && profileName.get(u.ProfileId) !== 'System Administrator' && nameCount.get(u.Name) === 1,
				);
				if (!picked) throw new Error('the demo org has no idle, unfrozen, non-admin user with a unique name');
				await pickUserFromList(page, picked.Name, picked.Name);

				step('run the step');
				await page.locator(testId('node-execute-button')).first().click();
				await page.getByText('dryRun', { exact: true }).first().waitFor();
				await page.getByText(picked.Username, { exact: true }).first().waitFor();
			});
		} finally {
			await browser.close();
		}

		// The banner, the nightly example and the org agree on who is idle
		expect(nightly!.status).toBe('success');
		const expectedIds = expectedIdle.map((u) => u.Id).sort();
		expect(expectedIds.length).toBeGreaterThan(20);
		expect(banner.idle).toBe(expectedIds.length);
		const nightlyIds = itemsOf<{ id: string }>(nightly!, 'Get idle paid users').map((u) => u.id);
		expect([...nightlyIds].sort()).toEqual(expectedIds);

		// The lifecycle calls the same paid users idle: it may keep more, only for Event Log
		// activity, and then its reason says so (docs/recommendations.md)
		expect(recommendations!.status).toBe('success');
		const paid = itemsOf<Recommendation>(recommendations!, 'Get license recommendations').filter((r) => PAID.includes(r.license));
		const lifecycleIdle = paid.filter((r) => r.evidence.idleDays >= freezeAfterDays).map((r) => r.id);
		expect(lifecycleIdle.length).toBeGreaterThan(20);
		expect(lifecycleIdle.filter((id) => !expectedIds.includes(id))).toEqual([]);
		for (const kept of paid.filter((r) => expectedIds.includes(r.id) && !lifecycleIdle.includes(r.id)))
			expect(`${kept.username}: ${kept.recommendation} — ${kept.reason}`).toMatch(/: keep — .*Event Log/);
		// whom the lifecycle sends to a write for being idle, the nightly example lists too (inactive
		// users holding package licenses get removePackageLicenses: not idle, not in either list)
		const acted = paid.filter((r) => IDLE_ACTIONS.includes(r.recommendation));
		expect(acted.length).toBeGreaterThan(0);
		expect(acted.filter((r) => !expectedIds.includes(r.id)).map((r) => `${r.username}: ${r.recommendation} (idle ${r.evidence.idleDays} days) — ${r.reason}`)).toEqual([]);

		// Every write was a dry run: nothing in the org changed
		expect(demo.org.calls.count('collectionsPatch') + demo.org.calls.count('sobjectPatch')).toBe(0);
		expect(demo.org.store.userLoginFor(picked!.Id)?.IsFrozen ?? false).toBe(false);
	}, 600_000);
});
