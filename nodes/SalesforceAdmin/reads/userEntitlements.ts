/**
 * Batched reads of what users hold (package licenses, permission set licenses, permission sets
 * and groups, public groups and queues) for Get users and Get user: per kind one query per up
 * to LOOKUP_BATCH_SIZE user IDs, never one per user. The SOQL and the mapping are pure, in
 * salesforce/userEntitlements.ts.
 */
import type { HeldRead } from '../salesforce/userEntitlements';
import { HeldNames } from '../salesforce/userEntitlements';
import { chunkForInList } from '../salesforce/userLookup';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, queryAll } from '../transport';

/**
 * Salesforce answers INVALID_TYPE ("sObject type 'X' is not supported") for an object the
 * connected user may not see, and INSUFFICIENT_ACCESS where it refuses it outright. The message
 * starts with the query and comes back cut short, so the object is not named reliably: callers
 * ask this only of a query whose one object the user may lack (the assignment object read, or
 * the semi-join's subquery on it).
 */
export function isObjectRefused(error: unknown): boolean {
	const { code } = describeSalesforceError(error);
	return code === 'INVALID_TYPE' || code.startsWith('INSUFFICIENT_ACCESS');
}

/**
 * Reads what pages of users hold. A kind the connected user may not read is learned once (its
 * fields are then null on every item, `unreadableObjects` names it), without further calls.
 */
export class HeldNamesReader {
	private readonly refused = new Set<HeldRead>();

	constructor(
		private readonly session: SalesforceSession,
		readonly reads: readonly HeldRead[],
	) {}

	/** What these users (18-char IDs) hold: per kind one query per batch of IDs. */
	async read(userIds: readonly string[]): Promise<HeldNames> {
		const names = new HeldNames();
		const batches = chunkForInList([...new Set(userIds)]);
		await Promise.all(
			this.reads.map(async (read) => {
				for (const batch of batches) {
					if (this.refused.has(read)) break;
					try {
						for (const row of await queryAll(this.session, read.soql(batch))) names.add(read, row);
					} catch (error) {
						if (!isObjectRefused(error)) throw error;
						this.refused.add(read);
					}
				}
			}),
		);
		for (const read of this.refused) for (const field of read.fields) names.unreadable.add(field);
		return names;
	}

	/** The objects the connected user could not read, for the notice. */
	get unreadableObjects(): string[] {
		return [...this.refused].map((r) => r.sobject);
	}
}
