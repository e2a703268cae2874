/**
 * Every write action against the fake org, through the same scenarios: the org's state
 * afterwards equals the reported results record by record, read-only refusal, dry run, cap,
 * skips, duplicates, a 200-plus batch with a 503 in the middle. Then what only one action does
 * (deactivation blockers, feature licenses the org lacks).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import type { WriteRun } from './setup';
import { addUsers, collectionCalls, isFrozen, runWrite, user } from './setup';

type NewUser = Parameters<FakeOrg['store']['addUser']>[0];

interface ActionCase {
	operation: string;
	/** The action label, as the node panel shows it and messages begin with. */
	label: string;
	parameters?: INodeParameters;
	/** A user this action would change, and one already in the wanted state. */
	needsChange: NewUser;
	alreadyDone: NewUser;
	/** Whether the user is in the state the action wants. */
	isDone(org: FakeOrg, userId: string): boolean;
	/** The record a failing save rule targets. */
	ruleTarget(org: FakeOrg, userId: string): { sobject: string; id: string };
}

const MARKETING = 'UserPermissionsMarketingUser';
const SERVICE = 'UserPermissionsSupportUser';
const MOBILE = 'UserPermissionsMobileUser';

const CASES: ActionCase[] = [
	{
		operation: 'freeze',
		label: 'Freeze user',
		needsChange: {},
		alreadyDone: { IsFrozen: true },
		isDone: (org, id) => isFrozen(org, id),
		ruleTarget: (org, id) => ({ sobject: 'UserLogin', id: org.store.userLoginFor(id)!.Id }),
	},
	{
		operation: 'unfreeze',
		label: 'Unfreeze user',
		needsChange: { IsFrozen: true },
		alreadyDone: {},
		isDone: (org, id) => !isFrozen(org, id),
		ruleTarget: (org, id) => ({ sobject: 'UserLogin', id: org.store.userLoginFor(id)!.Id }),
	},
	{
		operation: 'deactivate',
		label: 'Deactivate user',
		needsChange: {},
		alreadyDone: { IsActive: false },
		isDone: (org, id) => user(org, id).IsActive === false,
		ruleTarget: (_org, id) => ({ sobject: 'User', id }),
	},
	{
		operation: 'activate',
		label: 'Activate user',
		// Chatter Free has 5,000 licenses, so activating hundreds stays within the org's licenses.
		needsChange: { IsActive: false, profile: 'Chatter Free User' },
		alreadyDone: { profile: 'Chatter Free User' },
		isDone: (org, id) => user(org, id).IsActive === true,
		ruleTarget: (_org, id) => ({ sobject: 'User', id }),
	},
	{
		operation: 'removeFeatureLicenses',
		label: 'Remove feature licenses',
		parameters: { featureLicenses: [MARKETING, SERVICE] },
		needsChange: { [MARKETING]: true, [SERVICE]: true, [MOBILE]: true },
		alreadyDone: { [MOBILE]: true },
		isDone: (org, id) => user(org, id)[MARKETING] === false && user(org, id)[SERVICE] === false,
		ruleTarget: (_org, id) => ({ sobject: 'User', id }),
	},
];

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

/** The whole observable state of the users a run may touch. */
function stateOf(ids: string[]) {
	return new Map(
		ids.map((id) => {
			const u = user(org, id);
			return [
				id,
				JSON.stringify({
					frozen: isFrozen(org, id),
					active: u.IsActive,
					m: u[MARKETING],
					s: u[SERVICE],
					mob: u[MOBILE],
				}),
			];
		}),
	);
}

/**
 * changed -> was not done, is done now; unchanged -> done; skipped/failed/dryRun -> untouched.
 * Returns how many items it checked (items naming users outside `before` are not), so a test
 * can tell that none slipped through.
 */
