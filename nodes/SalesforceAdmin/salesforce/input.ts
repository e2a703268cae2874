/**
 * A parameter value as read from one item: the value, or the field (as the node panel names it)
 * and why the value can't be used. Nothing here calls Salesforce.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

/**
 * The one wording of bad input, for reads and writes alike: the item, the field as the node
 * panel names it, and why, e.g. `Item 0, "Filters > Since": "soon" is not a date`.
 */
export function itemFieldMessage(itemIndex: number, field: string, reason: string): string {
	return `Item ${itemIndex}, "${field}": ${reason}`;
}
