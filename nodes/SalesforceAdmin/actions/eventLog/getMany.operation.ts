import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EventLogFilters } from '../../salesforce/eventLogs';
import { mapEventLogFile } from '../../salesforce/eventLogs';
import type { SalesforceSession } from '../../transport';
import { returnAllAndLimit } from '../shared/descriptions';
import type { ReadOperation } from '../shared/readRunner';
import { executeRead, toItems } from '../shared/readRunner';
import { readLimit } from '../shared/parameters';
import { listLogFiles } from '../../reads/logFiles';
import { eventLogError } from '../../reads/logFiles';
import { eventLogFilters, parseEventLogFilters } from './filters';

export const description: INodeProperties[] = [
	...returnAllAndLimit('eventLog', 'getMany', 'files'),
	eventLogFilters('getMany'),
];

interface Params {
	filters: EventLogFilters;
	limit: number | undefined;
}

const getEventLogFiles: ReadOperation<Params, undefined> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		return { limit: readLimit(this, itemIndex), filters: parseEventLogFilters(this, itemIndex) };
	},

	async run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: Params,
		itemIndex: number,
	) {
		const files = [];
		try {
			for await (const page of listLogFiles(session, params.filters, params.limit))
				files.push(...page.map(mapEventLogFile));
		} catch (error) {
			throw eventLogError(this, error, itemIndex);
		}
		return toItems(files);
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getEventLogFiles);
}
