/**
 * "Max Users" per execution of the workflow through one node: loop batches (Loop Over Items),
 * AI-agent tool calls and Retry On Fail attempts all draw on one count, parallel tool calls too.
 *
 * A run reserves the users it is about to change before its first write, in one synchronous
 * step (check and add with no `await` between them), so two runs of the same node in the same
 * execution that overlap (a model's parallel tool calls) cannot both pass the cap: the second
 * sees the first one's reservation. After the writes the run keeps what it changed (and what
 * may have changed: an unknown outcome) and releases the rest (failed, or already as wanted).
 *
 * A dry run reports what a real run would hit, so it counts the users it would change on top
 * of the real count; it adds them to a separate tally of predictions, never to the real count,
 * so a dry run never uses up the cap of a real run that follows it in the same execution.
 *
 * In-process memory is right: n8n runs one execution in one process (in queue mode, on one
 * worker), including every tool call and every retry. An execution that waits (Wait node,
 * human review) and is resumed later, possibly by another process, starts a new count.
 * Entries are forgotten once not touched for a day, and the oldest beyond a bound.
 */

export interface ExecutionCapLimits {
	/** Node-in-execution counts kept at most (the least recently touched are forgotten first). */
	maxEntries: number;
	/** A count not touched for this long is forgotten. */
	maxAgeMs: number;
}

export const DEFAULT_EXECUTION_CAP_LIMITS: Readonly<ExecutionCapLimits> = Object.freeze({
	maxEntries: 10_000,
	maxAgeMs: 24 * 60 * 60 * 1000,
});

/**
 * The count's key: one execution, one node (ID and name; the tool variant of a node keeps both).
 * Undefined without an execution ID: the run is then capped on its own.
 */
export function executionCapKey(
	executionId: string | undefined,
	nodeId: string | undefined,
	nodeName: string,
): string | undefined {
	if (!executionId) return undefined;
	return JSON.stringify([executionId, nodeId ?? '', nodeName]);
}

/** What a run reserved; hand it back to `settle` when its writes are done. */
export interface CapReservation {
	readonly key: string | undefined;
	readonly userIds: readonly string[];
	readonly dryRun: boolean;
}

export type ReserveOutcome =
	| { ok: true; reservation: CapReservation }
	| { ok: false; message: string; earlier: number; fresh: number };

interface Tally {
	touchedAt: number;
	/** Users real runs changed, or reserved and are changing now. */
	counted: Set<string>;
	/** Users dry runs would have changed (never counted against a real run). */
	predicted: Set<string>;
}

export class ExecutionCap {
	private readonly tallies = new Map<string, Tally>();

	constructor(
		private readonly limits: ExecutionCapLimits = DEFAULT_EXECUTION_CAP_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/**
	 * Reserves `userIds` (the distinct users this run would change) under `key`, or refuses when
	 * the execution's count would pass `maxUsers`. Synchronous on purpose: it is the atomic step.
	 */
	reserve(
		key: string | undefined,
		userIds: readonly string[],
		maxUsers: number,
		dryRun: boolean,
		label: string,
	): ReserveOutcome {
		this.forgetExpired();
		const tally = key === undefined ? undefined : this.tallies.get(key);
		const earlierUsers = new Set(tally?.counted);
		if (dryRun) for (const id of tally?.predicted ?? []) earlierUsers.add(id);
		const fresh = [...new Set(userIds)].filter((id) => !earlierUsers.has(id));
		const earlier = earlierUsers.size;
		if (fresh.length > 0 && earlier + fresh.length > maxUsers) {
			return {
				ok: false,
				message: capMessage(label, earlier, fresh.length, maxUsers),
				earlier,
				fresh: fresh.length,
			};
		}
		const reservation: CapReservation = { key, userIds: fresh, dryRun };
		if (key === undefined || fresh.length === 0) return { ok: true, reservation };
		const entry = tally ?? {
			touchedAt: 0,
			counted: new Set<string>(),
			predicted: new Set<string>(),
		};
		for (const id of fresh) (dryRun ? entry.predicted : entry.counted).add(id);
		this.touch(key, entry);
		return { ok: true, reservation };
	}

	/**
	 * After the writes: keeps the reserved users in `kept` (changed, or outcome unknown) and
	 * releases the others, so a failed write does not use up the cap. A dry run keeps its
	 * predictions.
	 */
	settle(reservation: CapReservation, kept: ReadonlySet<string>): void {
		const { key, dryRun } = reservation;
		if (key === undefined || dryRun) return;
		const tally = this.tallies.get(key);
		if (!tally) return;
		for (const id of reservation.userIds) if (!kept.has(id)) tally.counted.delete(id);
		this.touch(key, tally);
	}

	/** Users counted (real) and predicted (dry runs) under a key, for tests. */
	counts(key: string): { counted: number; predicted: number } | undefined {
		const tally = this.tallies.get(key);
		return tally && { counted: tally.counted.size, predicted: tally.predicted.size };
	}

	size(): number {
		return this.tallies.size;
	}

	private touch(key: string, tally: Tally): void {
		tally.touchedAt = this.now();
		// re-inserted, so the map stays ordered from least to most recently touched
		this.tallies.delete(key);
		if (tally.counted.size > 0 || tally.predicted.size > 0) this.tallies.set(key, tally);
		while (this.tallies.size > this.limits.maxEntries) {
			const oldest = this.tallies.keys().next().value as string;
			this.tallies.delete(oldest);
		}
	}

	private forgetExpired(): void {
		const oldest = this.now() - this.limits.maxAgeMs;
		for (const [key, tally] of this.tallies) {
			if (tally.touchedAt >= oldest) break; // ordered by touchedAt
			this.tallies.delete(key);
		}
	}
}

/** The refusal, in the words of the run (first of the execution) or of a later one. */
export function capMessage(
	label: string,
	earlier: number,
	fresh: number,
	maxUsers: number,
): string {
	if (earlier === 0) {
		return `${label} would change ${fresh} users, more than the "Max Users" limit of ${maxUsers}; nothing was changed`;
	}
	const users = `user${fresh === 1 ? '' : 's'}`;
	return `${label} would change ${fresh} more ${users} after ${earlier} in earlier runs of this node in this execution, more than the "Max Users" limit of ${maxUsers} (counted per execution); nothing was changed by this run`;
}
