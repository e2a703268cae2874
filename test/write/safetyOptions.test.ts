/**
 * The safety options fail closed, through n8n-core against the fake org: whatever an expression
 * makes of Dry Run, Allow Admins, Max Users or Protected Usernames other than its own type is
 * refused before any call, naming the option and the item; with Continue On Fail the bad item
 * fails and the rest of the run stays on the safe side. Protected entries that protect nobody
 * are refused too.
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import { addUsers, collectionCalls, isFrozen, runWrite } from './setup';

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

const UNDEFINED = 'undefined (the expression gave no value, e.g. a field this item lacks)';
const TEXT_HINT = (option: string) =>
	`compare in the expression instead, e.g. {{ $vars.${option} === 'true' }} (n8n Variables are always text)`;
const DEFAULT_HINT = (option: string, safe: boolean) =>
	`give the expression a default, e.g. {{ $json.${option} ?? ${String(safe)} }}, or remove the option to use its default`;
const boolMessage = (item: number, label: string, got: string, hint: string) =>
	`Item ${item}, "Options > ${label}": must be true or false (a boolean); got ${got} — a safety switch is never guessed: ${hint}`;

describe('a safety option an expression turns into another type is refused before any call', () => {
	it.each([
		[
			'dryRun',
			{ v: 'true' },
			boolMessage(0, 'Dry Run (Override)', 'the text "true"', TEXT_HINT('dryRun')),
		],
		[
			'dryRun',
			{ v: 'false' },
			boolMessage(0, 'Dry Run (Override)', 'the text "false"', TEXT_HINT('dryRun')),
		],
		['dryRun', {}, boolMessage(0, 'Dry Run (Override)', UNDEFINED, DEFAULT_HINT('dryRun', true))],
		[
			'dryRun',
			{ v: null },
			boolMessage(0, 'Dry Run (Override)', 'null', DEFAULT_HINT('dryRun', true)),
		],
		[
			'dryRun',
			{ v: 0 },
			boolMessage(0, 'Dry Run (Override)', 'the number 0', DEFAULT_HINT('dryRun', true)),
		],
		[
			'allowAdmins',
			{ v: 'true' },
			boolMessage(0, 'Allow Admins', 'the text "true"', TEXT_HINT('allowAdmins')),
		],
		[
			'allowAdmins',
			{},
			boolMessage(0, 'Allow Admins', UNDEFINED, DEFAULT_HINT('allowAdmins', false)),
		],
		[
			'allowAdmins',
			{ v: 1 },
			boolMessage(0, 'Allow Admins', 'the number 1', DEFAULT_HINT('allowAdmins', false)),
		],
		[
			'maxUsers',
			{},
			`Item 0, "Options > Max Users": must be a whole number of at least 1; got ${UNDEFINED}`,
		],
		[
			'maxUsers',
			{ v: null },
			'Item 0, "Options > Max Users": must be a whole number of at least 1 (got null)',
		],
		[
			'protectedUsernames',
			{},
			`Item 0, "Options > Protected Usernames": must be text (comma-separated usernames or user IDs); got ${UNDEFINED}`,
		],
		[
			'protectedUsernames',
			{ v: null },
			'Item 0, "Options > Protected Usernames": must be text (comma-separated usernames or user IDs); got null',
		],
	])('%s = {{ $json.v }} with %j', async (option, fields, message) => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id, ...fields }], {
			dryRun: false,
			nodeOptions: { [option]: '={{ $json.v }}' },
		});
		expect(run.error?.message).toBe(message);
		expect(run.error?.description).toBe(
			'Nothing was changed: every item is checked before any call to Salesforce.',
		);
		expect(run.calls).toBe(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('names the item whose expression went wrong (here the third)', async () => {
		const users = addUsers(org, 3);
		const input: IDataObject[] = users.map((u, i) =>
			i === 2 ? { id: u.Id } : { id: u.Id, dryRun: false },
		);
		const run = await runWrite(org, 'freeze', input, {
			dryRun: 'default',
			nodeOptions: { dryRun: '={{ $json.dryRun }}' },
		});
		expect(run.error?.message).toBe(
			boolMessage(2, 'Dry Run (Override)', UNDEFINED, DEFAULT_HINT('dryRun', true)),
		);
		expect(run.calls).toBe(0);
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);
	});

	it('options that are real booleans, numbers and text still work, also through expressions', async () => {
		const [a, b] = addUsers(org, 2);
		const run = await runWrite(
			org,
			'freeze',
			[
				{ id: a.Id, d: false, m: 5, p: b.Username },
				{ id: b.Id, d: false, m: 5, p: b.Username },
			],
			{
				dryRun: 'default',
				nodeOptions: {
					dryRun: '={{ $json.d }}',
					allowAdmins: '={{ $json.d }}',
					maxUsers: '={{ $json.m }}',
					protectedUsernames: '={{ $json.p }}',
				},
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.result)).toEqual(['changed', 'skipped']);
		expect([isFrozen(org, a.Id), isFrozen(org, b.Id)]).toEqual([true, false]);
	});
});

describe('with Continue On Fail, a bad safety option fails its item and keeps the rest of the run safe', () => {
	it('an invalid Dry Run on one item makes the whole run a dry run: nobody is written', async () => {
		const users = addUsers(org, 3);
		const input = [
			{ id: users[0].Id, dry: false },
			{ id: users[1].Id, dry: 'false' },
			{ id: users[2].Id, dry: false },
		];
		const run = await runWrite(org, 'freeze', input, {
			dryRun: 'default',
			continueOnFail: true,
			nodeOptions: { dryRun: '={{ $json.dry }}' },
		});
		expect(run.error).toBeUndefined();
		const forced =
			'Dry run: would freeze the user (a dry run because item 1\'s "Options > Dry Run (Override)" could not be used)';
		expect(run.json).toEqual([
			{
				id: users[0].Id,
				username: users[0].Username,
				action: 'freeze',
				result: 'dryRun',
				reason: forced,
				duplicateOf: null,
			},
			{
				id: null,
				username: null,
				action: 'freeze',
				result: 'failed',
				reason: null,
				error: {
					code: 'INVALID_PARAMETER',
					message: boolMessage(1, 'Dry Run (Override)', 'the text "false"', TEXT_HINT('dryRun')),
				},
				duplicateOf: null,
			},
			{
				id: users[2].Id,
				username: users[2].Username,
				action: 'freeze',
				result: 'dryRun',
				reason: forced,
				duplicateOf: null,
			},
		]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);
	});

	it('an invalid Max Users or Protected Usernames on one item also makes it a dry run', async () => {
		const users = addUsers(org, 2);
		for (const option of ['maxUsers', 'protectedUsernames']) {
			const run = await runWrite(
				org,
				'freeze',
				[{ id: users[0].Id }, { id: users[1].Id, v: null }],
				{
					dryRun: false,
					continueOnFail: true,
					nodeOptions: {
						[option]: `={{ $json.v === null ? null : ${option === 'maxUsers' ? '10' : "''"} }}`,
					},
				},
			);
			expect(run.json.map((j) => j.result)).toEqual(['dryRun', 'failed']);
			expect(collectionCalls(org)).toHaveLength(0);
		}
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);
	});

	it('options that cannot be evaluated for one item (an expression error) make the run a dry run too', async () => {
		const users = addUsers(org, 2);
		const input = [{ id: users[0].Id, a: false }, { id: users[1].Id }];
		const run = await runWrite(org, 'freeze', input, {
			dryRun: 'default',
			continueOnFail: true,
			nodeOptions: { dryRun: '={{ $json.a === false ? false : $("No such node").item.json.dry }}' },
		});
		expect(run.json.map((j) => j.result)).toEqual(['dryRun', 'failed']);
		expect(run.json[0].reason).toBe(
			"Dry run: would freeze the user (a dry run because item 1's the options could not be used)",
		);
		expect((run.json[1].error as { message: string }).message).toMatch(
			/^Item 1, "Options": could not be read: Referenced node doesn.t exist/,
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);
	});

	it('an invalid Allow Admins on one item keeps admins out; the others are written', async () => {
		const [admin] = addUsers(org, 1, { profile: 'System Administrator' });
		const [plain, other] = addUsers(org, 2);
		const input = [
			{ id: admin.Id, allow: true },
			{ id: plain.Id, allow: 'true' },
			{ id: other.Id, allow: true },
		];
		const run = await runWrite(org, 'freeze', input, {
			dryRun: false,
			continueOnFail: true,
			nodeOptions: { allowAdmins: '={{ $json.allow }}' },
		});
		expect(run.json.map((j) => j.result)).toEqual(['skipped', 'failed', 'changed']);
		expect([admin, plain, other].map((u) => isFrozen(org, u.Id))).toEqual([false, false, true]);
	});
});

describe('Protected Usernames: an entry that protects nobody is refused', () => {
	it.each([
		[
			'jane',
			'entry "jane" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody',
		],
		['jane@acme', 'entry "jane@acme" is not a username (name@domain.tld)'],
		[
			'005000000000001AAB',
			'entry "005000000000001AAB" is not a valid Salesforce ID: its last 3 characters do not match the checksum',
		],
		['001000000000001AAA', 'entry "001000000000001AAA" is not a user ID; user IDs start with 005'],
	])('%s', async (entry, reason) => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: a.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: `ok@acme.com, ${entry}` },
		});
		expect(run.error?.message).toBe(`Item 0, "Options > Protected Usernames": ${reason}`);
		expect(run.calls).toBe(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('a 15-character ID in the wrong case names no user: the run fails before any write, at the cost of one query', async () => {
		const [a, b] = addUsers(org, 2);
		const wrongCase = b.Id.slice(0, 15).replace(/[a-z]/, (c) => c.toUpperCase());
		expect(wrongCase).not.toBe(b.Id.slice(0, 15));
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: wrongCase },
		});
		expect(run.error?.message).toBe(
			`Item 0, "Options > Protected Usernames": protected entry "${wrongCase}" names no user in this org; 15-character IDs are case-sensitive — use the 18-character ID`,
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect([isFrozen(org, a.Id), isFrozen(org, b.Id)]).toEqual([false, false]);
		expect(
			org.calls.soql().filter((q) => q.startsWith('SELECT Id FROM User WHERE Id IN')),
		).toHaveLength(1);
	});

	it('protected IDs of users the run names cost no query; others cost one, together', async () => {
		const [a, b, c, d] = addUsers(org, 4);
		const named = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: b.Id.slice(0, 15) },
		});
		expect(named.json.map((j) => j.result)).toEqual(['changed', 'skipped']);
		expect(
			org.calls.soql().filter((q) => q.startsWith('SELECT Id FROM User WHERE Id IN')),
		).toHaveLength(0);

		const others = await runWrite(org, 'freeze', [{ id: c.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: `${a.Id.slice(0, 15)}, ${d.Id}` },
		});
		expect(others.json.map((j) => j.result)).toEqual(['changed']);
		expect(org.calls.soql().filter((q) => q.startsWith('SELECT Id FROM User WHERE Id IN'))).toEqual(
			[`SELECT Id FROM User WHERE Id IN ('${a.Id}','${d.Id}')`],
		);
	});

	it('with Continue On Fail, the item listing an unknown ID fails and the others run as a dry run', async () => {
		const [a, b] = addUsers(org, 2);
		const ghost = '005000000000999AAA';
		const run = await runWrite(
			org,
			'freeze',
			[
				{ id: a.Id, p: ghost },
				{ id: b.Id, p: '' },
			],
			{
				dryRun: false,
				continueOnFail: true,
				nodeOptions: { protectedUsernames: '={{ $json.p }}' },
			},
		);
		expect(run.json).toEqual([
			{
				id: a.Id,
				username: a.Username,
				action: 'freeze',
				result: 'failed',
				reason: null,
				error: {
					code: 'INVALID_PARAMETER',
					message: `Item 0, "Options > Protected Usernames": protected entry "${ghost}" names no user in this org; check the ID (a user of another org, or a typo that still passes the checksum?)`,
				},
				duplicateOf: null,
			},
			{
				id: b.Id,
				username: b.Username,
				action: 'freeze',
				result: 'dryRun',
				reason:
					'Dry run: would freeze the user (a dry run because item 0\'s "Options > Protected Usernames" lists an ID that names no user)',
				duplicateOf: null,
			},
		]);
		expect(collectionCalls(org)).toHaveLength(0);
	});
});

describe('Protected Usernames: a username that names no user of the org stops the run', () => {
	const usernameQueries = () =>
		org.calls.soql().filter((q) => q.startsWith('SELECT Username FROM User WHERE Username IN'));

	it('a production username in a sandbox (the .uat suffix missing): nobody is frozen, the entry is named', async () => {
		const ceo = org.store.addUser({ Username: 'ceo@acme.com.uat' });
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: ceo.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: 'ceo@acme.com' },
		});
		expect(run.error?.message).toBe(
			'Item 0, "Options > Protected Usernames": protected entry "ceo@acme.com" names no user in this org; check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)',
		);
		expect(run.error?.description).toBe(
			'Nothing was changed: protected entries are checked against the org before any write.',
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect([isFrozen(org, a.Id), isFrozen(org, ceo.Id)]).toEqual([false, false]);
	});

	it('a domain typo in one of several entries: one query for all of them, the unknown one named', async () => {
		const [a, b, c] = addUsers(org, 3);
		const typo = b.Username.replace('@acme.', '@acme-corp.');
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: `${c.Username.toUpperCase()}, ${typo}` },
		});
		expect(run.error?.message).toBe(
			`Item 0, "Options > Protected Usernames": protected entry "${typo}" names no user in this org; check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)`,
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(isFrozen(org, a.Id)).toBe(false);
		// one query for both entries, in lower case: Salesforce compares usernames case-insensitively
		expect(usernameQueries()).toEqual([
			`SELECT Username FROM User WHERE Username IN ('${c.Username.toLowerCase()}','${typo.toLowerCase()}')`,
		]);
	});

	it('known usernames in any case pass: those the run names cost no query, others one; an inactive user is a user', async () => {
		const [a, b] = addUsers(org, 2);
		const former = org.store.addUser({ IsActive: false });
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { username: b.Username }], {
			dryRun: false,
			parameters: { userId: '={{ $json.id ?? $json.username }}' },
			nodeOptions: {
				protectedUsernames: `${b.Username.toUpperCase()}; ${former.Username}`,
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => [j.id, j.result])).toEqual([
			[a.Id, 'changed'],
			[b.Id, 'skipped'],
		]);
		expect(usernameQueries()).toEqual([
			`SELECT Username FROM User WHERE Username IN ('${former.Username.toLowerCase()}')`,
		]);
	});

	it('an entry with a quote is escaped in the look-up and taken literally: it names nobody, nothing is written', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: `x'OR'Id'!='@acme.com` },
		});
		expect(run.error?.message).toMatch(
			/^Item 0, "Options > Protected Usernames": protected entry "x'OR'Id'!='@acme.com" names no user in this org/,
		);
		expect(usernameQueries()).toEqual([
			`SELECT Username FROM User WHERE Username IN ('x\\'or\\'id\\'!=\\'@acme.com')`,
		]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('with Continue On Fail, the item listing the unknown username fails and the others run as a dry run', async () => {
		const [a, b] = addUsers(org, 2);
		const run = await runWrite(
			org,
			'freeze',
			[
				{ id: a.Id, p: 'nobody@acme.example.com' },
				{ id: b.Id, p: '' },
			],
			{
				dryRun: false,
				continueOnFail: true,
				nodeOptions: { protectedUsernames: '={{ $json.p }}' },
			},
		);
		expect(run.json.map((j) => [j.id, j.result])).toEqual([
			[a.Id, 'failed'],
			[b.Id, 'dryRun'],
		]);
		expect(run.json[0].error).toEqual({
			code: 'INVALID_PARAMETER',
			message:
				'Item 0, "Options > Protected Usernames": protected entry "nobody@acme.example.com" names no user in this org; check the username (in a sandbox, usernames end in the sandbox name, e.g. jane@acme.com.uat; a typo in the domain?)',
		});
		expect(run.json[1].reason).toBe(
			'Dry run: would freeze the user (a dry run because item 0\'s "Options > Protected Usernames" lists a username that names no user)',
		);
		expect(collectionCalls(org)).toHaveLength(0);
	});

	it('a zero-width space in an entry is refused before any call, naming the character', async () => {
		const [a, ceo] = addUsers(org, 2);
		const pasted = `${ceo.Username.slice(0, 3)}\u200b${ceo.Username.slice(3)}`;
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: ceo.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: pasted },
		});
		expect(run.error?.message).toBe(
			`Item 0, "Options > Protected Usernames": entry "${ceo.Username.slice(0, 3)}<U+200B>${ceo.Username.slice(3)}" contains an invisible character (U+200B zero-width space), so it would name nobody: type the entry again instead of pasting it`,
		);
		expect(run.calls).toBe(0);
		expect([isFrozen(org, a.Id), isFrozen(org, ceo.Id)]).toEqual([false, false]);
	});
});
