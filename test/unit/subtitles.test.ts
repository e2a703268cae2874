/**
 * The canvas subtitles, evaluated as n8n's editor does (an expression on the node's parameters,
 * through n8n-workflow's Workflow): the action label ("Get users"), not "getMany: user"; the
 * trigger's event name ("Failed Login"), not "failedLogin".
 */
import type {
	INode,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { SalesforceAdminTrigger } from '../../nodes/SalesforceAdmin/SalesforceAdminTrigger.node';

const versionDescription = new SalesforceAdmin().description;
const triggerDescription = new SalesforceAdminTrigger().description;

/** The subtitle n8n's editor shows for a node of this type with these parameters. */
function subtitleOf(description: INodeTypeDescription, parameters: INode['parameters']): unknown {
	const nodeType: INodeType =
		description === triggerDescription ? new SalesforceAdminTrigger() : new SalesforceAdmin();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: '1',
		name: 'Node',
		type: `n8n-nodes-salesforce-admin.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		workflow.getNode('Node')!,
		description.subtitle!,
		'internal',
		{},
	);
}

/** Every resource × operation of the action node, with the operation's action label. */
const actions = versionDescription.properties
	.filter((p) => p.name === 'operation')
	.flatMap((p) =>
		(p.displayOptions!.show!.resource as string[]).flatMap((resource) =>
			(p.options as INodePropertyOptions[]).map((o) => ({
				resource,
				operation: o.value as string,
				action: o.action!,
			})),
		),
	);

test('the action node shows the action label', () => {
	expect(subtitleOf(versionDescription, { resource: 'user', operation: 'getMany' })).toBe(
		'Get users',
	);
	// a write adds its Dry Run state (test/unit/subtitle.test.ts)
	expect(subtitleOf(versionDescription, { resource: 'user', operation: 'freeze' })).toBe(
		'Freeze user · dry run',
	);
	expect(
		subtitleOf(versionDescription, { resource: 'license', operation: 'getRecommendations' }),
	).toBe('Get license recommendations');
	expect(actions.length).toBeGreaterThanOrEqual(12);
	for (const { resource, operation, action } of actions) {
		expect(action).toMatch(/^[A-Z][a-z]/);
		expect(String(subtitleOf(versionDescription, { resource, operation })).split(' · ')[0]).toBe(
			action,
		);
	}
});

test('the trigger shows the event name, for every event', () => {
	const event = triggerDescription.properties.find((p) => p.name === 'event')!;
	const options = event.options as INodePropertyOptions[];
	expect(options.length).toBe(4);
	for (const option of options)
		expect(subtitleOf(triggerDescription, { event: option.value })).toBe(option.name);
	expect(subtitleOf(triggerDescription, { event: 'failedLogin' })).toBe('Failed Login');
});

// n8n's node panel makes one entry of Salesforce Admin and its trigger and shows the trigger's
// description on it, above the actions and the triggers; each action and event has its own.
test('the node panel entry describes both nodes; each action and event has its own description', () => {
	expect(triggerDescription.description).toMatch(/freeze/i);
	expect(triggerDescription.description).toMatch(/failed logins/i);
	const descriptions = [
		...actions.map(
			({ resource, operation }) =>
				(
					versionDescription.properties.find(
						(p) =>
							p.name === 'operation' &&
							(p.displayOptions!.show!.resource as string[]).includes(resource),
					)!.options as INodePropertyOptions[]
				).find((o) => o.value === operation)!.description,
		),
		...(
			triggerDescription.properties.find((p) => p.name === 'event')!
				.options as INodePropertyOptions[]
		).map((o) => o.description),
	];
	for (const d of descriptions) expect(d && d.length).toBeGreaterThan(20);
	expect(new Set(descriptions).size).toBe(descriptions.length);
});
