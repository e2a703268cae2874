/**
 * A parameter value as read from one item: the value, or the field (as the node panel names it)
 * and why the value can't be used. Nothing here calls Salesforce.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };
