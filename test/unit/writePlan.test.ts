import { to18CharId } from '../../nodes/SalesforceAdmin/salesforce/ids';
import type {
	PlanContext,
	PlannedUser,
	TargetState,
	UserOutcome,
	WriteIntent,
} from '../../nodes/SalesforceAdmin/salesforce/writePlan';
import {
	adminReason,
	buildResults,
	combineSafetyOptions,
	diffValues,
	failureSummary,
	invalidMaxUsers,
	parseProtectedList,
	planWrites,
} from '../../nodes/SalesforceAdmin/salesforce/writePlan';
import { deactivationGuidance } from '../../nodes/SalesforceAdmin/salesforce/writeGuidance';
import { ExecutionCap } from '../../nodes/SalesforceAdmin/salesforce/executionCap';
import { parseFeatureLicenseSelection } from '../../nodes/SalesforceAdmin/salesforce/featureLicenseSelection';

/** A valid 18-char user ID for a number. */
const uid = (n: number) => to18CharId(`005${String(n).padStart(12, '0')}`) as string;

function user(n: number, extra: Partial<PlannedUser> = {}): PlannedUser {
	return {
		Id: uid(n),
		Username: `user${n}@acme.com`,
		Profile: { Name: 'Standard User', PermissionsModifyAllData: false },
		...extra,
	};
}

function context(
	users: PlannedUser[],
	frozen: Record<number, boolean>,
	overrides: Partial<PlanContext> = {},
): PlanContext {
	const state = new Map<string, TargetState>();
	users.forEach((u, i) => {
		const n = Number(u.Id.slice(3, 15));
		if (n in frozen)
			state.set(u.Id, {
				recordId: `0Yw${String(i).padStart(15, '0')}`,
				values: { IsFrozen: frozen[n] },
			});
	});
	return {
		findUser: (ref) =>
			ref.kind === 'id'
				? users.find((u) => u.Id === ref.id)
				: users.find((u) => u.Username.toLowerCase() === ref.username.toLowerCase()),
		state,
		connectedUserId: uid(999),
		safety: combineSafetyOptions([{}]),
		unchangedReason: () => 'Already frozen',
		missingTargetError: () => ({ code: 'USER_LOGIN_NOT_FOUND', message: 'no login' }),
		...overrides,
	};
}

const byId = (itemIndex: number, n: number): WriteIntent => ({
	itemIndex,
	ref: { kind: 'id', id: uid(n) },
	wanted: { IsFrozen: true },
});
const byName = (itemIndex: number, username: string): WriteIntent => ({
	itemIndex,
	ref: { kind: 'username', username },
	wanted: { IsFrozen: true },
});

describe('combineSafetyOptions: per-item options combine towards the safer side', () => {
	it('uses the defaults for an empty options collection', () => {
		const s = combineSafetyOptions([{}]);
		expect(s).toMatchObject({ dryRun: false, allowAdmins: false, maxUsers: 100 });
		expect(s.protectedUsernames.size).toBe(0);
	});

	it('dry run if any item asks, admins only if all allow, smallest cap, union of protected names', () => {
		const s = combineSafetyOptions([
			{ dryRun: false, allowAdmins: true, maxUsers: 50, protectedUsernames: 'A@x.com' },
			{ dryRun: true, allowAdmins: false, maxUsers: 500, protectedUsernames: 'b@X.com, c@x.com' },
		]);
		expect(s.dryRun).toBe(true);
		expect(s.allowAdmins).toBe(false);
		expect(s.maxUsers).toBe(50);
		expect([...s.protectedUsernames].sort()).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
	});

	it('allows admins when every item does', () => {
		expect(combineSafetyOptions([{ allowAdmins: true }, { allowAdmins: true }]).allowAdmins).toBe(
			true,
		);
	});
});

describe('parseProtectedList', () => {
	it('splits on commas, semicolons, spaces and new lines, lower-cases, and recognises IDs', () => {
		const id15 = uid(7).slice(0, 15);
		expect(parseProtectedList(` Jane@Acme.com,,bob@acme.com;\n${id15} `)).toEqual({
			usernames: ['jane@acme.com', 'bob@acme.com'],
			ids: [{ entry: id15, id: uid(7) }],
			problems: [],
		});
	});

	it('keeps a quote in a username literally; words that are neither usernames nor IDs are problems', () => {
		expect(parseProtectedList("o'brien@acme.com")).toEqual({
			usernames: ["o'brien@acme.com"],
			ids: [],
			problems: [],
		});
		expect(parseProtectedList("x@y.com' OR Username != '").problems).toEqual([
			'entry "x@y.com\'" is not a username (name@domain.tld)',
			'entry "OR" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody',
			'entry "Username" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody',
			'entry "!=" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody',
			'entry "\'" is neither a username (name@domain.tld) nor a user ID (15 or 18 characters, starting with 005), so it would protect nobody',
		]);
	});
});

