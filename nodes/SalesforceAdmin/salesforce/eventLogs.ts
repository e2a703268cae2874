/**
 * Event Log Files, the pure part: filters -> SOQL over EventLogFile, record -> output item,
 * and the file list's own shape. CSV parsing of the files lives in eventLogCsv.ts.
 */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import type { DateRange } from './dates';
import { toIsoUtc } from './dates';
import { parseNameList } from './nameList';
import type { EventLogFile } from './records';
import { inList, soqlDateTime, whereAll } from './soql';

export type IntervalFilter = 'daily' | 'hourly' | 'any';

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

export function parseEventTypes(
	raw: unknown,
): { ok: true; value: string[] | undefined } | { ok: false; reason: string } {
	return parseNameList(raw);
}

export function parseInterval(raw: unknown): IntervalFilter | undefined {
	const value = raw === undefined || raw === null || raw === '' ? 'any' : String(raw);
	return (['daily', 'hourly', 'any'] as const).find((i) => i === value);
}

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