function expectStateMatchesResults(
	c: ActionCase,
	run: WriteRun,
	before: Map<string, string>,
	wasDone: Map<string, boolean>,
): number {
	const after = stateOf([...before.keys()]);
	let checked = 0;
	for (const item of run.json) {
		const id = item.id as string;
		if (!before.has(id)) continue;
		checked++;
		if (item.result === 'changed') {
			expect([id, wasDone.get(id), c.isDone(org, id)]).toEqual([id, false, true]);
		} else if (item.result === 'unchanged') {
			expect([id, c.isDone(org, id)]).toEqual([id, true]);
			expect(after.get(id)).toBe(before.get(id));
		} else {
			expect([id, item.result, after.get(id)]).toEqual([id, item.result, before.get(id)]);
		}
	}
	return checked;
}

describe.each(CASES)('$operation', (c) => {
	const run = (input: IDataObject[], options: Partial<Parameters<typeof runWrite>[3]> = {}) =>
		runWrite(org, c.operation, input, {
			dryRun: false,
			...options,
			parameters: { ...c.parameters, ...options.parameters },
		});

	function scenario() {
		const change = addUsers(org, 3, c.needsChange);
		const done = addUsers(org, 1, c.alreadyDone);
		const [admin] = addUsers(org, 1, { ...c.needsChange, profile: 'System Administrator' });
		const [protectedUser] = addUsers(org, 1, c.needsChange);
		const [refusing] = addUsers(org, 1, c.needsChange);
		const target = c.ruleTarget(org, refusing.Id);
		org.controls.addUpdateRule({
			...target,
			statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'Blocked by a validation rule',
		});
		const all = [...change, ...done, admin, protectedUser, refusing];
		const input = [
			...all.map((u) => ({ id: u.Id })),
			{ id: change[0].Username.toUpperCase() }, // a duplicate, by username
			{ id: org.admin.userId }, // the connected user
			{ id: '005000000000999AAA' }, // not in the org
		];
		return { change, done, admin, protectedUser, refusing, all, input };
	}

	it('the org afterwards equals the reported results, record by record', async () => {
		const s = scenario();
		const ids = [...s.all.map((u) => u.Id), org.admin.userId];
		const before = stateOf(ids);
		const wasDone = new Map(ids.map((id) => [id, c.isDone(org, id)]));

		const result = await run(s.input, {
			continueOnFail: true,
			nodeOptions: { protectedUsernames: s.protectedUser.Username },
		});

		expect(result.error).toBeUndefined();
		expect(result.json.map((j) => j.result)).toEqual([
			'changed',
			'changed',
			'changed',
			'unchanged',
			'skipped',
			'skipped',
			'failed',
			'changed',
			'skipped',
			'failed',
		]);
		expect(result.json.every((j) => j.action === c.operation)).toBe(true);
		expect(result.json[6].error).toEqual({
			code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'Blocked by a validation rule',
		});
		expect(result.json[7]).toMatchObject({ id: s.change[0].Id, duplicateOf: 0 });
		expect(result.json[9].error).toMatchObject({ code: 'USER_NOT_FOUND' });
		expect(expectStateMatchesResults(c, result, before, wasDone)).toBe(9); // all but the unknown user
		// 3 + the refusing user, in one call: nothing for unchanged, skipped or repeated users
		expect(collectionCalls(org).map((call) => call.records)).toEqual([4]);
	});

	it('without Continue On Fail, errors after the writes and lists the changed users', async () => {
		const s = scenario();
		const input = s.input.slice(0, 8); // leave out the unknown user, which would stop the run before writing
		const result = await run(input, {
			nodeOptions: { protectedUsernames: s.protectedUser.Username },
		});
		expect(result.error?.message).toBe(`${c.label}: 1 of 8 items failed; 3 users were changed`);
		for (const u of s.change)
			expect(result.error?.description).toContain(`${u.Username} (${u.Id})`);
		expect(result.error?.description).toContain(
			`${s.refusing.Username} (${s.refusing.Id}): FIELD_CUSTOM_VALIDATION_EXCEPTION`,
		);
		expect(s.change.every((u) => c.isDone(org, u.Id))).toBe(true);
	});

	it('is refused with a Read-Only credential before any call', async () => {
		const [a] = addUsers(org, 1, c.needsChange);
		const result = await run([{ id: a.Id }], { accessMode: 'readOnly' });
		expect(result.error?.message).toBe(
			`"${c.label}" changes users, but the credential is Read-Only`,
		);
		expect(result.calls).toBe(0);
		expect(c.isDone(org, a.Id)).toBe(false);
	});

	it('dry run changes nothing and says what would change', async () => {
		const s = scenario();
		const before = stateOf(s.all.map((u) => u.Id));
		const result = await run(s.input, { continueOnFail: true, nodeOptions: { dryRun: true } });
		expect(result.json.slice(0, 4).map((j) => j.result)).toEqual([
			'dryRun',
			'dryRun',
			'dryRun',
			'unchanged',
		]);
		expect(result.json[0].reason).toMatch(/^Dry run: would /);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(stateOf(s.all.map((u) => u.Id))).toEqual(before);
	});

	it('a newly added node (no Dry Run set anywhere) is a dry run: nothing changes', async () => {
		const s = scenario();
		const before = stateOf(s.all.map((u) => u.Id));
		const result = await runWrite(org, c.operation, s.input, {
			dryRun: 'default',
			continueOnFail: true,
			parameters: c.parameters,
		});
		expect(result.json.slice(0, 4).map((j) => j.result)).toEqual([
			'dryRun',
			'dryRun',
			'dryRun',
			'unchanged',
		]);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(stateOf(s.all.map((u) => u.Id))).toEqual(before);
	});

	it('the Dry Run switch turned off acts', async () => {
		const [a] = addUsers(org, 1, c.needsChange);
		const result = await run([{ id: a.Id }], { dryRun: false });
		expect(result.json.map((j) => j.result)).toEqual(['changed']);
		expect(c.isDone(org, a.Id)).toBe(true);
	});

	it('fails before any write when the cap is exceeded', async () => {
		const users = addUsers(org, 5, c.needsChange);
		const before = stateOf(users.map((u) => u.Id));
		const result = await run(
			users.map((u) => ({ id: u.Id })),
			{ nodeOptions: { maxUsers: 4 }, continueOnFail: true },
		);
		expect(result.error?.message).toBe(
			`${c.label} would change 5 users, more than the "Max Users" limit of 4; nothing was changed`,
		);
		expect(collectionCalls(org)).toHaveLength(0);
		expect(stateOf(users.map((u) => u.Id))).toEqual(before);
	});

	it('writes 250 users in 2 calls, and survives a 503 on the first without writing anyone twice', async () => {
		const users = addUsers(org, 250, c.needsChange);
		const ids = users.map((u) => u.Id);
		const before = stateOf(ids);
		const wasDone = new Map(ids.map((id) => [id, false]));
		org.controls.failNext(1, 503, undefined, undefined, 'collectionsPatch');

		const result = await run(
			ids.map((id) => ({ id })),
			{ nodeOptions: { maxUsers: 250 } },
		);

		expect(result.error).toBeUndefined();
		expect(result.json.every((j) => j.result === 'changed')).toBe(true);
		expect(expectStateMatchesResults(c, result, before, wasDone)).toBe(250);
		expect(collectionCalls(org).map((call) => [call.status, call.records])).toEqual([
			[503, undefined],
			[200, 50],
			[200, 200],
		]);
	});
});

