/**
 * Reads at the API's limit: REST below a row count, Bulk API 2.0 above it.
 *
 * REST costs one call per 2,000 rows (200,000 logins = 100 calls); a Bulk API 2.0 job costs a
 * create, a few state polls and one call per results page (tens of MB each), whatever the rows.
 * Which one is decided by the REST answer's own `totalSize`: the first REST page is asked for
 * anyway, so below the threshold the choice costs nothing (a `SELECT COUNT()` first would cost
 * every small read one call more); above it the one page read is dropped and the job started,
 * one call spent for the row count, the same as COUNT() would have cost.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ColumnType } from '../salesforce/bulkCsv';
import { bulkQueryPages } from '../salesforce/bulkQuery';
import type { SalesforceSession } from '../transport';
import { QUERY_PAGE_SIZE } from '../salesforce/limits';
import { DEFAULT_BULK_PACING, bulkQueryIo, dataPath, send, stripAttributes } from '../transport';

/**
 * Above this many rows a read goes through Bulk API 2.0. 20,000 rows = 10 REST calls; a Bulk
 * job costs 1 (the REST count) + 1 create + >= 1 poll + >= 1 page, and starts slower (the
 * job is queued at Salesforce), so REST stays the faster choice for reads this small.
 */
export const BULK_THRESHOLD = 20_000;

export interface LargeQueryOptions {
	/** Stop once this many rows were read; a limit at or below the threshold never starts a job. */
	limit?: number;
	includeDeleted?: boolean;
	/** Column types for Bulk's CSV where the field name alone does not tell. */
	types?: Readonly<Record<string, ColumnType>>;
	/** Told which API served the read (tests, notices). */
	onApi?(api: 'rest' | 'bulk', totalSize: number): void;
}

interface QueryResponse {
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
	records: IDataObject[];
}

async function restPage(session: SalesforceSession, url: string): Promise<QueryResponse> {
	return await send<QueryResponse>(session, {
		method: 'GET',
		url,
		headers: { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` },
	});
}

/**
 * A read whose first REST page is in: its row count is known, the API chosen. `T` is the record
 * shape the SELECT reads (salesforce/records.ts), the caller's word for it (not checked).
 */
export interface OpenedQuery<T extends object = IDataObject> {
	totalSize: number;
	api: 'rest' | 'bulk';
	/** The records, page by page (REST's shape, `attributes` dropped), up to the limit. */
	pages: AsyncGenerator<T[]>;
	/** Calls still to come: REST pages exactly; Bulk at least create + one poll + one page. */
	remainingCalls: number;
	/**
	 * The first REST page's records (up to the limit), there before `pages` is read: a caller can
	 * start what depends on them (the users to name) while a Bulk job runs. They are the first
	 * records `pages` yields too (REST), or among them (Bulk: the job reads every row again).
	 */
	firstPage: T[];
}

/**
 * Asks for the first REST page and decides: above the threshold (and the limit) the rest comes
 * from a Bulk API 2.0 job, else from REST. Nothing more is requested until `pages` is read.
 */
export async function openLargeQuery<T extends object = IDataObject>(
	session: SalesforceSession,
	soql: string,
	options: LargeQueryOptions = {},
): Promise<OpenedQuery<T>> {
	const resource = options.includeDeleted ? 'queryAll' : 'query';
	const first = await restPage(session, dataPath(`/${resource}?q=${encodeURIComponent(soql)}`));
	const wanted = Math.min(first.totalSize, options.limit ?? Infinity);
	const firstRecords = first.records.slice(0, options.limit).map(stripAttributes);
	// a session may be tuned otherwise (tests: a lower threshold, quicker polls)
	if (wanted > (session.bulk?.threshold ?? BULK_THRESHOLD) && !first.done) {
		options.onApi?.('bulk', first.totalSize);
		const bulk = bulkQueryPages(bulkQueryIo(session), soql, {
			...options,
			pacing: session.bulk?.pacing ?? DEFAULT_BULK_PACING,
		});
		return {
			totalSize: first.totalSize,
			api: 'bulk',
			pages: limited(bulk, options.limit) as AsyncGenerator<unknown[]> as AsyncGenerator<T[]>,
			remainingCalls: 3,
			firstPage: firstRecords as T[],
		};
	}
	options.onApi?.('rest', first.totalSize);
	const restCalls = Math.max(0, Math.ceil(wanted / QUERY_PAGE_SIZE) - 1);
	return {
		totalSize: first.totalSize,
		api: 'rest',
		pages: limited(
			restPages(session, first, firstRecords, options.limit),
			options.limit,
		) as AsyncGenerator<unknown[]> as AsyncGenerator<T[]>,
		remainingCalls: restCalls,
		firstPage: firstRecords as T[],
	};
}

/** The query's records, page by page, from REST or Bulk API 2.0 (see above). */
export async function* largeQueryPages<T extends object = IDataObject>(
	session: SalesforceSession,
	soql: string,
	options: LargeQueryOptions = {},
): AsyncGenerator<T[]> {
	yield* (await openLargeQuery<T>(session, soql, options)).pages;
}

/** REST paging after the first page, one page requested ahead but never past `limit`. */
async function* restPages(
	session: SalesforceSession,
	first: QueryResponse,
	firstRecords: IDataObject[],
	limit = Infinity,
): AsyncGenerator<IDataObject[]> {
	let page: QueryResponse | undefined = first;
	let seen = 0;
	while (page) {
		seen += page.records.length;
		const next: Promise<QueryResponse> | undefined =
			!page.done && page.nextRecordsUrl && seen < limit
				? restPage(session, page.nextRecordsUrl)
				: undefined;
		next?.catch(() => undefined);
		// the first page was stripped (and cut at the limit) already: `limited` cuts the same
		yield page === first ? firstRecords : page.records.map(stripAttributes);
		page = next ? await next : undefined;
	}
}

/** Cuts a page stream at `limit` rows; stops reading (and so calling) once it is reached. */
async function* limited(
	pages: AsyncGenerator<IDataObject[]>,
	limit: number | undefined,
): AsyncGenerator<IDataObject[]> {
	if (limit === undefined) {
		yield* pages;
		return;
	}
	let seen = 0;
	for await (const page of pages) {
		const take = Math.min(page.length, limit - seen);
		seen += take;
		yield take < page.length ? page.slice(0, take) : page;
		if (seen >= limit) return;
	}
}
