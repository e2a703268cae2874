/**
 * What earlier attempts of the same node run changed, so a re-attempt reports them truthfully.
 *
 * With n8n's "Retry On Fail", a node that failed (or, with Continue On Fail, whose first item
 * carries an error) runs again with the same items. Users the first attempt changed are now in
 * the wanted state, so without this the second attempt would call them `unchanged` and its
 * error would say "0 users were changed". n8n-core retries inside WorkflowExecute's loop for
 * the node (same process, same execution, same run index; in queue mode one worker runs the
 * whole execution), so an in-process memory keyed by execution ID, node name and run index
 * sees every attempt. It is bounded in runs, users and age: it only has to outlive the retries
 * of one node run (at most 5 tries, at most 5 s apart).
 *
 * Not chosen: reading LastModifiedById/LastModifiedDate of the records. The connected user is
 * usually one integration user shared by many workflows, so "changed by us since this
 * execution started" cannot tell this run from another one running at the same time.
 */
import type { FieldValues } from './writePlan';

export interface AttemptMemoryLimits {
	/** Node runs remembered at most (the oldest are forgotten first). */
	maxRuns: number;
	/** Users remembered at most over all runs. */
	maxUsers: number;
	/** A run not touched for this long is forgotten. */
	maxAgeMs: number;
}

export const DEFAULT_ATTEMPT_MEMORY_LIMITS: Readonly<AttemptMemoryLimits> = Object.freeze({
	maxRuns: 100,
	maxUsers: 50_000,
	maxAgeMs: 60 * 60 * 1000,
});

/** The key of one node run of one execution, or undefined when n8n gives no execution ID. */
export function attemptKey(
	executionId: string | undefined,
	nodeName: string,
	runIndex: number | undefined,
	action: string,
): string | undefined {
	if (!executionId || runIndex === undefined) return undefined;
	return JSON.stringify([executionId, nodeName, runIndex, action]);
}

interface RunChanges {
	touchedAt: number;
	/** User ID -> the fields (and values) written for that user. */
	users: Map<string, FieldValues>;
}

export class AttemptMemory {
	private readonly runs = new Map<string, RunChanges>();

	constructor(
		private readonly limits: AttemptMemoryLimits = DEFAULT_ATTEMPT_MEMORY_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/** The users earlier attempts of this run changed (empty for a first attempt). */
	recall(key: string | undefined): ReadonlyMap<string, FieldValues> {
		this.forgetExpired();
		return (key && this.runs.get(key)?.users) || new Map();
	}

	/** Adds users this attempt changed, with what was written. */
	remember(key: string | undefined, changes: Iterable<[string, FieldValues]>): void {
		if (!key) return;
		const run = this.runs.get(key) ?? { touchedAt: 0, users: new Map<string, FieldValues>() };
		for (const [userId, patch] of changes)
			run.users.set(userId, { ...run.users.get(userId), ...patch });
		run.touchedAt = this.now();
		// re-inserted, so the map stays ordered from least to most recently touched
		this.runs.delete(key);
		if (run.users.size > 0) this.runs.set(key, run);
		this.forgetExpired();
		this.forgetOldestBeyondLimits();
	}

	/** How many runs and users are held (for tests of the bounds). */
	size(): { runs: number; users: number } {
		let users = 0;
		for (const run of this.runs.values()) users += run.users.size;
		return { runs: this.runs.size, users };
	}

	private forgetExpired(): void {
		const oldest = this.now() - this.limits.maxAgeMs;
		for (const [key, run] of this.runs) if (run.touchedAt < oldest) this.runs.delete(key);
	}

	/** Oldest first; the run just touched is always kept (a run's own size is capped by Max Users). */
	private forgetOldestBeyondLimits(): void {
		let { users } = this.size();
		const newest = [...this.runs.keys()].pop();
		for (const [key, run] of this.runs) {
			if (
				key === newest ||
				(this.runs.size <= this.limits.maxRuns && users <= this.limits.maxUsers)
			)
				return;
			this.runs.delete(key);
			users -= run.users.size;
		}
	}
}
