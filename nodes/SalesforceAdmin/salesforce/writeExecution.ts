/**
 * Executes planned writes with safe retries. The I/O (the Collections update, the state
 * re-read, the pause) is passed in, so the retry logic is tested on its own.
 *
 * Why retries are safe here: a record is only ever rewritten after its current state has been
 * read again, and only with the fields that still differ from the wanted values. A call whose
 * effect is unknown (HTTP 5xx, a dropped connection) is never simply repeated: re-reading tells
 * whether it was applied.
 */
import type { FieldValues, TargetState, UserOutcome, UserWrite, WriteError } from './writePlan';
import { COLLECTION_LIMIT } from './limits';
import { diffValues } from './writePlan';

/** One record's answer from sObject Collections. */
export interface RecordSaveResult {
	id: string | null;
	success: boolean;
	errors: Array<{ statusCode: string; message: string }>;
}

/** A record to update: its ID and the fields to set. */
export type WriteRecord = { Id: string; [field: string]: string | boolean };

export interface WriteIo {
	/** One sObject Collections update call (at most `chunkSize` records), results in input order. */
	update(records: WriteRecord[]): Promise<RecordSaveResult[]>;
	/** Fresh state of the users' target records, by user ID. */
	readState(userIds: string[]): Promise<Map<string, TargetState>>;
	sleep(ms: number): Promise<void>;
}

export interface ExecuteOptions {
	/** How many times a transient failure is retried (after the first attempt). */
	maxRetries: number;
	/** Pause before the first retry; doubles after each. */
	backoffMs: number;
	chunkSize: number;
	/** Adds admin guidance to a record's error (e.g. deactivation blockers). */
	guidance?(error: WriteError): string | undefined;
}

export const DEFAULT_EXECUTE_OPTIONS: Readonly<ExecuteOptions> = Object.freeze({
	maxRetries: 2,
	backoffMs: 300,
	chunkSize: COLLECTION_LIMIT,
});

/** Record errors that mean "not applied, try again shortly". */
const RETRYABLE_RECORD_CODES = new Set([
	'UNABLE_TO_LOCK_ROW',
	'SERVER_UNAVAILABLE',
	'REQUEST_RUNNING_TOO_LONG',
]);

/**
 * Whole-call errors that mean Salesforce refused the request before doing anything (4xx
 * answers): nothing was applied and repeating the call would be refused again.
 */
const REJECTED_CALL_CODES = new Set([
	'REQUEST_LIMIT_EXCEEDED',
	'INSUFFICIENT_ACCESS',
	'INSUFFICIENT_ACCESS_OR_READONLY',
	'API_DISABLED_FOR_ORG',
	'API_CURRENTLY_DISABLED',
	'INVALID_SESSION_ID',
	'INVALID_LOGIN',
	'INVALID_AUTH_HEADER',
	'invalid_grant',
	'INVALID_FIELD',
	'INVALID_TYPE',
	'MALFORMED_ID',
	'JSON_PARSER_ERROR',
	'NOT_FOUND',
	'METHOD_NOT_ALLOWED',
	'FUNCTIONALITY_NOT_ENABLED',
	'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
	'EXCEEDED_ID_LIMIT',
]);

export interface CallErrorLike {
	errorCode?: string;
	name?: string;
	message?: string;
	code?: string;
}

export function errorOfCall(error: CallErrorLike): WriteError {
	return {
		code: error.errorCode ?? error.code ?? error.name ?? 'UNKNOWN_ERROR',
		message: error.message ?? 'Salesforce returned an error',
	};
}

/** True when a failed call certainly changed nothing (a 4xx refusal). */
export function isRejectedCall(error: CallErrorLike): boolean {
	const code = errorOfCall(error).code;
	if (REJECTED_CALL_CODES.has(code)) return true;
	const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
	return (
		!!http &&
		Number(http[1]) >= 400 &&
		Number(http[1]) < 500 &&
		http[1] !== '408' &&
		http[1] !== '429'
	);
}

interface Pending {
	write: UserWrite;
	/** Target values this write wants (used to re-plan after a re-read). */
	wanted: FieldValues;
}

type Unresolved = { pending: Pending; error: WriteError; effectUnknown: boolean };

/**
 * Writes every planned user and returns each user's outcome. Per-record failures that are
 * transient (UNABLE_TO_LOCK_ROW) and whole calls that failed without a clear refusal are retried
 * at most `maxRetries` times, each time after re-reading the state of exactly those users.
 */
