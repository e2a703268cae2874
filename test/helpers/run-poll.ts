/**
 * Runs the Salesforce Admin Trigger the way an active n8n workflow runs it: n8n-core's
 * ActiveWorkflows.add() activates the workflow (one poll right away, as n8n does), and every
 * later poll is the very callback n8n-core registers with its cron (captured here instead of
 * waiting for the minute). What n8n's ActiveWorkflowManager does around it is modelled:
 *
 * - a poll that returns items is emitted, and its static data is saved to the "database"
 *   (n8n: `__emit` -> WorkflowStaticDataService.saveStaticData);
 * - a poll that returns null saves nothing; the in-memory Workflow keeps its static data;
 * - after the activation poll the static data is saved (n8n: ActiveWorkflowManager.add);
 * - a restart, and saving the active workflow (`update`), throw the in-memory Workflow away and
 *   build a new one from the saved copy (n8n 1.12x: ActiveWorkflowManager.remove saves nothing).
 *
 * Fetch Test Event runs through WorkflowExecute in manual mode (n8n-core's executePollNode).
 */
import './n8n-env';

import { ActiveWorkflows, ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createDeferredPromise } from 'n8n-workflow';

import { SalesforceAdminTrigger } from '../../nodes/SalesforceAdmin/SalesforceAdminTrigger.node';
import { TestCredentialsHelper } from './credentials-helper';
import type { TestCredential } from './run-node';
import { AUTHENTICATION, additionalDataFor, releaseProcessTimers } from './run-node';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-salesforce-admin.salesforceAdminTrigger';
export const TRIGGER_NAME = 'Salesforce Admin Trigger';

/** The trigger as n8n loads a polling node: with its "Poll Times" parameter added first. */
function triggerNodeTypes(): INodeTypes {
	const trigger = new SalesforceAdminTrigger();
	trigger.description = {
		...trigger.description,
		properties: [...commonPollingParameters, ...trigger.description.properties],
	};
	const types: Record<string, INodeType | IVersionedNodeType> = { [TRIGGER_NODE_TYPE]: trigger };
	return {
		getByName: (type) => types[type],
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	};
}

export interface PollResult {
	/** The items the poll emitted (empty when it returned null or failed). */
	items: IDataObject[];
	/** The error n8n-core handed to `__emitError` (n8n records an error execution). */
	error?: Error;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class PollHarness {
	/** The static data as n8n's database holds it (saved only when n8n saves it). */
	saved: IDataObject = {};
	/** How many times n8n would have written static data to its database. */
	saves = 0;
	/** Every poll's result, in order (activation polls included). */
	readonly history: PollResult[] = [];

	private workflow?: Workflow;
	private tick?: () => Promise<void>;
	private last?: PollResult;
	private readonly credentialsHelper = new TestCredentialsHelper();
	private readonly nodeTypes = triggerNodeTypes();

	constructor(
		private readonly credentials: TestCredential,
		private parameters: INodeParameters,
	) {
		this.credentialsHelper.set(credentials.type, credentials.data);
	}

	private node(): INode {
		return {
			id: 'salesforce-admin-trigger',
			name: TRIGGER_NAME,
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { authentication: AUTHENTICATION[this.credentials.type], ...this.parameters },
			credentials: { [this.credentials.type]: { id: '1', name: 'Test credential' } },
		};
	}

	private workflowData(): IWorkflowBase {
		return {
			id: 'trigger-workflow',
			name: 'Trigger test',
			active: true,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: [this.node()],
			connections: {},
			settings: { executionOrder: 'v1' },
			staticData: clone(this.saved),
		} as unknown as IWorkflowBase;
	}

	private additionalData(mode: 'trigger' | 'manual'): IWorkflowExecuteAdditionalData {
		const hooks = new ExecutionLifecycleHooks(mode, 'trigger-execution', this.workflowData());
		return additionalDataFor(this.credentialsHelper, hooks);
	}

	/** n8n's WorkflowStaticDataService.saveStaticData: writes only what changed. */
	private saveStaticData(workflow: Workflow) {
		if (workflow.staticData.__dataChanged === true) {
			workflow.staticData.__dataChanged = false;
			this.saved = clone(workflow.staticData);
			delete this.saved.__dataChanged;
			this.saves++;
		}
	}

	/**
	 * Activates the workflow as n8n does (`activate` when a user turns it on, `init` when n8n
	 * starts with it active): a new Workflow from the saved static data, the first poll now.
	 */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		releaseProcessTimers();
		const data = this.workflowData();
		const workflow = new Workflow({
			id: data.id,
			name: data.name,
			nodes: data.nodes,
			connections: data.connections,
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: data.staticData,
			settings: data.settings,
		});
		this.workflow = workflow;
		const scheduler = {
			registerCron: (_ctx: unknown, onTick: () => Promise<void>) => {
				this.tick = onTick;
			},
			deregisterCrons: () => undefined,
		};
		const active = new ActiveWorkflows(
			quiet as never,
			scheduler as never,
			new TriggersAndPollers(),
			{ error() {} } as never,
		);
		this.last = { items: [] };
		await active.add(
			workflow.id,
			workflow,
			this.additionalData('trigger'),
			'trigger',
			activation,
			() => {
				throw new Error('the trigger has no trigger() function');
			},
			(wf, node, additionalData, mode, act) =>
				new PollContext(
					wf,
					node,
					additionalData,
					mode,
					act,
					(emitted: INodeExecutionData[][]) => {
						this.saveStaticData(wf);
						this.last = { items: emitted[0].map((i) => i.json) };
					},
					(error: Error) => {
						this.last = { items: [], error };
					},
				),
		);
		// n8n's ActiveWorkflowManager.add saves static data once the activation is done
		this.saveStaticData(workflow);
		return this.record();
	}

