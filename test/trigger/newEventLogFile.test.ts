/**
 * New Event Log File through n8n-core's polling path: files appear by CreatedDate, a regenerated
 * file (same type and date, next Sequence) fires too, a file published late is caught by the
 * 2-hour overlap, filters, restarts, a failing poll, API calls a poll.
 */
import { FakeOrg } from '../fake-org';
import { passwordCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, minutesAgo, now, skewN8n } from './clock';

let org: FakeOrg;

beforeAll(async () => {
	org = await FakeOrg.start({ now, seed: { users: 10 } });
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

const yesterday = () =>
	new Date(Math.floor(now().getTime() / 86_400_000) * 86_400_000 - 86_400_000);

function publish(
	EventType: string,
	options: {
		Interval?: 'Daily' | 'Hourly';
		Sequence?: number;
		createdMinutesAgo?: number;
		LogDate?: Date;
	} = {},
) {
	return org.store.addEventLogFile({
		EventType,
		LogDate: options.LogDate ?? yesterday(),
		Interval: options.Interval ?? 'Daily',
		Sequence: options.Sequence ?? 1,
		CreatedDate: minutesAgo(options.createdMinutesAgo ?? 0.5),
		rows: 3,
	});
}

function harness(parameters = {}) {
	return new PollHarness(passwordCredentials(org), { event: 'newEventLogFile', ...parameters });
}

const ids = (items: Array<{ id?: unknown }>) => items.map((i) => i.id);

describe('newEventLogFile', () => {
	it('fires once per new file, shaped like Get event log files; a regenerated file fires too', async () => {
		const old = publish('Login', { createdMinutesAgo: 30 });
		const h = harness();
		expect((await h.activate()).items).toEqual([]);
		advance(1);
		const login = publish('Login');
		const first = await h.poll();
		expect(first.items).toEqual([
			{
				id: login.Id,
				eventType: 'Login',
				logDate: yesterday().toISOString(),
				interval: 'Daily',
				sequence: 1,
				logFileLength: login.LogFileLength,
			},
		]);
		advance(1);
		const regenerated = publish('Login', { Sequence: 2 });
		expect(ids((await h.poll()).items)).toEqual([regenerated.Id]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		expect(ids(h.history.flatMap((r) => r.items))).not.toContain(old.Id);
	});

	it('a file whose CreatedDate is before the last poll (published late) is caught by the overlap, once', async () => {
		const h = harness();
		await h.activate();
		advance(180);
		expect((await h.poll()).items).toEqual([]);
		advance(1);
		const late = publish('API', { createdMinutesAgo: 90 });
		expect(ids((await h.poll()).items)).toEqual([late.Id]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
	});

	it('Event Types and Interval filter the files', async () => {
		const h = harness({ eventTypes: ['API', 'Report'], interval: 'hourly' });
		await h.activate();
		advance(1);
		publish('Login', { Interval: 'Hourly' });
		publish('API', { Interval: 'Daily' });
		const api = publish('API', { Interval: 'Hourly', LogDate: minutesAgo(120) });
		expect(ids((await h.poll()).items)).toEqual([api.Id]);
	});

	it('a failing poll and a restart neither lose nor repeat a file; one query a poll', async () => {
		const h = harness();
		await h.activate();
		advance(1);
		const a = publish('URI');
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		expect((await h.poll()).error).toBeDefined();
		advance(1);
		org.calls.reset();
		expect(ids((await h.poll()).items)).toEqual([a.Id]);
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual(['query']);
		advance(1);
		const b = publish('URI');
		await h.restart();
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		expect(ids(h.history.flatMap((r) => r.items))).toEqual([a.Id, b.Id]);
	});

	it('a user without View Event Log Files: the activation fails and says so', async () => {
		const user = org.store.addUser({
			profile: 'Standard User',
			Username: 'no.eventlogs.trigger@acme.example.com',
		});
		const login = org.addLoginUser(user);
		const h = new PollHarness(passwordCredentials(org, { login }), { event: 'newEventLogFile' });
		// n8n-core's ActiveWorkflows.add: the activation poll's error fails the activation
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(String(error)).toMatch(
			/problem activating the workflow: "The connected user cannot read Event Log Files \(INVALID_TYPE/,
		);
	});

	it('Fetch Test Event returns the newest matching files', async () => {
		const h = harness({ eventTypes: ['Report'] });
		await h.activate();
		const report = publish('Report');
		const test = await h.fetchTestEvent();
		expect(test.items[0]).toMatchObject({ id: report.Id, eventType: 'Report' });
		expect(test.items.every((i) => i.eventType === 'Report')).toBe(true);
	});

	describe.each([
		['ahead of', 3 * 60],
		['behind', -3 * 60],
	])("n8n's clock %s the org's by more than the 2-hour overlap", (_label, skew) => {
		it('fires each new file once, and no file from before the activation', async () => {
			const old = publish('API', { createdMinutesAgo: 10 });
			skewN8n(skew);
			const h = harness();
			expect((await h.activate()).items).toEqual([]);
			advance(1);
			const fresh = publish('API');
			expect(ids((await h.poll()).items)).toEqual([fresh.Id]);
			advance(30);
			// published late: created before the last poll
			const late = publish('API', { createdMinutesAgo: 29.5 });
			expect(ids((await h.poll()).items)).toEqual([late.Id]);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
			expect(ids(h.history.flatMap((r) => r.items))).not.toContain(old.Id);
		});
	});
});
