import { to18CharId } from '../../nodes/SalesforceAdmin/salesforce/ids';
import {
	combineSafetyOptions,
	describeValue,
	forceDryRun,
	parseSafetyOptions,
	protectedEntryProblem,
	protectedEntries,
	unknownProtectedEntryReason,
} from '../../nodes/SalesforceAdmin/salesforce/safetyOptions';

const uid = (n: number) => to18CharId(`005${String(n).padStart(12, '0')}`) as string;

describe('parseSafetyOptions: each option only of its own type', () => {
	it('an empty collection: no options, no problems (the defaults apply)', () => {
		expect(parseSafetyOptions({})).toEqual({ options: {}, problems: [] });
	});

	it('takes valid values as they are', () => {
		expect(
			parseSafetyOptions({
				dryRun: false,
				allowAdmins: true,
				maxUsers: 5,
				protectedUsernames: 'a@b.co',
			}),
		).toEqual({
			options: { dryRun: false, allowAdmins: true, maxUsers: 5, protectedUsernames: 'a@b.co' },
			problems: [],
		});
	});

	it.each([
		[
			'dryRun',
			'true',
			'Options > Dry Run (Override)',
			'must be true or false (a boolean); got the text "true"',
		],
		[
			'dryRun',
			undefined,
			'Options > Dry Run (Override)',
			'must be true or false (a boolean); got undefined (the expression gave no value',
		],
		['dryRun', null, 'Options > Dry Run (Override)', 'must be true or false (a boolean); got null'],
		[
			'dryRun',
			1,
			'Options > Dry Run (Override)',
			'must be true or false (a boolean); got the number 1',
		],
		[
			'allowAdmins',
			'false',
			'Options > Allow Admins',
			'must be true or false (a boolean); got the text "false"',
		],
		['allowAdmins', [], 'Options > Allow Admins', 'must be true or false (a boolean); got a list'],
		[
			'maxUsers',
			undefined,
			'Options > Max Users',
			'must be a whole number of at least 1; got undefined',
		],
		['maxUsers', '5', 'Options > Max Users', 'must be a whole number of at least 1 (got "5")'],
		[
			'protectedUsernames',
			undefined,
			'Options > Protected Usernames',
			'must be text (comma-separated usernames or user IDs); got undefined',
		],
		[
			'protectedUsernames',
			42,
			'Options > Protected Usernames',
			'must be text (comma-separated usernames or user IDs); got the number 42',
		],
		[
			'protectedUsernames',
			'jane',
			'Options > Protected Usernames',
			'entry "jane" is neither a username',
		],
	])('a present %s of %p is refused', (option, value, field, reason) => {
		const parsed = parseSafetyOptions({ [option]: value });
		expect(parsed.options).toEqual({});
		expect(parsed.problems).toHaveLength(1);
		expect(parsed.problems[0]).toMatchObject({ option, field });
		expect(parsed.problems[0].reason.startsWith(reason)).toBe(true);
	});

	it('keeps the valid options of an item that has a refused one, and lists every refused one', () => {
		const parsed = parseSafetyOptions({ dryRun: 'yes', allowAdmins: true, maxUsers: null });
		expect(parsed.options).toEqual({ allowAdmins: true });
		expect(parsed.problems.map((p) => p.option)).toEqual(['dryRun', 'maxUsers']);
	});
});

describe('describeValue', () => {
	it.each([
		['true', 'the text "true"'],
		[undefined, 'undefined (the expression gave no value, e.g. a field this item lacks)'],
		[null, 'null'],
		[0, 'the number 0'],
		[false, 'false'],
		[{}, 'a value of type object'],
	])('%p -> %s', (value, words) => expect(describeValue(value)).toBe(words));
});

describe('protectedEntryProblem', () => {
	it.each([
		['jane@acme.com'],
		["o'brien@acme.co.uk"],
		[uid(1)],
		[uid(1).slice(0, 15)],
		[uid(1).toLowerCase()],
	])('accepts %s', (entry) => {
		expect(protectedEntryProblem(entry)).toBeUndefined();
	});

	it.each([
		['jane', /is neither a username/],
		['jane@acme', /is not a username \(name@domain.tld\)/],
		['@acme.com', /is not a username/],
		['jane@acme.', /is not a username/],
		[`${uid(1).slice(0, 15)}AAB`, /checksum/],
		['001000000000001AAA', /user IDs start with 005/],
		['00500000000000', /is neither/],
	])('refuses %s', (entry, reason) => expect(protectedEntryProblem(entry)).toMatch(reason));

	it.each([
		['c\u200beo@acme.com', 'U+200B zero-width space', 'c<U+200B>eo@acme.com'],
		['ceo@acme.com\u200d', 'U+200D zero-width joiner', 'ceo@acme.com<U+200D>'],
		['\u00adceo@acme.com', 'U+00AD soft hyphen', '<U+00AD>ceo@acme.com'],
		['ceo@ac\u2060me.com', 'U+2060 word joiner', 'ceo@ac<U+2060>me.com'],
		[`\u200e${uid(1)}`, 'U+200E left-to-right mark', `<U+200E>${uid(1)}`],
		['ceo@acme.com\u0007', 'U+0007', 'ceo@acme.com<U+0007>'],
	])('refuses an invisible character, naming it: %j', (entry, named, shown) => {
		expect(protectedEntryProblem(entry)).toBe(
			`entry "${shown}" contains an invisible character (${named}), so it would name nobody: type the entry again instead of pasting it`,
		);
	});
});

