/**
 * The demo's ready banner walks a new user through one example (issue 23: it said to open
 * "License reclaim lifecycle" but described "Nightly license reclaim", because a /license
 * reclaim/i match picked the first file). The steps must name workflows that exist and nodes of
 * the workflow they name, and the examples must use the credentials the demo creates.
 */
import {
	DEMO_CREDENTIALS,
	LIFECYCLE_WORKFLOW,
	loadExamples,
	TOUR_WORKFLOW,
	tourSteps,
} from '../../scripts/demo-tour';

const examples = loadExamples();
const byName = (name: string) => examples.find((w) => w.name === name);

/** The quoted names in a block of banner lines. */
const quoted = (lines: string[]) => [...lines.join(' ').matchAll(/"([^"]+)"/g)].map((m) => m[1]);

test('step 3 names the tour workflow and describes its own nodes', () => {
	const steps = tourSteps(TOUR_WORKFLOW, LIFECYCLE_WORKFLOW, 42);
	const step3 = steps.slice(
		0,
		steps.findIndex((l) => l.startsWith('  4.')),
	);
	expect(step3[0]).toBe(`  3. Open the workflow "${TOUR_WORKFLOW}" and click "Execute workflow".`);
	const tour = byName(TOUR_WORKFLOW)!;
	expect(tour).toBeDefined();
	const nodeNames = new Set(tour.nodes.map((n) => n.name));
	const named = quoted(step3).filter(
		(q) => q !== TOUR_WORKFLOW && q !== 'Execute workflow' && q !== 'dryRun',
	);
	expect(named.length).toBeGreaterThanOrEqual(3);
	for (const name of named) expect(nodeNames).toContain(name);
	expect(step3.join(' ')).toContain('42 active Salesforce and Salesforce Platform users');
});

test('every workflow the banner names exists', () => {
	const names = new Set(examples.map((w) => w.name));
	const steps = tourSteps(TOUR_WORKFLOW, LIFECYCLE_WORKFLOW, 1);
	const workflows = quoted(steps.filter((l) => /^ {2}\d\./.test(l) || l.includes('Also try')));
	const mentioned = workflows.filter((q) => names.has(q));
	expect(new Set(mentioned)).toEqual(
		new Set([TOUR_WORKFLOW, LIFECYCLE_WORKFLOW, 'License report', 'Weekly license savings report']),
	);
	expect(steps.join('\n')).toContain('"Failed-login watch"');
	expect(names).toContain('Failed-login watch');
});

test('the nightly examples run with the demo JWT bearer credential, the rest with its own credentials', () => {
	const demoIds = new Set(Object.values(DEMO_CREDENTIALS).map((c) => c.id));
	for (const workflow of examples)
		for (const node of workflow.nodes)
			for (const ref of Object.values(node.credentials ?? {}))
				expect(demoIds).toContain((ref as { id: string }).id);
	for (const name of [TOUR_WORKFLOW, LIFECYCLE_WORKFLOW]) {
		const salesforceNodes = byName(name)!.nodes.filter((n) => n.type.endsWith('.salesforceAdmin'));
		expect(salesforceNodes.length).toBeGreaterThan(1);
		for (const node of salesforceNodes) {
			expect(node.credentials).toEqual({
				salesforceAdminJwtApi: { id: DEMO_CREDENTIALS.jwt.id, name: DEMO_CREDENTIALS.jwt.name },
			});
			expect(node.parameters.authentication).toBe('jwt');
		}
	}
});
