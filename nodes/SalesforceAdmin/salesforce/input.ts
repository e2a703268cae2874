/**
 * A parameter value as read from one item: the value, or the field (as the node panel names it)
 * and why the value can't be used. Nothing here calls Salesforce.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

/**
 * Bad input in one field of one item: raised while reading parameters (before any call), by the
 * operations and the trigger alike. The operations turn it into a NodeOperationError naming the
 * item and the field (actions/shared/readRunner.ts), the trigger into one naming the field.
 */
export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`${field}: ${reason}`);
		this.name = 'InputError';
	}
}

/**
 * The one wording of bad input, for reads and writes alike: the item, the field as the node
 * panel names it, and why, e.g. `Item 0, "Filters > Since": "soon" is not a date`.
 */
export function itemFieldMessage(itemIndex: number, field: string, reason: string): string {
	return `Item ${itemIndex}, "${field}": ${reason}`;
}
