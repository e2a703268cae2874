import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { WriteRunOptions } from './writeBatch';

/** What a caller may tune in a run; the node passes nothing and gets production behaviour. */
export interface RunOptions {
	write?: WriteRunOptions;
}

/**
 * One operation of the node: its parameters (shown only for its resource and operation) and
 * an execute that receives every input item at once.
 */
export interface OperationModule {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		options?: RunOptions,
	): Promise<INodeExecutionData[]>;
}
