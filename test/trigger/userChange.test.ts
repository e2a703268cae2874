/**
 * User Change through n8n-core's polling path: users created, and frozen, deactivated, activated
 * and unfrozen by another admin through the Salesforce Admin node itself; restarts, a failing
 * poll, what cannot be seen, API calls a poll.
 */
import { FakeOrg } from '../fake-org';
import { passwordCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/run-node';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, now, skewN8n } from './clock';

let org: FakeOrg;
let someone: ReturnType<FakeOrg['addLoginUser']>;

beforeAll(async () => {
	org = await FakeOrg.start({ now, seed: { users: 30 } });
	const admin = org.store.addUser({
		profile: 'System Administrator',
		FirstName: 'Sam',
		LastName: 'Someone',
		Username: 'sam@acme.example.com',
	});
	someone = org.addLoginUser(admin);
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

/** A write through the action node, signed in as Sam. */
async function act(operation: string, userId: string) {
	const run = await runNode({
		resource: 'user',
		operation,
		parameters: { userId, dryRun: false },
		credentials: passwordCredentials(org, { login: someone, accessMode: 'readWrite' }),
	});
	expect(run.items[0].json.result).toBe('changed');
}

function harness(parameters = {}) {
	return new PollHarness(passwordCredentials(org), { event: 'userChange', ...parameters });
}

const changes = (items: Array<Record<string, unknown>>) => items.map((i) => [i.username, i.change]);

describe('userChange', () => {
	it('created, frozen, deactivated, activated, unfrozen: each once, with the user item and who changed it when', async () => {
		const target = org.store.addUser({
			FirstName: 'Tess',
			LastName: 'Target',
			Username: 'tess@acme.example.com',
		});
		// the cursor has whole seconds (as SOQL): a user created in the second of activation would count as new
		advance(1);
		const h = harness();
		expect((await h.activate()).items).toEqual([]);

		advance(1);
		org.store.addUser({ FirstName: 'Nina', LastName: 'New', Username: 'nina@acme.example.com' });
		await act('freeze', target.Id);
		const first = await h.poll();
		expect(changes(first.items)).toEqual([
			['nina@acme.example.com', 'created'],
			['tess@acme.example.com', 'frozen'],
		]);
		const frozen = first.items[1];
		expect(frozen).toMatchObject({
			id: target.Id,
			username: 'tess@acme.example.com',
			name: 'Tess Target',
			isActive: true,
			isFrozen: true,
			profile: 'Standard User',
			change: 'frozen',
			changedBy: { id: someone.userId, username: 'sam@acme.example.com', name: 'Sam Someone' },
		});
		expect(frozen.changedAt).toBe(
			new Date(
				org.store.userLoginFor(target.Id)!.LastModifiedDate.replace('+0000', 'Z'),
			).toISOString(),
		);
		expect(Object.keys(frozen)).toEqual(
			expect.arrayContaining([
				'email',
				'userType',
				'license',
				'featureLicenses',
				'lastLoginDate',
				'daysSinceLastLogin',
				'createdDate',
			]),
		);

		advance(1);
		await act('deactivate', target.Id);
		expect(changes((await h.poll()).items)).toEqual([['tess@acme.example.com', 'deactivated']]);
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		advance(1);
		await act('activate', target.Id);
		await act('unfreeze', target.Id);
		expect(changes((await h.poll()).items)).toEqual([
			['tess@acme.example.com', 'activated'],
			['tess@acme.example.com', 'unfrozen'],
		]);
		advance(3);
		expect((await h.poll()).items).toEqual([]);
	});

	it('an edit of a user already inactive or frozen at activation is no change', async () => {
		const inactive = org.store.addUser({ IsActive: false });
		const frozen = org.store.addUser({ IsFrozen: true });
		advance(1);
		const h = harness();
		await h.activate();
		advance(1);
		inactive.LastModifiedDate = new Date(Date.now()).toISOString().replace('Z', '+0000');
		const login = org.store.userLoginFor(frozen.Id)!;
		login.IsPasswordLocked = true;
		login.LastModifiedDate = new Date(Date.now()).toISOString().replace('Z', '+0000');
		expect((await h.poll()).items).toEqual([]);
	});

	it('documented limit: frozen and unfrozen between two polls is not seen', async () => {
		const target = org.store.addUser({});
		advance(1);
		const h = harness();
		await h.activate();
		advance(1);
		await act('freeze', target.Id);
		await act('unfreeze', target.Id);
		expect((await h.poll()).items).toEqual([]);
	});

	it('Changes filter: only the picked changes fire, the others still move the state', async () => {
		const target = org.store.addUser({});
		advance(1);
		const h = harness({ changes: ['deactivated'] });
		await h.activate();
		advance(1);
		await act('freeze', target.Id);
		org.store.addUser({});
		expect((await h.poll()).items).toEqual([]);
		advance(1);
		await act('deactivate', target.Id);
		expect((await h.poll()).items.map((i) => i.change)).toEqual(['deactivated']);
	});

	it('a failing poll and restarts neither lose nor repeat a change', async () => {
		const a = org.store.addUser({});
		const b = org.store.addUser({});
		advance(1);
		const h = harness();
		await h.activate();
		advance(1);
		await act('freeze', a.Id);
		org.controls.failNext(
			1,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'TotalRequests Limit exceeded.',
			'query',
		);
		expect((await h.poll()).error).toBeDefined();
		advance(1);
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([[a.Id, 'frozen']]);
		advance(10);
		expect((await h.poll()).items).toEqual([]);
		await act('deactivate', b.Id);
		await h.restart();
		advance(1);
		expect((await h.poll()).items).toEqual([]);
		const all = h.history.flatMap((r) => r.items).map((i) => [i.id, i.change]);
		expect(all).toEqual([
			[a.Id, 'frozen'],
			[b.Id, 'deactivated'],
		]);
	});

	it('a user created, reported, then deactivated a minute later (inside the overlap): deactivated fires', async () => {
		advance(1);
		const h = harness();
		await h.activate();
		advance(1);
		const newcomer = org.store.addUser({ FirstName: 'Quinn', LastName: 'Quick' });
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([[newcomer.Id, 'created']]);
		advance(1);
		await act('deactivate', newcomer.Id);
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
			[newcomer.Id, 'deactivated'],
		]);
		advance(1);
		await act('activate', newcomer.Id);
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
			[newcomer.Id, 'activated'],
		]);
		advance(10);
		expect((await h.poll()).items).toEqual([]);
	});

	describe.each([
		['ahead of', 30],
		['behind', -30],
	])("n8n's clock %s the org's by more than the overlap", (_label, skew) => {
		it('reports each change once, and nothing from before the activation', async () => {
			const target = org.store.addUser({});
			advance(3);
			skewN8n(skew);
			const h = harness();
			await h.activate();
			advance(1);
			const newcomer = org.store.addUser({});
			await act('freeze', target.Id);
			expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
				[newcomer.Id, 'created'],
				[target.Id, 'frozen'],
			]);
			advance(2);
			await act('deactivate', target.Id);
			expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
				[target.Id, 'deactivated'],
			]);
			advance(1);
			expect((await h.poll()).items).toEqual([]);
		});
	});

	it('costs 2 queries a quiet poll; 6 when there are changes', async () => {
		const target = org.store.addUser({});
		advance(1);
		const h = harness();
		await h.activate();
		advance(1);
		org.calls.reset();
		await h.poll();
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual(['query', 'query']);
		await act('freeze', target.Id);
		advance(1);
		org.calls.reset();
		expect((await h.poll()).items).toHaveLength(1);
		expect(org.calls.log.filter((c) => c.counted).map((c) => c.kind)).toEqual([
			'query',
			'query',
			'describe',
			'query',
			'query',
			'query',
		]);
	});

	it('Fetch Test Event shows recent changes the current values prove (created, inactive, frozen users)', async () => {
		const h = harness();
		await h.activate();
		const test = await h.fetchTestEvent();
		expect(test.error).toBeUndefined();
		expect(test.items.length).toBeGreaterThan(0);
		expect(test.items.length).toBeLessThanOrEqual(10);
		for (const item of test.items)
			expect(['created', 'deactivated', 'frozen']).toContain(item.change);
	});
});