describe('invalidMaxUsers', () => {
	it.each([[0], [-1], [1.5], ['10'], [NaN]])('refuses %p', (v) =>
		expect(invalidMaxUsers(v)).toMatch(/whole number/),
	);
	it.each([[undefined], [1], [1000]])('accepts %p', (v) =>
		expect(invalidMaxUsers(v)).toBeUndefined(),
	);
});

describe('planWrites', () => {
	it('writes users not yet in the wanted state and leaves the others unchanged', () => {
		const users = [user(1), user(2)];
		const plan = planWrites([byId(0, 1), byId(1, 2)], context(users, { 1: false, 2: true }));
		expect(plan.writes).toEqual([
			{
				userId: uid(1),
				username: 'user1@acme.com',
				recordId: expect.any(String),
				patch: { IsFrozen: true },
				itemIndexes: [0],
			},
		]);
		expect(plan.items.map((i) => i.decision.kind)).toEqual(['write', 'unchanged']);
		expect(plan.items[1].decision).toEqual({ kind: 'unchanged', reason: 'Already frozen' });
	});

	it('fails users that are not found, with the reference in the message', () => {
		const plan = planWrites([byId(0, 5), byName(1, 'ghost@acme.com')], context([], {}));
		expect(plan.writes).toEqual([]);
		expect(plan.items[0]).toMatchObject({
			id: uid(5),
			username: null,
			decision: { kind: 'failed', error: { code: 'USER_NOT_FOUND' } },
		});
		expect(plan.items[1]).toMatchObject({ id: null, username: 'ghost@acme.com' });
		expect((plan.items[1].decision as { error: { message: string } }).error.message).toContain(
			'ghost@acme.com',
		);
	});

	it('skips the connected user, whatever its state', () => {
		const me = user(999);
		const plan = planWrites([byId(0, 999)], context([me], { 999: false }));
		expect(plan.writes).toEqual([]);
		expect(plan.items[0].decision).toMatchObject({
			kind: 'skipped',
			reason: expect.stringContaining('connected'),
		});
	});

	it('skips admins (by profile name or Modify All Data) unless allowed', () => {
		const admin = user(1, {
			Profile: { Name: 'System Administrator', PermissionsModifyAllData: true },
		});
		const mad = user(2, { Profile: { Name: 'Custom Ops', PermissionsModifyAllData: true } });
		const intents = [byId(0, 1), byId(1, 2)];
		const denied = planWrites(intents, context([admin, mad], { 1: false, 2: false }));
		expect(denied.writes).toEqual([]);
		expect(denied.items.map((i) => i.decision)).toEqual([
			{ kind: 'skipped', reason: expect.stringContaining('System Administrator') },
			{ kind: 'skipped', reason: expect.stringContaining('Modify All Data') },
		]);
		const viaPermissionSet = planWrites(
			[byId(0, 3)],
			context(
				[user(3)],
				{ 3: false },
				{ adminPermissionSets: new Map([[uid(3), 'Ops Superuser']]) },
			),
		);
		expect(viaPermissionSet.items[0].decision).toEqual({
			kind: 'skipped',
			reason: expect.stringContaining('permission set "Ops Superuser"'),
		});
		const allowed = planWrites(
			intents,
			context(
				[admin, mad],
				{ 1: false, 2: false },
				{ safety: combineSafetyOptions([{ allowAdmins: true }]) },
			),
		);
		expect(allowed.writes.map((w) => w.userId)).toEqual([uid(1), uid(2)]);
	});

	it('skips protected usernames case-insensitively, and protected IDs', () => {
		const users = [user(1), user(2), user(3)];
		const safety = combineSafetyOptions([
			{ protectedUsernames: `USER1@ACME.COM, ${uid(2).slice(0, 15)}` },
		]);
		const plan = planWrites(
			[byId(0, 1), byId(1, 2), byId(2, 3)],
			context(users, { 1: false, 2: false, 3: false }, { safety }),
		);
		expect(plan.items.map((i) => i.decision.kind)).toEqual(['skipped', 'skipped', 'write']);
		expect(plan.writes.map((w) => w.userId)).toEqual([uid(3)]);
	});

	it('writes a user named several times (15/18-char ID, username in another case) once, flagging the repeats', () => {
		const u = user(1);
		const intents: WriteIntent[] = [byId(0, 1), byName(1, 'USER1@acme.com'), byId(2, 1)];
		const plan = planWrites(intents, context([u], { 1: false }));
		expect(plan.writes).toHaveLength(1);
		expect(plan.writes[0].itemIndexes).toEqual([0, 1, 2]);
		expect(plan.items.map((i) => i.duplicateOf)).toEqual([undefined, 0, 0]);
	});

	it('fails a found user without a target record', () => {
		const plan = planWrites([byId(0, 1)], context([user(1)], {}));
		expect(plan.items[0].decision).toEqual({
			kind: 'failed',
			error: { code: 'USER_LOGIN_NOT_FOUND', message: 'no login' },
		});
	});

	it('merges different wishes of repeated items into one patch (feature licenses)', () => {
		const u = user(1);
		const ctx = context([u], {});
		(ctx.state as Map<string, TargetState>).set(u.Id, {
			recordId: u.Id,
			values: {
				UserPermissionsMarketingUser: true,
				UserPermissionsSupportUser: true,
				UserPermissionsMobileUser: false,
			},
		});
		const plan = planWrites(
			[
				{
					itemIndex: 0,
					ref: { kind: 'id', id: u.Id },
					wanted: { UserPermissionsMarketingUser: false },
				},
				{
					itemIndex: 1,
					ref: { kind: 'id', id: u.Id },
					wanted: { UserPermissionsSupportUser: false, UserPermissionsMobileUser: false },
				},
				{
					itemIndex: 2,
					ref: { kind: 'id', id: u.Id },
					wanted: { UserPermissionsMobileUser: false },
				},
			],
			ctx,
		);
		expect(plan.writes).toHaveLength(1);
		expect(plan.writes[0].patch).toEqual({
			UserPermissionsMarketingUser: false,
			UserPermissionsSupportUser: false,
		});
		expect(plan.items.map((i) => i.decision.kind)).toEqual(['write', 'write', 'unchanged']);
	});
});

