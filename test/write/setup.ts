/**
 * Shared set-up of the write tests: a fresh fake org per test file, users added straight into
 * its store, and a runner that drives the node through n8n-core with a Read/Take Action
 * credential. The org's call log is reset before each run, so each run counts its own calls.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import type { FakeOrg } from '../fake-org';
import type { RunNodeOptions, RunNodeResult } from '../helpers/run-node';
import { runNode } from '../helpers/run-node';
import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { router } from '../../nodes/SalesforceAdmin/actions/router';

/**
 * The node as n8n runs it, but with write retries 20 ms apart: production pauses 300 ms, then
 * 600 ms; the tests need the retry logic, not the wait. The options reach the write runner
 * through the router, as the node's own (empty) options do.
 */
export class QuickRetryNode extends SalesforceAdmin {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, { write: { retryPacing: { backoffMs: 20 } } });
	}
}

type UserRecord = FakeOrg['store']['users'][number];
type NewUser = Parameters<FakeOrg['store']['addUser']>[0];

export function credential(org: FakeOrg, accessMode: 'readOnly' | 'readWrite' = 'readWrite') {
	return {
		type: 'salesforceAdminPasswordApi' as const,
		data: {
			environment: 'myDomain',
			myDomainUrl: org.url,
			username: org.admin.username,
			password: org.admin.password,
			securityToken: org.admin.securityToken,
			accessMode,
		},
	};
}

export interface WriteRun extends RunNodeResult {
	json: IDataObject[];
	/** Every HTTP call the run made (sign-in included). */
	calls: number;
}

/**
 * The node's top-level Dry Run switch for a test run, always stated: `false` acts, `true` is a
 * dry run, `'default'` leaves the parameter out so the node's default (on) applies, as for a
 * newly added node (an Options > Dry Run (Override) in `nodeOptions` decides over the switch).
 */
export type DryRunSwitch = boolean | 'default';

export async function runWrite(
	org: FakeOrg,
	operation: string,
	input: IDataObject[],
	options: {
		dryRun: DryRunSwitch;
		parameters?: INodeParameters;
		nodeOptions?: IDataObject;
		continueOnFail?: boolean;
		accessMode?: 'readOnly' | 'readWrite';
	} & Pick<RunNodeOptions, 'retryOnFail' | 'nodeType' | 'loop' | 'asTool' | 'executionId'>,
): Promise<WriteRun> {
	org.calls.reset();
	const result = await runNode({
		resource: 'user',
		operation,
		parameters: {
			...(options.dryRun === 'default' ? {} : { dryRun: options.dryRun }),
			...(options.nodeOptions ? { options: options.nodeOptions } : {}),
			...options.parameters,
		},
		credentials: credential(org, options.accessMode),
		input,
		continueOnFail: options.continueOnFail,
		retryOnFail: options.retryOnFail,
		nodeType: options.nodeType ?? new QuickRetryNode(),
		loop: options.loop,
		asTool: options.asTool,
		executionId: options.executionId,
	});
	return { ...result, json: result.items.map((i) => i.json), calls: org.calls.count() };
}

/** Adds `count` ordinary users (Standard User profile, active, not frozen unless asked). */
export function addUsers(org: FakeOrg, count: number, props: NewUser = {}): UserRecord[] {
	return Array.from({ length: count }, () => org.store.addUser({ ...props }));
}

export const isFrozen = (org: FakeOrg, userId: string) =>
	org.store.userLoginFor(userId)?.IsFrozen === true;

export const user = (org: FakeOrg, userId: string) =>
	org.store.users.find((u) => u.Id === userId) as UserRecord;

/** Collections PATCH calls of the last run, and how many records each carried. */
export const collectionCalls = (org: FakeOrg) =>
	org.calls.log.filter((c) => c.kind === 'collectionsPatch');

/** Output items as [id, result] pairs, for compact expectations. */
export const resultsOf = (run: WriteRun) => run.json.map((j) => [j.id, j.result]);
