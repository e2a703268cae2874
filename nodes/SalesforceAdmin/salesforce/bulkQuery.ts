/**
 * A Bulk API 2.0 query job, read page by page: create the job, poll its state with backoff,
 * then read results with `Sforce-Locator` until Salesforce says `null`, each page parsed on its
 * own (salesforce/bulkCsv.ts). The HTTP calls come in through BulkQueryIo (the transport), so
 * the job's life, its pacing and its failures are tested without a network.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BulkPageBody, ColumnType } from './bulkCsv';
import { parseBulkResultsStream } from './bulkCsv';

export type BulkJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface BulkJobInfo {
	id: string;
	state: BulkJobState;
	errorMessage?: string | null;
	numberRecordsProcessed?: number;
}

/** The calls of one job; each is one REST API call. */
export interface BulkQueryIo {
	createJob(soql: string, operation: 'query' | 'queryAll'): Promise<BulkJobInfo>;
	jobInfo(jobId: string): Promise<BulkJobInfo>;
	/** One results page, its body as it arrives; `nextLocator` null after the last one (Salesforce's "null"). */
	resultsPage(jobId: string, locator: string | undefined): Promise<BulkResultsPage>;
	abortJob(jobId: string): Promise<void>;
}

export interface BulkResultsPage {
	body: BulkPageBody;
	nextLocator: string | null;
	/** Closes a page that will not be read (the connection of a page asked for ahead). */
	discard?(): void;
}

export interface BulkPacing {
	/** Wait before the first state poll: a job is never done the moment it is created. */
	firstPollMs: number;
	/** Each later wait is this factor longer, up to maxPollMs. */
	factor: number;
	maxPollMs: number;
	/** A job not done by then is aborted and the read fails. */
	timeoutMs: number;
	sleep(ms: number): Promise<void>;
	now(): number;
}

/** The poll times; the clock and the sleep come from the transport (transport/bulk.ts). */
export const BULK_POLL_TIMES: Omit<BulkPacing, 'sleep' | 'now'> = {
	firstPollMs: 500,
	factor: 2,
	maxPollMs: 10_000,
	timeoutMs: 10 * 60_000,
};

/** A job that ended Failed or Aborted, or ran out of time; carries an errorCode like Salesforce's. */
export class BulkJobError extends Error {
	constructor(
		message: string,
		readonly errorCode: string,
		readonly jobId: string,
	) {
		super(message);
		this.name = 'BulkJobError';
	}
}

/** The wait before poll number `poll` (0-based). */
export function pollDelay(
	poll: number,
	pacing: Pick<BulkPacing, 'firstPollMs' | 'factor' | 'maxPollMs'>,
): number {
	return Math.min(pacing.maxPollMs, pacing.firstPollMs * pacing.factor ** poll);
}

/** Polls until the job is JobComplete; Failed, Aborted or too slow -> BulkJobError. */
export async function waitForJob(
	io: BulkQueryIo,
	job: BulkJobInfo,
	pacing: BulkPacing,
): Promise<BulkJobInfo> {
	const started = pacing.now();
	let info = job;
	for (let poll = 0; info.state !== 'JobComplete'; poll++) {
		if (info.state === 'Failed' || info.state === 'Aborted') {
			throw new BulkJobError(
				`Salesforce's Bulk API query job ${info.id} ended ${info.state}: ${info.errorMessage || 'no reason given'}`,
				info.state === 'Failed' ? 'BULK_JOB_FAILED' : 'BULK_JOB_ABORTED',
				info.id,
			);
		}
		const wait = pollDelay(poll, pacing);
		if (pacing.now() - started + wait > pacing.timeoutMs) {
			await io.abortJob(info.id).catch(() => undefined);
			throw new BulkJobError(
				`Salesforce's Bulk API query job ${info.id} was not done after ${Math.round(pacing.timeoutMs / 1000)} seconds; it was aborted`,
				'BULK_JOB_TIMEOUT',
				info.id,
			);
		}
		await pacing.sleep(wait);
		info = await io.jobInfo(info.id);
	}
	return info;
}

export interface BulkQueryOptions {
	includeDeleted?: boolean;
	/** Column types where the name alone does not tell (see columnTypeOf). */
	types?: Readonly<Record<string, ColumnType>>;
	pacing: BulkPacing;
	/** Called with the job ID once it exists (tests, logs). */
	onJob?(jobId: string): void;
}

/**
 * Runs one query as a Bulk API 2.0 job and yields its records in batches of up to 2,000, each
 * results page streamed and parsed as it arrives. The next page is asked for as soon as its
 * locator is known, so Salesforce prepares it while this one is parsed; one page ahead at most,
 * closed unread if the caller stops early.
 */
export async function* bulkQueryPages(
	io: BulkQueryIo,
	soql: string,
	options: BulkQueryOptions,
): AsyncGenerator<IDataObject[]> {
	const pacing = options.pacing;
	const created = await io.createJob(soql, options.includeDeleted ? 'queryAll' : 'query');
	options.onJob?.(created.id);
	await waitForJob(io, created, pacing);

	let pending: Promise<BulkResultsPage> | undefined = io.resultsPage(created.id, undefined);
	let ahead: Promise<BulkResultsPage> | undefined;
	try {
		while (pending) {
			const page: BulkResultsPage = await pending;
			ahead = page.nextLocator === null ? undefined : io.resultsPage(created.id, page.nextLocator);
			// a caller that stops early must not leave an unhandled rejection behind
			ahead?.catch(() => undefined);
			yield* parseBulkResultsStream(page.body, options.types);
			pending = ahead;
			ahead = undefined;
		}
	} finally {
		void ahead?.then(
			(page) => page.discard?.(),
			() => undefined,
		);
	}
}

/** Salesforce's `Sforce-Locator` header -> the next locator, null when there is none. */
export function nextLocatorOf(header: string | string[] | undefined): string | null {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === '' || value === 'null') return null;
	return value;
}
