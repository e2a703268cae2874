/**
 * The safety options of the write actions (Dry Run, Allow Admins, Max Users, Protected
 * Usernames), with no I/O: reading them from what n8n evaluated, and combining the options of
 * all items into the options of the run.
 *
 * A safety switch never fails open. n8n hands over whatever an expression produced: the text
 * "true" (n8n Variables are always text), undefined (`{{ $json.dryRun }}` on an item without the
 * field), null or a number. An option that was not added to the collection is absent and takes
 * its default; an option that is present must have its own type, else it is refused.
 */
import { hasKeyPrefix, isSalesforceId, to18CharId, USER_KEY_PREFIX } from './ids';

export type SafetyOptionName = 'dryRun' | 'allowAdmins' | 'maxUsers' | 'protectedUsernames';

/** The option names as the node panel shows them, for messages. */
export const SAFETY_OPTION_LABELS: Record<SafetyOptionName, string> = {
	dryRun: 'Options > Dry Run (Override)',
	allowAdmins: 'Options > Allow Admins',
	maxUsers: 'Options > Max Users',
	protectedUsernames: 'Options > Protected Usernames',
};

export const DEFAULT_MAX_USERS = 100;

/** The options one item's parameters evaluated to (only valid ones; absent = default). */
export interface ItemSafetyOptions {
	dryRun?: boolean;
	maxUsers?: number;
	allowAdmins?: boolean;
	protectedUsernames?: string;
}

/** An option of one item that is refused; `option` undefined = the collection could not be read. */
export interface SafetyOptionProblem {
	option?: SafetyOptionName;
	field: string;
	reason: string;
}

/** An item whose safety options were refused (Continue On Fail lets the run go on without it). */
export interface InvalidSafetyOptions {
	itemIndex: number;
	option?: SafetyOptionName;
	/** The field as the node panel shows it, when not the option's own label (the Dry Run switch). */
	field?: string;
}

/** The run-wide safety options, already combined over all items (see combineSafetyOptions). */
export interface SafetyOptions {
	dryRun: boolean;
	maxUsers: number;
	allowAdmins: boolean;
	/** Lower-case usernames. */
	protectedUsernames: ReadonlySet<string>;
	/** 18-char IDs given in the protected list. */
	protectedIds: ReadonlySet<string>;
	/** Why the run is a dry run although no valid option asked for one. */
	forcedDryRunCause?: string;
}

/** What a value an expression produced is, in words a workflow author recognises. */
export function describeValue(value: unknown): string {
	if (value === undefined)
		return 'undefined (the expression gave no value, e.g. a field this item lacks)';
	if (value === null) return 'null';
	if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
	if (typeof value === 'number') return `the number ${String(value)}`;
	if (typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return 'a list';
	return `a value of type ${typeof value}`;
}

/** The value a boolean option falls back to in an expression's example: its safe side. */
const SAFE_BOOLEAN: Record<'dryRun' | 'allowAdmins', boolean> = {
	dryRun: true,
	allowAdmins: false,
};

function booleanProblem(
	option: 'dryRun' | 'allowAdmins',
	value: unknown,
	isSwitch = false,
): string {
	const fallback = isSwitch
		? 'or set the switch to a fixed value'
		: 'or remove the option to use its default';
	const hint =
		typeof value === 'string'
			? `compare in the expression instead, e.g. {{ $vars.${option} === 'true' }} (n8n Variables are always text)`
			: `give the expression a default, e.g. {{ $json.${option} ?? ${String(SAFE_BOOLEAN[option])} }}, ${fallback}`;
	return `must be true or false (a boolean); got ${describeValue(value)} — a safety switch is never guessed: ${hint}`;
}

/** Why maxUsers is not acceptable, or undefined when it is a whole number of at least 1 (or absent). */
export function invalidMaxUsers(value: unknown): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		return `must be a whole number of at least 1 (got ${JSON.stringify(value)})`;
	}
	return undefined;
}

/** Salesforce usernames are e-mail shaped (sandbox copies end in .sandboxname, still a word). */
const USERNAME_SHAPE = /^[^@\s]+@[^@\s]+\.[a-zA-Z0-9-]+$/;

/**
 * Characters that show as nothing (zero-width space, joiners, direction marks, soft hyphen,
 * word joiner) or are control characters: pasted from a chat or a document into a username
 * they make it name nobody while it looks right.
 */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

const INVISIBLE_NAMES: Record<string, string> = {
	'\u00ad': 'soft hyphen',
	'\u200b': 'zero-width space',
	'\u200c': 'zero-width non-joiner',
	'\u200d': 'zero-width joiner',
	'\u200e': 'left-to-right mark',
	'\u200f': 'right-to-left mark',
	'\u2060': 'word joiner',
	'\ufeff': 'zero-width no-break space',
};