describe('diffValues', () => {
	it('keeps only fields that differ', () => {
		expect(diffValues({ A: true, B: false, C: null }, { A: false, B: false, C: false })).toEqual({
			A: false,
			C: false,
		});
	});
});

describe('Max Users counts distinct users that would change', () => {
	it('allows exactly maxUsers and refuses one more, with the count', () => {
		const users = [user(1), user(2), user(3)];
		const ctx = context(users, { 1: false, 2: false, 3: true });
		// 4 items, 2 distinct users to change (user 3 already frozen, user 1 repeated)
		const plan = planWrites([byId(0, 1), byId(1, 1), byId(2, 2), byId(3, 3)], ctx);
		const userIds = plan.writes.map((w) => w.userId);
		const cap = new ExecutionCap();
		expect(cap.reserve(undefined, userIds, 2, false, 'Freeze user')).toMatchObject({ ok: true });
		expect(cap.reserve(undefined, userIds, 1, false, 'Freeze user')).toMatchObject({
			ok: false,
			message:
				'Freeze user would change 2 users, more than the "Max Users" limit of 1; nothing was changed',
		});
	});
});

describe('buildResults and failureSummary', () => {
	const text = { dryRunReason: () => 'Dry run: would freeze the user' };

	function samplePlan() {
		const users = [user(1), user(2), user(3)];
		return planWrites(
			[byId(0, 1), byId(1, 2), byId(2, 3), byId(3, 1), byId(4, 9)],
			context(users, { 1: false, 2: false, 3: true }),
		);
	}

	it('gives each item its user outcome, flags duplicates, and reports dry runs', () => {
		const plan = samplePlan();
		const outcomes = new Map<string, UserOutcome>([
			[uid(1), { kind: 'changed' }],
			[uid(2), { kind: 'failed', error: { code: 'UNABLE_TO_LOCK_ROW', message: 'locked' } }],
		]);
		const results = buildResults('freeze', plan, outcomes, false, text);
		expect(results.map((r) => [r.itemIndex, r.result])).toEqual([
			[0, 'changed'],
			[1, 'failed'],
			[2, 'unchanged'],
			[3, 'changed'],
			[4, 'failed'],
		]);
		expect(results[3]).toMatchObject({
			duplicateOf: 0,
			reason: 'Same user as item 0; acted on once',
			action: 'freeze',
		});
		expect(results[1].error).toEqual({ code: 'UNABLE_TO_LOCK_ROW', message: 'locked' });

		const dry = buildResults('freeze', plan, new Map(), true, text);
		expect(dry.map((r) => r.result)).toEqual(['dryRun', 'dryRun', 'unchanged', 'dryRun', 'failed']);
	});

	it('never reports a write as done when no outcome is known', () => {
		const results = buildResults('freeze', samplePlan(), new Map(), false, text);
		expect(results[0]).toMatchObject({ result: 'failed', error: { code: 'OUTCOME_UNKNOWN' } });
	});

	it('summarises a partial failure listing changed and failed users', () => {
		const plan = samplePlan();
		const outcomes = new Map<string, UserOutcome>([
			[uid(1), { kind: 'changed' }],
			[
				uid(2),
				{
					kind: 'failed',
					error: { code: 'FIELD_INTEGRITY_EXCEPTION', message: 'nope', guidance: 'Freeze instead' },
				},
			],
		]);
		const summary = failureSummary(
			'Freeze user',
			buildResults('freeze', plan, outcomes, false, text),
		);
		expect(summary?.message).toBe('Freeze user: 2 of 5 items failed; 1 users were changed');
		expect(summary?.description).toContain(`Changed (1): user1@acme.com (${uid(1)})`);
		expect(summary?.description).toContain(
			`item 1: user2@acme.com (${uid(2)}): FIELD_INTEGRITY_EXCEPTION: nope Freeze instead`,
		);
		expect(summary?.firstFailedItem).toBe(1);
		expect(
			failureSummary(
				'Freeze user',
				buildResults(
					'freeze',
					plan,
					new Map([
						[uid(1), { kind: 'changed' }],
						[uid(2), { kind: 'changed' }],
					]),
					false,
					text,
				).filter((r) => r.itemIndex !== 4),
			),
		).toBeUndefined();
	});
});

