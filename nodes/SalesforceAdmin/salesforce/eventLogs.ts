/**
 * Event Log Files, the pure part: filters -> SOQL over EventLogFile, record -> output item,
 * and the file list's own shape. CSV parsing of the files lives in eventLogCsv.ts.
 */
import type { DateTime } from 'luxon';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { DateRange } from './dates';
import { toIsoUtc } from './dates';
import { filterValue, nameListValue, oneOfValue } from './filterValues';
import { InputError } from './input';
import type { EventLogFile } from './records';
import { inList, soqlDateTime, whereAll } from './soql';

export const INTERVAL_FILTERS = ['any', 'daily', 'hourly'] as const;
export type IntervalFilter = (typeof INTERVAL_FILTERS)[number];

export interface EventLogFilters {
	range: DateRange;
	eventTypes?: string[];
	interval: IntervalFilter;
}

/** Event Log Files are kept 30 days (1 day without Event Monitoring): the default range. */
export const EVENT_LOG_DEFAULT_DAYS = 30;

export const EVENT_LOG_FILE_FIELDS = [
	'Id',
	'EventType',
	'LogDate',
	'Interval',
	'Sequence',
	'LogFileLength',
	'LogFileFieldNames',
	'LogFileFieldTypes',
] as const;

/**
 * Common event types, offered when the org's EventLogFile describe cannot be read. Salesforce
 * adds types often; any other name can still be typed via an expression.
 */
export const COMMON_EVENT_TYPES = [
	'API',
	'ApexCallout',
	'ApexExecution',
	'ApexRestApi',
	'ApexSoap',
	'ApexTrigger',
	'ApexUnexpectedException',
	'AsyncReportRun',
	'BulkApi',
	'BulkApi2',
	'ChangeSetOperation',
	'ConcurrentLongRunningApexLimit',
	'Console',
	'ContentDistribution',
	'ContentDocumentLink',
	'ContentTransfer',
	'CSPViolation',
	'DocumentAttachmentDownloads',
	'FlowExecution',
	'InsecureExternalAssets',
	'KnowledgeArticleView',
	'LightningError',
	'LightningInteraction',
	'LightningPageView',
	'LightningPerformance',
	'Login',
	'LoginAs',
	'Logout',
	'MetadataApiOperation',
	'MultiBlockReport',
	'PackageInstall',
	'PlatformEncryption',
	'QueuedExecution',
	'Report',
	'ReportExport',
	'RestApi',
	'Sandbox',
	'Search',
	'SearchClick',
	'Sites',
	'TimeBasedWorkflow',
	'TransactionSecurity',
	'UITracking',
	'URI',
	'VisualforceRequest',
	'WaveChange',
	'WaveInteraction',
	'WavePerformance',
] as const;

/** SOQL over EventLogFile, newest first; LogDate is the start of the period a file covers. */
export function buildEventLogFilesQuery(filters: EventLogFilters, limit?: number): string {
	const conditions = [
		`LogDate >= ${soqlDateTime(filters.range.since)}`,
		`LogDate <= ${soqlDateTime(filters.range.until)}`,
		...eventLogKindConditions(filters),
	];
	return (
		`SELECT ${EVENT_LOG_FILE_FIELDS.join(', ')} FROM EventLogFile` +
		whereAll(conditions) +
		' ORDER BY LogDate DESC, EventType' +
		(limit !== undefined ? ` LIMIT ${limit}` : '')
	);
}

/** The event type and interval conditions, shared by the file list and the trigger. */
export function eventLogKindConditions(
	filters: Pick<EventLogFilters, 'eventTypes' | 'interval'>,
): Array<string | false | undefined> {
	return [
		filters.eventTypes && `EventType IN ${inList(filters.eventTypes)}`,
		filters.interval === 'daily' && `Interval = 'Daily'`,
		filters.interval === 'hourly' && `Interval = 'Hourly'`,
	];
}

/**
 * The trigger's window: files Salesforce created at or after `from`, oldest first, one page at
 * most. CreatedDate, not LogDate: a day's file appears hours after the day it covers, and a
 * regenerated file (same type and date, next Sequence) is a new record with a new CreatedDate.
 */
export function newEventLogFilesQuery(
	from: DateTime,
	filters: Pick<EventLogFilters, 'eventTypes' | 'interval'>,
	maxRows: number,
): string {
	return (
		`SELECT ${EVENT_LOG_FILE_FIELDS.join(', ')}, CreatedDate FROM EventLogFile` +
		whereAll([`CreatedDate >= ${soqlDateTime(from)}`, ...eventLogKindConditions(filters)]) +
		` ORDER BY CreatedDate ASC, Id ASC LIMIT ${maxRows}`
	);
}

/** The most recent matching files, newest first (the trigger's manual test). */
export function recentEventLogFilesQuery(
	filters: Pick<EventLogFilters, 'eventTypes' | 'interval'>,
	limit: number,
): string {
	return (
		`SELECT ${EVENT_LOG_FILE_FIELDS.join(', ')}, CreatedDate FROM EventLogFile` +
		whereAll(eventLogKindConditions(filters)) +
		` ORDER BY CreatedDate DESC, Id DESC LIMIT ${limit}`
	);
}