describe("deactivate: Salesforce's blockers come back with guidance", () => {
	it.each([
		[
			'Cannot inactivate user that is the value of a hierarchy field: Manager',
			/reassign the fields that point to this user/,
		],
		[
			'You cannot deactivate this user because they are the default workflow user',
			/Default Workflow User/,
		],
		['This user is a portal account owner. Transfer the accounts first.', /portal accounts/],
		['Salesforce CPQ: this user is used in package settings', /CPQ/],
	])('%s', async (message, guidance) => {
		const [blocked, free] = addUsers(org, 2);
		org.controls.addUpdateRule({
			sobject: 'User',
			id: blocked.Id,
			statusCode: 'FIELD_INTEGRITY_EXCEPTION',
			message,
			when: (v) => v.IsActive === false,
		});
		const result = await runWrite(org, 'deactivate', [{ id: blocked.Id }, { id: free.Id }], {
			dryRun: false,
			continueOnFail: true,
		});
		expect(result.json[0]).toEqual({
			id: blocked.Id,
			username: blocked.Username,
			action: 'deactivate',
			result: 'failed',
			reason: null,
			error: {
				code: 'FIELD_INTEGRITY_EXCEPTION',
				message,
				guidance: expect.stringMatching(/^Freeze the user instead/),
			},
			duplicateOf: null,
		});
		expect((result.json[0].error as IDataObject).guidance).toMatch(guidance);
		expect(user(org, blocked.Id).IsActive).toBe(true);
		expect(result.json[1].result).toBe('changed');
		expect(user(org, free.Id).IsActive).toBe(false);
	});

	it('the node error without Continue On Fail carries the guidance too', async () => {
		const [blocked] = addUsers(org, 1);
		org.controls.addUpdateRule({
			sobject: 'User',
			id: blocked.Id,
			statusCode: 'FIELD_INTEGRITY_EXCEPTION',
			message: 'Cannot inactivate user that is the value of a hierarchy field',
		});
		const result = await runWrite(org, 'deactivate', [{ id: blocked.Id }], { dryRun: false });
		expect(result.error?.message).toBe(
			'Deactivate user: 1 of 1 items failed; 0 users were changed',
		);
		expect(result.error?.description).toContain('Freeze the user instead');
	});
});

