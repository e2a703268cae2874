/**
 * The event-log filters Get event log files, Get events and the New Event Log File trigger share:
 * their parameter descriptions and reading them from one item (no network).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseDateRange } from '../../salesforce/dates';
import type { EventLogFilters } from '../../salesforce/eventLogs';
import { EVENT_LOG_DEFAULT_DAYS, parseEventTypes, parseInterval } from '../../salesforce/eventLogs';
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
