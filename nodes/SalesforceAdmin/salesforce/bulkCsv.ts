/**
 * Bulk API 2.0 query results, the pure part: one results page (a CSV file of its own, with its
 * own header row) -> records shaped like REST query records, so the code after a read never
 * knows which API served it. Typed by column: booleans and numbers as such, an empty value as
 * null, dotted relationship columns (`Profile.UserLicense.Name`) back into nested objects.
 */
import type { IDataObject } from 'n8n-workflow';

import { CsvRowReader } from './csvRows';

export type ColumnType = 'boolean' | 'number' | 'string';

/**
 * The type of a column, from its field name (the last segment of a dotted column): CSV carries
 * no types, and the node only reads fields it knows. Anything else stays text, as REST gives it.
 */
export function columnTypeOf(column: string): ColumnType {
	const field = column.slice(column.lastIndexOf('.') + 1);
	if (/^(Is[A-Z]|UserPermissions|Permissions[A-Z])/.test(field)) return 'boolean';
	if (NUMBER_FIELDS.has(field)) return 'number';
	return 'string';
}

const NUMBER_FIELDS = new Set([
	'TotalLicenses',
	'UsedLicenses',
	'Sequence',
	'LogFileLength',
	'NumberOfFailedLogins',
]);

/** One CSV text value -> the value REST would have given; throws on a value of the wrong type. */
export function typedValue(
	text: string,
	type: ColumnType,
	column: string,
): string | number | boolean | null {
	if (text === '') return null;
	if (type === 'string') return text;
	if (type === 'boolean') {
		if (text === 'true') return true;
		if (text === 'false') return false;
	} else {
		const n = Number(text);
		if (Number.isFinite(n)) return n;
	}
	throw new Error(`Bulk API result column "${column}" has "${text}", which is not a ${type}`);
}

interface ColumnPlan {
	path: string[];
	type: ColumnType;
	column: string;
	/** The column's values so far, while it has few distinct ones (see sharedText). */
	values: Map<string, string> | undefined;
}

/** Distinct values a text column may have and still share its strings. */
const SHARED_VALUES_MAX = 2000;
/** Longer values are never shared (IDs, URLs, free text: mostly distinct). */
const SHARED_VALUE_LENGTH_MAX = 40;

/**
 * One string per distinct value of a column with few of them (Status, LoginType, Browser,
 * CountryIso...): 200,000 rows then keep a few hundred strings instead of 200,000, so the
 * records hold less memory and the garbage collector has fewer survivors to move while a page is
 * read. A column that turns out to have many distinct values stops sharing.
 */
function sharedText(plan: ColumnPlan, text: string): string {
	const values = plan.values;
	if (!values || text.length > SHARED_VALUE_LENGTH_MAX) return text;
	const known = values.get(text);
	if (known !== undefined) return known;
	if (values.size >= SHARED_VALUES_MAX) plan.values = undefined;
	else values.set(text, text);
	return text;
}

function planColumns(
	header: readonly string[],
	types: Readonly<Record<string, ColumnType>>,
): ColumnPlan[] {
	if (header.length === 0 || header.some((c) => c === '')) {
		throw new Error('Bulk API results page has no header row (every page starts with one)');
	}
	return header.map((column) => {
		const type = types[column] ?? columnTypeOf(column);
		return {
			column,
			path: column.split('.'),
			type,
			values: type === 'string' ? new Map<string, string>() : undefined,
		};
	});
}

/**
 * A relationship whose every column is empty is null, as REST gives a lookup that points
 * nowhere (`Profile: null`). A related record whose selected fields are all null looks the same
 * in CSV: the one case where Bulk cannot tell, and null is what callers already handle.
 */
function nullEmptyRelationships(record: IDataObject): IDataObject {
	for (const key in record) {
		const value = record[key];
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			const nested = nullEmptyRelationships(value as IDataObject);
			record[key] = Object.values(nested).every((v) => v === null) ? null : nested;
		}
	}
	return record;
}

function toRecord(row: readonly string[], plan: readonly ColumnPlan[]): IDataObject {
	const record: IDataObject = {};
	let nested = false;
	for (let i = 0; i < plan.length; i++) {
		const { path, type, column } = plan[i];
		const value = typedValue(sharedText(plan[i], row[i] ?? ''), type, column);
		if (path.length === 1) {
			record[column] = value;
			continue;
		}
		nested = true;
		let target = record;
		for (let p = 0; p < path.length - 1; p++) {
			const existing = target[path[p]];
			target = (
				existing && typeof existing === 'object' ? existing : (target[path[p]] = {})
			) as IDataObject;
		}
		target[path[path.length - 1]] = value;
	}
	return nested ? nullEmptyRelationships(record) : record;
}

/** Rows -> records: the first row is the page's header, every later row must be as wide. */
class RecordBuilder {
	private plan: ColumnPlan[] | undefined;
	private rowNumber = 0;

	constructor(private readonly types: Readonly<Record<string, ColumnType>>) {}

	add(rows: readonly string[][], into: IDataObject[]): void {
		for (const row of rows) {
			if (!this.plan) {
				this.plan = planColumns(row, this.types);
				continue;
			}
			this.rowNumber++;
			if (row.length !== this.plan.length) {
				throw new Error(
					`Bulk API results row ${this.rowNumber} has ${row.length} values for ${this.plan.length} columns`,
				);
			}
			into.push(toRecord(row, this.plan));
		}
	}
}

/**
 * One results page -> records. Each page is parsed on its own: its first row is its header
 * (the jsforce 3.10.16 bug was reading later pages' headers as records).
 */
export function parseBulkResultsPage(
	csv: string | Buffer,
	types: Readonly<Record<string, ColumnType>> = {},
): IDataObject[] {
	const reader = new CsvRowReader();
	const builder = new RecordBuilder(types);
	const records: IDataObject[] = [];
	builder.add(reader.push(csv), records);
	builder.add(reader.end(), records);
	return records;
}

/** Records handed on at a time while a page streams in: small enough to keep memory flat. */
export const BULK_BATCH_SIZE = 2000;

export type BulkPageBody = string | Buffer | AsyncIterable<Buffer | string>;

/**
 * One results page as it arrives -> records in batches of BULK_BATCH_SIZE, so a page of
 * 300,000 rows never exists as 300,000 objects at once (nor as one string). The page's first
 * row is its header. Each chunk's complete rows are read (salesforce/csvRows.ts) and handed on
 * before the next chunk is asked for. Stopping early closes the source.
 */
export async function* parseBulkResultsStream(
	body: BulkPageBody,
	types: Readonly<Record<string, ColumnType>> = {},
	batchSize = BULK_BATCH_SIZE,
): AsyncGenerator<IDataObject[]> {
	const reader = new CsvRowReader();
	const builder = new RecordBuilder(types);
	const ready: IDataObject[] = [];
	const source: AsyncIterable<Buffer | string> | Array<Buffer | string> =
		typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body;
	for await (const chunk of source) {
		builder.add(reader.push(chunk), ready);
		while (ready.length >= batchSize) yield ready.splice(0, batchSize);
	}
	builder.add(reader.end(), ready);
	while (ready.length) yield ready.splice(0, batchSize);
}
