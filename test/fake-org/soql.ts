/**
 * The SOQL engine: parses with @jetstreamapp/soql-parser-js, resolves every field path
 * against the schema (INVALID_FIELD / INVALID_TYPE as Salesforce words them), compiles WHERE
 * into one predicate, then filters, groups, sorts and slices the store's rows. Records are
 * shaped lazily, one page at a time, so large results cost little until they are read.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { FieldType, OrderByClause, Query, WhereClause } from '@jetstreamapp/soql-parser-js';

import { dateLiteralRange, parseDateTime, sfDate, sfDateTime } from './dates';
import { SfError, malformedQuery, queryError } from './errors';
import { normalizeId } from './ids';
import { decodeString, likeToRegExp } from './soql-literals';
import { FieldDef, ObjectDef, findObject } from './schema';
import type { AnyRecord, OrgStore } from './store';

export interface QueryEnv {
	store: OrgStore;
	/** The signed-in user (UserPermissionAccess answers for them). */
	userId: string;
	apiVersion: string;
	/** Field-level security: hidden fields behave as if they did not exist. */
	isHidden(sobject: string, field: string): boolean;
	/** Object-level access: objects the user cannot see are "not supported". */
	canSee(sobject: string): boolean;
}

export interface QueryResult {
	totalSize: number;
	/** Rows to page through; `shape` turns one into its JSON record. */
	rows: unknown[];
	shape(row: unknown): Record<string, unknown>;
}

type Kind = 'id' | 'string' | 'boolean' | 'number' | 'datetime' | 'date' | 'other';

const kindOf = (field: FieldDef): Kind => {
	switch (field.type) {
		case 'id':
		case 'reference':
			return 'id';
		case 'string':
		case 'email':
		case 'picklist':
		case 'textarea':
		case 'url':
			return 'string';
		case 'boolean':
			return 'boolean';
		case 'int':
		case 'double':
			return 'number';
		case 'datetime':
			return 'datetime';
		case 'date':
			return 'date';
		default:
			return 'other';
	}
};

interface ResolvedPath {
	field: FieldDef;
	object: ObjectDef;
	kind: Kind;
	/** Canonical relationship names leading to the field. */
	relationships: Array<{ via: FieldDef; target: ObjectDef }>;
	get(record: AnyRecord): unknown;
}

/** Per-query evaluation context (computed values are cached here, never stored). */
class Evaluator {
	private usedLicenses?: Map<string, number>;
	private usedPackageLicenses?: Map<string, number>;
	private readonly now: Date;

	constructor(
		readonly env: QueryEnv,
		readonly soql: string,
	) {
		this.now = env.store.now();
	}

	get nowMs(): number {
		return this.now.getTime();
	}

	value(object: ObjectDef, field: FieldDef, record: AnyRecord): unknown {
		if (!field.computed) return record[field.name] ?? null;
		switch (`${object.name}.${field.name}`) {
			case 'UserLicense.UsedLicenses':
				this.usedLicenses ??= this.env.store.usedLicenseCounts();
				return this.usedLicenses.get(record.Id) ?? 0;
			case 'PackageLicense.UsedLicenses':
				this.usedPackageLicenses ??= this.env.store.usedPackageLicenseCounts();
				return this.usedPackageLicenses.get(record.Id) ?? 0;
			case 'UserLicense.UsedLicensesLastUpdated':
				return sfDateTime(this.now);
			case 'EventLogFile.LogFile':
				return `/services/data/v${this.env.apiVersion}/sobjects/EventLogFile/${record.Id}/LogFile`;
			default:
				return record[field.name] ?? null;
		}
	}