/** An EventLogFile record -> the design's output item (the field lists are kept for parsing). */
export function mapEventLogFile(record: EventLogFile): IDataObject {
	return {
		id: record.Id ?? null,
		eventType: record.EventType ?? null,
		logDate: toIsoUtc(record.LogDate),
		interval: record.Interval ?? null,
		sequence: typeof record.Sequence === 'number' ? record.Sequence : null,
		logFileLength: typeof record.LogFileLength === 'number' ? record.LogFileLength : null,
	};
}

/** File name for binary output: Login-2024-05-31-0AT....csv */
export function logFileName(file: EventLogFile): string {
	const day = typeof file.LogDate === 'string' ? file.LogDate.slice(0, 10) : 'unknown-date';
	const hour =
		file.Interval === 'Hourly' && typeof file.LogDate === 'string'
			? `T${file.LogDate.slice(11, 13)}`
			: '';
	const safe = (v: unknown) => String(v ?? '').replace(/[^A-Za-z0-9_-]/g, '_');
	return `${safe(file.EventType)}-${day}${hour}-${safe(file.Id)}.csv`;
}

/**
 * Get events in rows mode with Return All holds every row as an n8n item (a node returns all
 * its items at once), so it is bounded: Max Rows, counted while the files are read.
 */
export const DEFAULT_MAX_EVENT_ROWS = 100_000;

/**
 * A generous size of one Event Log File row, for the check before any download: files of more
 * than `maxRows` × this many bytes (LogFileLength) hold more than `maxRows` rows unless their
 * rows average more than 16 KB, which event rows (a few hundred bytes to a few KB) do not; so no
 * download is spent on them. Below that, the rows are counted while they are read.
 */
export const EVENT_ROW_BYTES_CEILING = 16 * 1024;

/** The files' CSV size (LogFileLength), and whether it alone proves more than `maxRows` rows. */
export function logFilesTooLargeForRows(
	files: ReadonlyArray<Pick<EventLogFile, 'LogFileLength'>>,
	maxRows: number,
): { bytes: number; tooLarge: boolean } {
	const bytes = files.reduce((sum, file) => sum + (Number(file.LogFileLength) || 0), 0);
	return { bytes, tooLarge: bytes > maxRows * EVENT_ROW_BYTES_CEILING };
}

/** Event types and interval: the filters of the file list and the trigger's parameters. */
export const eventKindFields: INodeProperties[] = [
	{
		displayName: 'Event Type Names or IDs',
		name: 'eventTypes',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEventTypes' },
		default: [],
		description:
			'Only these event types (Login, API, Report, ...); all when none is picked. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Daily', value: 'daily' },
			{ name: 'Hourly', value: 'hourly' },
		],
		default: 'any',
		description: 'Daily files, hourly files (Event Monitoring orgs with hourly logs), or both',
	},
];

/**
 * Event types and interval (no network); throws InputError naming the field. Absent = every
 * type, any interval; a key that is present must have a usable value (filterValues.ts), so the
 * trigger leaves out an Event Types list with nothing picked.
 */
export function parseEventKind(
	raw: IDataObject,
	labelPrefix: string,
): Pick<EventLogFilters, 'eventTypes' | 'interval'> {
	const eventTypes = filterValue(raw, 'eventTypes', nameListValue);
	if (!eventTypes.ok)
		throw new InputError(`${labelPrefix}Event Type Names or IDs`, eventTypes.reason);
	const interval = filterValue(raw, 'interval', oneOfValue(INTERVAL_FILTERS));
	if (!interval.ok) throw new InputError(`${labelPrefix}Interval`, interval.reason);
	return { eventTypes: eventTypes.value, interval: interval.value ?? 'any' };
}

/** What an access error of Event Log Files is told by: Salesforce's code, message, HTTP status. */
export interface EventLogErrorLike {
	errorCode?: string;
	name?: string;
	message?: string;
	statusCode?: number;
}

/** How to grant View Event Log Files: the description of the error that says it is missing. */
export const EVENT_LOG_GRANT_HELP =
	'Reading Event Log Files needs the "View Event Log Files" permission (or "View All Data") and "API Enabled". ' +
	'In Salesforce Setup > Permission Sets, open or create a permission set, under System Permissions enable ' +
	'"View Event Log Files", save, and assign it to the connected user (Manage Assignments). Orgs without Event ' +
	'Monitoring only have the free event types (Login, Logout, API Total Usage, ...), kept for 1 day.';

/**
 * Salesforce hides EventLogFile from users without View Event Log Files (INVALID_TYPE "sObject
 * type 'EventLogFile' is not supported") and refuses the download (INSUFFICIENT_ACCESS / 403).
 */
export function isEventLogAccessError(error: EventLogErrorLike): boolean {
	const code = error.errorCode ?? error.name ?? '';
	if (code.startsWith('INSUFFICIENT_ACCESS') || code === 'ERROR_HTTP_403' || code === 'FORBIDDEN')
		return true;
	if (error.statusCode === 403) return true;
	return code === 'INVALID_TYPE' && /EventLogFile/i.test(error.message ?? '');
}
