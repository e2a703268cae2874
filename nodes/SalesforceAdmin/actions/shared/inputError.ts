/**
 * Bad input in one field of one item: raised while reading parameters (before any call) and
 * turned into a NodeOperationError that names the item and the field.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemFieldMessage } from '../../salesforce/input';

/** Bad input in one field of one item; becomes a NodeOperationError naming both. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`${field}: ${reason}`);
		this.name = 'InputError';
	}
}

export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	reason: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), itemFieldMessage(itemIndex, field, reason), {
		itemIndex,
		description: 'Fix the value and run the node again.',
	});
}
