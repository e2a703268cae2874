/**
 * Bulk API 2.0 query jobs under /services/data/vNN.N/jobs/query: create, poll, read the CSV
 * results page by page (Sforce-Locator / Sforce-NumberOfRecords), abort, delete, list.
 *
 * The SOQL runs once, on the fake org's engine, when the job is created (so SOQL errors come
 * back from the create call, as Salesforce validates the query there); the matched rows are
 * kept. Page 1 at the default size is written (and gzipped) right after the create call answers,
 * as Salesforce serves results it has stored while the job ran; every other page is written
 * when it is asked for, so a 200,000-row job holds at most one page of CSV at a time.
 *
 * What follows Salesforce's documentation and what is assumed is listed in test/fake-org/README.md,
 * section "Bulk API 2.0".
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { FieldType, Query } from '@jetstreamapp/soql-parser-js';

import type { CallKind } from './controls';
import { sfDateTime } from './dates';
import { SfError } from './errors';
import type { Exchange, OrgRuntime } from './http';
import { IdFactory } from './ids';
import { FieldDef, ObjectDef, findObject } from './schema';
import type { Session } from './sessions';
import { QueryEnv, runQuery } from './soql';
import type { AnyRecord, OrgStore } from './store';

export type BulkJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type BulkColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type BulkLineEnding = 'LF' | 'CRLF';

const DELIMITERS: Record<BulkColumnDelimiter, string> = {
	BACKQUOTE: '`',
	CARET: '^',
	COMMA: ',',
	PIPE: '|',
	SEMICOLON: ';',
	TAB: '\t',
};

/** Objects PK chunking serves (of those the fake org has), per the Bulk API PK chunking header doc. */
const PK_CHUNKING_OBJECTS: ReadonlySet<string> = new Set(['User', 'LoginHistory']);

/** Key prefix of Bulk job IDs ("750..." in Salesforce's examples). */
const JOB_PREFIX = '750';

/**
 * Objects the fake org knows but Bulk API 2.0 refuses with INVALIDENTITY. Salesforce's rule
 * (knowledge article 000318512): an object is served if it is in the SOAP API, queryable and
 * has a key prefix. UserPermissionAccess is a computed per-user view like UserRecordAccess,
 * which the connectors' lists of unsupported objects name.
 */
export const BULK_UNSUPPORTED_OBJECTS: ReadonlySet<string> = new Set(['UserPermissionAccess']);

interface Column {
	/** CSV header: the canonical field path, e.g. "Profile.Name". */
	header: string;
	/** Keys to walk in the shaped record. */
	keys: string[];
	/** Reference fields to follow from the root record, with the object each points to. */
	path: Array<{ via: FieldDef; target: string }>;
	field: FieldDef;
}

export interface BulkQueryJob {
	id: string;
	operation: 'query' | 'queryAll';
	object: string;
	createdById: string;
	createdDate: string;
	systemModstamp: string;
	state: BulkJobState;
	/** "62.0": results must be read with the same version. */
	apiVersion: string;
	lineEnding: BulkLineEnding;
	columnDelimiter: BulkColumnDelimiter;
	query: string;
	numberRecordsProcessed: number;
	retries: number;
	totalProcessingTime: number;
	errorMessage?: string;
	/** Info polls still answered InProgress before the job ends. */
	pollsLeft: number;
	/** How the job ends once the polls are used up. */
	ending: JobEnding;
	/** @internal matched rows and how to write them */
	rows: unknown[];
	columns: Column[];
	/** Reads a row's values: straight from the store, or via the engine's record shape for computed fields. */
	values(row: unknown): string[];
	/**
	 * @internal the first results page at the default page size, written while the job "runs"
	 * (Salesforce serves stored results: its first byte does not wait for the CSV to be written)
	 */
	firstPage?: Promise<PreparedPage>;
}

interface PreparedPage {
	maxRecords: number;
	pageBytes: number;
	gzipLevel: number | false;
	body: Buffer;
	gzipped?: Buffer;
	count: number;
}

export interface JobEnding {
	state: 'JobComplete' | 'Failed' | 'Aborted';
	errorMessage?: string;
}

