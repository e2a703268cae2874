/**
 * Test-facing counters and fault injection. Every HTTP call is logged with its kind; REST
 * calls count against the daily API limit unless they were refused before authentication.
 */
import type { OAuthApps } from './oauthApps';
import { BulkControls } from './bulk2';
import type { Sessions } from './sessions';

export type CallKind =
	| 'soapLogin'
	| 'soapLogout'
	| 'soap'
	| 'token'
	| 'authorize'
	| 'revoke'
	| 'identity'
	| 'userinfo'
	| 'versions'
	| 'resources'
	| 'query'
	| 'queryMore'
	| 'sobjectGet'
	| 'sobjectPatch'
	| 'collectionsPatch'
	| 'collectionsDelete'
	| 'composite'
	| 'sobjectCreate'
	| 'sobjectDelete'
	| 'describe'
	| 'describeGlobal'
	| 'logFile'
	| 'limits'
	| 'bulkQueryCreate'
	| 'bulkQueryList'
	| 'bulkQueryInfo'
	| 'bulkQueryAbort'
	| 'bulkQueryDelete'
	| 'bulkQueryResults'
	| 'unknown';

/** Kinds that are REST API calls (count against the daily limit, carry Sforce-Limit-Info). */
export const REST_KINDS: ReadonlySet<CallKind> = new Set<CallKind>([
	'versions',
	'resources',
	'query',
	'queryMore',
	'sobjectGet',
	'sobjectPatch',
	'collectionsPatch',
	'collectionsDelete',
	'composite',
	'sobjectCreate',
	'sobjectDelete',
	'describe',
	'describeGlobal',
	'logFile',
	'limits',
	'bulkQueryCreate',
	'bulkQueryList',
	'bulkQueryInfo',
	'bulkQueryAbort',
	'bulkQueryDelete',
	'bulkQueryResults',
]);

export interface CallRecord {
	method: string;
	path: string;
	kind: CallKind;
	status: number;
	soql?: string;
	/** Whether this call counted against the daily API limit. */
	counted: boolean;
	/** Records in the body of a collections PATCH, or IDs of a collections DELETE. */
	records?: number;
	/**
	 * A subrequest of the Composite call logged just before it: logged with its own kind and
	 * status, never counted (the Composite request is the one API call).
	 */
	inComposite?: boolean;
	/**
	 * REST calls with a live session: the user the token belongs to (whom Salesforce runs the
	 * call as) and the OAuth client it was issued to (undefined for a SOAP login session).
	 */
	userId?: string;
	clientId?: string;
}

export class CallLog {
	readonly log: CallRecord[] = [];

	/** Entries of `kind` (Composite subrequests included), or every HTTP call (subrequests not). */
	count(kind?: CallKind): number {
		return kind
			? this.log.filter((c) => c.kind === kind).length
			: this.log.filter((c) => !c.inComposite).length;
	}

	/** REST API calls that counted against the org's limit. */
	total(): number {
		return this.log.filter((c) => c.counted).length;
	}

	/** The SOQL text of every query call, in order. */
	soql(): string[] {
		return this.log.filter((c) => c.soql !== undefined).map((c) => c.soql!);
	}

	reset(): void {
		this.log.length = 0;
	}
}

export interface UpdateRule {
	sobject: string;
	/** Only this record (15 or 18 characters); all records of the sobject when left out. */
	id?: string;
	/** Only when the requested changes match. */
	when?: (changes: Record<string, unknown>) => boolean;
	statusCode: string;
	message: string;
	fields?: string[];
	/** Transient: fail only the first N matching attempts, then let them through. */
	times?: number;
}

/** A LogFile body that goes wrong after `afterBytes` bytes of the (uncompressed) CSV. */
export interface LogFileBodyFault {
	afterBytes: number;
	/**
	 * 'stall': nothing more is sent, the connection stays open; 'cut': the body ends there;
	 * 'trickle': the rest follows one byte every `trickleMs` (200 by default), as a slow or
	 * hostile link would send it, so no idle timeout ever fires.
	 */
	mode: 'stall' | 'cut' | 'trickle';
	trickleMs?: number;
	/** Called when the client closes the connection before the body is complete. */
	onClientClose?: () => void;
	/**
	 * With true the full Content-Length is announced (a cut then closes the connection early);
	 * with false the body is chunked and a cut ends it cleanly, short of LogFileLength.
	 */
	contentLength: boolean;
}