	/** One scheduled poll (n8n-core's cron callback). */
	async poll(): Promise<PollResult> {
		if (!this.tick) throw new Error('activate() first');
		this.last = { items: [] };
		await this.tick();
		return this.record();
	}

	/** n8n stops (the in-memory static data is lost) and starts again with the workflow active. */
	async restart(): Promise<PollResult> {
		this.workflow = undefined;
		this.tick = undefined;
		return await this.activate('init');
	}

	/**
	 * The user changes the node's parameters and saves the active workflow. n8n removes the
	 * running workflow without saving its static data and activates the saved one (with the
	 * static data from its database): like a restart, what quiet polls noted is lost.
	 */
	async update(parameters: INodeParameters): Promise<PollResult> {
		this.workflow = undefined;
		this.tick = undefined;
		this.parameters = parameters;
		return await this.activate('update');
	}

	/** Static data as the running workflow holds it in memory right now. */
	memory(): IDataObject {
		return clone(this.workflow?.staticData ?? {});
	}

	/** Fetch Test Event: the node alone in a manual execution (n8n-core's executePollNode). */
	async fetchTestEvent(): Promise<PollResult> {
		releaseProcessTimers();
		const data = this.workflowData();
		const workflow = new Workflow({
			id: data.id,
			nodes: data.nodes,
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
			staticData: data.staticData,
			settings: data.settings,
		});
		const hooks = new ExecutionLifecycleHooks('manual', 'manual-execution', data);
		const finished = createDeferredPromise<IRun>();
		hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));
		const execution = new WorkflowExecute(
			additionalDataFor(this.credentialsHelper, hooks),
			'manual',
		);
		await execution.run(workflow, workflow.getNode(TRIGGER_NAME)!);
		const run = await finished.promise;
		const task = run.data.resultData.runData[TRIGGER_NAME]?.[0];
		const error = (task?.error ?? run.data.resultData.error) as Error | undefined;
		return { items: (task?.data?.main?.[0] ?? []).map((i) => i.json), error };
	}

	private record(): PollResult {
		const result = this.last ?? { items: [] };
		this.history.push(result);
		return result;
	}
}