/** Test-facing knobs of the Bulk API 2.0 emulation (`org.controls.bulk`). */
export class BulkControls {
	/** Info polls that answer InProgress before a job ends (0: the first poll sees JobComplete). */
	pollsBeforeComplete = 0;
	/**
	 * Records per results page when the client sends no maxRecords. Salesforce documents no
	 * number ("the server uses a default value based on the service") and splits by size;
	 * undefined = split by `pageBytes` only.
	 */
	defaultMaxRecords: number | undefined = undefined;
	/** Uncompressed CSV bytes per results page when no maxRecords caps it first (arbitrary). */
	pageBytes = 32 * 1024 * 1024;
	/** gzip level for results asked for with Accept-Encoding: gzip, or false to never compress. */
	gzipLevel: number | false = 1;
	/** Every job created, by ID (deleted jobs are removed). */
	readonly jobs = new Map<string, BulkQueryJob>();
	/** Jobs created so far (DailyBulkV2QueryJobs in /limits). */
	jobsCreated = 0;
	private readonly endings: Array<JobEnding & { remaining: number }> = [];

	setPollsBeforeComplete(n: number): void {
		this.pollsBeforeComplete = Math.max(0, n);
	}

	/** Default results page size: records and/or uncompressed bytes. */
	setPageSize(size: { records?: number; bytes?: number }): void {
		if ('records' in size) this.defaultMaxRecords = size.records;
		if (size.bytes !== undefined) this.pageBytes = size.bytes;
	}

	/** The next `n` jobs created end Failed (or Aborted) with this errorMessage instead of completing. */
	failNextJobs(
		n: number,
		errorMessage = 'InvalidBatch : Failed to process query',
		state: 'Failed' | 'Aborted' = 'Failed',
	): void {
		this.endings.push({ remaining: n, state, errorMessage });
	}

	/** Ends a job now, as if Salesforce had finished (or failed) it. */
	finishJob(
		id: string,
		ending: JobEnding = { state: 'JobComplete' },
		now = new Date(),
	): BulkQueryJob {
		const job = this.jobs.get(id);
		if (!job) throw new Error(`finishJob: no such job ${id}`);
		job.ending = ending;
		job.pollsLeft = 0;
		end(job, now);
		return job;
	}

	/** @internal */
	takeEnding(): JobEnding {
		const next = this.endings[0];
		if (!next) return { state: 'JobComplete' };
		if (--next.remaining <= 0) this.endings.shift();
		return { state: next.state, errorMessage: next.errorMessage };
	}

	reset(): void {
		this.pollsBeforeComplete = 0;
		this.defaultMaxRecords = undefined;
		this.pageBytes = 32 * 1024 * 1024;
		this.gzipLevel = 1;
		this.endings.length = 0;
	}
}

function end(job: BulkQueryJob, now: Date): void {
	job.state = job.ending.state;
	job.systemModstamp = sfDateTime(now);
	if (job.ending.errorMessage) job.errorMessage = job.ending.errorMessage;
	if (job.state === 'JobComplete') {
		job.numberRecordsProcessed = job.rows.length;
		// Deterministic, plausible: a few ms per thousand rows.
		job.totalProcessingTime = 120 + Math.round(job.rows.length / 250);
	}
}

const BULK_KINDS = new Set<CallKind>([
	'bulkQueryCreate',
	'bulkQueryList',
	'bulkQueryInfo',
	'bulkQueryAbort',
	'bulkQueryDelete',
	'bulkQueryResults',
]);

export const isBulkKind = (kind: CallKind): boolean => BULK_KINDS.has(kind);

/** The call kind of a /jobs/... path (parts after the version). */
export function classifyJobs(method: string, parts: string[]): CallKind {
	const [, type, id, sub] = parts;
	if (type !== 'query') return 'unknown';
	if (!id) return method === 'POST' ? 'bulkQueryCreate' : 'bulkQueryList';
	if (sub === 'results' && parts.length === 4) return 'bulkQueryResults';
	if (parts.length !== 3) return 'unknown';
	if (method === 'PATCH') return 'bulkQueryAbort';
	if (method === 'DELETE') return 'bulkQueryDelete';
	return 'bulkQueryInfo';
}

const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
const invalidJob = (message: string) => new SfError(400, 'INVALIDJOB', message);
const apiError = (message: string) => new SfError(400, 'API_ERROR', message);

/** Salesforce's enum names for job states in JOB_NOT_COMPLETE messages. */
const STATUS_NAMES: Record<BulkJobState, string> = {
	UploadComplete: 'UPLOAD_COMPLETE',
	InProgress: 'IN_PROGRESS',
	JobComplete: 'JOB_COMPLETE',
	Failed: 'FAILED',
	Aborted: 'ABORTED',
};