const codePoint = (c: string) =>
	`U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why an entry holds an invisible character (shown as <U+200B>), or undefined. */
function invisibleCharacterProblem(entry: string): string | undefined {
	const found = entry.match(INVISIBLE);
	if (!found) return undefined;
	const first = found[0];
	const name = INVISIBLE_NAMES[first] ? ` ${INVISIBLE_NAMES[first]}` : '';
	const shown = entry.replace(INVISIBLE, (c) => `<${codePoint(c)}>`);
	return `entry "${shown}" contains an invisible character (${codePoint(first)}${name}), so it would name nobody: type the entry again instead of pasting it`;
}

/** Why one entry of the protected list protects nobody, or undefined when it is usable. */
export function protectedEntryProblem(entry: string): string | undefined {
	const invisible = invisibleCharacterProblem(entry);
	if (invisible) return invisible;
	if (entry.includes('@')) {
		return USERNAME_SHAPE.test(entry)
			? undefined
			: `entry "${entry}" is not a username (name@domain.tld)`;
	}
	if (/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(entry)) {
		if (!isSalesforceId(entry))
			return `entry "${entry}" is not a valid Salesforce ID: its last 3 characters do not match the checksum`;
		if (!hasKeyPrefix(entry, USER_KEY_PREFIX))
			return `entry "${entry}" is not a user ID; user IDs start with 005`;
		return undefined;
	}
	return `entry "${entry}" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody`;
}

export interface ProtectedList {
	/** Lower-case usernames. */
	usernames: string[];
	/** IDs as typed and in their 18-char form. */
	ids: Array<{ entry: string; id: string }>;
	/** Entries that protect nobody, with the reason. */
	problems: string[];
}

/** The entries of the "Protected Usernames" option: split on commas, semicolons, spaces or new lines. */
function protectedListEntries(raw: string | undefined): string[] {
	return (raw ?? '')
		.split(/[,;\s]+/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** Splits the "Protected Usernames" option: commas, semicolons, spaces or new lines. */
export function parseProtectedList(raw: string | undefined): ProtectedList {
	const list: ProtectedList = { usernames: [], ids: [], problems: [] };
	for (const value of protectedListEntries(raw)) {
		const problem = protectedEntryProblem(value);
		if (problem) list.problems.push(problem);
		else if (value.includes('@')) list.usernames.push(value.toLowerCase());
		else list.ids.push({ entry: value, id: to18CharId(value) as string });
	}
	return list;
}

const has = (raw: Record<string, unknown>, key: string) =>
	Object.prototype.hasOwnProperty.call(raw, key);

/**
 * One item's options as n8n evaluated them -> the valid options, and every refused one. A key
 * that is present is checked even when its value is undefined: that is how n8n hands over an
 * option whose expression gave no value.
 */
export function parseSafetyOptions(raw: Record<string, unknown>): {
	options: ItemSafetyOptions;
	problems: SafetyOptionProblem[];
} {
	const options: ItemSafetyOptions = {};
	const problems: SafetyOptionProblem[] = [];
	const refuse = (option: SafetyOptionName, reason: string) =>
		problems.push({ option, field: SAFETY_OPTION_LABELS[option], reason });

	for (const option of ['dryRun', 'allowAdmins'] as const) {
		if (!has(raw, option)) continue;
		if (typeof raw[option] === 'boolean') options[option] = raw[option] as boolean;
		else refuse(option, booleanProblem(option, raw[option]));
	}
	if (has(raw, 'maxUsers')) {
		const problem =
			raw.maxUsers === undefined
				? `must be a whole number of at least 1; got ${describeValue(undefined)}`
				: invalidMaxUsers(raw.maxUsers);
		if (problem) refuse('maxUsers', problem);
		else options.maxUsers = raw.maxUsers as number;
	}
	if (has(raw, 'protectedUsernames')) {
		const value = raw.protectedUsernames;
		if (typeof value !== 'string') {
			refuse(
				'protectedUsernames',
				`must be text (comma-separated usernames or user IDs); got ${describeValue(value)}`,
			);
		} else {
			const [problem] = parseProtectedList(value).problems;
			if (problem) refuse('protectedUsernames', problem);
			else options.protectedUsernames = value;
		}
	}
	return { options, problems };
}

/** The top-level "Dry Run" switch of every write, as the node panel shows it. */
export const DRY_RUN_SWITCH_LABEL = 'Dry Run';

/**
 * Adds the top-level Dry Run switch to one item's parsed options. A "Dry Run (Override)" added
 * to the Options collection decides when present (workflows built before the switch keep what
 * they did); otherwise the switch decides, and it too must be a boolean. `readSwitch` is only
 * called when the switch decides, so a switch the override hides is never evaluated.
 */
export function withDryRunSwitch(
	parsed: { options: ItemSafetyOptions; problems: SafetyOptionProblem[] },
	rawOptions: Record<string, unknown>,
	readSwitch: () => unknown,
): { options: ItemSafetyOptions; problems: SafetyOptionProblem[] } {
	if (has(rawOptions, 'dryRun')) return parsed;
	const refuse = (reason: string) => ({
		options: parsed.options,
		problems: [
			...parsed.problems,
			{ option: 'dryRun' as const, field: DRY_RUN_SWITCH_LABEL, reason },
		],
	});
	let value: unknown;
	try {
		value = readSwitch();
	} catch (error) {
		return refuse(`could not be read: ${(error as Error).message}`);
	}
	if (typeof value !== 'boolean') return refuse(booleanProblem('dryRun', value, true));
	return { options: { ...parsed.options, dryRun: value }, problems: parsed.problems };
}

/** An invalid option, counted at its safe side (see combineSafetyOptions). */
function invalidCause(invalid: InvalidSafetyOptions): string {
	const label = invalid.field ?? (invalid.option && SAFETY_OPTION_LABELS[invalid.option]);
	const what = label ? `"${label}"` : 'the options';
	return `item ${invalid.itemIndex}'s ${what} could not be used`;
}

