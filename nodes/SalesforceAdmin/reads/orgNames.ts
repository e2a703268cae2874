/**
 * Names the org has: user licenses and profiles for the dropdowns, and which of the names typed
 * into Get users' filters exist. One query each.
 */
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';

/** The distinct, non-empty `Name`s one query returns, sorted (a dropdown's entries). */
export async function readSortedNames(session: SalesforceSession, soql: string): Promise<string[]> {
	const rows = await queryAll(session, soql);
	const names = [...new Set(rows.map((r) => String(r.Name ?? '')).filter(Boolean))];
	return names.sort((a, b) => a.localeCompare(b));
}

/**
 * Every name the rows of one query answer to (Name, NamespacePrefix, MasterLabel,
 * DeveloperName): what the org knows of the names asked for.
 */
export async function readKnownNames(session: SalesforceSession, soql: string): Promise<string[]> {
	const rows = await queryAll(session, soql);
	return rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string'));
}
