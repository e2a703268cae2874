/**
 * Freeze user against the fake org, end to end through n8n-core: the safety rules, batching
 * and call counts, partial failures and transient faults. The org's state afterwards is
 * compared with what the node reported, record by record.
 */
import { FakeOrg } from '../fake-org';
import { oauth2Credentials } from '../helpers/credentials';
import { runNode } from '../helpers/run-node';
import type { WriteRun } from './setup';
import { addUsers, collectionCalls, isFrozen, runWrite, user } from './setup';

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

/**
 * The org agrees with every item: changed/unchanged -> frozen now; anything else -> as before.
 * Returns how many items it checked, so a test can tell that none slipped through.
 */
function expectStateMatchesResults(run: WriteRun, frozenBefore: Map<string, boolean>): number {
	let checked = 0;
	for (const item of run.json) {
		const id = item.id as string;
		if (!id || !frozenBefore.has(id)) continue;
		checked++;
		if (item.result === 'changed') {
			expect(frozenBefore.get(id)).toBe(false);
			expect(isFrozen(org, id)).toBe(true);
		} else if (item.result === 'unchanged') {
			expect(isFrozen(org, id)).toBe(true);
		} else {
			expect(isFrozen(org, id)).toBe(frozenBefore.get(id));
		}
	}
	return checked;
}

/** Makes the n-th Collections call of the next run fail with `status` (the fake's failNext hits the next one). */
function failNthCollectionsCall(n: number, status: number) {
	const controls = org.controls;
	const take = controls.takeFailure.bind(controls);
	let seen = 0;
	controls.takeFailure = (kind, isRest) => {
		if (kind === 'collectionsPatch' && ++seen === n)
			controls.failNext(1, status, undefined, undefined, 'collectionsPatch');
		return take(kind, isRest);
	};
}

/** A changed user's item: every key there, `reason` and `duplicateOf` null. */
const CHANGED_ITEM = { action: 'freeze', result: 'changed', reason: null, duplicateOf: null };

const snapshot = () => new Map(org.store.users.map((u) => [u.Id, isFrozen(org, u.Id)]));