interface PendingRedirect {
	remaining: number;
	location: string;
	kind?: CallKind;
}

interface PendingFailure {
	remaining: number;
	status: number;
	errorCode: string;
	message: string;
	kind?: CallKind;
}

const DEFAULT_MESSAGES: Record<number, [string, string]> = {
	400: ['BAD_REQUEST', 'Bad request'],
	401: ['INVALID_SESSION_ID', 'Session expired or invalid'],
	403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
	404: ['NOT_FOUND', 'The requested resource does not exist'],
	500: [
		'UNKNOWN_EXCEPTION',
		'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)',
	],
	502: ['SERVER_UNAVAILABLE', 'Bad gateway'],
	503: ['SERVER_UNAVAILABLE', 'Server temporarily unavailable'],
};

export class Controls {
	apiUsed = 0;
	apiMax = 5_000_000;
	/** Largest query page; Salesforce's default and maximum is 2,000. */
	maxBatchSize = 2000;
	/**
	 * gzip level for LogFile downloads asked for with Accept-Encoding: gzip (1 = fastest;
	 * Salesforce's level is not specified), or false to always answer uncompressed.
	 */
	gzipLevel: number | false = 1;
	/** JSON answers gzip-compressed when the client accepts gzip (Salesforce does this). */
	gzipJson = false;
	/** Artificial delay per response, in ms (0 = none). */
	latencyMs = 0;
	/**
	 * When set, a refused SOAP login echoes what this returns for the password it was sent
	 * (password + security token), put into the faultstring as it is: already XML, so the test
	 * chooses the escaping (&amp;, &#39;, ...), as a server or proxy might echo it.
	 */
	echoPasswordInLoginFault: ((password: string) => string) | undefined = undefined;
	readonly updateRules: UpdateRule[] = [];
	readonly hidden = new Map<string, Set<string>>();
	/** Objects no session may see (lower-cased names): see hideObjects. */
	readonly hiddenObjects = new Set<string>();
	/** Bulk API 2.0 query jobs: polling, page sizes, injected failures (see bulk2.ts). */
	readonly bulk = new BulkControls();
	private readonly failures: PendingFailure[] = [];
	/** Where SOAP login and the OAuth token endpoint say the org lives (default: the org's URL). */
	instanceUrl?: string;
	private readonly redirects: PendingRedirect[] = [];
	private readonly expiries = new Map<CallKind, { seen: number; on: Set<number> }>();
	private readonly bodyFaults: Array<{ remaining: number; fault: LogFileBodyFault }> = [];

	constructor(private readonly sessions: Sessions) {}

	/** OAuth apps (register, policies, JWT keys), approvals, token request counters, OAuth clock. */
	get oauth(): OAuthApps {
		return this.sessions.oauth;
	}

	/**
	 * Every session and access token issued so far (or only those issued to `clientId`) answers
	 * 401 INVALID_SESSION_ID from now on.
	 */
	expireSessions(clientId?: string): void {
		this.sessions.expireAll(clientId);
	}

	/**
	 * The next `n` matching calls (REST, or of `kind`) fail with `status` and Salesforce's error
	 * body. A 401 makes jsforce refresh the session, as a real expiry would.
	 */
	failNext(n: number, status: number, errorCode?: string, message?: string, kind?: CallKind): void {
		const [defaultCode, defaultMessage] = DEFAULT_MESSAGES[status] ?? [
			'UNKNOWN_EXCEPTION',
			`HTTP ${status}`,
		];
		this.failures.push({
			remaining: n,
			status,
			errorCode: errorCode ?? defaultCode,
			message: message ?? defaultMessage,
			kind,
		});
	}

	/**
	 * The instance URL SOAP login (serverUrl) and OAuth token answers (instance_url) hand out,
	 * as a compromised or spoofed login server would; undefined restores the org's own URL.
	 */
	setInstanceUrl(url: string | undefined): void {
		this.instanceUrl = url;
	}

	/** The next `n` matching REST calls (or of `kind`) answer 302 with this Location. */
	redirectNext(n: number, location: string, kind?: CallKind): void {
		this.redirects.push({ remaining: n, location, kind });
	}

