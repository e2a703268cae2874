/**
 * End to end through n8n-core and HTTP: Get events in per-user mode over a large generated
 * Event Log File keeps a bounded heap. The peak heap is sampled while the node runs; a file six
 * times larger may not raise it by anything like six times (the body is never held whole).
 * The fake org runs in this process, so its own garbage shows in the samples too.
 */
import type { FakeOrg } from '../fake-org';
import { read, startOrg } from './setup';

const MB = 1024 * 1024;
let org: FakeOrg;

beforeAll(async () => {
	org = await startOrg({ users: 120, loginHistory: 1 });
	org.controls.gzipLevel = false; // keep the test's CPU on parsing, not on compressing
});
afterAll(async () => await org.stop());

async function peakGrowth(eventType: string, bytes: number) {
	const userIds = org.store.users.slice(0, 100).map((u) => u.Id);
	const file = org.store.addEventLogFile({ EventType: eventType, LogDate: new Date(Date.now() - 86_400_000), targetBytes: bytes, userIds, seed: 7 });
	const base = process.memoryUsage().heapUsed;
	let peak = base;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
	try {
		const run = await read(org, 'eventLog', 'getEvents', { output: 'perUser', filters: { eventTypes: [eventType] } });
		expect(run.error).toBeUndefined();
		const events = run.json.reduce((sum, item) => sum + (item.eventCount as number), 0);
		return { growth: peak - base, events, users: run.json.length, length: file.LogFileLength };
	} finally {
		clearInterval(sampler);
	}
}

it('per-user summary memory does not grow with file size', async () => {
	await peakGrowth('URI', 1 * MB); // warm-up
	const small = await peakGrowth('Report', 8 * MB);
	// A retained body or rows would show on every attempt; a garbage spike the GC has not yet
	// collected shows on one: the smaller of two attempts keeps the bounds tight without flaking.
	const attempts = [await peakGrowth('API', 48 * MB), await peakGrowth('LightningPageView', 48 * MB)];
	const large = attempts[0].growth <= attempts[1].growth ? attempts[0] : attempts[1];
	expect(large.length).toBeGreaterThan(40 * MB);
	expect(large.users).toBeLessThanOrEqual(100);
	expect(large.events).toBeGreaterThan(small.events * 4);
	expect(large.growth).toBeLessThan(40 * MB);
	expect(large.growth).toBeLessThan(small.growth + 24 * MB);
}, 60_000);