describe('userChange in an org with more than 5,000 inactive users', () => {
	let big: FakeOrg;
	let longInactive: ReturnType<FakeOrg['store']['addUser']>;
	let active: ReturnType<FakeOrg['store']['addUser']>;

	beforeAll(async () => {
		big = await FakeOrg.start({ now });
		// the one inactive the longest: the tracked list of the 5,000 most recent leaves it out
		const longAgo = new Date(now().getTime() - 400 * 86_400_000);
		longInactive = big.store.addUser({
			IsActive: false,
			CreatedDate: longAgo,
			LastModifiedDate: longAgo.toISOString().replace('Z', '+0000'),
		});
		for (let i = 0; i < 5000; i++) big.store.addUser({ IsActive: false });
		active = big.store.addUser({ FirstName: 'Ada', LastName: 'Active' });
	});
	afterAll(async () => await big.stop());

	it('an edit of a long-inactive user is no deactivation; a real deactivation still fires', async () => {
		advance(1);
		const h = new PollHarness(passwordCredentials(big), { event: 'userChange' });
		big.calls.reset();
		await h.activate();
		// frozen users (1 call), inactive users: 5,001 rows, too many (3 pages), the active ones (1)
		const baseline = big.calls.log.filter((c) => c.counted);
		expect(baseline.map((c) => c.soql ?? c.kind)).toEqual([
			'SELECT UserId, LastModifiedDate, LastModifiedById FROM UserLogin WHERE IsFrozen = true ORDER BY LastModifiedDate DESC LIMIT 5001',
			'SELECT Id FROM User WHERE IsActive = false ORDER BY LastModifiedDate DESC',
			expect.any(String),
			expect.any(String),
			'SELECT Id FROM User WHERE IsActive = true ORDER BY LastModifiedDate DESC',
		]);
		advance(1);
		longInactive.LastModifiedDate = now().toISOString().replace('Z', '+0000');
		longInactive.Department = 'Edited long after leaving';
		expect((await h.poll()).items).toEqual([]);
		advance(1);
		active.IsActive = false;
		active.LastModifiedDate = now().toISOString().replace('Z', '+0000');
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
			[active.Id, 'deactivated'],
		]);
		advance(1);
		longInactive.IsActive = true;
		longInactive.LastModifiedDate = now().toISOString().replace('Z', '+0000');
		expect((await h.poll()).items.map((i) => [i.id, i.change])).toEqual([
			[longInactive.Id, 'activated'],
		]);
	});
});