/**
 * The locator of the page starting at `offset`. API 49.0 and later: a pseudo-random string,
 * "MTAwMDA" for 10000 in Salesforce's example (base64 of the offset, unpadded); 48.0 and
 * earlier: the number itself.
 */
const encodeLocator = (offset: number, version: string): string =>
	Number(version) <= 48
		? String(offset)
		: Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');

function decodeLocator(text: string, version: string): number | undefined {
	const decoded =
		Number(version) <= 48
			? text
			: /^[A-Za-z0-9+/]+$/.test(text)
				? Buffer.from(text, 'base64').toString('utf8')
				: '';
	return /^[1-9]\d*$/.test(decoded) && encodeLocator(Number(decoded), version) === text
		? Number(decoded)
		: undefined;
}

export function createBulk2Handler(org: OrgRuntime) {
	const ids = new IdFactory('5g');
	const controls = () => org.controls.bulk;

	return async function handleJobs(
		ex: Exchange,
		parts: string[],
		env: QueryEnv,
		session: Session,
		version: string,
	): Promise<void> {
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
		// Query jobs exist from API version 47.0 on; before that the resource does not.
		if (Number(version) < 47) throw notFound();
		const jobOf = (id: string): BulkQueryJob => {
			const job = controls().jobs.get(id);
			if (!job) throw notFound();
			return job;
		};
		switch (ex.call.kind) {
			case 'bulkQueryCreate':
				return create(ex, env, session, version);
			case 'bulkQueryList':
				only('GET');
				return sendJson(ex, 200, {
					done: true,
					records: [...controls().jobs.values()].map(createInfo),
					nextRecordsUrl: null,
				});
			case 'bulkQueryInfo':
				only('GET');
				return sendJson(ex, 200, poll(jobOf(parts[2])));
			case 'bulkQueryAbort':
				return abort(ex, jobOf(parts[2]));
			case 'bulkQueryDelete': {
				const job = jobOf(parts[2]);
				// Documented (Delete a Query Job): only JobComplete, Aborted or Failed jobs, else this 400.
				if (job.state === 'UploadComplete' || job.state === 'InProgress') {
					throw apiError(
						'Error encountered when deleting the job because the job is not terminated',
					);
				}
				controls().jobs.delete(job.id);
				return ex.noContent();
			}
			case 'bulkQueryResults':
				only('GET');
				return results(ex, jobOf(parts[2]), version);
		}
		throw notFound();
	};

	async function create(
		ex: Exchange,
		env: QueryEnv,
		session: Session,
		version: string,
	): Promise<void> {
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(await ex.body()) as Record<string, unknown>;
		} catch (error) {
			throw new SfError(
				400,
				'JSON_PARSER_ERROR',
				`Unexpected character in the request body: ${(error as Error).message}`,
			);
		}
		if (!body || typeof body !== 'object' || Array.isArray(body))
			throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
		const { operation, query } = body;
		if (operation !== 'query' && operation !== 'queryAll') {
			throw invalidJob(
				operation === undefined
					? 'Operation is required'
					: `Invalid operation: ${String(operation)}`,
			);
		}
		if (typeof query !== 'string' || !query.trim()) throw invalidJob('Query is required');
		ex.call.soql = query;
		const contentType = body.contentType ?? 'CSV';
		if (contentType !== 'CSV') throw invalidJob(`Invalid content type: ${String(contentType)}`);
		const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as BulkColumnDelimiter;
		if (!Object.prototype.hasOwnProperty.call(DELIMITERS, columnDelimiter))
			throw invalidJob(`Invalid column delimiter: ${String(body.columnDelimiter)}`);
		const lineEnding = (body.lineEnding ?? 'LF') as BulkLineEnding;
		if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
			throw invalidJob(`Invalid line ending: ${String(body.lineEnding)}`);

		const { object, columns, result } = prepare(query, env, version);
		const c = controls();
		const now = org.store.now();
		const job: BulkQueryJob = {
			id: ids.next(JOB_PREFIX),
			operation,
			object: object.name,
			createdById: session.userId,
			createdDate: sfDateTime(now),
			systemModstamp: sfDateTime(now),
			state: 'UploadComplete',
			apiVersion: version,
			lineEnding,
			columnDelimiter,
			query,
			numberRecordsProcessed: 0,
			retries: 0,
			totalProcessingTime: 0,
			pollsLeft: c.pollsBeforeComplete,
			ending: c.takeEnding(),
			rows: result.rows,
			columns,
			values: rowReader(columns, result.shape, org.store),
		};
		c.jobs.set(job.id, job);
		c.jobsCreated++;
		sendJson(ex, 200, createInfo(job));
		if (job.ending.state === 'JobComplete') job.firstPage = prepareFirstPage(job, c);
	}

	/** Validates the query as Bulk API 2.0 does and runs it. */
	function prepare(soql: string, env: QueryEnv, version: string) {
		let parsed: Query | undefined;
		try {
			parsed = parseQuery(soql);
		} catch {
			// The engine words syntax errors as Salesforce does.
			runQuery(soql, env);
		}
		if (!parsed) throw new SfError(400, 'MALFORMED_QUERY', 'unexpected token');
		const query = parsed;
		const named = findObject(query.sObject ?? '');
		if (named && env.canSee(named.name) && BULK_UNSUPPORTED_OBJECTS.has(named.name)) {
			throw new SfError(
				400,
				'INVALIDENTITY',
				`Entity '${named.name}' is not supported by the Bulk API.`,
			);
		}
		// Documented as unsupported by Bulk API 2.0 query: GROUP BY, OFFSET, TYPEOF, aggregate
		// functions, FIELDS(), parent-to-child relationship queries.
		const fields = (query.fields ?? []) as FieldType[];
		if (fields.some((f) => f.type === 'FieldSubquery'))
			throw apiError('Aggregate Relationships not supported in Bulk Query');
		if (fields.some((f) => f.type === 'FieldTypeof'))
			throw apiError('TYPEOF is not supported in Bulk Query');
		if (
			fields.some(
				(f) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'FIELDS',
			)
		) {
			throw apiError('Selecting compound data not supported in Bulk Query');
		}
		if (
			query.groupBy ||
			fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn)
		) {
			throw apiError('Aggregate queries are not supported in Bulk Query');
		}
		if (query.offset !== undefined) throw apiError('OFFSET is not supported in Bulk Query');

		const result = runQuery(soql, env);
		const object = findObject(query.sObject!)!;
		const columns = fields.map((f) => {
			const raw =
				f.type === 'Field'
					? f.field
					: f.type === 'FieldRelationship'
						? (f.rawValue ?? [...f.relationships, f.field].join('.'))
						: '';
			return column(object, raw, query.sObjectAlias);
		});
		if (columns.some((c) => c.field.type === 'base64'))
			throw apiError('Binary field not supported');
		// Documented: columns come in the requested order from API 50.0 on, alphabetically before.
		if (Number(version) < 50) columns.sort((a, b) => a.header.localeCompare(b.header));
		return { object, columns, result };
	}

	function poll(job: BulkQueryJob) {
		if (job.state === 'UploadComplete' || job.state === 'InProgress') {
			if (job.pollsLeft > 0) {
				job.pollsLeft--;
				if (job.state !== 'InProgress') job.systemModstamp = sfDateTime(org.store.now());
				job.state = 'InProgress';
			} else {
				end(job, org.store.now());
			}
		}
		return fullInfo(job);
	}

	async function abort(ex: Exchange, job: BulkQueryJob): Promise<void> {
		let body: { state?: unknown };
		try {
			body = JSON.parse(await ex.body()) as { state?: unknown };
		} catch (error) {
			throw new SfError(
				400,
				'JSON_PARSER_ERROR',
				`Unexpected character in the request body: ${(error as Error).message}`,
			);
		}
		if (body?.state !== 'Aborted')
			throw new SfError(400, 'INVALIDJOBSTATE', `Invalid job state: ${String(body?.state)}`);
		if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
			const label = job.state === 'JobComplete' ? 'Completed' : job.state;
			throw new SfError(400, 'INVALIDJOBSTATE', `Aborting already ${label} Job not allowed`);
		}
		job.state = 'Aborted';
		job.pollsLeft = 0;
		job.ending = { state: 'Aborted' };
		job.systemModstamp = sfDateTime(org.store.now());
		// Documented answer: the job info without lineEnding / columnDelimiter.
		const { lineEnding: _l, columnDelimiter: _c, ...info } = createInfo(job);
		sendJson(ex, 200, info);
	}

	async function results(ex: Exchange, job: BulkQueryJob, version: string): Promise<void> {
		if (job.apiVersion !== version) {
			throw new SfError(
				409,
				'API_ERROR',
				`The job was created with API version ${job.apiVersion}; request its results with the same version`,
			);
		}
		if (job.state !== 'JobComplete') {
			throw new SfError(
				412,
				'JOB_NOT_COMPLETE',
				`can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${STATUS_NAMES[job.state]}`,
			);
		}
		const params = ex.url.searchParams;
		const maxText = params.get('maxRecords');
		let maxRecords: number | undefined;
		if (maxText !== null) {
			if (!/^\d+$/.test(maxText) || Number(maxText) < 1)
				throw apiError(`Invalid maxRecords: ${maxText}`);
			maxRecords = Number(maxText);
		}
		const locatorText = params.get('locator');
		let offset = 0;
		if (locatorText !== null && locatorText !== '') {
			const decoded = decodeLocator(locatorText, job.apiVersion);
			if (decoded === undefined || decoded >= job.rows.length)
				throw apiError(`Invalid locator: ${locatorText}`);
			offset = decoded;
		}

		const c = controls();
		const pageRecords = maxRecords ?? c.defaultMaxRecords ?? Infinity;
		const gzip = c.gzipLevel !== false && /\bgzip\b/i.test(ex.header('accept-encoding') ?? '');
		const prepared = offset === 0 && job.firstPage ? await job.firstPage : undefined;
		job.firstPage = undefined; // served once; a second read of page 1 writes it again
		const usable =
			prepared &&
			prepared.maxRecords === pageRecords &&
			prepared.pageBytes === c.pageBytes &&
			prepared.gzipLevel === c.gzipLevel
				? prepared
				: undefined;
		const { body, count } = usable ?? csvPage(job, offset, pageRecords, c.pageBytes);
		const next = offset + count;
		const headers = {
			'Sforce-Locator': next < job.rows.length ? encodeLocator(next, job.apiVersion) : 'null',
			'Sforce-NumberOfRecords': String(count),
		};
		if (!gzip) return ex.send(200, body, 'text/csv', headers);
		if (usable?.gzipped) {
			ex.call.status = 200;
			ex.res.writeHead(200, {
				'Content-Type': 'text/csv',
				'Content-Encoding': 'gzip',
				...ex.limitHeader(),
				...headers,
			});
			ex.res.end(usable.gzipped);
			return;
		}
		ex.call.status = 200;
		ex.res.writeHead(200, {
			'Content-Type': 'text/csv',
			'Content-Encoding': 'gzip',
			...ex.limitHeader(),
			...headers,
		});
		await pipeline(Readable.from([body]), createGzip({ level: c.gzipLevel || 1 }), ex.res);
	}
}

