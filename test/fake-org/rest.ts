/**
 * REST API under /services/data/vNN.N: query with cursors and nextRecordsUrl paging, sObject
 * get / update / describe, sObject Collections, Composite (its subrequests: Collections), the EventLogFile LogFile blob, limits.
 * Every call is authenticated, checked against the daily limit, and counted.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import { classifyJobs, createBulk2Handler, isBulkKind } from './bulk2';
import type { CallKind, CallRecord, LogFileBodyFault } from './controls';
import type { LogFileSource } from './eventlog';
import { SfError } from './errors';
import type { Exchange, OrgRuntime } from './http';
import { IdFactory, KEY_PREFIXES, normalizeId } from './ids';
import { FieldDef, ObjectDef, SCHEMA, findObject } from './schema';
import type { Session } from './sessions';
import { QueryEnv, QueryResult, runQuery } from './soql';
import type { AnyRecord } from './store';
import { RecordChanges, Writer } from './writes';

const MIN_VERSION = 20;
const MAX_VERSION = 64;
/** Open query cursors kept; older ones answer INVALID_QUERY_LOCATOR, as expired ones do. */
const MAX_CURSORS = 500;

const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');

function releaseLabel(version: number): string {
	const k = version - 62; // v62.0 is Winter '25
	const cycle = Math.floor(k / 3);
	const season = ['Winter', 'Spring', 'Summer'][((k % 3) + 3) % 3];
	return `${season} '${25 + cycle}`;
}

export function handleVersions(ex: Exchange): void {
	ex.setKind('versions');
	const list = [];
	for (let v = MIN_VERSION; v <= MAX_VERSION; v++)
		list.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
	ex.json(200, list);
}

interface Cursor {
	result: QueryResult;
	pageSize: number;
	resource: 'query' | 'queryAll';
}

function classify(method: string, parts: string[]): CallKind {
	const [head, a, b, c] = parts;
	if (!head) return 'resources';
	if (head === 'limits') return 'limits';
	if (head === 'query' || head === 'queryAll') return a ? 'queryMore' : 'query';
	if (head === 'composite' && a === 'sobjects')
		return method === 'DELETE' ? 'collectionsDelete' : 'collectionsPatch';
	if (head === 'composite' && !a) return 'composite';
	if (head === 'jobs') return classifyJobs(method, parts);
	if (head === 'sobjects') {
		if (!a) return 'describeGlobal';
		if (!b && method === 'POST') return 'sobjectCreate';
		if (!b || b === 'describe') return 'describe';
		if (method === 'DELETE') return 'sobjectDelete';
		if (c === 'LogFile') return 'logFile';
		return method === 'PATCH' ? 'sobjectPatch' : 'sobjectGet';
	}
	return 'unknown';
}