describe('activate', () => {
	it('reports LICENSE_LIMIT_EXCEEDED per user when the org has no license left', async () => {
		const license = org.store.licenseByName('Chatter Free')!;
		const active = org.store.users.filter(
			(u) => u.IsActive && u.ProfileId === org.store.profileByName('Chatter Free User')!.Id,
		).length;
		license.TotalLicenses = active + 1;
		const [a, b] = addUsers(org, 2, { IsActive: false, profile: 'Chatter Free User' });
		const result = await runWrite(org, 'activate', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			continueOnFail: true,
		});
		expect(result.json.map((j) => j.result)).toEqual(['changed', 'failed']);
		expect(result.json[1].error).toMatchObject({ code: 'LICENSE_LIMIT_EXCEEDED' });
		expect([user(org, a.Id).IsActive, user(org, b.Id).IsActive]).toEqual([true, false]);
	});
});

describe('removeFeatureLicenses', () => {
	const FLAGS = [MARKETING, SERVICE, MOBILE] as const;
	const flags = (id: string) => FLAGS.map((f) => user(org, id)[f]);

	it('turns off only the chosen licenses a user has on; users with none are unchanged', async () => {
		const [both] = addUsers(org, 1, { [MARKETING]: true, [SERVICE]: true, [MOBILE]: true });
		const [marketingOnly] = addUsers(org, 1, { [MARKETING]: true, [MOBILE]: true });
		const [none] = addUsers(org, 1, { [MOBILE]: true });
		const result = await runWrite(
			org,
			'removeFeatureLicenses',
			[both, marketingOnly, none].map((u) => ({ id: u.Id })),
			{ dryRun: false, parameters: { featureLicenses: [MARKETING, SERVICE] } },
		);
		expect(result.json.map((j) => [j.result, j.reason])).toEqual([
			['changed', 'Removed Marketing, Service Cloud'],
			['changed', 'Removed Marketing'],
			['unchanged', 'None of the chosen feature licenses is on (Marketing, Service Cloud)'],
		]);
		expect(flags(both.Id)).toEqual([false, false, true]);
		expect(flags(marketingOnly.Id)).toEqual([false, false, true]);
		expect(flags(none.Id)).toEqual([false, false, true]);
		expect(collectionCalls(org).map((call) => call.records)).toEqual([2]);
	});

	it("a license field the org does not have is nobody's: the others are still removed", async () => {
		org.controls.hideFields('User', ['UserPermissionsOfflineUser']);
		const [a] = addUsers(org, 1, { [MARKETING]: true });
		const result = await runWrite(org, 'removeFeatureLicenses', [{ id: a.Id }], {
			dryRun: false,
			parameters: { featureLicenses: ['UserPermissionsOfflineUser', MARKETING] },
		});
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ result: 'changed', reason: 'Removed Marketing' });
		expect(user(org, a.Id)[MARKETING]).toBe(false);
		expect(org.calls.count('describe')).toBe(1);
	});

	it('refuses an empty or unknown selection before any call, naming the item and field', async () => {
		const [a] = addUsers(org, 1, { [MARKETING]: true });
		// (an empty list typed in the panel is refused by n8n itself, as the field is required)
		const empty = await runWrite(org, 'removeFeatureLicenses', [{ id: a.Id, f: [] }], {
			dryRun: false,
			parameters: { featureLicenses: '={{ $json.f }}' },
		});
		expect(empty.error?.message).toBe(
			'Item 0, "Feature Licenses": is empty; pick at least one feature license to remove',
		);
		expect(empty.calls).toBe(0);
		const unknown = await runWrite(
			org,
			'removeFeatureLicenses',
			[{ id: a.Id }, { id: a.Id, f: 'IsActive' }],
			{ dryRun: false, parameters: { featureLicenses: '={{ $json.f ?? "Marketing" }}' } },
		);
		expect(unknown.error?.message).toMatch(
			/^Item 1, "Feature Licenses": "IsActive" is not a feature license/,
		);
		expect(unknown.calls).toBe(0);
		expect(user(org, a.Id)[MARKETING]).toBe(true);
	});
});

