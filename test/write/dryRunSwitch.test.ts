/**
 * The top-level Dry Run switch (on for a newly added node) and the Options > Dry Run (Override)
 * that workflows built before the switch hold: which one decides, the refusals of a value that
 * is not a boolean, and the same rule for an AI agent's tool call. Against the fake org,
 * through n8n-core; every run counts its calls and reads the org's state afterwards.
 */
import { FakeOrg } from '../fake-org';
import { addUsers, collectionCalls, isFrozen, runWrite } from './setup';

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

const DRY_RUN_REASON = 'Dry run: would freeze the user';

describe('which Dry Run decides', () => {
	it('no Dry Run anywhere (a newly added node): a dry run, no write call', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], { dryRun: 'default' });
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => [j.result, j.reason])).toEqual([['dryRun', DRY_RUN_REASON]]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('the switch off acts', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], { dryRun: false });
		expect(run.json.map((j) => j.result)).toEqual(['changed']);
		expect(isFrozen(org, a.Id)).toBe(true);
	});

	it('the switch on is a dry run', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], { dryRun: true });
		expect(run.json.map((j) => j.result)).toEqual(['dryRun']);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('Options > Dry Run (Override) false acts, the switch left at its default (a workflow from before the switch)', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: 'default',
			nodeOptions: { dryRun: false },
		});
		expect(run.json.map((j) => j.result)).toEqual(['changed']);
		expect(isFrozen(org, a.Id)).toBe(true);
	});

	it('Options > Dry Run (Override) true wins over the switch off', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			nodeOptions: { dryRun: true },
		});
		expect(run.json.map((j) => j.result)).toEqual(['dryRun']);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('Options > Dry Run (Override) false wins over the switch on', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: true,
			nodeOptions: { dryRun: false },
		});
		expect(run.json.map((j) => j.result)).toEqual(['changed']);
		expect(isFrozen(org, a.Id)).toBe(true);
	});

	it('the switch an override hides is not evaluated, so it cannot fail the item', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: '={{ $json.nothing }}' as unknown as boolean,
			nodeOptions: { dryRun: true },
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.result)).toEqual(['dryRun']);
	});

	it('an AI agent tool call with no Dry Run set is a dry run too', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: 'default',
			asTool: true,
		});
		expect(run.json.map((j) => j.result)).toEqual(['dryRun']);
		expect(isFrozen(org, a.Id)).toBe(false);
		const live = await runWrite(org, 'freeze', [{ id: a.Id }], { dryRun: false, asTool: true });
		expect(live.json.map((j) => j.result)).toEqual(['changed']);
		expect(isFrozen(org, a.Id)).toBe(true);
	});
});

describe('the switch accepts only a boolean', () => {
	const HINT_TEXT = `compare in the expression instead, e.g. {{ $vars.dryRun === 'true' }} (n8n Variables are always text)`;
	const HINT_DEFAULT =
		'give the expression a default, e.g. {{ $json.dryRun ?? true }}, or set the switch to a fixed value';
	const message = (item: number, got: string, hint: string) =>
		`Item ${item}, "Dry Run": must be true or false (a boolean); got ${got} — a safety switch is never guessed: ${hint}`;

	it.each([
		[{ v: 'false' }, message(0, 'the text "false"', HINT_TEXT)],
		[{ v: 'true' }, message(0, 'the text "true"', HINT_TEXT)],
		[{ v: null }, message(0, 'null', HINT_DEFAULT)],
		[
			{},
			message(
				0,
				'undefined (the expression gave no value, e.g. a field this item lacks)',
				HINT_DEFAULT,
			),
		],
	])('Dry Run = {{ $json.v }} with %j is refused before any call', async (fields, expected) => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id, ...fields }], {
			dryRun: '={{ $json.v }}' as unknown as boolean,
		});
		expect(run.error?.message).toBe(expected);
		expect(run.error?.description).toBe(
			'Nothing was changed: every item is checked before any call to Salesforce.',
		);
		expect(run.calls).toBe(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('an expression giving false acts', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id, v: false }], {
			dryRun: '={{ $json.v }}' as unknown as boolean,
		});
		expect(run.json.map((j) => j.result)).toEqual(['changed']);
		expect(isFrozen(org, a.Id)).toBe(true);
	});

	it('with Continue On Fail the refused item fails and the whole run is a dry run', async () => {
		const users = addUsers(org, 3);
		const run = await runWrite(
			org,
			'freeze',
			[
				{ id: users[0].Id, v: false },
				{ id: users[1].Id, v: 'false' },
				{ id: users[2].Id, v: false },
			],
			{ dryRun: '={{ $json.v }}' as unknown as boolean, continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		const forced = `${DRY_RUN_REASON} (a dry run because item 1's "Dry Run" could not be used)`;
		expect(run.json.map((j) => [j.result, j.reason])).toEqual([
			['dryRun', forced],
			['failed', null],
			['dryRun', forced],
		]);
		expect((run.json[1].error as { message: string }).message).toBe(
			message(1, 'the text "false"', HINT_TEXT),
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);
	});
});

describe('write result items', () => {
	it('have the same keys whatever the result; error only on a failed one', async () => {
		const [change] = addUsers(org, 1);
		const [done] = addUsers(org, 1, { IsFrozen: true });
		const [prot] = addUsers(org, 1);
		const run = await runWrite(
			org,
			'freeze',
			[{ id: change.Id }, { id: done.Id }, { id: prot.Id }, { id: '005000000000999AAA' }],
			{ dryRun: false, continueOnFail: true, nodeOptions: { protectedUsernames: prot.Username } },
		);
		expect(run.json.map((j) => j.result)).toEqual(['changed', 'unchanged', 'skipped', 'failed']);
		const keys = ['id', 'username', 'action', 'result', 'reason', 'duplicateOf'];
		expect(run.json.map((j) => Object.keys(j))).toEqual([
			keys,
			keys,
			keys,
			['id', 'username', 'action', 'result', 'reason', 'error', 'duplicateOf'],
		]);
		expect(run.json.map((j) => [j.reason === null, j.duplicateOf])).toEqual([
			[true, null],
			[false, null],
			[false, null],
			[true, null],
		]);
	});
});