/**
 * The first page at the default size (and its gzip, on the thread pool), written after the
 * create call has answered, as Salesforce writes results while the job runs.
 */
function prepareFirstPage(job: BulkQueryJob, c: BulkControls): Promise<PreparedPage> {
	const maxRecords = c.defaultMaxRecords ?? Infinity;
	const { pageBytes, gzipLevel } = c;
	return new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
		const { body, count } = csvPage(job, 0, maxRecords, pageBytes);
		const gzipped =
			gzipLevel === false ? undefined : await gzipAsync(body, { level: gzipLevel || 1 });
		return { maxRecords, pageBytes, gzipLevel, body, gzipped, count };
	});
}

/** The CSV of one results page: the header row, then at most `maxRecords` rows and about `maxBytes`. */
function csvPage(
	job: BulkQueryJob,
	offset: number,
	maxRecords: number,
	maxBytes: number,
): { body: Buffer; count: number } {
	const delimiter = DELIMITERS[job.columnDelimiter];
	const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
	const line = (values: string[]) => values.map(csvQuote).join(delimiter) + eol;
	const parts = [line(job.columns.map((c) => c.header))];
	let bytes = Buffer.byteLength(parts[0]);
	let i = offset;
	const end = Math.min(job.rows.length, offset + maxRecords);
	while (i < end) {
		const text = line(job.values(job.rows[i]));
		const size = Buffer.byteLength(text);
		// Size split: always at least one record per page.
		if (i > offset && bytes + size > maxBytes) break;
		parts.push(text);
		bytes += size;
		i++;
	}
	return { body: Buffer.from(parts.join('')), count: i - offset };
}

