/**
 * The canvas subtitle, evaluated the way n8n's editor does (the node's parameters with their
 * defaults, the subtitle expression through n8n-workflow's Expression with no input data).
 */
import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { nodeSubtitle } from '../../nodes/SalesforceAdmin/actions/subtitle';
import { SALESFORCE_ADMIN_NODE_TYPE, createNodeTypes } from '../helpers/node-types';

const description = new SalesforceAdmin().description;

function subtitleOf(parameters: INodeParameters): unknown {
	const node: INode = {
		id: 'node',
		name: 'Salesforce Admin',
		type: SALESFORCE_ADMIN_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: createNodeTypes(),
	});
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {});
}

describe('canvas subtitle', () => {
	it('is the text nodeSubtitle() builds from the operations (paste it when an operation changes)', () => {
		const generated = nodeSubtitle(
			description.properties.filter((p) => p.name === 'operation' || p.name === 'dryRun'),
		);
		expect(description.subtitle).toBe(generated);
	});

	it('shows the action label of a read, with no dry-run state', () => {
		expect(subtitleOf({ resource: 'user', operation: 'getMany' })).toBe('Get users');
		expect(subtitleOf({ resource: 'license', operation: 'getMany' })).toBe('Get licenses');
		expect(subtitleOf({ resource: 'user', operation: 'get' })).toBe('Get user');
	});

	it('a newly added write says it is a dry run', () => {
		expect(subtitleOf({ resource: 'user', operation: 'freeze' })).toBe('Freeze user · dry run');
		expect(subtitleOf({ resource: 'user', operation: 'deactivate' })).toBe(
			'Deactivate user · dry run',
		);
		expect(subtitleOf({ resource: 'user', operation: 'removeFeatureLicenses' })).toBe(
			'Remove feature licenses · dry run',
		);
	});

	it('the switch off: live', () => {
		expect(subtitleOf({ resource: 'user', operation: 'freeze', dryRun: false })).toBe(
			'Freeze user · live',
		);
	});

	it('Options > Dry Run (Override) decides when present, as at run time', () => {
		expect(
			subtitleOf({
				resource: 'user',
				operation: 'freeze',
				dryRun: false,
				options: { dryRun: true },
			}),
		).toBe('Freeze user · dry run');
		expect(
			subtitleOf({
				resource: 'user',
				operation: 'freeze',
				dryRun: true,
				options: { dryRun: false },
			}),
		).toBe('Freeze user · live');
	});

	it('an expression: known only at run time, and the subtitle says so', () => {
		expect(
			subtitleOf({
				resource: 'user',
				operation: 'freeze',
				options: { dryRun: '={{ $json.dry }}' },
			}),
		).toBe('Freeze user · dry run set by expression');
		expect(subtitleOf({ resource: 'user', operation: 'freeze', dryRun: '={{ $json.dry }}' })).toBe(
			'Freeze user · dry run set by expression',
		);
	});
});
