/**
 * What the demo shows a new user: the credentials it creates, the example workflows pointed at
 * them, and the tour its ready banner prints. Apart from scripts/demo.ts so tests can read it
 * (scripts/demo.js, which `../scripts/demo` would resolve to, starts the demo).
 */
import { exampleFiles, prepareExample } from '../test/e2e/fixtures';
import type { WorkflowDefinition } from '../test/e2e/n8n';

/** Stable ids, so example workflows can name these credentials directly. */
export const DEMO_CREDENTIALS = {
	readOnly: {
		id: 'demoOrgReadOnly1',
		name: 'Demo org (Read-Only)',
		type: 'salesforceAdminPasswordApi',
	},
	readWrite: {
		id: 'demoOrgTakeAct01',
		name: 'Demo org (Read/Take Action)',
		type: 'salesforceAdminPasswordApi',
	},
	oauth: {
		id: 'demoOrgOAuth2RO1',
		name: 'Demo org (OAuth2, Read-Only)',
		type: 'salesforceAdminOAuth2Api',
	},
	/** What the nightly examples run with: no password, no refresh token. */
	jwt: {
		id: 'demoOrgJwtTakeA1',
		name: 'Demo org (JWT Bearer, Read/Take Action)',
		type: 'salesforceAdminJwtApi',
	},
} as const;

/** The example the banner walks through, and the one that must agree with it on who is idle. */
export const TOUR_WORKFLOW = 'Nightly license reclaim';
export const LIFECYCLE_WORKFLOW = 'License reclaim lifecycle';

/**
 * The example workflows (examples/*.json) with their Salesforce Admin credentials pointed at the
 * demo org: Read/Take Action where the example asks for it, else Read-Only.
 */
export function loadExamples(): WorkflowDefinition[] {
	const { readOnly, readWrite, jwt } = DEMO_CREDENTIALS;
	return exampleFiles().map(({ file, workflow }) =>
		prepareExample(file, workflow, {
			readOnly: { id: readOnly.id, name: readOnly.name },
			readWrite: { id: readWrite.id, name: readWrite.name },
			jwt: { id: jwt.id, name: jwt.name },
		}),
	);
}

/** Steps 3 and on of the ready banner: the tour of the reclaim example, as the README tells it. */
export function tourSteps(tour: string, lifecycle: string | undefined, idle: number): string[] {
	return [
		`  3. Open the workflow "${tour}" and click "Execute workflow".`,
		`     "Get idle paid users" finds the ${idle} active Salesforce and Salesforce Platform users`,
		'     who have not logged in for 90 days (or never did, in an account older than 90 days:',
		'     new hires are left alone); "Freeze user" runs as a dry run: open it (and',
		'     "Summary by result") to see who would be frozen (result "dryRun") and who is skipped.',
		'     Nothing changes in the org until you turn the Dry Run switch off in Freeze user. To',
		'     undo a real run, run only its disabled undo branch (its sticky note says how).',
		...(lifecycle
			? [
					`  4. Open "${lifecycle}" and execute it: the same idle users, each with the next step`,
					'     (freeze, or deactivate once frozen 30 days) and the reason.',
				]
			: []),
		`  ${lifecycle ? 5 : 4}. Also try "License report", "Weekly license savings report" (its HTML report)`,
		'     and "Failed-login watch" (failed logins of the last hour per user).',
	];
}
