/**
 * One event of the Salesforce Admin Trigger: its parameters and its three ways to read.
 * The router keeps the state in the workflow's static data and writes it only after a poll
 * read everything it needed, so a failing poll leaves the stored cursor where it was.
 */
import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { SalesforceSession } from '../transport';

/** What a poll has to work with. `now` is epoch milliseconds, taken once per poll. */
export interface PollInput<P> {
	ctx: IPollFunctions;
	session: SalesforceSession;
	params: P;
	now: number;
}

export interface TriggerEvent<P, S> {
	description: INodeProperties[];
	/** Reads and checks the parameters (no network); throws NodeOperationError. */
	parse(ctx: IPollFunctions): P;
	/** The parameters that decide what is watched: when they change, the event starts afresh. */
	configKey(params: P): string;
	/** First activation: the state to start from; nothing before it is ever emitted. */
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
