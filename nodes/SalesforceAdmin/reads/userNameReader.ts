/** Usernames and names for items that carry only a user ID (login history, events). */
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';
import type { User } from '../salesforce/records';
import { chunk } from '../salesforce/soql';
import { LOOKUP_BATCH_SIZE } from '../salesforce/userLookup';
import type { UserName, UserNames } from '../salesforce/userNames';
import { ALL_USER_NAMES_QUERY, userNameEntry, userNamesQuery } from '../salesforce/userNames';
import type { OpenedQuery } from './largeQuery';
import { openLargeQuery } from './largeQuery';

/**
 * Usernames and names of the users a read's records point to, looked up while the read itself
 * still runs. Up to 500 distinct users: one query. More: the first page of a scan of every
 * user's name tells the org's user count (one call, as a COUNT() would) and the cost of the
 * rest of the scan (REST pages of 2,000, or a Bulk API 2.0 job for a large org); then whichever
 * costs fewer calls, that scan or one query per 500 IDs, so 200,000 logins of 50,000 users
 * never cost 100.
 *
 * The calls are those of deciding once all IDs are known, made earlier: the IDs only ever grow,
 * so the count is asked for as soon as there are more than 500 (it would be asked for at the
 * end anyway), and the scan is read as soon as it is the cheaper way (it would still be at the
 * end). A read of 200,000 logins thus has its users' names, by a Bulk job of their own, while
 * its own job runs; IN lists wait for the final IDs, since any ID added later could make the
 * scan the cheaper way after all.
 */
export class UserNameReader {
	private readonly wanted = new Set<string>();
	/** The scan's first page (the org's user count), once asked for. */
	private counted: Promise<OpenedQuery<User>> | undefined;
	private opened: OpenedQuery<User> | undefined;
	/** Reading the whole scan, once it is known to be the cheaper way. */
	private scan: Promise<void> | undefined;
	/** Every user of the org the scan has read so far. */
	private readonly scanned = new Map<string, UserName>();
	private scanDone = false;
	private closed = false;

	constructor(private readonly session: SalesforceSession) {}

	/** More user IDs the names are wanted for (nulls are skipped). */
	add(userIds: Iterable<string | null>): void {
		for (const id of userIds) if (id) this.wanted.add(id);
		this.advance();
	}

	/**
	 * Every user's name when the scan has read the whole org (so any ID, also one added later,
	 * can be named now: an ID not in it is no user of the org), else undefined.
	 */
	get allUsers(): UserNames | undefined {
		return this.scanDone ? this.scanned : undefined;
	}

	/** The names of every ID added; call once all are added. */
	async names(): Promise<Map<string, UserName>> {
		const names = new Map<string, UserName>();
		if (this.wanted.size === 0) return names;
		const inListCalls = Math.ceil(this.wanted.size / LOOKUP_BATCH_SIZE);
		if (this.counted) {
			const opened = await this.counted;
			if (opened.remainingCalls < inListCalls) {
				this.scan ??= this.readScan(opened);
				await this.scan;
				for (const id of this.wanted) {
					const name = this.scanned.get(id);
					if (name) names.set(id, name);
				}
				return names;
			}
			// the scan's pages are never read: no call spent on them
			await opened.pages.return(undefined);
		}
		for (const group of chunk([...this.wanted], LOOKUP_BATCH_SIZE)) {
			for (const record of await queryAll<User>(this.session, userNamesQuery(group)))
				names.set(...userNameEntry(record));
		}
		return names;
	}

	/** Stops a scan still running (the read it served failed); its pages are no longer read. */
	close(): void {
		this.closed = true;
	}

	private advance(): void {
		if (this.closed) return;
		const inListCalls = Math.ceil(this.wanted.size / LOOKUP_BATCH_SIZE);
		if (inListCalls > 1 && !this.counted) {
			this.counted = openLargeQuery<User>(this.session, ALL_USER_NAMES_QUERY);
			this.counted.then(
				(opened) => {
					this.opened = opened;
					this.advance();
				},
				// names() awaits it and throws; until then the failure must not go unhandled
				() => undefined,
			);
			return;
		}
		if (!this.scan && this.opened && this.opened.remainingCalls < inListCalls) {
			this.scan = this.readScan(this.opened);
			this.scan.catch(() => undefined);
		}
	}

	private async readScan(opened: OpenedQuery<User>): Promise<void> {
		for await (const page of opened.pages) {
			for (const record of page) this.scanned.set(...userNameEntry(record));
			if (this.closed) return;
		}
		this.scanDone = true;
	}
}

/** Usernames and names of the given users (see UserNameReader: the same calls). */
export async function readUserNames(
	session: SalesforceSession,
	userIds: Iterable<string | null>,
): Promise<Map<string, UserName>> {
	const reader = new UserNameReader(session);
	reader.add(userIds);
	return await reader.names();
}
