/** User change detection from current values and the last known state. */
import { initialCursor } from '../../nodes/SalesforceAdmin/salesforce/pollWindow';
import type { UserStates } from '../../nodes/SalesforceAdmin/salesforce/userChanges';
import {
	detectFreezeChanges,
	detectUserChanges,
	trackedBaseline,
	upgradeStates,
} from '../../nodes/SalesforceAdmin/salesforce/userChanges';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const sf = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const ADMIN = '005000000000001AAA';
const U1 = '005000000000002AAA';
const U2 = '005000000000003AAA';
const options = (now: number) => ({
	now,
	overlapMs: 5 * MIN,
	maxRows: 100,
	maxSeen: 100,
	maxTracked: 3,
});

const user = (id: string, active: boolean, created: number, modified: number) => ({
	Id: id,
	IsActive: active,
	CreatedDate: sf(created),
	CreatedById: ADMIN,
	LastModifiedDate: sf(modified),
	LastModifiedById: ADMIN,
});
const login = (userId: string, frozen: boolean, modified: number) => ({
	Id: `0Yw${userId.slice(3)}`,
	UserId: userId,
	IsFrozen: frozen,
	LastModifiedDate: sf(modified),
	LastModifiedById: ADMIN,
});

describe('user changes', () => {
	const baselineStates = (inactive: string[], frozen: string[], max: number): UserStates => ({
		inactive: trackedBaseline(inactive, max),
		frozen: trackedBaseline(frozen, max),
	});
	const baseline = baselineStates([U2], [], 3);

	it('created: once, even when the creation is read again in the overlap or modified later', () => {
		const start = initialCursor(T0);
		const first = detectUserChanges(
			start,
			[user(U1, true, T0 + MIN, T0 + MIN)],
			baseline,
			options(T0 + 2 * MIN),
		);
		expect(first.events).toEqual([
			{
				userId: U1,
				change: 'created',
				changedAt: new Date(T0 + MIN).toISOString(),
				changedById: ADMIN,
			},
		]);
		const again = detectUserChanges(
			first.cursor,
			[user(U1, true, T0 + MIN, T0 + MIN), user(U1, true, T0 + MIN, T0 + 3 * MIN)],
			first.states,
			options(T0 + 4 * MIN),
		);
		expect(again.events).toEqual([]);
	});

	it('deactivated / activated: only when IsActive differs from the last known state', () => {
		const start = initialCursor(T0);
		const r = detectUserChanges(
			start,
			[user(U1, false, T0 - 999 * MIN, T0 + MIN), user(U2, false, T0 - 999 * MIN, T0 + MIN)],
			baseline,
			options(T0 + 2 * MIN),
		);
		// U2 was inactive before (an edit of an inactive user is not a deactivation)
		expect(r.events.map((e) => [e.userId, e.change])).toEqual([[U1, 'deactivated']]);
		expect(r.states.inactive.ids.sort()).toEqual([U1, U2].sort());
		const back = detectUserChanges(
			r.cursor,
			[user(U1, true, T0 - 999 * MIN, T0 + 3 * MIN)],
			r.states,
			options(T0 + 4 * MIN),
		);
		expect(back.events.map((e) => e.change)).toEqual(['activated']);
		expect(back.states.inactive.ids).toEqual([U2]);
	});

	it('frozen / unfrozen from UserLogin; a password lock on a frozen user is no new freeze', () => {
		const start = initialCursor(T0);
		const frozen = detectFreezeChanges(
			start,
			[login(U1, true, T0 + MIN)],
			baseline,
			options(T0 + 2 * MIN),
		);
		expect(frozen.events.map((e) => [e.userId, e.change])).toEqual([[U1, 'frozen']]);
		const locked = detectFreezeChanges(
			frozen.cursor,
			[login(U1, true, T0 + 3 * MIN)],
			frozen.states,
			options(T0 + 4 * MIN),
		);
		expect(locked.events).toEqual([]);
		const thawed = detectFreezeChanges(
			locked.cursor,
			[login(U1, false, T0 + 5 * MIN)],
			locked.states,
			options(T0 + 6 * MIN),
		);
		expect(thawed.events.map((e) => e.change)).toEqual(['unfrozen']);
	});

	it('frozen and unfrozen between two polls is not seen (only current values are)', () => {
		const r = detectFreezeChanges(
			initialCursor(T0),
			[login(U1, false, T0 + MIN)],
			baseline,
			options(T0 + 2 * MIN),
		);
		expect(r.events).toEqual([]);
	});

	it('tracks at most maxTracked users per state, and says when it had to forget', () => {
		let states = baselineStates([], [], 3);
		let cursor = initialCursor(T0);
		const ids = [
			'005000000000010AAA',
			'005000000000011AAA',
			'005000000000012AAA',
			'005000000000013AAA',
		];
		for (const [i, id] of ids.entries()) {
			const r = detectFreezeChanges(
				cursor,
				[login(id, true, T0 + (i + 1) * MIN)],
				states,
				options(T0 + (i + 2) * MIN),
			);
			cursor = r.cursor;
			states = r.states;
		}
		expect(states.frozen.ids).toEqual(ids.slice(1));
		expect(states.frozen.complete).toBe(false);
	});

	it('a user created, reported, then deactivated inside the overlap window: deactivated fires', () => {
		const created = detectUserChanges(
			initialCursor(T0),
			[user(U1, true, T0 + MIN, T0 + MIN)],
			baseline,
			options(T0 + 2 * MIN),
		);
		expect(created.events.map((e) => e.change)).toEqual(['created']);
		// a minute later: the creation is still inside the 5-minute overlap
		const deactivated = detectUserChanges(
			created.cursor,
			[user(U1, false, T0 + MIN, T0 + 3 * MIN)],
			created.states,
			options(T0 + 4 * MIN),
		);
		expect(deactivated.events.map((e) => [e.userId, e.change])).toEqual([[U1, 'deactivated']]);
		const reactivated = detectUserChanges(
			deactivated.cursor,
			[user(U1, true, T0 + MIN, T0 + 5 * MIN)],
			deactivated.states,
			options(T0 + 6 * MIN),
		);
		expect(reactivated.events.map((e) => e.change)).toEqual(['activated']);
	});

	it('a user created and deactivated between two polls: created and deactivated', () => {
		const r = detectUserChanges(
			initialCursor(T0),
			[user(U1, false, T0 + MIN, T0 + 2 * MIN)],
			baseline,
			options(T0 + 3 * MIN),
		);
		expect(r.events.map((e) => e.change)).toEqual(['created', 'deactivated']);
	});

	describe('more inactive users than it keeps (maxTracked 3)', () => {
		const INACTIVE = [
			'005000000000020AAA',
			'005000000000021AAA',
			'005000000000022AAA',
			'005000000000023AAA',
		];
		const LONG_INACTIVE = INACTIVE[3];
		const ACTIVE = '005000000000030AAA';

		it('neither list fits: an untracked inactive user edited is no change (nor is a deactivation it cannot tell)', () => {
			const states: UserStates = {
				inactive: trackedBaseline(INACTIVE, 3),
				frozen: trackedBaseline([], 3),
			};
			expect(states.inactive.complete).toBe(false);
			const r = detectUserChanges(
				initialCursor(T0),
				[
					user(LONG_INACTIVE, false, T0 - 999 * MIN, T0 + MIN),
					user(INACTIVE[0], true, T0 - 999 * MIN, T0 + MIN),
				],
				states,
				options(T0 + 2 * MIN),
			);
			// the tracked one that comes back is sure; the long-inactive one is not reported
			expect(r.events.map((e) => [e.userId, e.change])).toEqual([[INACTIVE[0], 'activated']]);
		});

		it('the active users fit: they are kept instead, and every change is told exactly', () => {
			const states: UserStates = {
				inactive: trackedBaseline([ACTIVE], 3, true),
				frozen: trackedBaseline([], 3),
			};
			const r = detectUserChanges(
				initialCursor(T0),
				[
					user(LONG_INACTIVE, false, T0 - 999 * MIN, T0 + MIN),
					user(ACTIVE, false, T0 - 999 * MIN, T0 + MIN),
				],
				states,
				options(T0 + 2 * MIN),
			);
			expect(r.events.map((e) => [e.userId, e.change])).toEqual([[ACTIVE, 'deactivated']]);
			const back = detectUserChanges(
				r.cursor,
				[user(LONG_INACTIVE, true, T0 - 999 * MIN, T0 + 3 * MIN)],
				r.states,
				options(T0 + 4 * MIN),
			);
			expect(back.events.map((e) => [e.userId, e.change])).toEqual([[LONG_INACTIVE, 'activated']]);
		});
	});

	it('reads the stored shape of earlier versions', () => {
		expect(upgradeStates({ inactive: [U2], frozen: [U1], complete: false })).toEqual({
			inactive: { ids: [U2], complete: false },
			frozen: { ids: [U1], complete: false },
		});
	});
});
