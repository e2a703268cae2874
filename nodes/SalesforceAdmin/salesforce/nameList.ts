/**
 * Lists of names the user types (license, profile, event type names): reading them from a
 * multi-options field or an expression, the SOQL that asks the org for them, and telling which
 * the org does not know.
 */
import { inList } from './soql';

/** The objects whose Name a filter matches: user licenses and profiles. */
export type NamedObject = 'UserLicense' | 'Profile';

/** Every name of a kind, for a dropdown. */
export function allNamesQuery(sobject: NamedObject): string {
	return `SELECT Name FROM ${sobject} ORDER BY Name`;
}

/** The asked names the org has (one query for every item's names; at least one name). */
export function namesInQuery(sobject: NamedObject, names: readonly string[]): string {
	return `SELECT Name FROM ${sobject} WHERE Name IN ${inList(names)}`;
}

/**
 * A list of names from a multi-options field (an array) or typed via an expression (an array
 * or a comma-separated string). Undefined = filter not set. An empty list is refused: it would
 * otherwise silently mean "everyone", which is the opposite of what the user asked for.
 */
export function parseNameList(
	raw: unknown,
): { ok: true; value: string[] | undefined } | { ok: false; reason: string } {
	if (raw === undefined || raw === null) return { ok: true, value: undefined };
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) return { ok: false, reason: `expects a list of names, got ${typeof raw}` };
	const names: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number') {
			return { ok: false, reason: `expects names (text), got ${JSON.stringify(part)}` };
		}
		const name = String(part).trim();
		if (name) names.push(name);
	}
	if (names.length === 0) {
		return { ok: false, reason: 'is empty; pick at least one value or remove the filter' };
	}
	return { ok: true, value: [...new Set(names)] };
}

/** Names the org does not know, compared the way Salesforce does (case-insensitively). */
export function unknownNames(asked: readonly string[], known: Iterable<string>): string[] {
	const knownLower = new Set([...known].map((n) => n.toLowerCase()));
	return asked.filter((n) => !knownLower.has(n.toLowerCase()));
}
