/** Parameters the read operations share: Return All / Limit and the Filters collection. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from './inputError';

/** returnAll / limit of a "get many": undefined = all; a limit below 1 is refused. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const raw = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new InputError('Limit', `"${String(raw)}" is not a whole number of 1 or more`);
	}
	return limit;
}

/** The node's Filters collection of one item. */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject) ?? {};
}