describe('adminReason', () => {
	it('is silent for ordinary users and users without a profile', () => {
		expect(adminReason(user(1))).toBeUndefined();
		expect(adminReason({ Id: uid(1), Username: 'x@y.z', Profile: null })).toBeUndefined();
	});
});

describe('deactivationGuidance', () => {
	it.each([
		[
			'FIELD_INTEGRITY_EXCEPTION',
			'Cannot inactivate user that is the value of a hierarchy field: Manager',
			/Manager/,
		],
		[
			'FIELD_INTEGRITY_EXCEPTION',
			'You cannot deactivate a user who is the default workflow user',
			/Process Automation Settings/,
		],
		['FIELD_INTEGRITY_EXCEPTION', 'This user is a portal account owner.', /portal accounts/],
		['FIELD_INTEGRITY_EXCEPTION', 'This user is the Salesforce CPQ integration user', /CPQ/],
		['FIELD_INTEGRITY_EXCEPTION', 'Something new', /Freeze the user instead/],
	])('%s "%s" -> freeze-instead guidance', (code, message, expected) => {
		const guidance = deactivationGuidance({ code, message });
		expect(guidance).toMatch(/^Freeze the user instead/);
		expect(guidance).toMatch(expected);
	});

	it('gives nothing for unrelated errors', () => {
		expect(
			deactivationGuidance({ code: 'LICENSE_LIMIT_EXCEEDED', message: 'no licenses' }),
		).toBeUndefined();
	});
});

describe('parseFeatureLicenseSelection', () => {
	it('accepts field names and labels, from a list or comma-separated text', () => {
		expect(parseFeatureLicenseSelection(['UserPermissionsMarketingUser', 'Service Cloud'])).toEqual(
			{
				ok: true,
				fields: ['UserPermissionsMarketingUser', 'UserPermissionsSupportUser'],
			},
		);
		expect(parseFeatureLicenseSelection('marketing, UserPermissionsMarketingUser')).toEqual({
			ok: true,
			fields: ['UserPermissionsMarketingUser'],
		});
	});

	it('refuses an empty selection and unknown names (which could otherwise reach SOQL)', () => {
		expect(parseFeatureLicenseSelection([])).toMatchObject({
			ok: false,
			reason: expect.stringContaining('empty'),
		});
		expect(parseFeatureLicenseSelection(['IsActive'])).toMatchObject({
			ok: false,
			reason: expect.stringContaining('"IsActive" is not a feature license'),
		});
		expect(parseFeatureLicenseSelection(["Id FROM User WHERE Id != '"])).toMatchObject({
			ok: false,
		});
		expect(parseFeatureLicenseSelection(42)).toMatchObject({ ok: false });
	});
});