describe('options evaluated per item combine towards the safer side', () => {
	it('one item asking for a dry run makes the whole run a dry run', async () => {
		const [a, b] = addUsers(org, 2);
		const result = await runWrite(
			org,
			'freeze',
			[
				{ id: a.Id, dry: false },
				{ id: b.Id, dry: true },
			],
			{ dryRun: 'default', nodeOptions: { dryRun: '={{ $json.dry }}' } },
		);
		expect(result.json.map((j) => j.result)).toEqual(['dryRun', 'dryRun']);
		expect(isFrozen(org, a.Id) || isFrozen(org, b.Id)).toBe(false);
	});

	it('admins are allowed only when every item allows them; the smallest cap applies', async () => {
		const admins = addUsers(org, 2, { profile: 'System Administrator' });
		const mixed = await runWrite(
			org,
			'freeze',
			admins.map((u, i) => ({ id: u.Id, allow: i === 0 })),
			{ dryRun: false, nodeOptions: { allowAdmins: '={{ $json.allow }}' } },
		);
		expect(mixed.json.map((j) => j.result)).toEqual(['skipped', 'skipped']);

		const capped = await runWrite(
			org,
			'freeze',
			admins.map((u, i) => ({ id: u.Id, cap: i === 0 ? 5 : 1 })),
			{ dryRun: false, nodeOptions: { allowAdmins: true, maxUsers: '={{ $json.cap }}' } },
		);
		expect(capped.error?.message).toContain(
			'would change 2 users, more than the "Max Users" limit of 1',
		);
		expect(admins.some((u) => isFrozen(org, u.Id))).toBe(false);
	});

	it('a bad Max Users is refused before any call, naming the item', async () => {
		const [a] = addUsers(org, 1);
		const result = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			nodeOptions: { maxUsers: 0 },
		});
		expect(result.error?.message).toBe(
			'Item 0, "Options > Max Users": must be a whole number of at least 1 (got 0)',
		);
		expect(result.calls).toBe(0);
	});
});
