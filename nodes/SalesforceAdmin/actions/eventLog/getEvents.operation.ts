import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	fieldTypeMap,
	forEachEventRow,
	PerUserSummary,
	SUMMARY_COLUMNS,
} from '../../salesforce/eventLogCsv';
import type { EventLogFilters } from '../../salesforce/eventLogs';
import type { EventLogFile } from '../../salesforce/records';
import { logFileName, mapEventLogFile } from '../../salesforce/eventLogs';
import type { SalesforceSession } from '../../transport';
import { returnAllAndLimit } from '../shared/descriptions';
import { collectBytes, openLogFile } from '../../transport';
import type { ReadOperation } from '../shared/readRunner';
import { addNotice } from '../shared/notices';
import { executeRead } from '../shared/readRunner';
import { InputError } from '../shared/inputError';
import { readLimit } from '../shared/parameters';
import { listLogFiles } from '../../reads/logFiles';
import { eventLogError } from './errors';
import { eventLogFilters, parseEventLogFilters } from './filters';

const show = { resource: ['eventLog'], operation: ['getEvents'] };

type OutputMode = 'rows' | 'perUser' | 'binary';

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
	eventLogFilters('getEvents'),
];

interface Params {
	filters: EventLogFilters;
	output: OutputMode;
	binaryPropertyName: string;
	/** Rows, user summaries or files, by output; undefined = all. */
	limit: number | undefined;
}

const getEvents: ReadOperation<Params, undefined> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const output = this.getNodeParameter('output', itemIndex, 'rows') as OutputMode;
		if (!['rows', 'perUser', 'binary'].includes(output)) {
			throw new InputError('Output', `"${String(output)}" is not one of rows, perUser, binary`);
		}
		let binaryPropertyName = 'data';
		if (output === 'binary') {
			binaryPropertyName = String(
				this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '',
			).trim();
			if (!binaryPropertyName)
				throw new InputError(
					'Put Output File in Field',
					'is empty; give a field name such as data',
				);
		}
		const limit = readLimit(this, itemIndex);
		return { filters: parseEventLogFilters(this, itemIndex), output, binaryPropertyName, limit };
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
			const rowLimit = params.limit ?? Infinity;
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
