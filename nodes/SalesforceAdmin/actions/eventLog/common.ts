/**
 * What Get event log files and Get events share: the filters, listing the files, and the
 * error that says how to grant View Event Log Files.
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parseDateRange } from '../../salesforce/dates';
import type { EventLogFilters } from '../../salesforce/eventLogs';
import {
	buildEventLogFilesQuery,
	EVENT_LOG_DEFAULT_DAYS,
	parseEventTypes,
	parseInterval,
} from '../../salesforce/eventLogs';
import type { SalesforceErrorLike, SalesforceSession } from '../../transport';
import { queryPages, toNodeApiError } from '../../transport';
import { filtersCollection, sinceUntilFilters } from '../shared/descriptions';
import { InputError } from '../shared/inputError';
import { readFilters } from '../shared/parameters';

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

export function eventLogFilters(operation: string): INodeProperties {
	return filtersCollection({ resource: ['eventLog'], operation: [operation] }, [
		...eventKindFields,
		...sinceUntilFilters(EVENT_LOG_DEFAULT_DAYS, 'log files whose log date is'),
	]);
}

/** Reads and checks one item's event-log filters (no network). */
export function parseEventLogFilters(ctx: IExecuteFunctions, itemIndex: number): EventLogFilters {
	const raw = readFilters(ctx, itemIndex);
	const range = parseDateRange(raw, {
		now: DateTime.utc(),
		defaultDays: EVENT_LOG_DEFAULT_DAYS,
		zone: ctx.getTimezone(),
	});
	if (!range.ok)
		throw new InputError(
			range.field === 'since' ? 'Filters > Since' : 'Filters > Until',
			range.reason,
		);
	return { range: range.range, ...parseEventKind(raw, 'Filters > ') };
}

/** Event types and interval as given (no network); throws InputError naming the field. */
export function parseEventKind(
	raw: IDataObject,
	labelPrefix: string,
): Pick<EventLogFilters, 'eventTypes' | 'interval'> {
	const eventTypes = parseEventTypes(raw.eventTypes);
	if (!eventTypes.ok)
		throw new InputError(`${labelPrefix}Event Type Names or IDs`, eventTypes.reason);
	const interval = parseInterval(raw.interval);
	if (!interval)
		throw new InputError(
			`${labelPrefix}Interval`,
			`"${String(raw.interval)}" is not one of any, daily, hourly`,
		);
	return { eventTypes: eventTypes.value, interval };
}

/** The matching EventLogFile records (one call a page of 2,000 files). */
export async function* listLogFiles(
	session: SalesforceSession,
	filters: EventLogFilters,
	limit?: number,
): AsyncGenerator<IDataObject[]> {
	yield* queryPages(session, buildEventLogFilesQuery(filters, limit), { limit });
}

const GRANT_HELP =
	'Reading Event Log Files needs the "View Event Log Files" permission (or "View All Data") and "API Enabled". ' +
	'In Salesforce Setup > Permission Sets, open or create a permission set, under System Permissions enable ' +
	'"View Event Log Files", save, and assign it to the connected user (Manage Assignments). Orgs without Event ' +
	'Monitoring only have the free event types (Login, Logout, API Total Usage, ...), kept for 1 day.';

/**
 * Salesforce hides EventLogFile from users without View Event Log Files (INVALID_TYPE "sObject
 * type 'EventLogFile' is not supported") and refuses the download (INSUFFICIENT_ACCESS / 403):
 * both become an error that says which permission to grant and how.
 */
export function eventLogError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: SalesforceErrorLike & { statusCode?: number },
	itemIndex: number,
): Error {
	if (error instanceof NodeApiError || !isEventLogAccessError(error)) return error as Error;
	const apiError = toNodeApiError(ctx.getNode(), error, itemIndex);
	apiError.message = `The connected user cannot read Event Log Files (${error.errorCode ?? 'HTTP 403'}: ${error.message ?? ''})`;
	apiError.description = GRANT_HELP;
	return apiError;
}

export function isEventLogAccessError(
	error: SalesforceErrorLike & { statusCode?: number },
): boolean {
	const code = error.errorCode ?? error.name ?? '';
	if (code.startsWith('INSUFFICIENT_ACCESS') || code === 'ERROR_HTTP_403' || code === 'FORBIDDEN')
		return true;
	if (error.statusCode === 403) return true;
	return code === 'INVALID_TYPE' && /EventLogFile/i.test(error.message ?? '');
}
