/**
 * The node types a harness workflow knows: our Salesforce Admin node under the name n8n gives a
 * community node, and a tiny pass-through source node that feeds it the test's input items.
 */
import type {
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers } from 'n8n-workflow';

import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';

/** How n8n names a node of a community package: `<package name>.<node name>`. */
export const SALESFORCE_ADMIN_NODE_TYPE = 'n8n-nodes-salesforce-admin.salesforceAdmin';
export const SOURCE_NODE_TYPE = 'test.source';
export const BATCHES_NODE_TYPE = 'test.batches';

/** Emits its input unchanged: the harness puts the test's items on its input. */
class SourceNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Source',
		name: 'source',
		group: ['input'],
		version: 1,
		description: 'Feeds the items of a test into the next node',
		defaults: { name: 'Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * n8n's Loop Over Items (Split in Batches) in small: the first run keeps its input and sends the
 * first `batchSize` items out of "loop"; every later run (fed back by the loop's last node) sends
 * the next batch, and once none is left, everything the loop body returned out of "done".
 */
class BatchesNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Batches',
		name: 'batches',
		group: ['organization'],
		version: 1,
		description: 'Loops over the input items in batches',
		defaults: { name: 'Loop' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['done', 'loop'],
		properties: [{ displayName: 'Batch Size', name: 'batchSize', type: 'number', default: 1 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const state = this.getContext('node') as {
			pending?: INodeExecutionData[];
			done?: INodeExecutionData[];
		};
		const batchSize = this.getNodeParameter('batchSize', 0) as number;
		const input = this.getInputData();
		if (state.pending === undefined) {
			state.pending = [...input];
			state.done = [];
		} else {
			state.done = [...(state.done ?? []), ...input];
		}
		const batch = state.pending.splice(0, batchSize);
		if (batch.length === 0) return [state.done ?? [], []];
		return [[], batch.map((item) => ({ json: item.json }))];
	}
}

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * A fresh node instance per harness, as n8n loads one per process. `salesforceAdmin` replaces
 * our node (a test's variant of it, e.g. one that runs a test-only write action).
 * `asTool`: under the type n8n gives its AI-agent tool variant (`<type>Tool`).
 */
export function createNodeTypes(
	salesforceAdmin: INodeType = new SalesforceAdmin(),
	asTool = false,
): INodeTypes {
	return new TestNodeTypes({
		[asTool ? `${SALESFORCE_ADMIN_NODE_TYPE}Tool` : SALESFORCE_ADMIN_NODE_TYPE]: salesforceAdmin,
		[SOURCE_NODE_TYPE]: new SourceNode(),
		[BATCHES_NODE_TYPE]: new BatchesNode(),
	});
}

/** Only the source node: enough for resolving credential expressions. */
export const sourceNodeTypes: INodeTypes = new TestNodeTypes({
	[SOURCE_NODE_TYPE]: new SourceNode(),
});

/** A Salesforce Admin node as an INode, for tests that build errors or contexts without a workflow. */
export function salesforceAdminNode(parameters: INode['parameters'] = {}): INode {
	return {
		id: '1',
		name: 'Salesforce Admin',
		type: SALESFORCE_ADMIN_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
}
