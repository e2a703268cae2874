/**
 * Our side of every case: the Salesforce Admin node run the way n8n runs it, through n8n-core's
 * WorkflowExecute (test/helpers/run-node.ts), with a password credential pointing at the fake
 * org. Same sign-in as the raw baselines (SOAP login), same process isolation.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { TestCredential } from '../../test/helpers/run-node';
import { runNode } from '../../test/helpers/run-node';
import type { Job, TaskResult } from '../types';

interface RunNodeParams {
	parameters: INodeParameters;
	inputItems?: IDataObject[];
	accessMode?: 'readOnly' | 'readWrite';
	/** Bytes of Event Log File the run reads, for MB/s. */
	bytes?: number;
	/** The run is meant to fail with a message matching this pattern (e.g. a bound it hits). */
	expectError?: string;
}

/** A password credential (SOAP login, like the raw baselines) pointing at the fake org. */
function credentials(
	job: Job,
	accessMode: RunNodeParams['accessMode'] = 'readOnly',
): TestCredential {
	const { url, username, password, securityToken } = job.org;
	return {
		type: 'salesforceAdminPasswordApi',
		data: {
			environment: 'myDomain',
			myDomainUrl: url,
			username,
			password,
			securityToken,
			accessMode,
		},
	};
}

async function runNodeTask(job: Job): Promise<TaskResult> {
	const { parameters, inputItems, accessMode, bytes, expectError } =
		job.params as unknown as RunNodeParams;
	const result = await runNode({
		parameters,
		input: inputItems,
		credentials: credentials(job, accessMode),
	});
	if (expectError !== undefined) {
		const message = result.error?.message ?? '';
		if (!new RegExp(expectError).test(message))
			throw new Error(`the node was to fail with /${expectError}/; it ${message || 'succeeded'}`);
		const error = `${message} ${result.error?.description ?? ''}`;
		return { items: result.items.length, detail: { error }, retain: result };
	}
	if (result.error)
		throw new Error(`the node failed: ${result.error.message} ${result.error.description ?? ''}`);
	return {
		items: result.items.length,
		bytes,
		describe: () => summarize(result.items.map((item) => item.json)),
		retain: result,
	};
}

/** Small facts about the output the orchestrator checks (write results, summed event counts). */
function summarize(items: IDataObject[]): Record<string, unknown> {
	const detail: Record<string, unknown> = {};
	const results: Record<string, number> = {};
	let eventCount = 0;
	for (const json of items) {
		if (typeof json.result === 'string') results[json.result] = (results[json.result] ?? 0) + 1;
		if (typeof json.eventCount === 'number') eventCount += json.eventCount;
	}
	if (Object.keys(results).length) detail.results = results;
	if (eventCount) detail.eventCount = eventCount;
	return detail;
}

export const tasks = { runNode: runNodeTask };

/** One tiny run of the node (Get users, limit 1): n8n-core and the harness set themselves up. */
export async function warmUp(job: Job): Promise<void> {
	const result = await runNode({
		parameters: { resource: 'user', operation: 'getMany', returnAll: false, limit: 1 },
		credentials: credentials(job),
	});
	if (result.error) throw new Error(`warm-up run failed: ${result.error.message}`);
}
