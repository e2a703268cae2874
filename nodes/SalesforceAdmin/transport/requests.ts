/**
 * REST calls on a signed-in session, over n8n's request helpers (wire.ts). Every request: goes
 * only to the session's validated instance origin (a path, or an absolute URL on that origin),
 * carries the token only there, never follows a redirect, renews the session once on 401 and
 * sends that request again, and retries GETs (never writes) on 502/503/504 and network errors,
 * pausing with n8n's `sleep`. Every answer's Sforce-Limit-Info updates the session's API usage.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { COLLECTION_LIMIT, IDS_PER_DELETE_CALL, QUERY_PAGE_SIZE } from '../salesforce/limits';
import { chunk } from '../salesforce/soql';
import { API_VERSION } from './apiVersion';
import type { ApiUsage } from './errors';
import {
	SalesforceApiError,
	asSalesforceApiError,
	isSalesforceApiError,
	parseApiUsage,
} from './errors';
import type { SalesforceSession } from './session';
import type { WireAnswer } from './wire';
import { RETRYABLE_STATUSES, readLimited, retryDelay } from './wire';

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

/** One REST request: `url` is a path on the instance (or an absolute URL on that same origin). */
export interface RestRequest {
	method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	body?: string;
	/** The body as chunks while they arrive (downloads), not as one text. */
	stream?: boolean;
	/** This request's own overall deadline (a large download). */
	overallTimeoutMs?: number;
}

export const dataPath = (path: string) => `/services/data/v${API_VERSION}${path}`;

const isIdempotent = (method: string) => method === 'GET';

/**
 * The target of a request on the session's instance. An absolute URL to any other origin is
 * refused: Salesforce's own links (nextRecordsUrl) are paths.
 */
function targetOf(origin: string, url: string): URL {
	const target = new URL(url, `${origin}/`);
	if (target.origin !== origin) {
		throw new SalesforceApiError(
			`Salesforce pointed a request to ${target.origin}, which is not the org's address (${origin}); the token is never sent there`,
			{ code: 'UNTRUSTED_URL', phase: 'request' },
		);
	}
	return target;
}

/**
 * Every request that is not a read is taken for a write of records (fail closed), except the
 * calls of a Bulk API 2.0 query job, which only read.
 */
function isRecordWrite(request: RestRequest): boolean {
	if (request.method === 'GET') return false;
	const path = request.url.split('?')[0];
	return !/\/services\/data\/v[\d.]+\/jobs\/query(\/[^/]*)?$/.test(path);
}

/** Writes change users: only a session of a Read/Take Action credential may send one. */
export function assertSessionMayWrite(session: SalesforceSession, what: string): void {
	if (session.accessMode === 'readWrite') return;
	throw new SalesforceApiError(
		`${what} changes records, but the credential is Read-Only; nothing was sent`,
		{ code: 'READ_ONLY_CREDENTIAL', phase: 'request' },
	);
}

/**
 * Sends one REST request with the session's token and returns the successful answer (status
 * 2xx; a streamed body unread). Failures are SalesforceApiErrors carrying the failing answer's
 * own API usage.
 */
export async function openAuthorized(
	session: SalesforceSession,
	request: RestRequest,
	accept = 'application/json',
): Promise<{ answer: WireAnswer; target: URL }> {
	const idempotent = isIdempotent(request.method);
	if (isRecordWrite(request)) assertSessionMayWrite(session, 'This request');
	const options = session.wire.options;
	let renewed = false;
	for (let retry = 0; ; ) {
		const { token, origin } = session.auth.current();
		const target = targetOf(origin, request.url);
		let answer: WireAnswer;
		try {
			answer = await session.wire({
				method: request.method,
				url: target.href,
				headers: {
					Accept: accept,
					'Accept-Encoding': 'gzip',
					...request.headers,
					Authorization: `Bearer ${token}`,
				},
				body: request.body,
				stream: request.stream,
				overallTimeoutMs: request.overallTimeoutMs,
			});
		} catch (error) {
			if (
				idempotent &&
				isSalesforceApiError(error) &&
				error.retryable &&
				retry < options.maxRetries
			) {
				await sleep(retryDelay(retry++, undefined, options) ?? 0);
				continue;
			}
			throw asSalesforceApiError(error, 'request');
		}
		noteUsage(session, answer);
		noteServerDate(session, answer);
		const status = answer.status;
		if (status >= 200 && status < 300) return { answer, target };
		if (status >= 300 && status < 400) throw redirectRefused(answer, target);
		if (isSessionRefusal(status) && !renewed) {
			const refusal = await errorFromResponse(session, answer, target);
			if (!isExpiredSession(refusal)) throw refusal;
			// once per request: a second refusal right after renewing surfaces as an error
			renewed = true;
			await session.auth.renew(token);
			continue;
		}
		if (idempotent && RETRYABLE_STATUSES.has(status) && retry < options.maxRetries) {
			const wait = retryDelay(retry, answer.header('retry-after'), options);
			if (wait !== undefined) {
				answer.discard();
				retry++;
				await sleep(wait);
				continue;
			}
		}
		throw await errorFromResponse(session, answer, target);
	}
}

