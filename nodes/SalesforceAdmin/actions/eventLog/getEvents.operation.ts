import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../../salesforce/eventLogCsv';
import type { EventLogFilters } from '../../salesforce/eventLogs';
import type { EventLogFile } from '../../salesforce/records';
import {
	DEFAULT_MAX_EVENT_ROWS,
	logFileName,
	logFilesTooLargeForRows,
	mapEventLogFile,
} from '../../salesforce/eventLogs';
import { oneOfValue, textValue, wholeNumberValue } from '../../salesforce/filterValues';
import type { SalesforceSession } from '../../transport';
import { returnAllAndLimit } from '../shared/descriptions';
import { collectBytes, openLogFile } from '../../transport';
import type { ReadOperation } from '../shared/readRunner';
import { addNotice } from '../shared/notices';
import { executeRead } from '../shared/readRunner';
import { readLimit, readParameter } from '../shared/parameters';
import { listLogFiles } from '../../reads/logFiles';
import { eventLogError } from '../../reads/logFiles';
import { eventLogFilters, parseEventLogFilters } from './filters';

const show = { resource: ['eventLog'], operation: ['getEvents'] };

const OUTPUT_MODES = oneOfValue(['rows', 'perUser', 'binary'] as const);

const [returnAll, limit] = returnAllAndLimit('eventLog', 'getEvents', 'events');

export const description: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item per Event',
				value: 'rows',
				description: "Each CSV row as an item, typed by the file's field types, with logFileId",
			},
			{
				name: 'One Summary per User',
				value: 'perUser',
				description:
					'Per user: userId, eventCount, firstEventTime, lastEventTime and eventTypes per user, across all matching files',
			},
			{
				name: 'File as Binary Data',
				value: 'binary',
				description: 'Each Event Log File as a CSV file',
			},
		],
		default: 'rows',
		displayOptions: { show },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { ...show, output: ['binary'] } },
	},
	returnAll,
	{
		...limit,
		// what a limit counts depends on the output
		hint: 'Events for one item per event (reading stops there), users for one summary per user (every file is still read), files for binary data',
	},
	{
		displayName: 'Max Rows',
		name: 'maxRows',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_EVENT_ROWS,
		description:
			'Return All keeps every event in memory as an item: more events than this fail the item instead. For whole large files use One Summary per User or File as Binary Data.',
		displayOptions: { show: { ...show, output: ['rows'], returnAll: [true] } },
	},
	eventLogFilters('getEvents'),
];

interface Params {
	filters: EventLogFilters;
	output: 'rows' | 'perUser' | 'binary';
	binaryPropertyName: string;
	/** Rows, user summaries or files, by output; undefined = all. */
	limit: number | undefined;
	/** Rows mode with Return All: more rows than this fail the item. */
	maxRows: number | undefined;
}

