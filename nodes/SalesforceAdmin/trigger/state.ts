/**
 * The trigger's memory in the workflow's static data ("node" context), one key written once per
 * successful poll.
 *
 * n8n saves static data to its database only when a poll returns items (and once after the
 * activation poll), not after a poll that returns null: its in-memory copy lives on between
 * polls, but after a restart n8n reloads the state of the last poll that fired. The states
 * here are built so that an older state is always safe to resume from: windows then read a
 * longer span (IDs already emitted are in that state too), and a change state only lags by
 * changes that emitted nothing.
 */
import type { IDataObject } from 'n8n-workflow';

const KEY = 'salesforceAdminTrigger';
/** Bumped when the stored shape changes: an old shape then starts afresh instead of misreading. */
const VERSION = 1;

export interface StoredState<S> {
	version: number;
	event: string;
	config: string;
	state: S;
}

/** The stored state of this event and configuration, as a plain copy (n8n wraps static data in proxies). */
export function readState<S>(
	staticData: IDataObject,
	event: string,
	config: string,
): S | undefined {
	const stored = staticData[KEY] as StoredState<S> | undefined;
	if (!stored || stored.version !== VERSION || stored.event !== event || stored.config !== config)
		return undefined;
	return JSON.parse(JSON.stringify(stored.state)) as S;
}

/** Replaces the stored state in one assignment (which also marks the static data as changed). */
export function writeState<S>(
	staticData: IDataObject,
	event: string,
	config: string,
	state: S,
): void {
	const stored: StoredState<S> = { version: VERSION, event, config, state };
	staticData[KEY] = stored as unknown as IDataObject;
}
