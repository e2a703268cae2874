/** Min Failures: failures of the window per user. */
import {
	burstStep,
	failureBursts,
	findBursts,
} from '../../nodes/SalesforceAdmin/salesforce/failedLogins';
import { initialCursor } from '../../nodes/SalesforceAdmin/salesforce/pollWindow';
import type { LoginHistory } from '../../nodes/SalesforceAdmin/salesforce/records';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
let n = 0;
const failure = (userId: string, minute: number): LoginHistory =>
	({
		Id: `0Ya00000000${String(++n).padStart(4, '0')}AAA`,
		UserId: userId,
		LoginTime: new Date(T0 + minute * MIN).toISOString().replace('Z', '+0000'),
		Status: 'Invalid Password',
	}) as LoginHistory;
const rules = { minFailures: 3, windowMs: 10 * MIN };
const shape = (bursts: LoginHistory[][]) => bursts.map((b) => [b[0].UserId, b.length]);

const login = (userId: string, time: string, ip: string) => ({
	id: `${userId}-${time}`,
	userId,
	username: `${userId}@x.com`,
	name: userId,
	loginTime: time,
	sourceIp: ip,
});

describe('failure bursts', () => {
	it('one item per user at or above the minimum, with first/last time and distinct IPs', () => {
		const logins = [
			login('a', '2026-01-01T10:02:00.000Z', '1.1.1.1'),
			login('b', '2026-01-01T10:00:00.000Z', '2.2.2.2'),
			login('a', '2026-01-01T10:01:00.000Z', '1.1.1.2'),
			login('a', '2026-01-01T10:03:00.000Z', '1.1.1.1'),
		];
		expect(failureBursts(logins, 3)).toEqual([
			{
				userId: 'a',
				username: 'a@x.com',
				name: 'a',
				failureCount: 3,
				firstLoginTime: '2026-01-01T10:01:00.000Z',
				lastLoginTime: '2026-01-01T10:03:00.000Z',
				sourceIps: ['1.1.1.1', '1.1.1.2'],
			},
		]);
		expect(failureBursts(logins, 1).map((b) => b.failureCount)).toEqual([3, 1]);
	});

	it('sliding: 3 failures within 10 minutes of each other, wherever the window starts', () => {
		const rows = [0, 6, 12, 13].map((m) => failure('a', m));
		// 0, 6: two; 6, 12, 13: three within 7 minutes
		expect(findBursts(rows, {}, rules).map((b) => b.map((r) => r.Id))).toEqual([
			[rows[1].Id, rows[2].Id, rows[3].Id],
		]);
		expect(
			findBursts(
				[0, 11, 22].map((m) => failure('a', m)),
				{},
				rules,
			),
		).toEqual([]);
	});

	it('a burst takes its whole window; reported failures never count again; users apart', () => {
		const rows = [0, 1, 2, 3, 4].map((m) => failure('a', m));
		const other = [1, 2].map((m) => failure('b', m));
		const first = findBursts([...rows, ...other], {}, rules);
		expect(shape(first)).toEqual([['a', 5]]);
		const reported = Object.fromEntries(first.flat().map((r) => [r.Id, 0]));
		const more = [5, 6].map((m) => failure('a', m));
		expect(findBursts([...rows, ...more], reported, rules)).toEqual([]);
		expect(shape(findBursts([...rows, ...more, failure('a', 7)], reported, rules))).toEqual([
			['a', 3],
		]);
	});

	it('burstStep keeps only reported IDs and reads the window (plus overlap) again next time', () => {
		const options = { now: T0 + 5 * MIN, overlapMs: 15 * MIN, maxRows: 100, maxSeen: 100 };
		const start = initialCursor(T0 - 60 * MIN);
		const two = [1, 2].map((m) => failure('a', m));
		const quiet = burstStep(start, two, rules, options);
		expect(quiet.bursts).toEqual([]);
		expect(quiet.cursor.seen).toEqual({});
		expect(quiet.cursor.from).toBe(T0 + 5 * MIN - 15 * MIN - 10 * MIN);
		const third = failure('a', 6);
		const step = burstStep(quiet.cursor, [...two, third], rules, { ...options, now: T0 + 7 * MIN });
		expect(shape(step.bursts)).toEqual([['a', 3]]);
		expect(Object.keys(step.cursor.seen).sort()).toEqual([...two, third].map((r) => r.Id).sort());
	});
});
