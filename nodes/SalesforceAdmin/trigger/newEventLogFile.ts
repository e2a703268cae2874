/**
 * New Event Log File: EventLogFile records by CreatedDate, in a window that overlaps the previous
 * one by 2 hours (see FILE_OVERLAP_MS). A regenerated file is a new record: it fires too.
 */
import { DateTime } from 'luxon';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { eventLogError, readLogFiles } from '../reads/logFiles';
import type { EventLogFilters } from '../salesforce/eventLogs';
import {
	eventKindFields,
	mapEventLogFile,
	newEventLogFilesQuery,
	parseEventKind,
	recentEventLogFilesQuery,
} from '../salesforce/eventLogs';
import type { InputError } from '../salesforce/input';
import type { WindowCursor } from '../salesforce/pollWindow';
import { initialCursor, windowStep } from '../salesforce/pollWindow';
import type { EventLogFile } from '../salesforce/records';
import type { PollInput, TriggerEvent } from './event';
import { forEvent, SAMPLE_SIZE } from './event';

/**
 * Salesforce writes Event Log Files in a batch job; a file may become readable a while after
 * its CreatedDate. 2 hours covers a slow batch; the window then holds a few hundred files at
 * most (one query page), and files read twice are dropped by ID.
 */
export const FILE_OVERLAP_MS = 2 * 60 * 60_000;
export const FILE_MAX_ROWS = 2000;
export const FILE_MAX_SEEN = 5000;

type Params = Pick<EventLogFilters, 'eventTypes' | 'interval'>;

/** One query; a user without View Event Log Files gets the error that says how to grant it. */
async function readFiles(input: PollInput<Params>, soql: string): Promise<EventLogFile[]> {
	try {
		return await readLogFiles(input.session, soql);
	} catch (error) {
		throw eventLogError(input.ctx, error, 0);
	}
}

export const newEventLogFile: TriggerEvent<Params, WindowCursor> = {
	description: forEvent('newEventLogFile', eventKindFields),

	parse(ctx: IPollFunctions): Params {
		const eventTypes = ctx.getNodeParameter('eventTypes', []);
		const raw: IDataObject = { interval: ctx.getNodeParameter('interval', 'any') };
		// nothing picked = every type: the filter is left out (a present one needs a value)
		if (!(Array.isArray(eventTypes) && eventTypes.length === 0)) raw.eventTypes = eventTypes;
		try {
			return parseEventKind(raw, '');
		} catch (error) {
			const { field, reason } = error as InputError;
			throw new NodeOperationError(ctx.getNode(), `"${field}": ${reason}`);
		}
	},

	configKey: (params) => JSON.stringify([params.eventTypes ?? [], params.interval]),

	/** One file read at activation: the org's clock, and a missing permission shows as an activation error in n8n. */
	async start(input) {
		await readFiles(input, recentEventLogFilesQuery(input.params, 1));
		return initialCursor(input.orgNow());
	},

	async poll(input, cursor) {
		const from = DateTime.fromMillis(cursor.from, { zone: 'utc' });
		const records = await readFiles(
			input,
			newEventLogFilesQuery(from, input.params, FILE_MAX_ROWS),
		);
		const { fresh, cursor: state } = windowStep(cursor, records, (r) => r.CreatedDate, {
			now: input.orgNow(),
			overlapMs: FILE_OVERLAP_MS,
			maxRows: FILE_MAX_ROWS,
			maxSeen: FILE_MAX_SEEN,
		});
		return { items: fresh.map(mapEventLogFile), state };
	},

	async sample(input) {
		return (await readFiles(input, recentEventLogFilesQuery(input.params, SAMPLE_SIZE))).map(
			mapEventLogFile,
		);
	},
};
