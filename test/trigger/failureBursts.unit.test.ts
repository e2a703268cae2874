/** Min Failures: failures of the window per user. */
import { failureBursts } from '../../nodes/SalesforceAdmin/salesforce/failedLogins';

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
});