	objectFor(name: string, token = name): ObjectDef {
		const object = findObject(name);
		if (!object || !this.env.canSee(object.name)) {
			throw queryError(
				'INVALID_TYPE',
				this.soql,
				token,
				`sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
			);
		}
		return object;
	}

	rowsOf(object: ObjectDef): AnyRecord[] {
		if (object.name === 'UserPermissionAccess') {
			const perms = this.env.store.effectivePermissions(this.env.userId);
			const id15 = `0ux${this.env.userId.slice(3, 15)}`;
			return [{ Id: normalizeId(id15) ?? id15, ...perms }];
		}
		return this.env.store.table(object.name) ?? [];
	}

	/** Resolves "Name", "Profile.UserLicense.Name" or "u.Name" against an object. */
	resolve(root: ObjectDef, path: string, alias?: string): ResolvedPath {
		const parts = path.split('.');
		if (
			parts.length > 1 &&
			(parts[0].toLowerCase() === root.name.toLowerCase() || parts[0] === alias)
		)
			parts.shift();
		let object = root;
		const relationships: ResolvedPath['relationships'] = [];
		for (const part of parts.slice(0, -1)) {
			const via = object.byRelationship.get(part.toLowerCase());
			if (!via || !via.referenceTo || this.env.isHidden(object.name, via.name)) {
				throw queryError(
					'INVALID_FIELD',
					this.soql,
					path,
					`Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
				);
			}
			const target = findObject(via.referenceTo)!;
			relationships.push({ via, target });
			object = target;
		}
		const name = parts[parts.length - 1];
		const field = object.byName.get(name.toLowerCase());
		if (!field || this.env.isHidden(object.name, field.name)) {
			throw queryError(
				'INVALID_FIELD',
				this.soql,
				path,
				`No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
			);
		}
		const store = this.env.store;
		const leafObject = object;
		const get = (record: AnyRecord): unknown => {
			let current: AnyRecord | undefined = record;
			for (const { via, target } of relationships) {
				current = store.get(target.name, current[via.name] as string | null);
				if (!current) return null;
			}
			return this.value(leafObject, field, current);
		};
		return { field, object: leafObject, kind: kindOf(field), relationships, get };
	}
}

// ---------------------------------------------------------------- WHERE

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { condition: Record<string, unknown> };

/** The parser gives WHERE as a chain with paren counts; turn it back into tokens. */
function flattenWhere(where: WhereClause | undefined, out: Token[]): void {
	let node = where as unknown as Record<string, any> | undefined;
	while (node) {
		const left = node.left as Record<string, any> | null;
		const isCondition = left && ('field' in left || 'fn' in left);
		for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
		if (!isCondition) {
			if (node.operator !== 'NOT') throw malformedQuery('unexpected token in WHERE');
			out.push('NOT');
			node = node.right;
			continue;
		}
		out.push({ condition: left! });
		for (let i = 0; i < (left!.closeParen ?? 0); i++) out.push(')');
		if (node.operator === 'AND' || node.operator === 'OR') out.push(node.operator);
		else if (node.operator === 'NOT') out.push('AND', 'NOT');
		node = node.right;
	}
}

type Predicate = (record: AnyRecord) => boolean;

/** NOT binds tightest, then AND, then OR. */
function parseTokens(
	tokens: Token[],
	leaf: (condition: Record<string, any>) => Predicate,
): Predicate {
	let pos = 0;
	const peek = () => tokens[pos];
	const fail = (): never => {
		throw malformedQuery('unexpected token in WHERE clause');
	};
	const primary = (): Predicate => {
		const token = tokens[pos++];
		if (token === 'NOT') {
			const inner = primary();
			return (r) => !inner(r);
		}
		if (token === '(') {
			const inner = or();
			if (tokens[pos++] !== ')') fail();
			return inner;
		}
		if (token && typeof token === 'object') return leaf(token.condition);
		return fail();
	};
	const and = (): Predicate => {
		const parts = [primary()];
		while (peek() === 'AND') {
			pos++;
			parts.push(primary());
		}
		return parts.length === 1 ? parts[0] : (r) => parts.every((p) => p(r));
	};
	const or = (): Predicate => {
		const parts = [and()];
		while (peek() === 'OR') {
			pos++;
			parts.push(and());
		}
		return parts.length === 1 ? parts[0] : (r) => parts.some((p) => p(r));
	};
	const result = or();
	if (pos !== tokens.length) fail();
	return result;
}

type Literal = { kind: 'value'; value: unknown } | { kind: 'range'; start: string; end: string };

function typeError(ev: Evaluator, path: ResolvedPath, fieldToken: string): SfError {
	const typeName = {
		id: 'id',
		string: 'string',
		boolean: 'boolean',
		number: path.field.type === 'int' ? 'integer' : 'double',
		datetime: 'dateTime',
		date: 'date',
		other: path.field.type,
	}[path.kind];
	const hint =
		path.kind === 'string' || path.kind === 'id'
			? 'should be enclosed in quotes'
			: 'should not be enclosed in quotes';
	return queryError(
		'INVALID_QUERY_FILTER_OPERATOR',
		ev.soql,
		fieldToken,
		`value of filter criterion for field '${path.field.name}' must be of type ${typeName} and ${hint}`,
	);
}

/** Converts one raw literal to the comparable form of the field's kind. */
function literal(
	ev: Evaluator,
	path: ResolvedPath,
	fieldToken: string,
	raw: string,
	type: string,
	n?: number,
): Literal {
	if (type === 'NULL') return { kind: 'value', value: null };
	const bad = () => typeError(ev, path, fieldToken);
	switch (path.kind) {
		case 'id': {
			if (type !== 'STRING') throw bad();
			const text = decodeString(raw);
			const id = normalizeId(text);
			if (!id)
				throw queryError(
					'INVALID_QUERY_FILTER_OPERATOR',
					ev.soql,
					fieldToken,
					`invalid ID field: ${text}`,
				);
			return { kind: 'value', value: id };
		}
		case 'string':
			if (type !== 'STRING') throw bad();
			return { kind: 'value', value: decodeString(raw).toLowerCase() };
		case 'boolean':
			if (type !== 'BOOLEAN') throw bad();
			return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
		case 'number':
			if (type !== 'INTEGER' && type !== 'DECIMAL') throw bad();
			return { kind: 'value', value: Number(raw) };
		case 'datetime':
		case 'date': {
			if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
				const [name] = raw.split(':');
				const range = dateLiteralRange(name, n, ev.nowMs);
				if (!range) throw malformedQuery(`The fake org does not support the date literal ${raw}`);
				const fmt = path.kind === 'date' ? sfDate : sfDateTime;
				return { kind: 'range', start: fmt(range[0]), end: fmt(range[1]) };
			}
			if (path.kind === 'datetime' && type === 'DATETIME') {
				const ms = parseDateTime(raw);
				if (Number.isNaN(ms)) throw malformedQuery(`invalid date/time: ${raw}`);
				return { kind: 'value', value: sfDateTime(ms) };
			}
			if (path.kind === 'date' && type === 'DATE') return { kind: 'value', value: raw };
			throw bad();
		}
		default:
			throw queryError(
				'INVALID_FIELD',
				ev.soql,
				fieldToken,
				`field '${path.field.name}' can not be filtered in a query call`,
			);
	}
}

const comparable = (kind: Kind, value: unknown): unknown =>
	value === null || value === undefined
		? null
		: kind === 'string'
			? String(value).toLowerCase()
			: value;

function compileCondition(
	ev: Evaluator,
	root: ObjectDef,
	alias: string | undefined,
	condition: Record<string, any>,
): Predicate {
	if (!condition.field) throw malformedQuery('The fake org does not support functions in WHERE');
	const fieldToken: string = condition.field;
	const path = ev.resolve(root, fieldToken, alias);
	if (path.field.filterable === false) {
		throw queryError(
			'INVALID_FIELD',
			ev.soql,
			fieldToken,
			`field '${path.field.name}' can not be filtered in a query call`,
		);
	}
	const op: string = condition.operator;
	const kind = path.kind;
	const get = (r: AnyRecord) => comparable(kind, path.get(r));

	if (condition.valueQuery) {
		const values = new Set(runSubquery(ev, condition.valueQuery as Query));
		const wanted = op === 'IN';
		if (op !== 'IN' && op !== 'NOT IN') throw malformedQuery('semi-join needs IN or NOT IN');
		return (r) => values.has(get(r) as string) === wanted;
	}

	const rawValues: string[] = Array.isArray(condition.value) ? condition.value : [condition.value];
	const types: string[] = Array.isArray(condition.literalType)
		? condition.literalType
		: rawValues.map(() => condition.literalType);
	const vars: number[] = Array.isArray(condition.dateLiteralVariable)
		? condition.dateLiteralVariable
		: rawValues.map(() => condition.dateLiteralVariable);

	if (op === 'LIKE') {
		if (kind !== 'string' && kind !== 'id')
			throw queryError(
				'INVALID_QUERY_FILTER_OPERATOR',
				ev.soql,
				fieldToken,
				`invalid operator on ${path.field.type} field: LIKE`,
			);
		if (types[0] !== 'STRING') throw typeError(ev, path, fieldToken);
		const re = likeToRegExp(rawValues[0]);
		return (r) => {
			const v = path.get(r);
			return v !== null && v !== undefined && re.test(String(v));
		};
	}
	if (op === 'INCLUDES' || op === 'EXCLUDES')
		throw malformedQuery(`${op} only applies to multi-select picklists`);

	const literals = rawValues.map((raw, i) => literal(ev, path, fieldToken, raw, types[i], vars[i]));

	if (op === 'IN' || op === 'NOT IN') {
		const set = new Set<unknown>();
		const ranges: Array<[string, string]> = [];
		for (const lit of literals) {
			if (lit.kind === 'value') set.add(lit.value);
			else ranges.push([lit.start, lit.end]);
		}
		const wanted = op === 'IN';
		return (r) => {
			const v = get(r);
			const hit =
				set.has(v) ||
				(v !== null && ranges.some(([s, e]) => (v as string) >= s && (v as string) < e));
			return hit === wanted;
		};
	}
	if (literals.length !== 1) throw malformedQuery(`operator ${op} takes one value`);
	const lit = literals[0];

	if (lit.kind === 'range') {
		const { start, end } = lit;
		const inRange = (v: unknown) => v !== null && (v as string) >= start && (v as string) < end;
		switch (op) {
			case '=':
				return (r) => inRange(get(r));
			case '!=':
				return (r) => !inRange(get(r));
			case '<':
				return (r) => {
					const v = get(r);
					return v !== null && (v as string) < start;
				};
			case '<=':
				return (r) => {
					const v = get(r);
					return v !== null && (v as string) < end;
				};
			case '>':
				return (r) => {
					const v = get(r);
					return v !== null && (v as string) >= end;
				};
			case '>=':
				return (r) => {
					const v = get(r);
					return v !== null && (v as string) >= start;
				};
		}
		throw malformedQuery(`unsupported operator ${op}`);
	}

	const target = lit.value as any;
	if (target === null) {
		if (op === '=') return (r) => get(r) === null;
		if (op === '!=') return (r) => get(r) !== null;
		return () => false;
	}
	if (kind === 'boolean' && op !== '=' && op !== '!=') {
		throw queryError(
			'INVALID_QUERY_FILTER_OPERATOR',
			ev.soql,
			fieldToken,
			`invalid operator on boolean field: ${op}`,
		);
	}
	switch (op) {
		case '=':
			return (r) => get(r) === target;
		case '!=':
			return (r) => get(r) !== target;
		case '<':
			return (r) => {
				const v = get(r) as any;
				return v !== null && v < target;
			};
		case '<=':
			return (r) => {
				const v = get(r) as any;
				return v !== null && v <= target;
			};
		case '>':
			return (r) => {
				const v = get(r) as any;
				return v !== null && v > target;
			};
		case '>=':
			return (r) => {
				const v = get(r) as any;
				return v !== null && v >= target;
			};
	}
	throw malformedQuery(`unsupported operator ${op}`);
}

/**
 * Salesforce takes semi-joins (`Id IN (SELECT ...)`) only as top-level conditions joined by AND:
 * inside parentheses it answers MALFORMED_QUERY "Semi join sub-selects are only allowed at the top
 * level WHERE expressions and not in nested WHERE expressions", next to a top-level OR "Semi join
 * sub-selects are not allowed with the 'OR' operator" (both texts as Salesforce words them).
 * Whether a lone condition in parentheses counts as nested is not documented: refused here.
 */
function checkSemiJoinPlacement(tokens: readonly Token[]): void {
	let depth = 0;
	let semiJoinAtTop = false;
	let orAtTop = false;
	for (const token of tokens) {
		if (token === '(') depth++;
		else if (token === ')') depth--;
		else if (token === 'OR' && depth === 0) orAtTop = true;
		else if (typeof token === 'object' && token.condition.valueQuery) {
			if (depth > 0)
				throw malformedQuery(
					'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
				);
			semiJoinAtTop = true;
		}
	}
	if (semiJoinAtTop && orAtTop)
		throw malformedQuery("Semi join sub-selects are not allowed with the 'OR' operator");
}

function compileWhere(ev: Evaluator, root: ObjectDef, query: Query): Predicate | undefined {
	if (!query.where) return undefined;
	const tokens: Token[] = [];
	flattenWhere(query.where, tokens);
	checkSemiJoinPlacement(tokens);
	return parseTokens(tokens, (condition) =>
		compileCondition(ev, root, query.sObjectAlias, condition),
	);
}

/** `Id IN (SELECT UserId FROM UserLogin WHERE ...)`: the set of values of the one selected field. */
function runSubquery(ev: Evaluator, query: Query): unknown[] {
	const object = ev.objectFor(query.sObject ?? '');
	const fields = query.fields ?? [];
	const first = fields[0] as any;
	if (
		fields.length !== 1 ||
		!first ||
		(first.type !== 'Field' && first.type !== 'FieldRelationship')
	) {
		throw malformedQuery('a semi-join subquery selects exactly one field');
	}
	const path = ev.resolve(object, first.rawValue ?? first.field, query.sObjectAlias);
	if (path.kind !== 'id') throw malformedQuery('a semi-join subquery must select an ID field');
	const predicate = compileWhere(ev, object, query);
	const out: unknown[] = [];
	for (const record of ev.rowsOf(object))
		if (!predicate || predicate(record)) out.push(path.get(record));
	return out;
}

// ---------------------------------------------------------------- SELECT

interface ShapeNode {
	object: ObjectDef;
	entries: Array<
		| { kind: 'field'; key: string; field: FieldDef }
		| { kind: 'relationship'; key: string; via: FieldDef; node: ShapeNode }
	>;
}

function addToShape(root: ShapeNode, path: ResolvedPath): void {
	let node = root;
	for (const { via, target } of path.relationships) {
		const key = via.relationshipName!;
		let entry = node.entries.find((e) => e.kind === 'relationship' && e.key === key);
		if (!entry) {
			entry = { kind: 'relationship', key, via, node: { object: target, entries: [] } };
			node.entries.push(entry);
		}
		node = (entry as { node: ShapeNode }).node;
	}
	if (!node.entries.some((e) => e.kind === 'field' && e.key === path.field.name)) {
		node.entries.push({ kind: 'field', key: path.field.name, field: path.field });
	}
}

function shapeRecord(ev: Evaluator, node: ShapeNode, record: AnyRecord): Record<string, unknown> {
	const out: Record<string, unknown> = {
		attributes: {
			type: node.object.name,
			url: `/services/data/v${ev.env.apiVersion}/sobjects/${node.object.name}/${record.Id}`,
		},
	};
	for (const entry of node.entries) {
		if (entry.kind === 'field') {
			out[entry.key] = ev.value(node.object, entry.field, record);
		} else {
			const related = ev.env.store.get<AnyRecord>(
				entry.node.object.name,
				record[entry.via.name] as string | null,
			);
			out[entry.key] = related ? shapeRecord(ev, entry.node, related) : null;
		}
	}
	return out;
}

// ---------------------------------------------------------------- ORDER BY

type SortKey = (row: any) => unknown;
interface SortSpec {
	key: SortKey;
	desc: boolean;
	nullsFirst: boolean;
}

function sortRows<T>(rows: T[], specs: SortSpec[]): T[] {
	if (!specs.length) return rows;
	const decorated = rows.map((row) => ({ row, keys: specs.map((s) => s.key(row)) }));
	decorated.sort((a, b) => {
		for (let i = 0; i < specs.length; i++) {
			const x = a.keys[i] as any;
			const y = b.keys[i] as any;
			if (x === y) continue;
			const { desc, nullsFirst } = specs[i];
			if (x === null) return nullsFirst ? -1 : 1;
			if (y === null) return nullsFirst ? 1 : -1;
			const c = x < y ? -1 : 1;
			return desc ? -c : c;
		}
		return 0;
	});
	return decorated.map((d) => d.row);
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
	value === undefined ? [] : Array.isArray(value) ? value : [value];

function sortSpec(clause: OrderByClause, key: SortKey): SortSpec {
	const desc = clause.order === 'DESC';
	// Salesforce: nulls first when ascending, last when descending, unless told.
	const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !desc;
	return { key, desc, nullsFirst };
}

// ---------------------------------------------------------------- aggregates

interface AggregateSpec {
	key: string;
	fn: string;
	path?: ResolvedPath;
}

function runAggregate(
	ev: Evaluator,
	root: ObjectDef,
	query: Query,
	records: AnyRecord[],
): QueryResult {
	const fields = query.fields ?? [];
	const groupPaths = asArray(query.groupBy).map((g) => {
		if (!('field' in g)) throw malformedQuery('The fake org supports GROUP BY on fields only');
		const path = ev.resolve(root, g.field, query.sObjectAlias);
		if (path.field.groupable === false)
			throw queryError(
				'MALFORMED_QUERY',
				ev.soql,
				g.field,
				`field '${path.field.name}' can not be grouped in a query call`,
			);
		return { raw: g.field.toLowerCase(), path };
	});

	const outputs: Array<{ key: string; group?: number; agg?: AggregateSpec }> = [];
	let exprIndex = 0;
	for (const item of fields as any[]) {
		if (item.type === 'FieldFunctionExpression' && item.isAggregateFn) {
			const fn = String(item.functionName).toUpperCase();
			const param = item.parameters?.[0];
			if (fn === 'COUNT' && (!param || item.parameters.length === 0)) {
				outputs.push({ key: item.alias ?? `expr${exprIndex++}`, agg: { key: '', fn: 'COUNT()' } });
				continue;
			}
			if (typeof param !== 'string') throw malformedQuery(`unsupported aggregate ${item.rawValue}`);
			const path = ev.resolve(root, param, query.sObjectAlias);
			outputs.push({ key: item.alias ?? `expr${exprIndex++}`, agg: { key: '', fn, path } });
		} else if (item.type === 'Field' || item.type === 'FieldRelationship') {
			const raw = String(item.rawValue ?? item.field);
			const path = ev.resolve(root, raw, query.sObjectAlias);
			const group = groupPaths.findIndex(
				(g) =>
					g.path.field === path.field &&
					g.path.relationships.length === path.relationships.length &&
					g.path.relationships.every((r, i) => r.via === path.relationships[i].via),
			);
			if (group < 0)
				throw queryError(
					'MALFORMED_QUERY',
					ev.soql,
					raw,
					`Field must be grouped or aggregated: ${path.field.name}`,
				);
			outputs.push({ key: item.alias ?? path.field.name, group });
		} else {
			throw malformedQuery(`The fake org does not support ${item.rawValue ?? item.type} here`);
		}
	}

	// COUNT() alone: the count is the totalSize, with no records.
	if (outputs.length === 1 && outputs[0].agg?.fn === 'COUNT()' && !groupPaths.length) {
		let n = Math.max(0, records.length - (query.offset ?? 0));
		if (query.limit !== undefined) n = Math.min(n, query.limit);
		return { totalSize: n, rows: [], shape: (r) => r as Record<string, unknown> };
	}

	const groups = new Map<string, { values: unknown[]; members: AnyRecord[] }>();
	for (const record of records) {
		const values = groupPaths.map((g) => g.path.get(record));
		const key = JSON.stringify(
			values.map((v) => (typeof v === 'string' && groupPaths.length ? v.toLowerCase() : v)),
		);
		let group = groups.get(key);
		if (!group) groups.set(key, (group = { values, members: [] }));
		group.members.push(record);
	}
	if (!groupPaths.length && !groups.size) groups.set('[]', { values: [], members: [] });

	const compute = (agg: AggregateSpec, members: AnyRecord[]): unknown => {
		if (agg.fn === 'COUNT()') return members.length;
		const vals = members.map((m) => agg.path!.get(m)).filter((v) => v !== null && v !== undefined);
		switch (agg.fn) {
			case 'COUNT':
				return vals.length;
			case 'COUNT_DISTINCT':
				return new Set(vals.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
			case 'MIN':
				return vals.length ? vals.reduce((a: any, b: any) => (b < a ? b : a)) : null;
			case 'MAX':
				return vals.length ? vals.reduce((a: any, b: any) => (b > a ? b : a)) : null;
			case 'SUM':
				return vals.length ? vals.reduce((a: number, b) => a + (b as number), 0) : null;
			case 'AVG':
				return vals.length
					? vals.reduce((a: number, b) => a + (b as number), 0) / vals.length
					: null;
		}
		throw malformedQuery(`unsupported aggregate function ${agg.fn}`);
	};

	type Row = { record: Record<string, unknown>; members: AnyRecord[]; values: unknown[] };
	let rows: Row[] = [...groups.values()].map(({ values, members }) => {
		const record: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
		for (const output of outputs) {
			record[output.key] =
				output.group !== undefined ? (values[output.group] ?? null) : compute(output.agg!, members);
		}
		return { record, members, values };
	});

	rows = sortRows(
		rows,
		asArray(query.orderBy).map((clause) => {
			if ('fn' in clause) {
				const fn = String(clause.fn.functionName).toUpperCase();
				const param = clause.fn.parameters?.[0];
				const agg: AggregateSpec = {
					key: '',
					fn: !param ? 'COUNT()' : fn,
					path: typeof param === 'string' ? ev.resolve(root, param, query.sObjectAlias) : undefined,
				};
				return sortSpec(clause, (row: Row) => comparable('other', compute(agg, row.members)));
			}
			const path = ev.resolve(root, clause.field, query.sObjectAlias);
			const index = groupPaths.findIndex((g) => g.path.field === path.field);
			if (index < 0)
				throw queryError(
					'MALFORMED_QUERY',
					ev.soql,
					clause.field,
					`Ordered field must be grouped or aggregated: ${path.field.name}`,
				);
			return sortSpec(clause, (row: Row) => comparable(path.kind, row.values[index]));
		}),
	);
	const sliced = slice(rows, query);
	return {
		totalSize: sliced.length,
		rows: sliced.map((r) => r.record),
		shape: (r) => r as Record<string, unknown>,
	};
}

function slice<T>(rows: T[], query: Query): T[] {
	const offset = query.offset ?? 0;
	if (offset > 2000)
		throw new SfError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
	const end = query.limit === undefined ? undefined : offset + query.limit;
	return offset || end !== undefined ? rows.slice(offset, end) : rows;
}

// ---------------------------------------------------------------- entry point

export function runQuery(soql: string, env: QueryEnv): QueryResult {
	let query: Query;
	try {
		query = parseQuery(soql);
	} catch (error) {
		throw new SfError(
			400,
			'MALFORMED_QUERY',
			`\n${soql}\n^\nERROR at Row:1:Column:1\n${(error as Error).message.split('\n')[0]}`,
		);
	}
	const ev = new Evaluator(env, soql);
	const root = ev.objectFor(query.sObject ?? '', query.sObject ?? 'FROM');
	if (query.having) throw malformedQuery('The fake org does not support HAVING');
	if (query.for || query.update || query.withDataCategory)
		throw malformedQuery('The fake org does not support FOR / UPDATE / WITH DATA CATEGORY');

	const predicate = compileWhere(ev, root, query);
	const source = ev.rowsOf(root);
	const fields = (query.fields ?? []) as FieldType[];
	const isAggregate =
		Boolean(query.groupBy) ||
		fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn);

	// Resolve the SELECT list before touching rows, so bad fields fail fast.
	const shape: ShapeNode = { object: root, entries: [] };
	if (!isAggregate) {
		if (!fields.length) throw malformedQuery('SELECT needs at least one field');
		for (const item of fields as any[]) {
			if (item.type === 'Field' || item.type === 'FieldRelationship') {
				addToShape(
					shape,
					ev.resolve(root, String(item.rawValue ?? item.field), query.sObjectAlias),
				);
			} else {
				throw malformedQuery(
					`The fake org does not support ${item.rawValue ?? item.type} in SELECT`,
				);
			}
		}
	}

	const matched = predicate ? source.filter(predicate) : source.slice();
	if (isAggregate) return runAggregate(ev, root, query, matched);

	const specs = asArray(query.orderBy).map((clause) => {
		if (!('field' in clause)) throw malformedQuery('The fake org supports ORDER BY on fields only');
		const path = ev.resolve(root, clause.field, query.sObjectAlias);
		if (path.field.sortable === false)
			throw queryError(
				'INVALID_FIELD',
				soql,
				clause.field,
				`field '${path.field.name}' can not be sorted in a query call`,
			);
		return sortSpec(clause, (r: AnyRecord) => comparable(path.kind, path.get(r)));
	});
	const rows = slice(sortRows(matched, specs), query);
	return { totalSize: rows.length, rows, shape: (row) => shapeRecord(ev, shape, row as AnyRecord) };
}
