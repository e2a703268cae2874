import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { methods } from './methods';
import { triggerDescription } from './trigger/description';
import { pollRouter } from './trigger/router';

export class SalesforceAdminTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription;

	methods = methods;

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollRouter.call(this);
	}
}
