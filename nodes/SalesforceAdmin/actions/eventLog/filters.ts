/**
 * The event-log filters Get event log files, Get events and the New Event Log File trigger share:
 * their parameter descriptions and reading them from one item (no network).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { EventLogFilters } from '../../salesforce/eventLogs';
import { EVENT_LOG_DEFAULT_DAYS, INTERVAL_FILTERS } from '../../salesforce/eventLogs';
import { filterValue, nameListValue, oneOfValue } from '../../salesforce/filterValues';
import { filtersCollection, sinceUntilFilters } from '../shared/descriptions';
import { InputError } from '../shared/inputError';
import { readDateRange, readFilters } from '../shared/parameters';

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
	const [eventTypes, ...rest] = eventKindFields;
	return filtersCollection({ resource: ['eventLog'], operation: [operation] }, [
		// once added, the filter needs a pick: removing it is how to ask for every type
		{
			...eventTypes,
			description:
				'Only these event types (Login, API, Report, ...); remove the filter for every type. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		...rest,
		...sinceUntilFilters(EVENT_LOG_DEFAULT_DAYS, 'log files whose log date is'),
	]);
}

/** Reads and checks one item's event-log filters (no network). */
export function parseEventLogFilters(ctx: IExecuteFunctions, itemIndex: number): EventLogFilters {
	const raw = readFilters(ctx, itemIndex);
	const range = readDateRange(ctx, raw, {
		now: DateTime.utc(),
		defaultDays: EVENT_LOG_DEFAULT_DAYS,
	});
	return { range, ...parseEventKind(raw, 'Filters > ') };
}

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
