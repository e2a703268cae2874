import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as eventLog from './eventLog';
import * as license from './license';
import * as loginHistory from './loginHistory';
import type { OperationModule, RunOptions } from './shared/operation';
import * as user from './user';

const resources: Record<string, Record<string, OperationModule>> = {
	user: user.operations,
	license: license.operations,
	loginHistory: loginHistory.operations,
	eventLog: eventLog.operations,
};

/**
 * Hands the whole input over to one operation. Operations take every item at once, so that
 * reads and writes can be batched; each operation honours Continue On Fail per item itself.
 * `options`: none from the node; tests pass theirs (e.g. shorter pauses between write retries).
 */
export async function router(
	this: IExecuteFunctions,
	options: RunOptions = {},
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	const module = resources[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	return [await module.execute.call(this, items, options)];
}