/**
 * n8n evaluates the options per item, but a run is planned and capped as a whole, so the
 * options of all items are combined, always towards the safer side: a dry run if any item asks
 * for one, the smallest cap, admins only if every item allows them, every protected name.
 *
 * Refused options (`invalid`, only reached with Continue On Fail: the item itself fails) count
 * at their safe side too, so one bad item never loosens the run for the others: an invalid
 * Allow Admins keeps admins out; an invalid Dry Run, Max Users or Protected Usernames (the
 * switch, the cap or the people to protect are unknown) makes the whole run a dry run.
 */
export function combineSafetyOptions(
	perItem: readonly ItemSafetyOptions[],
	invalid: readonly InvalidSafetyOptions[] = [],
): SafetyOptions {
	const protectedUsernames = new Set<string>();
	const protectedIds = new Set<string>();
	let dryRun = false;
	let allowAdmins = perItem.length > 0;
	let maxUsers = Number.POSITIVE_INFINITY;
	for (const options of perItem) {
		dryRun ||= options.dryRun === true;
		allowAdmins &&= options.allowAdmins === true;
		maxUsers = Math.min(maxUsers, options.maxUsers ?? DEFAULT_MAX_USERS);
		const list = parseProtectedList(options.protectedUsernames);
		list.usernames.forEach((u) => protectedUsernames.add(u));
		list.ids.forEach(({ id }) => protectedIds.add(id));
	}
	let safety: SafetyOptions = {
		dryRun,
		allowAdmins,
		maxUsers: Number.isFinite(maxUsers) ? maxUsers : DEFAULT_MAX_USERS,
		protectedUsernames,
		protectedIds,
	};
	for (const item of invalid) {
		if (item.option === undefined || item.option === 'allowAdmins')
			safety = { ...safety, allowAdmins: false };
		if (item.option !== 'allowAdmins') safety = forceDryRun(safety, invalidCause(item));
	}
	return safety;
}

/** The run made a dry run for `cause` (a dry run asked for by an option needs no cause). */
export function forceDryRun(safety: SafetyOptions, cause: string): SafetyOptions {
	if (safety.dryRun) return safety;
	return { ...safety, dryRun: true, forcedDryRunCause: cause };
}

/** A protected entry as one item listed it: a user ID (18-char) or a username (lower case). */
export type ProtectedEntry = { itemIndex: number; entry: string } & (
	| { kind: 'id'; id: string }
	| { kind: 'username'; username: string }
);

/**
 * Every usable entry of the items' protected lists, as typed (checked against the org before
 * any write: an entry that names no user of the org protects nobody).
 */
export function protectedEntries(
	items: ReadonlyArray<{ itemIndex: number; options: ItemSafetyOptions }>,
): ProtectedEntry[] {
	return items.flatMap(({ itemIndex, options }) =>
		protectedListEntries(options.protectedUsernames)
			.filter((entry) => !protectedEntryProblem(entry))
			.map(
				(entry): ProtectedEntry =>
					entry.includes('@')
						? { itemIndex, entry, kind: 'username', username: entry.toLowerCase() }
						: { itemIndex, entry, kind: 'id', id: to18CharId(entry) as string },
			),
	);
}

/**
 * Why a protected entry names nobody. A 15-character ID typed in the wrong case is well-formed
 * but names another record (or none); a username is most often a production username used in
 * a sandbox (whose usernames end in the sandbox name) or a typo in the domain.
 */
export function unknownProtectedEntryReason(entry: ProtectedEntry): string {
	const names = `protected entry "${entry.entry}" names no user in this org`;
	if (entry.kind === 'username')
		return `${names}; check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)`;
	if (entry.entry.length === 15)
		return `${names}; 15-character IDs are case-sensitive — use the 18-character ID`;
	return `${names}; check the ID (a user of another org, or a typo that still passes the checksum?)`;
}
