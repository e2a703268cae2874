/**
 * The trigger's poll: picks the event, signs in, and either answers Fetch Test Event or moves
 * the stored state by one poll. The state is written only after every read of the poll
 * succeeded: a poll that fails leaves it where it was, and the next poll reads the same window.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { connect, toNodeApiError } from '../transport';
import type { TriggerEvent } from './event';
import { failedLogin } from './failedLogin';
import { licenseThreshold } from './licenseThreshold';
import { newEventLogFile } from './newEventLogFile';
import { readState, writeState } from './state';
import { userChange } from './userChange';

type AnyEvent = TriggerEvent<unknown, unknown>;

export const events: Record<string, AnyEvent> = {
	failedLogin,
	newEventLogFile,
	licenseThreshold,
	userChange,
};

/** Activations where the user turned the workflow on: start afresh, nothing old fires. */
const FRESH_ACTIVATIONS = new Set(['activate', 'create']);
/** Poll contexts that already polled: n8n keeps one context per activation for all its polls. */
const polledContexts = new WeakSet<object>();

/**
 * Contexts whose stored state is one they wrote: n8n keeps it in memory between polls, but a new
 * context (a restart, a saved workflow) starts from the copy n8n last saved, which lacks what
 * polls that emitted nothing had written.
 */
const contextsWithOwnState = new WeakSet<object>();

/** Whether this is the first poll of this activation (n8n's context), and notes that it polled. */
function isFirstPoll(ctx: IPollFunctions): boolean {
	const first = !polledContexts.has(ctx);
	polledContexts.add(ctx);
	return first;
}

const asItems = (items: IDataObject[]): INodeExecutionData[][] | null =>
	items.length ? [items.map((json) => ({ json }))] : null;

export async function pollRouter(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const name = this.getNodeParameter('event', '') as string;
	const event = events[name];
	if (!event) throw new NodeOperationError(this.getNode(), `The event "${name}" is not supported`);
	const params = event.parse(this);
	const now = Date.now();
	try {
		const session = await connect.call(this);
		const orgNow = () => session.serverDate ?? Date.now();
		const manual = this.getMode() === 'manual';
		const firstPoll = !manual && isFirstPoll(this);
		const resumed = !manual && !contextsWithOwnState.has(this);
		const input = { ctx: this, session, params, now, orgNow, resumed };
		if (manual) return asItems(await event.sample(input));

		const staticData = this.getWorkflowStaticData('node');
		const config = event.configKey(params);
		const freshStart = firstPoll && FRESH_ACTIVATIONS.has(this.getActivationMode());
		const stored = freshStart ? undefined : readState(staticData, name, config);
		if (stored === undefined) {
			writeState(staticData, name, config, await event.start(input));
			contextsWithOwnState.add(this);
			return null;
		}
		const { items, state } = await event.poll(input, stored);
		writeState(staticData, name, config, state);
		contextsWithOwnState.add(this);
		return asItems(items);
	} catch (error) {
		throw asNodeError(this, error);
	}
}

/** Errors the node made itself pass as they are; anything else becomes Salesforce's NodeApiError. */
function asNodeError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: toNodeApiError(ctx.getNode(), error);
}
