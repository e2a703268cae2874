import type { IDataObject } from 'n8n-workflow';

import type { HttpRequest } from 'jsforce';

import { API_VERSION } from './apiVersion';
import type { ApiUsage } from './errors';
import type { SalesforceSession } from './session';

/** Salesforce's largest query page; Salesforce may still answer with smaller pages. */
export const QUERY_PAGE_SIZE = 2000;
/** sObject Collections take at most 200 records a call. */
export const COLLECTION_LIMIT = 200;

export interface QueryOptions {
	/** Stop paging once this many records have been read. */
	limit?: number;
	/** Include deleted and archived records (queryAll). */
	includeDeleted?: boolean;
}

interface QueryResponse {
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
	records: IDataObject[];
}

export interface SaveError {
	statusCode: string;
	message: string;
	fields: string[];
}

export interface SaveResult {
	id: string | null;
	success: boolean;
	errors: SaveError[];
}

export const dataPath = (path: string) => `/services/data/v${API_VERSION}${path}`;

/**
 * One REST call on the session. A failed call carries the API usage Salesforce reported with
 * it, so REQUEST_LIMIT_EXCEEDED can say how much of the limit is used.
 */
export async function send<T>(session: SalesforceSession, request: HttpRequest): Promise<T> {
	try {
		return await session.conn.request<T>(request);
	} catch (error) {
		throw withApiUsage(session, error);
	}
}

/** Adds the session's latest `Sforce-Limit-Info` usage to an error from one of its calls. */
export function withApiUsage(session: SalesforceSession, error: unknown): unknown {
	if (error && typeof error === 'object' && session.apiUsage && !('apiUsage' in error)) {
		(error as { apiUsage?: ApiUsage }).apiUsage = { ...session.apiUsage };
	}
	return error;
}

/**
 * Runs a SOQL query and yields its pages, following nextRecordsUrl; one API call a page. The
 * next page is requested while the caller works on the current one, so Salesforce's answer
 * time overlaps our mapping; never past `limit`, so prefetching spends no extra call.
 */
export async function* queryPages(
	session: SalesforceSession,
	soql: string,
	options: QueryOptions = {},
): AsyncGenerator<IDataObject[]> {
	const fetchPage = async (url: string) =>
		await send<QueryResponse>(session, {
			method: 'GET',
			url,
			headers: { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` },
		});
	const resource = options.includeDeleted ? 'queryAll' : 'query';
	let next: Promise<QueryResponse> | undefined = fetchPage(
		dataPath(`/${resource}?q=${encodeURIComponent(soql)}`),
	);
	let seen = 0;
	while (next) {
		const page: QueryResponse = await next;
		next = undefined;
		const taken = Math.min(page.records.length, (options.limit ?? Infinity) - seen);
		seen += taken;
		const wantMore = options.limit === undefined || seen < options.limit;
		if (!page.done && page.nextRecordsUrl && wantMore) {
			next = fetchPage(page.nextRecordsUrl);
			// a caller that stops early must not leave an unhandled rejection behind
			next.catch(() => undefined);
		}
		const records = taken < page.records.length ? page.records.slice(0, taken) : page.records;
		yield records.map(stripAttributes);
	}
}

/** Runs a SOQL query and returns every record (or the first `limit`). */
export async function queryAll(
	session: SalesforceSession,
	soql: string,
	options: QueryOptions = {},
): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	for await (const page of queryPages(session, soql, options)) all.push(...page);
	return all;
}

/**
 * Updates records with sObject Collections, at most 200 a call, allOrNone false, and returns
 * one result per input record in input order.
 */
export async function updateRecords(
	session: SalesforceSession,
	sobjectType: string,
	records: Array<IDataObject & { Id: string }>,
): Promise<SaveResult[]> {
	const results: SaveResult[] = [];
	for (let start = 0; start < records.length; start += COLLECTION_LIMIT) {
		const chunk = records.slice(start, start + COLLECTION_LIMIT);
		const body = {
			allOrNone: false,
			records: chunk.map((record) => ({ attributes: { type: sobjectType }, ...record })),
		};
		const answer = await send<SaveResult[]>(session, {
			method: 'PATCH',
			url: dataPath('/composite/sobjects'),
			body: JSON.stringify(body),
			headers: { 'Content-Type': 'application/json' },
		});
		results.push(...answer);
	}
	return results;
}

/**
 * Drops the `attributes` key Salesforce puts on every record and nested relationship. Copies
 * with for...in: Object.entries allocates a pair per field, and deleting the key in place turns
 * each record into a slow dictionary object; both cost more than the copy on 100,000s of records.
 */
export function stripAttributes(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const key in record) {
		if (key === 'attributes') continue;
		const value = record[key];
		out[key] = value && typeof value === 'object' && !Array.isArray(value) ? stripAttributes(value as IDataObject) : value;
	}
	return out;
}
