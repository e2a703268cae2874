/**
 * What every event shares, shown with Failed Login: a backlog bigger than one query page drains
 * over polls, exactly once; changed parameters and a re-activation start afresh (nothing old);
 * the OAuth2 credential; sign-ins per poll.
 */
import { FakeOrg } from '../fake-org';
import { sfDateTime } from '../fake-org/dates';
import { oauth2Credentials, passwordCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, minutesAgo, now } from './clock';

let org: FakeOrg;
let userId: string;

beforeAll(async () => {
	org = await FakeOrg.start({ now });
	userId = org.store.addUser({}).Id;
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

const fail = (at: Date) =>
	org.store.addLoginHistory({
		UserId: userId,
		LoginTime: sfDateTime(at),
		Status: 'Invalid Password',
	});
const ids = (items: Array<{ id?: unknown }>) => items.map((i) => String(i.id));

describe('trigger lifecycle', () => {
	it('a backlog of 2,500 failures drains at one query page (2,000) a poll, each failure once', async () => {
		const h = new PollHarness(passwordCredentials(org), { event: 'failedLogin' });
		await h.activate();
		advance(30);
		const rows = Array.from({ length: 2500 }, (_, i) => fail(minutesAgo(25 - i / 200)).Id);
		org.calls.reset();
		const first = await h.poll();
		expect(first.items).toHaveLength(2000);
		expect(
			org.calls.log.filter((c) => c.kind === 'query' || c.kind === 'queryMore').map((c) => c.kind),
		).toEqual(['query', 'query']);
		advance(1);
		const second = await h.poll();
		advance(1);
		const third = await h.poll();
		const emitted = [...ids(first.items), ...ids(second.items), ...ids(third.items)];
		expect(emitted).toHaveLength(2500);
		expect(new Set(emitted)).toEqual(new Set(rows));
	});

	it('changed parameters (the workflow saved while active) start afresh: nothing old fires', async () => {
		const h = new PollHarness(passwordCredentials(org), { event: 'failedLogin' });
		await h.activate();
		advance(1);
		fail(minutesAgo(0.5));
		expect((await h.poll()).items).toHaveLength(1);
		advance(1);
		fail(minutesAgo(0.5));
		fail(minutesAgo(0.5));
		expect((await h.update({ event: 'failedLogin', minFailures: 2 })).items).toEqual([]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
	});

	it('turned off and on again later: nothing from while it was off fires', async () => {
		const h = new PollHarness(passwordCredentials(org), { event: 'failedLogin' });
		await h.activate();
		advance(1);
		fail(minutesAgo(0.5));
		expect((await h.poll()).items).toHaveLength(1);
		advance(60);
		fail(minutesAgo(30));
		expect((await h.activate('activate')).items).toEqual([]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
	});

	it('OAuth2 credential; the password credential signs in once per activation, not per poll', async () => {
		const oauth = new PollHarness(oauth2Credentials(org), { event: 'failedLogin' });
		await oauth.activate();
		advance(1);
		const a = fail(minutesAgo(0.5));
		expect(ids((await oauth.poll()).items)).toEqual([a.Id]);

		const password = new PollHarness(passwordCredentials(org), { event: 'failedLogin' });
		org.calls.reset();
		await password.activate();
		for (let i = 0; i < 3; i++) {
			advance(1);
			await password.poll();
		}
		expect(org.calls.count('soapLogin')).toBe(1);

		// the session expires between polls: the next poll signs in again and loses nothing
		org.controls.expireSessions();
		advance(1);
		const b = fail(minutesAgo(0.5));
		expect(ids((await password.poll()).items)).toEqual([b.Id]);
		expect(org.calls.count('soapLogin')).toBe(2);
	});
});
