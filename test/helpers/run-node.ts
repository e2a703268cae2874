/**
 * Runs the Salesforce Admin node the way n8n runs it: a two-node workflow (a source node feeding
 * the test's items -> Salesforce Admin) executed by n8n-core's WorkflowExecute, with credentials
 * served by a real ICredentialsHelper. What the node returns, and the error n8n records for it,
 * come back for the test to check.
 */
import './n8n-env';

import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
// not exported from n8n-core's index; its 60 s clean-up timer would keep jest from exiting
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createDeferredPromise, createRunExecutionData } from 'n8n-workflow';

import type { CredentialSave } from './credentials-helper';
import { TestCredentialsHelper } from './credentials-helper';
import {
	BATCHES_NODE_TYPE,
	SALESFORCE_ADMIN_NODE_TYPE,
	SOURCE_NODE_TYPE,
	createNodeTypes,
} from './node-types';

export const NODE_NAME = 'Salesforce Admin';
export const SOURCE_NAME = 'Input';
export const LOOP_NAME = 'Loop Over Items';

export type CredentialTypeName =
	| 'salesforceAdminPasswordApi'
	| 'salesforceAdminOAuth2Api'
	| 'salesforceAdminJwtApi'
	| 'salesforceAdminClientCredentialsApi';

/** A credential as a test gives it: its type and the data the user typed (or n8n stored). */
export interface TestCredential {
	type: CredentialTypeName;
	data: ICredentialDataDecryptedObject;
}

export interface RunNodeOptions {
	resource?: string;
	operation?: string;
	/** The node's other parameters; `authentication` follows the credential unless given. */
	parameters?: INodeParameters | IDataObject;
	credentials: TestCredential;
	/** JSON of the items fed into the node (default: one empty item). */
	input?: IDataObject[];
	/** The node setting "On Error: Continue" (n8n's Continue On Fail). */
	continueOnFail?: boolean;
	/**
	 * Reuse a credentials helper between runs (to see a refreshed OAuth2 token saved by one run
	 * being used by the next). The run stores `credentials` in it first.
	 */
	credentialsHelper?: TestCredentialsHelper;
	/** With credentialsHelper: keep what it stores (a token saved by an earlier run) instead of `credentials`. */
	keepStoredCredential?: boolean;
	mode?: WorkflowExecuteMode;
	/** n8n's node settings "Retry On Fail", "Max. Tries" and "Wait Between Tries (ms)". */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** A variant of our node type to run instead (e.g. with a test-only operation). */
	nodeType?: INodeType;
	/** Unique per run unless given: n8n gives every execution its own ID. */
	executionId?: string;
	/**
	 * Feed the node through a loop (n8n's Loop Over Items): Input -> Loop -> our node -> back to
	 * Loop, `batchSize` items per run of our node, all in one execution (run index 0, 1, ...).
	 */
	loop?: { batchSize: number };
	/** Run the node under the type n8n gives its AI-agent tool variant (`<type>Tool`). */
	asTool?: boolean;
	/** Called once the run has started, with what cancels it (n8n's "Stop execution"). */
	whileRunning?: (cancel: () => void) => void;
}

export interface RunNodeResult {
	/** The items our node returned on its (only) output (its first run, in a loop). */
	items: INodeExecutionData[];
	/** The error n8n recorded for our node's run, if it failed. */
	error?: ExecutionError;
	runData: IRunData;
	/** The whole run as n8n-core finished it. */
	run: IRun;
	/** Credential saves n8n-core made during the run (refreshed OAuth2 tokens). */
	credentialSaves: CredentialSave[];
	credentialsHelper: TestCredentialsHelper;
}

/** n8n creates this once per process; let its timer not hold the test process open. */
export function releaseProcessTimers() {
	const manager = Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout };
	manager.cleanupTimer?.unref();
}

/** The node's `authentication` value for each credential type (both nodes). */
export const AUTHENTICATION: Record<CredentialTypeName, string> = {
	salesforceAdminPasswordApi: 'password',
	salesforceAdminOAuth2Api: 'oAuth2',
	salesforceAdminJwtApi: 'jwt',
	salesforceAdminClientCredentialsApi: 'clientCredentials',
};

/** additionalData as n8n's WorkflowExecuteAdditionalData.getBase builds it, minus the server. */
export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId: 'test-execution',
		userId: 'test-user',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: unsupported('getRunExecutionData'),
		logAiEvent: async () => undefined,
		startRunnerTask: unsupported('startRunnerTask'),
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The node as a workflow JSON holds it. */
export function salesforceAdminNode(
	options: Pick<
		RunNodeOptions,
		'resource' | 'operation' | 'parameters' | 'credentials' | 'continueOnFail' | 'retryOnFail'
	>,
): INode {
	const { credentials } = options;
	return {
		id: 'salesforce-admin',
		name: NODE_NAME,
		type: SALESFORCE_ADMIN_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: {
			authentication: AUTHENTICATION[credentials.type],
			...(options.resource ? { resource: options.resource } : {}),
			...(options.operation ? { operation: options.operation } : {}),
			...(options.parameters as INodeParameters | undefined),
		},
		credentials: { [credentials.type]: { id: '1', name: `Test ${credentials.type}` } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
	};
}

let executionCount = 0;

/** Runs the node once through n8n-core's WorkflowExecute. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	releaseProcessTimers();
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	if (!options.keepStoredCredential || !credentialsHelper.get(options.credentials.type)) {
		credentialsHelper.set(options.credentials.type, options.credentials.data);
	}
	const savesBefore = credentialsHelper.saves.length;

	const source: INode = {
		id: 'source',
		name: SOURCE_NAME,
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node = salesforceAdminNode(options);
	if (options.asTool) node.type = `${SALESFORCE_ADMIN_NODE_TYPE}Tool`;
	const to = (name: string) => [{ node: name, type: 'main' as const, index: 0 }];
	const loop: INode = {
		id: 'loop',
		name: LOOP_NAME,
		type: BATCHES_NODE_TYPE,
		typeVersion: 1,
		position: [100, 0],
		parameters: { batchSize: options.loop?.batchSize ?? 1 },
	};
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'Salesforce Admin test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: options.loop ? [source, loop, node] : [source, node],
		connections: options.loop
			? {
					[SOURCE_NAME]: { main: [to(LOOP_NAME)] },
					[LOOP_NAME]: { main: [[], to(NODE_NAME)] },
					[NODE_NAME]: { main: [to(LOOP_NAME)] },
				}
			: { [SOURCE_NAME]: { main: [to(NODE_NAME)] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;

	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: createNodeTypes(options.nodeType, options.asTool),
		settings: workflowData.settings,
	});

	const mode = options.mode ?? 'manual';
	const executionId = options.executionId ?? `test-execution-${++executionCount}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));

	const inputItems = (options.input ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(SOURCE_NAME)!, data: { main: [inputItems] }, source: null },
			],
		},
	});

	const execution = new WorkflowExecute(
		{ ...additionalDataFor(credentialsHelper, hooks), executionId },
		mode,
		runExecutionData,
	);
	const running = execution.processRunExecutionData(workflow);
	options.whileRunning?.(() => running.cancel());
	// a cancelled run reports its end through the hook; its promise may never settle
	await Promise.race([running, finished.promise]);
	const run = await finished.promise;

	const runData = run.data.resultData.runData;
	const task = runData[NODE_NAME]?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: task?.error ?? (run.data.resultData.error as ExecutionError | undefined),
		runData,
		run,
		credentialSaves: credentialsHelper.saves.slice(savesBefore),
		credentialsHelper,
	};
}