describe('Freeze user', () => {
	it('freezes the users named by ID; already-frozen users are unchanged and cost no write', async () => {
		const [a, b] = addUsers(org, 2);
		const [frozen] = addUsers(org, 1, { IsFrozen: true });
		const before = snapshot();

		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }, { id: frozen.Id }], {
			dryRun: false,
		});

		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{ ...CHANGED_ITEM, id: a.Id, username: a.Username },
			{ ...CHANGED_ITEM, id: b.Id, username: b.Username },
			{
				id: frozen.Id,
				username: frozen.Username,
				action: 'freeze',
				result: 'unchanged',
				reason: 'Already frozen',
				duplicateOf: null,
			},
		]);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(expectStateMatchesResults(run, before)).toBe(3);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([2]);
	});

	it('writes nothing at all when every user is already frozen', async () => {
		const users = addUsers(org, 3, { IsFrozen: true });
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false },
		);
		expect(run.json.map((j) => j.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
		expect(collectionCalls(org)).toHaveLength(0);
	});

	it('freezes 1,000 users in at most 12 API calls, sign-in and look-ups included', async () => {
		const users = addUsers(org, 1000);
		const before = snapshot();
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, nodeOptions: { maxUsers: 1000 } },
		);

		expect(run.error).toBeUndefined();
		expect(run.json.every((j) => j.result === 'changed')).toBe(true);
		expect(users.every((u) => isFrozen(org, u.Id))).toBe(true);
		expect(expectStateMatchesResults(run, before)).toBe(1000);
		expect(run.calls).toBeLessThanOrEqual(12);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([200, 200, 200, 200, 200]);
		// 1 sign-in + 2 User look-ups + 2 UserLogin look-ups + 1 admin permission sets + 5 writes
		expect(run.calls).toBe(11);
	});

	it('writes 450 users in 3 Collections calls (200 + 200 + 50)', async () => {
		const users = addUsers(org, 450);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, nodeOptions: { maxUsers: 450 } },
		);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([200, 200, 50]);
		expect(run.json.filter((j) => j.result === 'changed')).toHaveLength(450);
	});

	it('is refused with a Read-Only credential before any call', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			accessMode: 'readOnly',
			continueOnFail: true,
		});
		expect(run.error?.message).toBe('"Freeze user" changes users, but the credential is Read-Only');
		expect(run.error?.description).toContain('Read/Take Action');
		expect(run.calls).toBe(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('dry run reports what would change and writes nothing', async () => {
		const [a, b] = addUsers(org, 2);
		const [frozen] = addUsers(org, 1, { IsFrozen: true });
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }, { id: frozen.Id }], {
			dryRun: 'default',
			nodeOptions: { dryRun: true },
		});
		expect(run.json.map((j) => [j.result, j.reason])).toEqual([
			['dryRun', 'Dry run: would freeze the user'],
			['dryRun', 'Dry run: would freeze the user'],
			['unchanged', 'Already frozen'],
		]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(org.calls.log.every((c) => c.method === 'GET' || c.kind === 'soapLogin')).toBe(true);
		expect(isFrozen(org, a.Id) || isFrozen(org, b.Id)).toBe(false);
	});

	it('fails before changing anything when more users would change than Max Users, with the count', async () => {
		const users = addUsers(org, 4);
		const [frozen] = addUsers(org, 1, { IsFrozen: true });
		const input = [...users, frozen].map((u) => ({ id: u.Id }));
		const run = await runWrite(org, 'freeze', input, {
			dryRun: false,
			nodeOptions: { maxUsers: 3 },
			continueOnFail: true,
		});
		expect(run.error?.message).toBe(
			'Freeze user would change 4 users, more than the "Max Users" limit of 3; nothing was changed',
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(users.some((u) => isFrozen(org, u.Id))).toBe(false);

		// Already-frozen users and repeats do not count: 4 distinct changes fit a cap of 4.
		const ok = await runWrite(org, 'freeze', [...input, { id: users[0].Id }], {
			dryRun: false,
			nodeOptions: { maxUsers: 4 },
		});
		expect(ok.error).toBeUndefined();
		expect(users.every((u) => isFrozen(org, u.Id))).toBe(true);
	});

	it('applies the default cap of 100', async () => {
		const users = addUsers(org, 101);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false },
		);
		expect(run.error?.message).toContain(
			'would change 101 users, more than the "Max Users" limit of 100',
		);
		expect(collectionCalls(org)).toHaveLength(0);
	});

	it('skips System Administrators (profile or Modify All Data permission set) unless Allow Admins is on', async () => {
		const [admin] = addUsers(org, 1, { profile: 'System Administrator' });
		const [superuser] = addUsers(org, 1);
		const madSet = org.store.addPermissionSet({
			Name: 'Ops_Superuser',
			Label: 'Ops Superuser',
			PermissionsModifyAllData: true,
		});
		org.store.assignPermissionSet(superuser.Id, madSet.Id);
		const [plain] = addUsers(org, 1);
		const input = [{ id: admin.Id }, { id: superuser.Id }, { id: plain.Id }];

		const run = await runWrite(org, 'freeze', input, { dryRun: false });
		expect(run.json.map((j) => j.result)).toEqual(['skipped', 'skipped', 'changed']);
		expect(run.json[0].reason).toContain('System Administrator');
		expect(run.json[1].reason).toContain('permission set "Ops Superuser" grants "Modify All Data"');
		expect(isFrozen(org, admin.Id) || isFrozen(org, superuser.Id)).toBe(false);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([1]);

		const allowed = await runWrite(org, 'freeze', input, {
			dryRun: false,
			nodeOptions: { allowAdmins: true },
		});
		expect(allowed.json.map((j) => j.result)).toEqual(['changed', 'changed', 'unchanged']);
		expect(isFrozen(org, admin.Id) && isFrozen(org, superuser.Id)).toBe(true);
	});

	it('never freezes the connected user, even with Allow Admins', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: org.admin.userId }, { id: a.Id }], {
			dryRun: false,
			nodeOptions: { allowAdmins: true },
		});
		expect(run.json[0]).toMatchObject({
			id: org.admin.userId,
			result: 'skipped',
			reason: expect.stringContaining('connected'),
		});
		expect(run.json[1].result).toBe('changed');
		expect(isFrozen(org, org.admin.userId)).toBe(false);
	});

	it('skips protected usernames, whatever their case, and protected IDs', async () => {
		const [a, b, c] = addUsers(org, 3);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }, { id: c.Id }], {
			dryRun: false,
			nodeOptions: { protectedUsernames: ` ${a.Username.toUpperCase()} ,  ${b.Id.slice(0, 15)}` },
		});
		expect(run.json.map((j) => [j.result, j.reason])).toEqual([
			['skipped', 'Listed in the "Protected Usernames" option'],
			['skipped', 'Listed in the "Protected Usernames" option'],
			['changed', null],
		]);
		expect([a, b, c].map((u) => isFrozen(org, u.Id))).toEqual([false, false, true]);
	});

	it('writes a user named several times (18-char ID, 15-char ID, username in another case) once', async () => {
		const [a, b] = addUsers(org, 2);
		const input = [
			{ id: a.Id },
			{ id: a.Id.slice(0, 15) },
			{ id: a.Username.toUpperCase() },
			{ id: b.Id },
		];
		const run = await runWrite(org, 'freeze', input, { dryRun: false });
		expect(run.json.map((j) => [j.id, j.result, j.duplicateOf])).toEqual([
			[a.Id, 'changed', null],
			[a.Id, 'changed', 0],
			[a.Id, 'changed', 0],
			[b.Id, 'changed', null],
		]);
		expect(run.json[1].reason).toBe('Same user as item 0; acted on once');
		expect(collectionCalls(org).map((c) => c.records)).toEqual([2]);
	});

	it('takes usernames as input, and the default {{ $json.id }} from Get users output', async () => {
		const [a, b] = addUsers(org, 2);
		const byName = await runWrite(org, 'freeze', [{ name: a.Username }], {
			dryRun: false,
			parameters: { userId: '={{ $json.name }}' },
		});
		expect(byName.json).toEqual([{ ...CHANGED_ITEM, id: a.Id, username: a.Username }]);
		const byDefault = await runWrite(org, 'freeze', [{ id: b.Id, username: b.Username }], {
			dryRun: false,
		});
		expect(byDefault.json[0]).toMatchObject({ id: b.Id, result: 'changed' });
	});

	it('rejects a malformed ID before any call, naming the item and the field', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: '005000000000001AAB' }], {
			dryRun: false,
		});
		expect(run.error?.message).toMatch(
			/^Item 1, "userId": "005000000000001AAB" is not a valid Salesforce ID/,
		);
		expect(run.calls).toBe(0);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('with Continue On Fail, a bad item fails on its own and the others go on', async () => {
		const [a] = addUsers(org, 1);
		const run = await runWrite(org, 'freeze', [{ id: 'not an id' }, { id: a.Id }, { id: '' }], {
			dryRun: false,
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.result)).toEqual(['failed', 'changed', 'failed']);
		expect(run.json[0].error).toEqual({
			code: 'INVALID_PARAMETER',
			message: expect.stringMatching(/^Item 0, "userId": "not an id" is neither/),
		});
		expect(run.json[2].error).toMatchObject({
			message: expect.stringMatching(/^Item 2, "userId": is empty/),
		});
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a user that does not exist stops the run before any write, unless Continue On Fail', async () => {
		const [a] = addUsers(org, 1);
		const ghost = '005000000000999AAA';
		const input = [{ id: a.Id }, { id: ghost }, { id: 'ghost@acme.example.com' }];
		const stopped = await runWrite(org, 'freeze', input, { dryRun: false });
		expect(stopped.error?.message).toBe(
			'Freeze user: 2 of 3 users cannot be acted on; nothing was changed',
		);
		expect(stopped.error?.description).toContain(
			`item 1: USER_NOT_FOUND: No user with ID ${ghost}`,
		);
		expect(collectionCalls(org)).toHaveLength(0);

		const continued = await runWrite(org, 'freeze', input, { dryRun: false, continueOnFail: true });
		expect(
			continued.json.map((j) => [j.result, (j.error as { code?: string } | undefined)?.code]),
		).toEqual([
			['changed', undefined],
			['failed', 'USER_NOT_FOUND'],
			['failed', 'USER_NOT_FOUND'],
		]);
	});

	it('a record Salesforce refuses fails on its own item; the error without Continue On Fail lists who was changed', async () => {
		const [a, b, c] = addUsers(org, 3);
		const login = org.store.userLoginFor(b.Id)!;
		org.controls.addUpdateRule({
			sobject: 'UserLogin',
			id: login.Id,
			statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'Frozen users need a ticket',
		});
		const input = [{ id: a.Id }, { id: b.Id }, { id: c.Id }];
		const before = snapshot();

		const continued = await runWrite(org, 'freeze', input, { dryRun: false, continueOnFail: true });
		expect(continued.json.map((j) => j.result)).toEqual(['changed', 'failed', 'changed']);
		expect(continued.json[1].error).toEqual({
			code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'Frozen users need a ticket',
		});
		expect(expectStateMatchesResults(continued, before)).toBe(3);

		// Again without Continue On Fail (after unfreezing a and c): the node errors after the writes.
		for (const u of [a, c]) org.store.userLoginFor(u.Id)!.IsFrozen = false;
		const stopped = await runWrite(org, 'freeze', input, { dryRun: false });
		expect(stopped.error?.message).toBe('Freeze user: 1 of 3 items failed; 2 users were changed');
		expect(stopped.error?.description).toContain(
			`Changed (2): ${a.Username} (${a.Id}), ${c.Username} (${c.Id})`,
		);
		expect(stopped.error?.description).toContain(
			`item 1: ${b.Username} (${b.Id}): FIELD_CUSTOM_VALIDATION_EXCEPTION: Frozen users need a ticket`,
		);
		expect(isFrozen(org, a.Id) && isFrozen(org, c.Id)).toBe(true);
		expect(isFrozen(org, b.Id)).toBe(false);
	});

	it('retries a record locked by another transaction (UNABLE_TO_LOCK_ROW) once it is free', async () => {
		const [a, b] = addUsers(org, 2);
		const login = org.store.userLoginFor(b.Id)!;
		org.controls.addUpdateRule({
			sobject: 'UserLogin',
			id: login.Id,
			statusCode: 'UNABLE_TO_LOCK_ROW',
			message: 'unable to obtain exclusive access to this record',
			times: 1,
		});
		const run = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], { dryRun: false });
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.result)).toEqual(['changed', 'changed']);
		expect(collectionCalls(org).map((c) => c.records)).toEqual([2, 1]);
		expect(isFrozen(org, b.Id)).toBe(true);
	});

	it("gives up on a record that stays locked after 2 retries, with Salesforce's code", async () => {
		const [a] = addUsers(org, 1);
		const login = org.store.userLoginFor(a.Id)!;
		org.controls.addUpdateRule({
			sobject: 'UserLogin',
			id: login.Id,
			statusCode: 'UNABLE_TO_LOCK_ROW',
			message: 'locked',
		});
		const run = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			continueOnFail: true,
		});
		expect(run.json[0]).toMatchObject({
			result: 'failed',
			error: { code: 'UNABLE_TO_LOCK_ROW', message: 'locked' },
		});
		expect(collectionCalls(org)).toHaveLength(3);
		expect(isFrozen(org, a.Id)).toBe(false);
	});

	it('an HTTP 503 on a Collections call mid-batch: re-reads, rewrites only what is still needed', async () => {
		const users = addUsers(org, 450);
		const before = snapshot();
		failNthCollectionsCall(2, 503);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, nodeOptions: { maxUsers: 500 } },
		);

		expect(run.error).toBeUndefined();
		expect(run.json.every((j) => j.result === 'changed')).toBe(true);
		expect(expectStateMatchesResults(run, before)).toBe(450);
		const writes = collectionCalls(org);
		expect(writes.map((c) => [c.status, c.records])).toEqual([
			[200, 200],
			[503, undefined],
			[200, 50],
			[200, 200], // the 200 of the failed call, after re-reading their UserLogins
		]);
		// The re-read asked about exactly the 200 users of the failed call.
		const reread = org.calls
			.soql()
			.filter((q) => q.startsWith('SELECT Id, UserId, IsFrozen FROM UserLogin'));
		expect(reread).toHaveLength(2);
	});

	it('an HTTP 401 mid-batch: the session is renewed and the call goes through once', async () => {
		const users = addUsers(org, 450);
		const before = snapshot();
		failNthCollectionsCall(2, 401);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, nodeOptions: { maxUsers: 500 } },
		);

		expect(run.error).toBeUndefined();
		expect(run.json.every((j) => j.result === 'changed')).toBe(true);
		expect(expectStateMatchesResults(run, before)).toBe(450);
		expect(collectionCalls(org).map((c) => [c.status, c.records])).toEqual([
			[200, 200],
			[401, undefined],
			[200, 200],
			[200, 50],
		]);
		expect(org.calls.count('soapLogin')).toBe(2);
	});

	it('takes injection attempts in User ID and Protected Usernames literally', async () => {
		const [a] = addUsers(org, 1);
		// a real username with a quote: found by its escaped look-up, and protects only that user
		const quoted = org.store.addUser({ Username: "o'brien@acme.example.com" });
		const evil = `${a.Username}' OR Username LIKE '%`;
		const run = await runWrite(org, 'freeze', [{ id: evil }, { id: a.Id }], {
			dryRun: false,
			continueOnFail: true,
			nodeOptions: { protectedUsernames: "O'Brien@acme.example.com" },
		});
		expect(org.calls.soql()).toContain(
			"SELECT Username FROM User WHERE Username IN ('o\\'brien@acme.example.com')",
		);
		expect(isFrozen(org, quoted.Id)).toBe(false);
		expect(run.json[0]).toMatchObject({
			username: evil,
			result: 'failed',
			error: { code: 'USER_NOT_FOUND' },
		});
		expect(run.json[1].result).toBe('changed');
		// Usernames are looked up in lower case (Salesforce compares them case-insensitively).
		expect(
			org.calls
				.soql()
				.some((q) => q.includes(`'${a.Username.toLowerCase()}\\' or username like \\'%'`)),
		).toBe(true);
		expect(org.store.users.filter((u) => isFrozen(org, u.Id)).map((u) => u.Id)).toEqual([a.Id]);
		expect(user(org, a.Id).IsActive).toBe(true);
	});
});

