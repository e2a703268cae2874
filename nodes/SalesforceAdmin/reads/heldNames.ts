/**
 * Batched reads of what users hold (package licenses, permission set licenses, permission sets
 * and groups, public groups and queues) for Get users and Get user: per kind one query per up
 * to LOOKUP_BATCH_SIZE user IDs, never one per user. The SOQL and the mapping are pure, in
 * salesforce/userEntitlements.ts.
 */
import type { HeldRead } from '../salesforce/userEntitlements';
import { cheaperToReadOrgWide, HeldNames } from '../salesforce/userEntitlements';
import { chunkForInList, LOOKUP_BATCH_SIZE } from '../salesforce/userLookup';
import type { SalesforceSession } from '../transport';
import { describeSalesforceError, queryAll } from '../transport';
import { openLargeQuery } from './largeQuery';

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
 * A read whose object Salesforce hides from the connected user: the refusal becomes
 * `onRefused()`'s answer; any other error goes on up to the node (which makes it a NodeApiError).
 */
export async function unlessObjectRefused<T>(read: Promise<T>, onRefused: () => T): Promise<T> {
	return await read.catch((error: unknown) =>
		isObjectRefused(error) ? onRefused() : Promise.reject(error),
	);
}

/**
 * Reads what pages of users hold. Per kind, one query per batch of up to 500 users; when the run
 * asks about more users than one batch (expectUsers), the org-wide read of that kind is opened
 * (one call: its row count) and read instead if that costs fewer calls (cheaperToReadOrgWide),
 * once for the whole run. A kind the connected user may not read is learned once (its fields
 * are then null on every item, `unreadableObjects` names it), without further calls.
 */
export class HeldNamesReader {
	private readonly refused = new Set<HeldRead>();
	/** Per kind: every holding of the org, when that read was the cheaper one. */
	private readonly orgWide = new Map<HeldRead, Promise<HeldNames | undefined>>();
	private usersExpected = 0;

	constructor(
		private readonly session: SalesforceSession,
		readonly reads: readonly HeldRead[],
	) {}

	/**
	 * How many users the run will ask about in all (a Get users read's row count). Above one
	 * batch the org-wide reads start now, so they run while the users themselves are still being
	 * read (a Bulk job's polls) instead of after their first page: the same calls, less waiting.
	 */
	expectUsers(count: number): void {
		this.usersExpected = Math.max(this.usersExpected, count);
		for (const read of this.reads) {
			// a failure is not lost: read() awaits the same pending read and meets it there
			if (!this.refused.has(read)) this.orgWideNames(read).catch(() => undefined);
		}
	}

	/** What these users (18-char IDs) hold. */
	async read(userIds: readonly string[]): Promise<HeldNames> {
		const ids = [...new Set(userIds)];
		const names = new HeldNames();
		await Promise.all(
			this.reads.map(async (read) => {
				if (this.refused.has(read) || ids.length === 0) return;
				const readAll = async () => {
					const all = await this.orgWideNames(read);
					if (all) {
						names.copyFrom(all, read, ids);
						return;
					}
					for (const batch of chunkForInList(ids))
						for (const row of await queryAll(this.session, read.soql(batch))) names.add(read, row);
				};
				await unlessObjectRefused(readAll(), () => {
					this.refused.add(read);
				});
			}),
		);
		for (const read of this.refused) for (const field of read.fields) names.unreadable.add(field);
		return names;
	}

	/** The objects the connected user could not read, for the notice. */
	get unreadableObjects(): string[] {
		return [...this.refused].map((r) => r.sobject);
	}

	private async orgWideNames(read: HeldRead): Promise<HeldNames | undefined> {
		if (Math.ceil(this.usersExpected / LOOKUP_BATCH_SIZE) <= 1) return undefined;
		let pending = this.orgWide.get(read);
		if (!pending) this.orgWide.set(read, (pending = this.readOrgWide(read)));
		return await pending;
	}

	private async readOrgWide(read: HeldRead): Promise<HeldNames | undefined> {
		const opened = await openLargeQuery(this.session, read.soql());
		if (!cheaperToReadOrgWide(opened.remainingCalls, this.usersExpected)) {
			// the rest of the org-wide read is never asked for: no call spent on it
			await opened.pages.return(undefined);
			return undefined;
		}
		const all = new HeldNames();
		for await (const page of opened.pages) for (const row of page) all.add(read, row);
		return all;
	}
}