export function createRestHandler(org: OrgRuntime) {
	const cursors = new Map<string, Cursor>();
	const locatorIds = new IdFactory('5g');
	const jobs = createBulk2Handler(org);

	return async function handleRest(ex: Exchange): Promise<void> {
		const segments = ex.path.slice('/services/data/'.length).split('/').filter(Boolean);
		const versionText = segments.shift()!.slice(1);
		const parts = segments.map(decodeURIComponent);
		ex.setKind(classify(ex.method, parts));

		const location = org.controls.takeRedirect(ex.call.kind);
		if (location) {
			ex.call.status = 302;
			ex.res.writeHead(302, { Location: location, 'Content-Length': '0' });
			ex.res.end();
			return;
		}
		org.controls.beforeRestCall(ex.call.kind);

		const injected = org.controls.takeFailure(ex.call.kind, true);
		if (injected) {
			ex.call.counted = injected.status !== 401;
			if (ex.call.counted) org.controls.apiUsed++;
			return ex.json(injected.status, [
				{ message: injected.message, errorCode: injected.errorCode },
			]);
		}

		const version = Number(versionText);
		if (!/^\d+\.\d$/.test(versionText) || version < MIN_VERSION || version > MAX_VERSION)
			throw notFound();

		const session = org.sessions.activeSession(ex.accessToken());
		if (!session) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		ex.call.userId = session.userId;
		ex.call.clientId = session.clientId;
		if (session.passwordExpired) {
			throw new SfError(
				401,
				'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
				'The users password has expired, you must call SetPassword before attempting any other API operations',
			);
		}
		if (!org.sessions.hasApiAccess(session.userId))
			throw new SfError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
		if (org.controls.apiUsed >= org.controls.apiMax) {
			throw new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
		}
		org.controls.apiUsed++;
		ex.call.counted = true;

		const env = queryEnv(org, session, versionText);
		return route(ex, parts, env, session, versionText);
	};

	async function route(
		ex: Exchange,
		parts: string[],
		env: QueryEnv,
		session: Session,
		version: string,
	): Promise<void> {
		const [head, a, b] = parts;
		const method = ex.method;
		const only = (...allowed: string[]) => {
			if (!allowed.includes(method)) {
				throw new SfError(
					405,
					'METHOD_NOT_ALLOWED',
					`HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
				);
			}
		};
		switch (ex.call.kind) {
			case 'resources':
				only('GET');
				return ex.json(200, resources(version));
			case 'limits':
				only('GET');
				return ex.json(200, limits(org));
			case 'query':
				only('GET');
				return startQuery(ex, head as 'query' | 'queryAll', env, version);
			case 'queryMore':
				only('GET');
				return nextPage(ex, head as 'query' | 'queryAll', a, version);
			case 'describeGlobal':
				only('GET');
				return ex.json(200, describeGlobal(env, version));
			case 'describe': {
				only('GET');
				const object = visibleObject(env, a);
				return ex.json(
					200,
					b === 'describe'
						? describe(env, object, version)
						: { objectDescribe: objectSummary(object, version), recentItems: [] },
				);
			}
			case 'sobjectGet': {
				only('GET');
				const object = visibleObject(env, a);
				const record = org.store.get<AnyRecord>(object.name, b);
				if (!record || !normalizeId(b)?.startsWith(object.keyPrefix)) throw notFound();
				return ex.json(
					200,
					retrieve(env, object, record, ex.url.searchParams.get('fields'), version),
				);
			}
			case 'sobjectPatch': {
				only('PATCH');
				const object = visibleObject(env, a);
				if (!org.store.get(object.name, b)) {
					throw new SfError(
						404,
						'NOT_FOUND',
						`Provided external ID field does not exist or is not accessible: ${b}`,
					);
				}
				const body = parseJson(await ex.body()) as Record<string, unknown>;
				if (!body || typeof body !== 'object' || Array.isArray(body))
					throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
				const { result } = new Writer(org, session.userId).update(object.name, b, body);
				if (result.success) return ex.noContent();
				return ex.json(
					400,
					result.errors.map((e) => ({
						message: e.message,
						errorCode: e.statusCode,
						fields: e.fields,
					})),
				);
			}
			case 'collectionsPatch': {
				only('PATCH');
				const body = parseJson(await ex.body());
				return ex.json(200, collectionsPatch(org, session, body, ex.call));
			}
			case 'collectionsDelete':
				only('DELETE');
				return ex.json(200, collectionsDelete(org, session, ex.url.searchParams, ex.call));
			case 'composite':
				only('POST');
				return ex.json(200, composite(org, session, parseJson(await ex.body()), version));
			case 'sobjectCreate': {
				only('POST');
				const object = visibleObject(env, a);
				const body = parseJson(await ex.body()) as Record<string, unknown>;
				if (!body || typeof body !== 'object' || Array.isArray(body))
					throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
				const result = new RecordChanges(org, session.userId).create(object.name, body);
				if (result.success) return ex.json(201, result);
				return ex.json(400, result.errors.map(restError));
			}
			case 'sobjectDelete': {
				only('DELETE');
				const object = visibleObject(env, a);
				const result = new RecordChanges(org, session.userId).deleteOne(object.name, b);
				if (result.success) return ex.noContent();
				const [error] = result.errors;
				const status =
					error.statusCode === 'ENTITY_IS_DELETED' || error.statusCode === 'NOT_FOUND' ? 404 : 400;
				return ex.json(status, result.errors.map(restError));
			}
			case 'logFile':
				only('GET');
				return logFile(ex, env, a, b);
		}
		if (isBulkKind(ex.call.kind)) return jobs(ex, parts, env, session, version);
		throw notFound();
	}

	function startQuery(
		ex: Exchange,
		resource: 'query' | 'queryAll',
		env: QueryEnv,
		version: string,
	): void {
		const soql = ex.url.searchParams.get('q');
		ex.call.soql = soql ?? '';
		if (!soql) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
		const result = runQuery(soql, env);
		const pageSize = batchSize(ex.header('sforce-query-options'), org.controls.maxBatchSize);
		const cursor: Cursor = { result, pageSize, resource };
		let locator: string | undefined;
		if (result.rows.length > pageSize) {
			locator = locatorIds.next(KEY_PREFIXES.QueryLocator);
			cursors.set(locator, cursor);
			if (cursors.size > MAX_CURSORS) cursors.delete(cursors.keys().next().value!);
		}
		ex.json(200, page(cursor, locator, 0, version));
	}

	function nextPage(
		ex: Exchange,
		resource: 'query' | 'queryAll',
		locatorText: string,
		version: string,
	): void {
		const match = locatorText.match(/^(.+)-(\d+)$/);
		const cursor = match && cursors.get(match[1]);
		if (!match || !cursor) throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		ex.call.soql = undefined;
		ex.json(200, page(cursor, match[1], Number(match[2]), version));
	}

	function page(cursor: Cursor, locator: string | undefined, offset: number, version: string) {
		const { rows, totalSize, shape } = cursor.result;
		const end = Math.min(rows.length, offset + cursor.pageSize);
		const done = end >= rows.length;
		const records = new Array(end - offset);
		for (let i = offset; i < end; i++) records[i - offset] = shape(rows[i]);
		if (done && locator) cursors.delete(locator);
		return {
			totalSize,
			done,
			...(done
				? {}
				: { nextRecordsUrl: `/services/data/v${version}/${cursor.resource}/${locator}-${end}` }),
			records,
		};
	}

	async function logFile(ex: Exchange, env: QueryEnv, type: string, id: string): Promise<void> {
		const object = visibleObject(env, type);
		const source = object.name === 'EventLogFile' ? org.store.logFileSource(id) : undefined;
		if (!source) throw notFound();
		const fault = org.controls.takeLogFileFault();
		if (fault) return faultyLogFile(ex, source, fault);
		const level = org.controls.gzipLevel;
		const gzip = level !== false && /\bgzip\b/i.test(ex.header('accept-encoding') ?? '');
		ex.call.status = 200;
		ex.res.writeHead(200, {
			'Content-Type': 'text/csv',
			...(gzip ? { 'Content-Encoding': 'gzip' } : { 'Content-Length': String(source.length) }),
			...ex.limitHeader(),
		});
		const body = Readable.from(source.chunks(), { objectMode: false });
		if (gzip) await pipeline(body, createGzip({ level: level || 1 }), ex.res);
		else await pipeline(body, ex.res);
	}
}

/** A LogFile body that stalls or ends early (uncompressed), as a broken connection would. */
async function faultyLogFile(
	ex: Exchange,
	source: LogFileSource,
	fault: LogFileBodyFault,
): Promise<void> {
	ex.call.status = 200;
	ex.res.writeHead(200, {
		'Content-Type': 'text/csv',
		...(fault.contentLength ? { 'Content-Length': String(source.length) } : {}),
		...ex.limitHeader(),
	});
	ex.res.on('close', () => {
		if (!ex.res.writableFinished) fault.onClientClose?.();
	});
	let left = fault.afterBytes;
	for (const chunk of source.chunks()) {
		if (left <= 0) break;
		const part = chunk.subarray(0, left);
		left -= part.length;
		// flushed before the connection is cut, so the client sees a started body
		await new Promise<void>((resolve) => ex.res.write(part, () => resolve()));
	}
	if (fault.mode === 'stall') return; // the connection stays open until the client gives up
	if (fault.mode === 'trickle') return await trickle(ex, source, fault);
	if (fault.contentLength) ex.res.socket?.destroy();
	else ex.res.end();
}

/** The rest of the body one byte at a time, until it is all sent or the client hangs up. */
async function trickle(ex: Exchange, source: LogFileSource, fault: LogFileBodyFault) {
	const pause = fault.trickleMs ?? 200;
	let skip = fault.afterBytes;
	for (const chunk of source.chunks()) {
		for (let i = 0; i < chunk.length; i++) {
			if (skip > 0) {
				skip--;
				continue;
			}
			if (ex.res.destroyed || ex.res.socket?.destroyed) return;
			await new Promise((resolve) => setTimeout(resolve, pause));
			ex.res.write(chunk.subarray(i, i + 1));
		}
	}
	ex.res.end();
}

function queryEnv(org: OrgRuntime, session: Session, apiVersion: string): QueryEnv {
	return {
		store: org.store,
		userId: session.userId,
		apiVersion,
		isHidden: (sobject, field) => org.controls.isHidden(sobject, field),
		canSee: (sobject) => {
			// Event log files need View Event Log Files (or View All Data), UserLogin needs Manage
			// Users (Salesforce's object reference); otherwise the object does not exist for the user.
			if (org.controls.hiddenObjects.has(sobject.toLowerCase())) return false;
			const perms = org.store.effectivePermissions(session.userId);
			if (sobject === 'EventLogFile')
				return perms.PermissionsViewEventLogFiles || perms.PermissionsViewAllData;
			if (sobject === 'UserLogin') return perms.PermissionsManageUsers;
			return true;
		},
	};
}

function visibleObject(env: QueryEnv, name: string): ObjectDef {
	const object = findObject(name ?? '');
	if (!object || !env.canSee(object.name)) throw notFound();
	return object;
}

/** sObject Collections PATCH (a call or a Composite subrequest): one result per record. */
function collectionsPatch(
	org: OrgRuntime,
	session: Session,
	body: unknown,
	call: CallRecord,
): unknown {
	const { allOrNone, records } = (body ?? {}) as {
		allOrNone?: boolean;
		records?: Array<Record<string, unknown>>;
	};
	if (!Array.isArray(records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records is required');
	call.records = records.length;
	if (records.length > COLLECTION_MAX) throw exceededIdLimit();
	return new Writer(org, session.userId).updateCollection(records, Boolean(allOrNone));
}

/** sObject Collections DELETE (a call or a Composite subrequest): one result per ID. */
function collectionsDelete(
	org: OrgRuntime,
	session: Session,
	params: URLSearchParams,
	call: CallRecord,
): unknown {
	const ids = (params.get('ids') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	call.records = ids.length;
	if (ids.length === 0) throw new SfError(400, 'MISSING_ARGUMENT', 'ids parameter not specified');
	if (ids.length > COLLECTION_MAX) throw exceededIdLimit();
	const allOrNone = params.get('allOrNone') === 'true';
	return new RecordChanges(org, session.userId).deleteCollection(ids, allOrNone);
}

const COLLECTION_MAX = 200;
const exceededIdLimit = () =>
	new SfError(
		400,
		'EXCEEDED_ID_LIMIT',
		'record limit reached. cannot submit more than 200 records into this call',
	);

/** Subrequests a Composite request may hold, and how many of them may be Collections or queries. */
const COMPOSITE_MAX = 25;
const COMPOSITE_COLLECTIONS_OR_QUERIES_MAX = 5;
const COLLECTIONS_OR_QUERIES: ReadonlySet<CallKind> = new Set<CallKind>([
	'collectionsDelete',
	'collectionsPatch',
	'query',
	'queryMore',
]);

interface Subrequest {
	method: string;
	url: string;
	referenceId: string;
	body?: unknown;
}

/** One entry of a compositeResponse. */
interface SubResponse {
	body: unknown;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string | null;
}

/**
 * POST /composite: the subrequests run one after another, in order, as the session's user;
 * each answers with its own status and body; the whole request is one API call. Modelled for
 * the subrequests the package sends (sObject Collections); any other subrequest, references
 * between subrequests (@{ref...}) and a top-level allOrNone true are not, and fail loudly.
 */
function composite(
	org: OrgRuntime,
	session: Session,
	body: unknown,
	version: string,
): { compositeResponse: SubResponse[] } {
	const { allOrNone, compositeRequest } = (body ?? {}) as {
		allOrNone?: unknown;
		compositeRequest?: unknown;
	};
	if (!Array.isArray(compositeRequest))
		throw new SfError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
	if (allOrNone === true)
		throw new Error('fake org: a top-level allOrNone true on /composite is not modelled');
	const refused = (message: string) => ({
		compositeResponse: [
			{
				body: [{ errorCode: 'LIMIT_EXCEEDED', message }],
				httpHeaders: {},
				httpStatusCode: 400,
				referenceId: null,
			},
		],
	});
	if (compositeRequest.length > COMPOSITE_MAX)
		return refused(`The request can’t contain more than ${COMPOSITE_MAX} operations.`);
	const subrequests = compositeRequest.map((raw) => parseSubrequest(raw, org, version));
	const heavy = subrequests.filter((sub) => COLLECTIONS_OR_QUERIES.has(sub.kind)).length;
	if (heavy > COMPOSITE_COLLECTIONS_OR_QUERIES_MAX)
		return refused(
			`The request can’t contain more than ${COMPOSITE_COLLECTIONS_OR_QUERIES_MAX} sObject Collections or query operations.`,
		);
	const seen = new Set<string>();
	for (const { request } of subrequests) {
		if (seen.has(request.referenceId))
			throw new SfError(
				400,
				'JSON_PARSER_ERROR',
				`Duplicate referenceId provided in the request: ${request.referenceId}`,
			);
		seen.add(request.referenceId);
	}
	return {
		compositeResponse: subrequests.map((sub) => runSubrequest(org, session, sub)),
	};
}

type ParsedSubrequest = { request: Subrequest; kind: CallKind; target: URL };

function parseSubrequest(raw: unknown, org: OrgRuntime, version: string): ParsedSubrequest {
	const request = (raw ?? {}) as Partial<Subrequest>;
	if (
		typeof request.method !== 'string' ||
		typeof request.url !== 'string' ||
		typeof request.referenceId !== 'string' ||
		!request.referenceId
	)
		throw new SfError(
			400,
			'JSON_PARSER_ERROR',
			'Each subrequest needs a method, a url and a referenceId',
		);
	if (/@\{/.test(request.url) || /@\{/.test(JSON.stringify(request.body ?? null)))
		throw new Error('fake org: references between Composite subrequests are not modelled');
	const target = new URL(request.url, org.url || 'http://127.0.0.1');
	const match = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(target.pathname);
	if (!match || Number(match[1]) > Number(version))
		throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
	const parts = match[2].split('/').filter(Boolean).map(decodeURIComponent);
	const kind = classify(request.method, parts);
	if (kind !== 'collectionsDelete' && kind !== 'collectionsPatch')
		throw new Error(`fake org: a ${kind} subrequest of /composite is not modelled`);
	return { request: request as Subrequest, kind, target };
}

/** Runs one subrequest; logs it (not counted: the Composite request is the call). */
function runSubrequest(
	org: OrgRuntime,
	session: Session,
	{ request, kind, target }: ParsedSubrequest,
): SubResponse {
	const call: CallRecord = {
		method: request.method,
		path: target.pathname,
		kind,
		status: 0,
		counted: false,
		inComposite: true,
		userId: session.userId,
		clientId: session.clientId,
	};
	org.calls.log.push(call);
	const answer = (httpStatusCode: number, body: unknown): SubResponse => {
		call.status = httpStatusCode;
		return { body, httpHeaders: {}, httpStatusCode, referenceId: request.referenceId };
	};
	const expected = kind === 'collectionsDelete' ? 'DELETE' : 'PATCH';
	try {
		if (request.method !== expected)
			throw new SfError(
				405,
				'METHOD_NOT_ALLOWED',
				`HTTP Method '${request.method}' not allowed. Allowed are ${expected}`,
			);
		const injected = org.controls.takeFailure(kind, false);
		if (injected) {
			// what the refused subrequest carried, as the call log records it for one that runs
			call.records =
				kind === 'collectionsDelete'
					? (target.searchParams.get('ids') ?? '').split(',').filter(Boolean).length
					: ((request.body as { records?: unknown[] } | undefined)?.records?.length ?? 0);
			return answer(injected.status, [
				{ message: injected.message, errorCode: injected.errorCode },
			]);
		}
		return answer(
			200,
			kind === 'collectionsDelete'
				? collectionsDelete(org, session, target.searchParams, call)
				: collectionsPatch(org, session, request.body, call),
		);
	} catch (error) {
		if (error instanceof SfError) return answer(error.status, error.toJSON());
		throw error;
	}
}

/** A record error as the REST API answers it for a single-record call. */
function restError(e: { statusCode: string; message: string; fields: string[] }) {
	return { message: e.message, errorCode: e.statusCode, fields: e.fields };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new SfError(
			400,
			'JSON_PARSER_ERROR',
			`Unexpected character in the request body: ${(error as Error).message}`,
		);
	}
}

/** `Sforce-Query-Options: batchSize=N` is a hint within 200..2000. */
function batchSize(header: string | undefined, max: number): number {
	const match = header?.match(/batchSize\s*=\s*(\d+)/i);
	const wanted = match ? Math.min(2000, Math.max(200, Number(match[1]))) : 2000;
	return Math.max(1, Math.min(wanted, max));
}

function resources(version: string) {
	const base = `/services/data/v${version}`;
	const names = [
		'sobjects',
		'query',
		'queryAll',
		'limits',
		'composite',
		'search',
		'recent',
		'tooling',
	];
	return Object.fromEntries(names.map((name) => [name, `${base}/${name}`]));
}

function limits(org: OrgRuntime) {
	const { apiUsed, apiMax } = org.controls;
	const fixed = (max: number) => ({ Max: max, Remaining: max });
	return {
		DailyApiRequests: { Max: apiMax, Remaining: Math.max(0, apiMax - apiUsed) },
		DailyAsyncApexExecutions: fixed(250000),
		DailyBulkApiBatches: fixed(15000),
		DailyBulkV2QueryJobs: {
			Max: 10000,
			Remaining: Math.max(0, 10000 - org.controls.bulk.jobsCreated),
		},
		DailyBulkV2QueryFileStorageMB: fixed(976562),
		DataStorageMB: { Max: 102400, Remaining: 98012 },
		FileStorageMB: { Max: 512000, Remaining: 501230 },
		HourlyODataCallout: fixed(20000),
		SingleEmail: fixed(5000),
		MassEmail: fixed(5000),
		ConcurrentAsyncGetReportInstances: fixed(200),
		ConcurrentSyncReportRuns: fixed(20),
	};
}

function objectSummary(object: ObjectDef, version: string) {
	const base = `/services/data/v${version}/sobjects/${object.name}`;
	return {
		name: object.name,
		label: object.label,
		labelPlural: object.labelPlural,
		keyPrefix: object.keyPrefix ?? null,
		custom: false,
		queryable: true,
		retrieveable: object.name !== 'UserPermissionAccess',
		searchable: object.name === 'User',
		updateable: object.updateable,
		createable: object.createable,
		deletable: object.deletable,
		layoutable: object.name === 'User',
		urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
	};
}

function describeGlobal(env: QueryEnv, version: string) {
	return {
		encoding: 'UTF-8',
		maxBatchSize: 200,
		sobjects: Object.values(SCHEMA)
			.filter((o) => env.canSee(o.name))
			.map((o) => objectSummary(o, version)),
	};
}

function soapType(field: FieldDef): string {
	const map: Record<string, string> = {
		id: 'tns:ID',
		reference: 'tns:ID',
		boolean: 'xsd:boolean',
		int: 'xsd:int',
		double: 'xsd:double',
		datetime: 'xsd:dateTime',
		date: 'xsd:date',
		base64: 'xsd:base64Binary',
	};
	return map[field.type] ?? 'xsd:string';
}

function describe(env: QueryEnv, object: ObjectDef, version: string) {
	return {
		...objectSummary(object, version),
		childRelationships: [],
		recordTypeInfos: [],
		fields: object.fields
			.filter((field) => !env.isHidden(object.name, field.name))
			.map((field) => ({
				name: field.name,
				label: field.label,
				type: field.type,
				soapType: soapType(field),
				length: field.length ?? (field.type === 'id' || field.type === 'reference' ? 18 : 0),
				updateable: Boolean(field.updateable),
				createable: Boolean(field.updateable || field.createable),
				filterable: field.filterable !== false,
				sortable: field.sortable !== false,
				groupable:
					field.groupable !== false &&
					!['double', 'datetime', 'base64', 'textarea'].includes(field.type),
				nillable: field.nillable ?? !['id', 'boolean'].includes(field.type),
				calculated: Boolean(field.computed),
				custom: Boolean(field.custom),
				defaultedOnCreate: field.type === 'boolean',
				idLookup: field.name === 'Id' || field.name === 'Username',
				unique: field.name === 'Username',
				referenceTo: field.referenceTo ? [field.referenceTo] : [],
				relationshipName: field.relationshipName ?? null,
				picklistValues: (field.picklistValues ?? []).map((value, i) => ({
					active: true,
					defaultValue: i === 0 && false,
					label: value,
					validFor: null,
					value,
				})),
			})),
	};
}

function retrieve(
	env: QueryEnv,
	object: ObjectDef,
	record: AnyRecord,
	fieldList: string | null,
	version: string,
) {
	const wanted = fieldList
		? fieldList
				.split(',')
				.map((f) => f.trim())
				.filter(Boolean)
		: object.fields.map((f) => f.name);
	const out: Record<string, unknown> = {
		attributes: {
			type: object.name,
			url: `/services/data/v${version}/sobjects/${object.name}/${record.Id}`,
		},
	};
	for (const name of wanted) {
		const field = object.byName.get(name.toLowerCase());
		if (!field || env.isHidden(object.name, field.name)) {
			if (fieldList)
				throw new SfError(
					400,
					'INVALID_FIELD',
					`No such column '${name}' on sobject of type ${object.name}`,
				);
			continue;
		}
		if (field.computed) {
			// Same values SOQL gives; reuse the engine for one record.
			const result = runQuery(
				`SELECT ${field.name} FROM ${object.name} WHERE Id = '${record.Id}'`,
				env,
			);
			out[field.name] = result.rows.length ? result.shape(result.rows[0])[field.name] : null;
		} else {
			out[field.name] = record[field.name] ?? null;
		}
	}
	return out;
}