/** 401, or the identity service's 403 Bad_OAuth_Token: the token may just have expired. */
const isSessionRefusal = (status: number) => status === 401 || status === 403;

function isExpiredSession(error: SalesforceApiError): boolean {
	if (error.httpStatus === 401)
		return error.code === 'INVALID_SESSION_ID' || error.code === 'ERROR_HTTP_401';
	return error.code === 'Bad_OAuth_Token';
}

/** One REST call, its JSON answer parsed (undefined for an empty answer). */
export async function send<T>(session: SalesforceSession, request: RestRequest): Promise<T> {
	const { answer, target } = await openAuthorized(session, request);
	try {
		return (answer.text ? JSON.parse(answer.text) : undefined) as T;
	} catch (error) {
		throw invalidAnswer(target, error);
	}
}

function invalidAnswer(target: URL, error: unknown): SalesforceApiError {
	return new SalesforceApiError(
		`Salesforce at ${target.origin} sent an answer that is not JSON (${(error as Error)?.message ?? ''})`,
		{
			code: 'INVALID_RESPONSE',
			phase: 'request',
		},
	);
}

function noteUsage(session: SalesforceSession, answer: WireAnswer): void {
	const usage = parseApiUsage(answer.header('sforce-limit-info'));
	if (usage) session.apiUsage = usage;
}

/** The org's clock as its last answer told it (trigger windows; see SalesforceSession.serverDate). */
function noteServerDate(session: SalesforceSession, answer: WireAnswer): void {
	const date = Date.parse(answer.header('date') ?? '');
	if (Number.isFinite(date)) session.serverDate = date;
}

/** A 3xx is never followed: the token would travel with it. Names only the target's origin. */
function redirectRefused(answer: WireAnswer, target: URL): SalesforceApiError {
	answer.discard();
	let to = '(no address)';
	try {
		to = new URL(answer.header('location') ?? '', target).origin;
	} catch {
		// an unreadable Location: name none
	}
	return new SalesforceApiError(
		`Salesforce answered with a redirect to ${to}; the token is never sent to another address`,
		{
			code: 'REDIRECT_REFUSED',
			httpStatus: answer.status,
			phase: 'request',
		},
	);
}

/**
 * Salesforce's error answer (`[{ errorCode, message }]`, `{ error, error_description }` or
 * text) as a SalesforceApiError with the answer's own API usage; the body is read up to a limit.
 */
export async function errorFromResponse(
	session: SalesforceSession,
	answer: WireAnswer,
	target: URL,
): Promise<SalesforceApiError> {
	const status = answer.status;
	const apiUsage: ApiUsage | undefined =
		parseApiUsage(answer.header('sforce-limit-info')) ?? session.apiUsage;
	const text = await readLimited(answer, session.wire.options.maxErrorBodyBytes);
	const { code, message } = parseErrorBody(text, status);
	return new SalesforceApiError(message, {
		code,
		httpStatus: status,
		retryable: RETRYABLE_STATUSES.has(status),
		apiUsage: apiUsage ? { ...apiUsage } : undefined,
		phase: 'request',
	});
}