describe('combineSafetyOptions with refused options (Continue On Fail)', () => {
	it('an invalid Dry Run, Max Users or Protected Usernames makes the run a dry run, saying why', () => {
		for (const option of ['dryRun', 'maxUsers', 'protectedUsernames'] as const) {
			const safety = combineSafetyOptions(
				[{ allowAdmins: true }, { dryRun: false, allowAdmins: true }],
				[{ itemIndex: 1, option }],
			);
			expect(safety).toMatchObject({
				dryRun: true,
				allowAdmins: true,
				forcedDryRunCause: expect.stringMatching(/^item 1's "Options > /),
			});
		}
	});

	it('an invalid Allow Admins keeps admins out and does not force a dry run', () => {
		const safety = combineSafetyOptions(
			[{ allowAdmins: true }, {}],
			[{ itemIndex: 1, option: 'allowAdmins' }],
		);
		expect(safety).toMatchObject({ dryRun: false, allowAdmins: false });
		expect(safety.forcedDryRunCause).toBeUndefined();
	});

	it('an unreadable collection: dry run and no admins', () => {
		const safety = combineSafetyOptions([{ allowAdmins: true }, {}], [{ itemIndex: 1 }]);
		expect(safety).toMatchObject({
			dryRun: true,
			allowAdmins: false,
			forcedDryRunCause: "item 1's the options could not be used",
		});
	});

	it('a dry run asked for by an option needs no cause', () => {
		const safety = combineSafetyOptions([{ dryRun: true }], [{ itemIndex: 0, option: 'maxUsers' }]);
		expect(safety.dryRun).toBe(true);
		expect(safety.forcedDryRunCause).toBeUndefined();
		expect(forceDryRun(safety, 'x')).toBe(safety);
	});

	it('protected IDs are kept in their 18-character form', () => {
		const safety = combineSafetyOptions([{ protectedUsernames: `${uid(3).slice(0, 15)} a@b.co` }]);
		expect([...safety.protectedIds]).toEqual([uid(3)]);
		expect([...safety.protectedUsernames]).toEqual(['a@b.co']);
	});
});

describe('protected entries checked against the org', () => {
	it('lists every usable entry with its item: IDs in their 18-character form, usernames in lower case', () => {
		const entries = protectedEntries([
			{ itemIndex: 0, options: { protectedUsernames: `${uid(1).slice(0, 15)}, A@B.co` } },
			{ itemIndex: 1, options: {} },
			{ itemIndex: 2, options: { protectedUsernames: uid(2) } },
		]);
		expect(entries).toEqual([
			{ itemIndex: 0, entry: uid(1).slice(0, 15), kind: 'id', id: uid(1) },
			{ itemIndex: 0, entry: 'A@B.co', kind: 'username', username: 'a@b.co' },
			{ itemIndex: 2, entry: uid(2), kind: 'id', id: uid(2) },
		]);
	});

	it('says why an entry names nobody: the case of a 15-character ID, the sandbox suffix of a username', () => {
		const id = (entry: string) => ({ itemIndex: 0, entry, kind: 'id' as const, id: entry });
		expect(unknownProtectedEntryReason(id('005000000000ABC'))).toBe(
			'protected entry "005000000000ABC" names no user in this org; 15-character IDs are case-sensitive — use the 18-character ID',
		);
		expect(unknownProtectedEntryReason(id(uid(1)))).toMatch(
			/^protected entry "\w{18}" names no user in this org; check the ID/,
		);
		expect(
			unknownProtectedEntryReason({
				itemIndex: 0,
				entry: 'CEO@acme.com',
				kind: 'username',
				username: 'ceo@acme.com',
			}),
		).toBe(
			'protected entry "CEO@acme.com" names no user in this org; check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)',
		);
	});
});