export async function executeWrites(
	writes: readonly UserWrite[],
	io: WriteIo,
	options: ExecuteOptions = DEFAULT_EXECUTE_OPTIONS,
): Promise<Map<string, UserOutcome>> {
	const outcomes = new Map<string, UserOutcome>();
	let pending: Pending[] = writes.map((write) => ({ write, wanted: { ...write.patch } }));

	for (let attempt = 0; pending.length > 0; attempt++) {
		const unresolved = await writeOnce(pending, io, options, outcomes);
		if (unresolved.length === 0) break;

		const lastAttempt = attempt >= options.maxRetries;
		if (lastAttempt && unresolved.every((u) => !u.effectUnknown)) {
			for (const u of unresolved) outcomes.set(u.pending.write.userId, failed(u.error, options));
			break;
		}
		if (!lastAttempt) await io.sleep(options.backoffMs * 2 ** attempt);

		// Re-read before anything else: this is what keeps a retry from double-applying.
		let fresh: Map<string, TargetState>;
		try {
			fresh = await io.readState(unresolved.map((u) => u.pending.write.userId));
		} catch (readError) {
			for (const u of unresolved)
				outcomes.set(u.pending.write.userId, unknownOutcome(u, readError));
			break;
		}

		pending = [];
		for (const u of unresolved) {
			const { write, wanted } = u.pending;
			const state = fresh.get(write.userId);
			if (!state) {
				outcomes.set(write.userId, failed(u.error, options));
				continue;
			}
			const stillNeeded = diffValues(state.values, wanted);
			if (Object.keys(stillNeeded).length === 0) {
				outcomes.set(
					write.userId,
					u.effectUnknown
						? { kind: 'changed', note: `confirmed by re-reading after ${u.error.code}` }
						: {
								kind: 'unchanged',
								reason: `Already as wanted when re-read after ${u.error.code} (changed by someone else meanwhile)`,
							},
				);
			} else if (lastAttempt) {
				outcomes.set(write.userId, failed(u.error, options));
			} else {
				pending.push({ write: { ...write, recordId: state.recordId, patch: stillNeeded }, wanted });
			}
		}
	}
	return outcomes;
}

/** One pass over the pending writes, in Collections calls of chunkSize records. */
async function writeOnce(
	pending: readonly Pending[],
	io: WriteIo,
	options: ExecuteOptions,
	outcomes: Map<string, UserOutcome>,
): Promise<Unresolved[]> {
	const unresolved: Unresolved[] = [];
	for (let start = 0; start < pending.length; start += options.chunkSize) {
		const chunk = pending.slice(start, start + options.chunkSize);
		let results: RecordSaveResult[];
		try {
			results = await io.update(chunk.map((p) => ({ Id: p.write.recordId, ...p.write.patch })));
		} catch (callError) {
			const error = errorOfCall(callError as CallErrorLike);
			const rejected = isRejectedCall(callError as CallErrorLike);
			for (const p of chunk) {
				if (rejected) outcomes.set(p.write.userId, failed(error, options));
				else unresolved.push({ pending: p, error, effectUnknown: true });
			}
			continue;
		}
		chunk.forEach((p, i) => {
			const result = results[i];
			if (!result) {
				// Salesforce answered for fewer records than sent: this one's fate is unknown.
				unresolved.push({
					pending: p,
					error: {
						code: 'OUTCOME_UNKNOWN',
						message: 'Salesforce returned no result for this record',
					},
					effectUnknown: true,
				});
			} else if (result.success) {
				outcomes.set(p.write.userId, { kind: 'changed' });
			} else {
				const first = result.errors[0] ?? {
					statusCode: 'UNKNOWN_ERROR',
					message: 'Salesforce did not save the record',
				};
				const error = { code: first.statusCode, message: first.message };
				if (RETRYABLE_RECORD_CODES.has(first.statusCode))
					unresolved.push({ pending: p, error, effectUnknown: false });
				else outcomes.set(p.write.userId, failed(error, options));
			}
		});
	}
	return unresolved;
}

function failed(error: WriteError, options: ExecuteOptions): UserOutcome {
	const guidance = options.guidance?.(error);
	return { kind: 'failed', error: guidance ? { ...error, guidance } : error };
}

/** A write whose effect could not be established: say so rather than guess. */
function unknownOutcome(u: Unresolved, readError: unknown): UserOutcome {
	if (!u.effectUnknown) return { kind: 'failed', error: u.error };
	const read = errorOfCall(readError as CallErrorLike);
	return {
		kind: 'failed',
		error: {
			code: 'OUTCOME_UNKNOWN',
			message: `The write call failed (${u.error.code}: ${u.error.message}) and re-reading the user failed too (${read.code}: ${read.message}); check this user in Salesforce before running again`,
		},
	};
}