function parseErrorBody(text: string, status: number): { code: string; message: string } {
	const fallback = `ERROR_HTTP_${status}`;
	try {
		const body = JSON.parse(text) as unknown;
		const first = (Array.isArray(body) ? body[0] : body) as
			| { errorCode?: string; message?: string; error?: string; error_description?: string }
			| undefined;
		if (first?.errorCode || first?.message)
			return { code: first.errorCode ?? fallback, message: first.message ?? text };
		if (first?.error) return { code: first.error, message: first.error_description ?? first.error };
	} catch {
		// not JSON: the text itself
	}
	const plain = text.trim();
	if (/^[A-Za-z]+(_[A-Za-z]+)+$/.test(plain)) return { code: plain, message: plain };
	return { code: fallback, message: plain.slice(0, 500) || `HTTP ${status}` };
}

/** The connected user and org from the identity service (OpenID userinfo on the instance). */
export async function identity(
	session: SalesforceSession,
): Promise<{ userId: string; organizationId?: string }> {
	const info = await send<{ user_id?: string; organization_id?: string }>(session, {
		method: 'GET',
		url: '/services/oauth2/userinfo',
	});
	if (!info?.user_id) {
		throw new SalesforceApiError("Salesforce's identity service did not name the connected user", {
			code: 'INVALID_RESPONSE',
		});
	}
	return { userId: info.user_id, organizationId: info.organization_id };
}

/**
 * Runs a SOQL query and yields its pages, following nextRecordsUrl; one API call a page. The
 * next page is requested while the caller works on the current one, so Salesforce's answer
 * time overlaps our mapping; never past `limit`, so prefetching spends no extra call. `T` is the
 * record shape the SELECT reads (salesforce/records.ts); it is the caller's word, not checked.
 */
export async function* queryPages<T extends object = IDataObject>(
	session: SalesforceSession,
	soql: string,
	options: QueryOptions = {},
): AsyncGenerator<T[]> {
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
		yield records.map(stripAttributes) as unknown as T[];
	}
}