	/**
	 * Every session expires as the given calls of `kind` arrive (1-based, counted from now), so
	 * a run meets a real expiry more than once: e.g. expireSessionsOnCall('logFile', 1, 3).
	 */
	expireSessionsOnCall(kind: CallKind, ...calls: number[]): void {
		this.expiries.set(kind, { seen: 0, on: new Set(calls) });
	}

	/** The next `n` LogFile downloads go wrong this way (sent uncompressed). */
	failLogFileBody(n: number, fault: LogFileBodyFault): void {
		this.bodyFaults.push({ remaining: n, fault: { ...fault } });
	}

	/** Sets the daily API usage shown in Sforce-Limit-Info and /limits. */
	setApiUsage(used: number, max: number = this.apiMax): void {
		this.apiUsed = used;
		this.apiMax = max;
	}

	/** Revokes one refresh token, or all: refreshing then fails with invalid_grant. */
	revokeRefreshToken(token?: string): void {
		this.sessions.revokeRefresh(token);
	}

	/** A save rule: matching updates fail with this statusCode and message (per record). */
	addUpdateRule(rule: UpdateRule): void {
		this.updateRules.push({ ...rule });
	}

	clearUpdateRules(): void {
		this.updateRules.length = 0;
	}

	/** Field-level security: the fields vanish from describe and SOQL answers INVALID_FIELD. */
	hideFields(sobject: string, fields: string[]): void {
		const set = this.hidden.get(sobject.toLowerCase()) ?? new Set<string>();
		for (const field of fields) set.add(field.toLowerCase());
		this.hidden.set(sobject.toLowerCase(), set);
	}

	showAllFields(): void {
		this.hidden.clear();
	}

	/**
	 * Objects the connected users may not see (as Salesforce hides PackageLicense from Customer
	 * Portal users): SOQL answers INVALID_TYPE, REST 404 NOT_FOUND, describeGlobal leaves them out.
	 */
	hideObjects(...sobjects: string[]): void {
		for (const sobject of sobjects) this.hiddenObjects.add(sobject.toLowerCase());
	}

	showAllObjects(): void {
		this.hiddenObjects.clear();
	}

	/** Caps query pages below 2,000 (Salesforce shrinks pages for wide rows too). */
	setBatchSize(max: number): void {
		this.maxBatchSize = max;
	}

	/** LogFile compression: a gzip level (1..9), or false to ignore Accept-Encoding. */
	setLogFileCompression(level: number | false): void {
		this.gzipLevel = level;
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	isHidden(sobject: string, field: string): boolean {
		return this.hidden.get(sobject.toLowerCase())?.has(field.toLowerCase()) ?? false;
	}

	/** @internal Before a REST call is authenticated: scheduled expiries. */
	beforeRestCall(kind: CallKind): void {
		const expiry = this.expiries.get(kind);
		if (expiry && expiry.on.has(++expiry.seen)) this.sessions.expireAll();
	}

	/** @internal Takes the injected redirect for a REST call, if one is pending. */
	takeRedirect(kind: CallKind): string | undefined {
		const index = this.redirects.findIndex((r) => r.remaining > 0 && (!r.kind || r.kind === kind));
		if (index < 0) return undefined;
		const redirect = this.redirects[index];
		if (--redirect.remaining <= 0) this.redirects.splice(index, 1);
		return redirect.location;
	}

	/** @internal Takes the injected body fault for a LogFile download, if one is pending. */
	takeLogFileFault(): LogFileBodyFault | undefined {
		const pending = this.bodyFaults[0];
		if (!pending) return undefined;
		if (--pending.remaining <= 0) this.bodyFaults.shift();
		return pending.fault;
	}

	/** @internal Takes the injected failure for a call, if one is pending for it. */
	takeFailure(kind: CallKind, isRest: boolean): PendingFailure | undefined {
		const index = this.failures.findIndex(
			(f) => f.remaining > 0 && (f.kind ? f.kind === kind : isRest),
		);
		if (index < 0) return undefined;
		const failure = this.failures[index];
		if (--failure.remaining <= 0) this.failures.splice(index, 1);
		return failure;
	}
}
