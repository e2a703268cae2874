/**
 * Parameters the read operations share: Return All / Limit and the Filters collection. Every
 * value is checked by its kind (salesforce/filterValues.ts): a filter that is present must have
 * a usable value of its own type, only an absent one means "no filter"; a refused value is an
 * InputError naming the field, raised before any call.
 */
import type { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DateRange } from '../../salesforce/dates';
import { parseDateRange } from '../../salesforce/dates';
import type { ValueKind, ValueResult } from '../../salesforce/filterValues';
import {
	booleanValue,
	dateValue,
	filterValue,
	parameterValue,
	wholeNumberValue,
} from '../../salesforce/filterValues';
import { describeValue } from '../../salesforce/safetyOptions';
import { InputError } from '../../salesforce/input';

const FILTERS_LABEL = 'Filters';

/** The value, or an InputError naming `field`. */
function orThrow<T>(field: string, result: ValueResult<T>): T {
	if (!result.ok) throw new InputError(field, result.reason);
	return result.value;
}

/** A top-level parameter of one item (always there, so an empty value is refused). */
export function readParameter<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
	kind: ValueKind<T>,
	fallback?: unknown,
): T {
	return orThrow(field, parameterValue(ctx.getNodeParameter(name, itemIndex, fallback), kind));
}

/**
 * returnAll / limit of a "get many": undefined = all. Return All must be true or false (an
 * expression that gives nothing does not quietly mean "a limit"); Limit a whole number of 1 or
 * more (numeric text such as "30" is accepted).
 */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (readParameter(ctx, itemIndex, 'returnAll', 'Return All', booleanValue, false))
		return undefined;
	return readParameter(ctx, itemIndex, 'limit', 'Limit', wholeNumberValue(1), 50);
}

/** The node's Filters collection of one item; anything but a collection is refused. */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as unknown;
	if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
		throw new InputError(
			FILTERS_LABEL,
			`must be a collection of filters; got ${describeValue(filters)}`,
		);
	}
	return filters as IDataObject;
}

/** One filter of the collection (`label` as the panel shows it): undefined when not added. */
export function readFilter<T>(
	filters: IDataObject,
	key: string,
	label: string,
	kind: ValueKind<T>,
): T | undefined {
	return orThrow(`${FILTERS_LABEL} > ${label}`, filterValue(filters, key, kind));
}

/**
 * The Since / Until filters: until defaults to now, since to `defaultDays` before until; dates
 * without an offset are read in the workflow's time zone; since after until is refused.
 */
export function readDateRange(
	ctx: IExecuteFunctions,
	filters: IDataObject,
	options: { now: DateTime; defaultDays: number },
): DateRange {
	const date = dateValue(ctx.getTimezone());
	const since = readFilter(filters, 'since', 'Since', date);
	const until = readFilter(filters, 'until', 'Until', date);
	const range = parseDateRange({ since, until }, options);
	if (!range.ok)
		throw new InputError(
			`${FILTERS_LABEL} > ${range.field === 'since' ? 'Since' : 'Until'}`,
			range.reason,
		);
	return range.range;
}