/** Every value quoted, inner quotes doubled (Salesforce's examples quote every value). */
const csvQuote = (value: string): string =>
	value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;

/**
 * How a job reads its rows' values. Stored fields are read from the store directly (cheap:
 * 200,000 rows per job); computed ones (UsedLicenses...) only the engine knows, so a query with
 * one reads every row through the engine's record shape.
 */
function rowReader(
	columns: Column[],
	shape: (row: unknown) => Record<string, unknown>,
	store: OrgStore,
): (row: unknown) => string[] {
	if (columns.some((c) => c.field.computed)) {
		return (row) => {
			const record = shape(row);
			return columns.map((c) => {
				let value: unknown = record;
				for (const key of c.keys) {
					if (value === null || value === undefined) break;
					value = (value as Record<string, unknown>)[key];
				}
				return csvText(c.field, value);
			});
		};
	}
	return (row) =>
		columns.map((c) => {
			let record = row as AnyRecord | undefined;
			for (const { via, target } of c.path) {
				record = store.get<AnyRecord>(target, record![via.name] as string | null);
				if (!record) return '';
			}
			return csvText(c.field, record![c.field.name]);
		});
}

/** One value in Bulk API 2.0's CSV form: empty for null, true/false, datetimes in UTC with Z. */
function csvText(field: FieldDef, value: unknown): string {
	if (value === null || value === undefined) return '';
	switch (field.type) {
		case 'datetime': {
			const text = String(value);
			return text.endsWith('+0000') ? `${text.slice(0, -5)}Z` : text;
		}
		case 'double':
			return Number.isInteger(value) ? `${value as number}.0` : String(value);
		default:
			return String(value);
	}
}