const getEvents: ReadOperation<Params, undefined> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const output = readParameter(this, itemIndex, 'output', 'Output', OUTPUT_MODES, 'rows');
		let binaryPropertyName = 'data';
		if (output === 'binary') {
			binaryPropertyName = readParameter(
				this,
				itemIndex,
				'binaryPropertyName',
				'Put Output File in Field',
				textValue,
				'data',
			);
		}
		const limit = readLimit(this, itemIndex);
		const maxRows =
			output === 'rows' && limit === undefined
				? readParameter(
						this,
						itemIndex,
						'maxRows',
						'Max Rows',
						wholeNumberValue(1),
						DEFAULT_MAX_EVENT_ROWS,
					)
				: undefined;
		return {
			filters: parseEventLogFilters(this, itemIndex),
			output,
			binaryPropertyName,
			limit,
			maxRows,
		};
	},

	async run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: Params,
		itemIndex: number,
	) {
		try {
			const out: INodeExecutionData[] = [];
			const summary = new PerUserSummary();
			// The list first: a query cursor can expire while long files download.
			const files: EventLogFile[] = [];
			// Binary output counts files: only that many are listed and downloaded.
			const fileLimit = params.output === 'binary' ? params.limit : undefined;
			for await (const page of listLogFiles(session, params.filters, fileLimit))
				files.push(...page);
			// Return All in rows mode holds every row: files whose size alone proves more rows
			// than Max Rows are refused before any download.
			if (params.maxRows !== undefined) {
				const { bytes, tooLarge } = logFilesTooLargeForRows(files, params.maxRows);
				if (tooLarge)
					throw tooManyRows(this, itemIndex, params.maxRows, {
						files: files.length,
						bytes,
					});
			}
			const rowLimit = params.limit ?? params.maxRows ?? Infinity;
			let stoppedAtLimit = false;
			for (const file of files) {
				if (stoppedAtLimit) break;
				const body = await openLogFile(session, file.Id, {
					expectedLength: Number(file.LogFileLength),
				});
				if (params.output === 'binary') {
					const data = await this.helpers.prepareBinaryData(
						await collectBytes(body),
						logFileName(file),
						'text/csv',
					);
					out.push({ json: mapEventLogFile(file), binary: { [params.binaryPropertyName]: data } });
					continue;
				}
				const types = fieldTypeMap(file.LogFileFieldNames, file.LogFileFieldTypes);
				if (params.output === 'perUser') {
					const eventType = file.EventType ?? null;
					// Only the columns the summary reads are typed: the rest of each row is never built.
					await forEachEventRow(body, types, (row) => summary.add(row, eventType), {
						only: SUMMARY_COLUMNS,
					});
				} else {
					// Each row object becomes its item's json as it is: the one copy of the rows held.
					const extra = { logFileId: file.Id };
					await forEachEventRow(
						body,
						types,
						(row) => {
							// A row past the limit proves there is more: stop reading (the download is closed).
							if (out.length >= rowLimit) {
								stoppedAtLimit = true;
								return false;
							}
							out.push({ json: row });
							return true;
						},
						{ extra },
					);
				}
			}
			// A row past Max Rows (Return All) fails the item; past the Limit it only cuts the output.
			if (stoppedAtLimit && params.maxRows !== undefined)
				throw tooManyRows(this, itemIndex, params.maxRows);
			if (stoppedAtLimit) addNotice(this, limitNotice(rowLimit));
			// Per user, the limit keeps the most active users; every file was read in full.
			if (params.output === 'perUser')
				return summary
					.items()
					.slice(0, params.limit)
					.map((json) => ({ json }));
			return out;
		} catch (error) {
			throw eventLogError(this, error, itemIndex);
		}
	},
};

const WHOLE_FILES_ADVICE =
	'For whole files use the output "One Summary per User" (every event counted, memory stays flat) or ' +
	'"File as Binary Data" (each file as a CSV), narrow the Filters (event types, since / until), ' +
	'or raise Max Rows if this n8n instance has the memory for that many items.';

/** Return All in rows mode would hold more than Max Rows rows as items. */
function tooManyRows(
	ctx: IExecuteFunctions,
	itemIndex: number,
	maxRows: number,
	beforeDownload?: { files: number; bytes: number },
): NodeOperationError {
	const bound = `Max Rows (${maxRows.toLocaleString('en-US')}) events`;
	let message = `The matching Event Log Files hold more than ${bound}; reading stopped there`;
	if (beforeDownload) {
		const { files, bytes } = beforeDownload;
		const what =
			files === 1
				? 'The matching Event Log File holds'
				: `The ${files} matching Event Log Files hold`;
		message = `${what} ${formatBytes(bytes)} of CSV (LogFileLength), far more than ${bound}; nothing was downloaded`;
	}
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: `Return All with the output "One Item per Event" keeps every event in memory as an item. ${WHOLE_FILES_ADVICE}`,
	});
}

function formatBytes(bytes: number): string {
	const mb = bytes / 2 ** 20;
	return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(1)} MB`;
}

function limitNotice(limit: number): string {
	return (
		`Only the first ${limit} events were returned (Limit), and the rest of the log files was not read. ` +
		'To process whole files, use the output "One Summary per User" (every event counted) or "File as Binary Data", ' +
		'or turn on Return All.'
	);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getEvents);
}