/** Runs a SOQL query and returns every record (or the first `limit`). */
export async function queryAll<T extends object = IDataObject>(
	session: SalesforceSession,
	soql: string,
	options: QueryOptions = {},
): Promise<T[]> {
	const all: T[] = [];
	for await (const page of queryPages<T>(session, soql, options)) all.push(...page);
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
	assertSessionMayWrite(session, `Updating ${sobjectType} records`);
	const results: SaveResult[] = [];
	for (const batch of chunk(records, COLLECTION_LIMIT)) {
		const body = {
			allOrNone: false,
			records: batch.map((record) => ({ attributes: { type: sobjectType }, ...record })),
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

/** One entry of a Composite answer (`compositeResponse`). */
interface CompositeSubresponse {
	body: unknown;
	httpStatusCode: number;
	referenceId: string | null;
}

/**
 * Deletes records: sObject Collections DELETE subrequests of at most 200 IDs (allOrNone false),
 * up to 5 of them in one Composite request, which Salesforce counts as one API call (so one
 * call per 1,000 IDs). The subrequests run in order (collateSubrequests false) and apart (a
 * top-level allOrNone false: one refused does not stop the next). Returns one result per ID in
 * input order; every ID of a subrequest Salesforce refused whole gets that refusal's code and
 * message. Never retried: a request whose answer is lost may have been applied. A Composite
 * request refused whole, or lost, is an error.
 */
export async function deleteRecords(
	session: SalesforceSession,
	ids: readonly string[],
): Promise<SaveResult[]> {
	assertSessionMayWrite(session, 'Deleting records');
	const results: SaveResult[] = [];
	for (const batch of chunk(ids, IDS_PER_DELETE_CALL)) {
		const chunks = chunk(batch, COLLECTION_LIMIT);
		const inComposite = session.compositeUnavailable
			? undefined
			: await deleteInComposite(session, chunks);
		if (inComposite) {
			results.push(...inComposite);
			continue;
		}
		for (const ids200 of chunks) {
			const path = collectionsDeletePath(ids200);
			results.push(
				...(await send<SaveResult[]>(session, { method: 'DELETE', url: dataPath(path) })),
			);
		}
	}
	return results;
}

/** One sObject Collections DELETE of up to 200 IDs, allOrNone false. */
function collectionsDeletePath(ids: readonly string[]): string {
	return `/composite/sobjects?ids=${ids.map(encodeURIComponent).join(',')}&allOrNone=false`;
}

/**
 * Up to five Collections DELETE in one Composite request: one result per ID, in order; undefined
 * when the endpoint has no Composite resource (nothing ran; the session then deletes without it).
 */
async function deleteInComposite(
	session: SalesforceSession,
	chunks: readonly string[][],
): Promise<SaveResult[] | undefined> {
	// errors leave the transport as values (n8n's scanner: nothing rethrown inside a catch)
	const answer = await send<{ compositeResponse?: CompositeSubresponse[] }>(session, {
		method: 'POST',
		url: dataPath('/composite'),
		body: JSON.stringify({
			allOrNone: false,
			collateSubrequests: false,
			compositeRequest: chunks.map((ids, i) => ({
				method: 'DELETE',
				url: dataPath(collectionsDeletePath(ids)),
				referenceId: `delete${i}`,
			})),
		}),
		headers: { 'Content-Type': 'application/json' },
	}).catch((error: unknown) => {
		if (!isResourceMissing(error)) return Promise.reject(error);
		session.compositeUnavailable = true;
		return undefined;
	});
	if (!answer) return undefined;
	const byReference = subresponsesOf(answer);
	return chunks.flatMap((ids, i) => chunkResults(ids, byReference.get(`delete${i}`)));
}

/**
 * A request the endpoint does not serve at all (404 NOT_FOUND, 405, 501): Salesforce always
 * offers Composite, but a proxy or an org-like test double may not, and such an answer means
 * nothing was applied.
 */
function isResourceMissing(error: unknown): boolean {
	return (
		isSalesforceApiError(error) &&
		(error.httpStatus === 404 || error.httpStatus === 405 || error.httpStatus === 501)
	);
}

/**
 * The subresponses by referenceId. An entry without one (Salesforce refusing the request as a
 * whole, e.g. LIMIT_EXCEEDED for too many subrequests) is raised as that error.
 */
function subresponsesOf(answer: {
	compositeResponse?: CompositeSubresponse[];
}): Map<string, CompositeSubresponse> {
	const byReference = new Map<string, CompositeSubresponse>();
	for (const entry of answer?.compositeResponse ?? []) {
		if (entry.referenceId !== null && entry.referenceId !== undefined) {
			byReference.set(entry.referenceId, entry);
			continue;
		}
		const { code, message } = subErrorOf(entry);
		throw new SalesforceApiError(message, {
			code,
			httpStatus: entry.httpStatusCode,
			phase: 'request',
		});
	}
	return byReference;
}

/**
 * One Collections DELETE subrequest's answer as one result per ID: its own results (2xx), or
 * its refusal for every ID; OUTCOME_UNKNOWN where Salesforce's answer left an ID out.
 */
function chunkResults(
	chunk: readonly string[],
	entry: CompositeSubresponse | undefined,
): SaveResult[] {
	const failed = (id: string, statusCode: string, message: string): SaveResult => ({
		id,
		success: false,
		errors: [{ statusCode, message, fields: [] }],
	});
	if (entry && entry.httpStatusCode >= 200 && entry.httpStatusCode < 300) {
		const body = Array.isArray(entry.body) ? (entry.body as SaveResult[]) : [];
		return chunk.map(
			(id, i) =>
				body[i] ?? failed(id, 'OUTCOME_UNKNOWN', 'Salesforce returned no result for this record'),
		);
	}
	if (!entry)
		return chunk.map((id) =>
			failed(id, 'OUTCOME_UNKNOWN', "Salesforce returned no answer for this record's delete"),
		);
	const { code, message } = subErrorOf(entry);
	return chunk.map((id) => failed(id, code, message));
}

/** A subresponse's error body (`[{ errorCode, message }]`) as a code and message. */
const subErrorOf = (entry: CompositeSubresponse) =>
	parseErrorBody(
		typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body ?? ''),
		entry.httpStatusCode,
	);

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
		out[key] =
			value && typeof value === 'object' && !Array.isArray(value)
				? stripAttributes(value as IDataObject)
				: value;
	}
	return out;
}