/** Resolves "Name", "u.Name" or "Profile.UserLicense.Name" to its CSV column (already validated by the engine). */
function column(root: ObjectDef, raw: string, alias?: string): Column {
	const parts = raw.split('.');
	if (
		parts.length > 1 &&
		(parts[0].toLowerCase() === root.name.toLowerCase() || parts[0] === alias)
	)
		parts.shift();
	let object = root;
	const keys: string[] = [];
	const path: Column['path'] = [];
	for (const part of parts.slice(0, -1)) {
		const via = object.byRelationship.get(part.toLowerCase());
		if (!via?.relationshipName || !via.referenceTo)
			throw new SfError(
				400,
				'INVALID_FIELD',
				`Didn't understand relationship '${part}' in field path.`,
			);
		keys.push(via.relationshipName);
		object = findObject(via.referenceTo)!;
		path.push({ via, target: object.name });
	}
	const field = object.byName.get(parts[parts.length - 1].toLowerCase());
	if (!field)
		throw new SfError(
			400,
			'INVALID_FIELD',
			`No such column '${parts[parts.length - 1]}' on entity '${object.name}'.`,
		);
	keys.push(field.name);
	return { header: keys.join('.'), keys, path, field };
}

/** Job info as create and abort answer it. */
function createInfo(job: BulkQueryJob) {
	return {
		id: job.id,
		operation: job.operation,
		object: job.object,
		createdById: job.createdById,
		createdDate: job.createdDate,
		systemModstamp: job.systemModstamp,
		state: job.state,
		concurrencyMode: 'Parallel',
		contentType: 'CSV',
		apiVersion: job.apiVersion,
		lineEnding: job.lineEnding,
		columnDelimiter: job.columnDelimiter,
	};
}

/** Job info as Get Information About a Query Job answers it. */
function fullInfo(job: BulkQueryJob) {
	const { lineEnding, columnDelimiter, ...head } = createInfo(job);
	return {
		...head,
		jobType: 'V2Query',
		lineEnding,
		columnDelimiter,
		numberRecordsProcessed: job.numberRecordsProcessed,
		retries: job.retries,
		totalProcessingTime: job.totalProcessingTime,
		isPkChunkingSupported: PK_CHUNKING_OBJECTS.has(job.object),
		...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
	};
}

/** apiVersion is a JSON number with one decimal ("apiVersion" : 62.0) in Salesforce's answers. */
function sendJson(ex: Exchange, status: number, body: unknown): void {
	const text = JSON.stringify(body).replace(/"apiVersion":"(\d+\.\d)"/g, '"apiVersion":$1');
	ex.send(status, text, 'application/json;charset=UTF-8');
}
