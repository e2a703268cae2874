/**
 * The Salesforce Admin node with a run tuning of its own (shorter deadlines and retry pauses, a
 * lower Bulk threshold, quicker Bulk polls): its execute hands the tuning to the run, then runs
 * the node's own execute. n8n constructs the node without one: its runs use the defaults.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import type { SessionTuning } from '../../nodes/SalesforceAdmin/transport';
import { tuneRun } from '../../nodes/SalesforceAdmin/transport';

export class TunedSalesforceAdmin extends SalesforceAdmin {
	constructor(tuning: SessionTuning) {
		super();
		const execute = SalesforceAdmin.prototype.execute;
		this.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			tuneRun(this, tuning);
			return await execute.call(this);
		};
	}
}
