/**
 * The failed-login example's alert text, evaluated as n8n evaluates a Set node's expression
 * (n8n-workflow's Workflow, with the workflow's time zone in its settings): times read in the
 * workflow's time zone, not as raw UTC ISO strings. The trigger's items keep ISO UTC.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INode, INodeType, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

interface ExampleWorkflow {
	nodes: Array<
		INode & {
			parameters: { assignments?: { assignments: Array<{ name: string; value: string }> } };
		}
	>;
}

const example = JSON.parse(
	readFileSync(join(__dirname, '../../examples/failed-login-alert.json'), 'utf8'),
) as ExampleWorkflow;
const alertNode = example.nodes.find((n) => n.name === 'Alert text')!;
const messageExpression = alertNode.parameters.assignments!.assignments.find(
	(a) => a.name === 'message',
)!.value;

/** One item as the trigger emits it with Min Failures above 1 (docs/trigger.md). */
const failedLogins = {
	userId: '005000000000001AAA',
	username: 'bea.burst@acme.example.com',
	name: 'Bea Burst',
	failureCount: 3,
	// 29 March 2026: Berlin moves from CET (+01:00) to CEST (+02:00) at 01:00 UTC
	firstLoginTime: '2026-03-29T00:30:00.000Z',
	lastLoginTime: '2026-03-29T01:10:05.000Z',
	sourceIps: ['198.51.100.1', '198.51.100.2'],
};

/** The message n8n's Set node writes for that item in a workflow with this time zone. */
function alertText(timezone: string): unknown {
	const setNodeType = { description: { properties: [] } } as unknown as INodeType;
	const nodeTypes: INodeTypes = {
		getByName: () => setNodeType,
		getByNameAndVersion: () => setNodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [{ ...alertNode, parameters: {} }],
		connections: {},
		active: false,
		nodeTypes,
		settings: { timezone },
	});
	return workflow.expression.getParameterValue(
		messageExpression,
		null,
		0,
		0,
		alertNode.name,
		[{ json: failedLogins }],
		'manual',
		{},
	);
}

test('the alert text shows the times in the workflow time zone, readably', () => {
	expect(alertText('Europe/Berlin')).toBe(
		'3 failed Salesforce logins for bea.burst@acme.example.com (Bea Burst) between ' +
			'29 Mar 2026, 01:30:00 Europe/Berlin and 29 Mar 2026, 03:10:05 Europe/Berlin, ' +
			'from 198.51.100.1, 198.51.100.2',
	);
	expect(alertText('America/Los_Angeles')).toBe(
		'3 failed Salesforce logins for bea.burst@acme.example.com (Bea Burst) between ' +
			'28 Mar 2026, 17:30:00 America/Los_Angeles and 28 Mar 2026, 18:10:05 America/Los_Angeles, ' +
			'from 198.51.100.1, 198.51.100.2',
	);
});

test('the alert text carries no raw ISO time', () => {
	expect(String(alertText('UTC'))).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
	expect(alertText('UTC')).toContain(
		'between 29 Mar 2026, 00:30:00 UTC and 29 Mar 2026, 01:10:05 UTC',
	);
});