describe('Freeze user when Salesforce refuses whole calls', () => {
	it("a refused look-up stops the run with Salesforce's code; with Continue On Fail every item carries it", async () => {
		const [a, b] = addUsers(org, 2);
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		const stopped = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], { dryRun: false });
		expect(stopped.error?.message).toBe('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
		expect(collectionCalls(org)).toHaveLength(0);

		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		const continued = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			continueOnFail: true,
		});
		expect(continued.json.map((j) => [j.result, j.error])).toEqual([
			['failed', { code: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
			['failed', { code: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
		]);
		expect(isFrozen(org, a.Id) || isFrozen(org, b.Id)).toBe(false);
	});

	it('a refused write call (4xx) is not retried; its users fail with the code, the next call still runs', async () => {
		const users = addUsers(org, 250);
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'collectionsPatch',
		);
		const run = await runWrite(
			org,
			'freeze',
			users.map((u) => ({ id: u.Id })),
			{ dryRun: false, continueOnFail: true, nodeOptions: { maxUsers: 250 } },
		);
		expect(collectionCalls(org).map((c) => c.status)).toEqual([403, 200]);
		// the refused call carried the first 200 users; the next one the last 50
		const expected = users.map((u, i) => [u.Id, i < 200 ? 'failed' : 'changed']);
		expect(run.json.map((j) => [j.id, j.result])).toEqual(expected);
		expect(users.map((u, i) => [u.Id, isFrozen(org, u.Id) ? 'changed' : 'failed'])).toEqual(
			expected,
		);
		const everything = JSON.stringify({ json: run.json, error: run.error });
		expect(everything).not.toContain(org.admin.password);
		expect(everything).not.toContain(org.admin.securityToken);
	});
});

describe('Freeze user with the OAuth2 credential', () => {
	it('an expired access token mid-batch is refreshed through n8n and the batch completes once', async () => {
		const users = addUsers(org, 450);
		failNthCollectionsCall(2, 401);
		org.calls.reset();
		const run = await runNode({
			resource: 'user',
			operation: 'freeze',
			parameters: { dryRun: false, options: { maxUsers: 450 } },
			credentials: oauth2Credentials(org, { accessMode: 'readWrite' }),
			input: users.map((u) => ({ id: u.Id })),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.every((i) => i.json.result === 'changed')).toBe(true);
		expect(users.every((u) => isFrozen(org, u.Id))).toBe(true);
		expect(collectionCalls(org).map((c) => [c.status, c.records])).toEqual([
			[200, 200],
			[401, undefined],
			[200, 200],
			[200, 50],
		]);
		expect(org.calls.count('token')).toBe(1);
		expect(run.credentialSaves).toHaveLength(1);
	});
});
