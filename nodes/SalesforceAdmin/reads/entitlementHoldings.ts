/**
 * Batched reads of what users hold (one query per chunk of user IDs and kind, never one per
 * user), of what the org has of each kind, and of the deactivation blockers a query can see.
 */
import type { BlockerRow } from '../salesforce/deactivationBlockers';
import { blockerQuery, blockersByUser, blockingFields } from '../salesforce/deactivationBlockers';
import type { CatalogEntry, EntitlementKind, Holding } from '../salesforce/entitlements';
import { CATALOG_QUERIES, ENTITLEMENTS } from '../salesforce/entitlements';
import { to18CharId } from '../salesforce/ids';
import { QUERY_PAGE_SIZE } from '../salesforce/limits';
import {
	LOOKUP_BATCH_SIZE,
	LOOKUP_MAX_ENCODED_CHARS,
	chunkForInList,
} from '../salesforce/userLookup';
import type { DescribeResult, SalesforceSession } from '../transport';
import { dataPath, describeSObject, queryAll, send } from '../transport';

/**
 * What each of these users holds of a kind, by user ID (users holding nothing map to []). One
 * query per chunk of IDs; for many users, when the org holds fewer such rows than that costs
 * (one COUNT() call tells), the org-wide rows instead, 2,000 a call.
 */
export async function readHoldings(
	session: SalesforceSession,
	kind: EntitlementKind,
	userIds: readonly string[],
): Promise<Map<string, Holding[]>> {
	const spec = ENTITLEMENTS[kind];
	const held = new Map<string, Holding[]>(userIds.map((id) => [id, []]));
	const chunks = chunkForInList([...new Set(userIds)]);
	let rows: Array<Record<string, unknown>> = [];
	if (chunks.length > 2 && (await orgWideIsCheaper(session, spec.countSoql, chunks.length))) {
		rows = await queryAll(session, spec.orgWideSoql);
	} else {
		for (const group of chunks) rows.push(...(await queryAll(session, spec.soql(group))));
	}
	for (const row of rows) {
		const holding = spec.toHolding(row);
		if (!holding) continue;
		const userId = to18CharId(holding.userId) ?? holding.userId;
		const list = held.get(userId);
		if (list) list.push({ ...holding, userId }); // org-wide rows of other users are dropped
	}
	return held;
}

/** Whether reading every row of the org costs fewer calls than `chunks` (the count is one more). */
async function orgWideIsCheaper(
	session: SalesforceSession,
	countSoql: string,
	chunks: number,
): Promise<boolean> {
	const { totalSize } = await send<{ totalSize: number }>(session, {
		method: 'GET',
		url: dataPath(`/query?q=${encodeURIComponent(countSoql)}`),
	});
	return Math.ceil(totalSize / QUERY_PAGE_SIZE) < chunks;
}

/** Everything the org has of a kind (one query, two for permission sets and their groups). */
export async function readCatalog(
	session: SalesforceSession,
	kind: EntitlementKind,
): Promise<CatalogEntry[]> {
	const entries: CatalogEntry[] = [];
	for (const query of CATALOG_QUERIES[kind]) {
		for (const row of await queryAll(session, query.soql)) {
			const found = query.toEntry(row);
			if (found) entries.push(found);
		}
	}
	return entries;
}

/** describe of User, once per session (the feature fields and the pre-flight both need it). */
const userDescribes = new WeakMap<SalesforceSession, Promise<DescribeResult>>();

export async function describeUser(session: SalesforceSession): Promise<DescribeResult> {
	let described = userDescribes.get(session);
	if (!described) {
		described = describeSObject(session, 'User');
		described.catch(() => userDescribes.delete(session));
		userDescribes.set(session, described);
	}
	return await described;
}

/**
 * What the API can see that blocks deactivating each of these users (see
 * salesforce/deactivationBlockers.ts): one describe, then one query per chunk of users.
 */
export async function readDeactivationBlockers(
	session: SalesforceSession,
	userIds: readonly string[],
): Promise<Map<string, string[]>> {
	if (userIds.length === 0) return new Map();
	const fields = blockingFields((await describeUser(session)).fields);
	if (fields.length === 0) return new Map();
	const ids = new Set(userIds);
	const rows: BlockerRow[] = [];
	// Each ID appears once per field in the WHERE clause: smaller chunks keep the URI short.
	const maxChars = Math.floor(LOOKUP_MAX_ENCODED_CHARS / fields.length);
	for (const group of chunkForInList([...ids], LOOKUP_BATCH_SIZE, maxChars)) {
		rows.push(...(await queryAll<BlockerRow>(session, blockerQuery(fields, group))));
	}
	for (const row of rows) {
		for (const field of fields) {
			const value = row[field.name];
			if (typeof value === 'string') row[field.name] = to18CharId(value) ?? value;
		}
	}
	return blockersByUser(rows, fields, ids);
}
