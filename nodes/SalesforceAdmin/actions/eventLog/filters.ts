/**
 * The event-log filters of Get event log files and Get events: their parameter descriptions and
 * reading them from one item (no network). The event types and interval, which the New Event
 * Log File trigger shares, are in salesforce/eventLogs.ts.
 */
import { DateTime } from 'luxon';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { EventLogFilters } from '../../salesforce/eventLogs';
import {
	EVENT_LOG_DEFAULT_DAYS,
	eventKindFields,
	parseEventKind,
} from '../../salesforce/eventLogs';
import { filtersCollection, sinceUntilFilters } from '../shared/descriptions';
import { readDateRange, readFilters } from '../shared/parameters';

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
