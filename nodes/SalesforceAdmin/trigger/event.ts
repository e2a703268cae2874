/**
 * One event of the Salesforce Admin Trigger: its parameters and its three ways to read.
 * The router keeps the state in the workflow's static data and writes it only after a poll
 * read everything it needed, so a failing poll leaves the stored cursor where it was.
 */
import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { SalesforceSession } from '../transport';

/** What a poll has to work with. */
export interface PollInput<P> {
	ctx: IPollFunctions;
	session: SalesforceSession;
	params: P;
	/** n8n's clock, epoch milliseconds, taken once per poll: for output fields only. */
	now: number;
	/**
	 * The org's clock as its last answer told it (epoch ms, whole seconds). Windows and cursors
	 * are compared with Salesforce timestamps, so they run on it: n8n's clock may be off by more
	 * than an overlap. Call it after the poll's first query.
	 */
	orgNow(): number;
	/**
	 * Whether this poll resumes from a stored state it did not write itself (n8n restarted or
	 * the workflow was saved again): what polls that emitted nothing had noted is lost then.
	 */
	resumed: boolean;
}

export interface TriggerEvent<P, S> {
	description: INodeProperties[];
	/** Reads and checks the parameters (no network); throws NodeOperationError. */
	parse(ctx: IPollFunctions): P;
	/** The parameters that decide what is watched: when they change, the event starts afresh. */
	configKey(params: P): string;
	/**
	 * First activation: the state to start from; nothing before it is ever emitted. Reads the org
	 * at least once: the start is on the org's clock.
	 */
	start(input: PollInput<P>): Promise<S>;
	/** A poll: the new items and the state after them. Must not change anything else. */
	poll(input: PollInput<P>, state: S): Promise<{ items: IDataObject[]; state: S }>;
	/** Fetch Test Event: the most recent matching items; reads no state and writes none. */
	sample(input: PollInput<P>): Promise<IDataObject[]>;
}

/** Items the manual test returns at most. */
export const SAMPLE_SIZE = 10;

/** Shows the parameter only for one event. */
export function forEvent(event: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((p) => ({ ...p, displayOptions: { show: { event: [event] } } }));
}
