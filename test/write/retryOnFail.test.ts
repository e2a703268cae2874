/**
 * n8n's "Retry On Fail" through n8n-core: a partly failed write run is run again by n8n in the
 * same execution. The final items and the node error must still say which users THIS
 * execution changed, including the ones an earlier attempt changed.
 */
import { FakeOrg } from '../fake-org';
import { addUsers, collectionCalls, isFrozen, runWrite } from './setup';

let org: FakeOrg;

beforeEach(async () => {
	org = await FakeOrg.start();
});

afterEach(async () => {
	await org.stop();
});

const RETRY = { maxTries: 3, waitBetweenTries: 1 };
const EARLIER = 'changed by an earlier attempt of this execution (the node was retried)';

/** A save rule on the user's UserLogin (freeze writes UserLogin.IsFrozen). */
function refuseFreezing(userId: string, times?: number) {
	const login = org.store.userLoginFor(userId)!;
	org.controls.addUpdateRule({
		sobject: 'UserLogin',
		id: login.Id,
		statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
		message: 'Frozen users need a ticket',
		times,
	});
}

const CHANGED = { action: 'freeze', result: 'changed', duplicateOf: null };

describe('Freeze user with Retry On Fail', () => {
	it('a record refused once: the retry freezes it and still reports the users the first attempt froze as changed', async () => {
		const [a, b, c] = addUsers(org, 3);
		refuseFreezing(b.Id, 1);
		const run = await runWrite(
			org,
			'freeze',
			[a, b, c].map((u) => ({ id: u.Id })),
			{ dryRun: false, retryOnFail: RETRY },
		);

		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{ ...CHANGED, id: a.Id, username: a.Username, reason: EARLIER },
			{ ...CHANGED, id: b.Id, username: b.Username, reason: null },
			{ ...CHANGED, id: c.Id, username: c.Username, reason: EARLIER },
		]);
		expect([a, b, c].every((u) => isFrozen(org, u.Id))).toBe(true);
		// attempt 1 wrote 3 records (b refused), attempt 2 only b
		expect(collectionCalls(org).map((call) => call.records)).toEqual([3, 1]);
	});

	it('a record refused on every attempt: the error counts and lists the users the first attempt changed', async () => {
		const [a, b, c] = addUsers(org, 3);
		refuseFreezing(b.Id);
		const run = await runWrite(
			org,
			'freeze',
			[a, b, c].map((u) => ({ id: u.Id })),
			{ dryRun: false, retryOnFail: RETRY },
		);

		expect(run.error?.message).toBe('Freeze user: 1 of 3 items failed; 2 users were changed');
		expect(run.error?.description).toContain(
			`Changed (2): ${a.Username} (${a.Id}), ${c.Username} (${c.Id})`,
		);
		expect(run.error?.description).toContain(
			`item 1: ${b.Username} (${b.Id}): FIELD_CUSTOM_VALIDATION_EXCEPTION: Frozen users need a ticket`,
		);
		expect(collectionCalls(org).map((call) => call.records)).toEqual([3, 1, 1]);
		expect([a, b, c].map((u) => isFrozen(org, u.Id))).toEqual([true, false, true]);
	});

	it('with Continue On Fail (n8n retries when the first item carries an error) every item says what this execution did', async () => {
		const [a, b, c] = addUsers(org, 3);
		refuseFreezing(a.Id, 1);
		const run = await runWrite(
			org,
			'freeze',
			[a, b, c].map((u) => ({ id: u.Id })),
			{ dryRun: false, retryOnFail: RETRY, continueOnFail: true },
		);

		expect(run.json.map((j) => [j.id, j.result, j.reason])).toEqual([
			[a.Id, 'changed', null],
			[b.Id, 'changed', EARLIER],
			[c.Id, 'changed', EARLIER],
		]);
		expect(collectionCalls(org).map((call) => call.records)).toEqual([3, 1]);
	});

	it('another execution is not a retry: users already frozen are unchanged', async () => {
		const [a, b] = addUsers(org, 2);
		const first = await runWrite(org, 'freeze', [{ id: a.Id }], {
			dryRun: false,
			retryOnFail: RETRY,
		});
		expect(first.json.map((j) => j.result)).toEqual(['changed']);
		const second = await runWrite(org, 'freeze', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			retryOnFail: RETRY,
		});
		expect(second.json.map((j) => [j.result, j.reason])).toEqual([
			['unchanged', 'Already frozen'],
			['changed', null],
		]);
	});
});

describe('Remove feature licenses with Retry On Fail', () => {
	it('the retry names the licenses the earlier attempt removed', async () => {
		const MARKETING = 'UserPermissionsMarketingUser';
		const [a, b] = addUsers(org, 2, { [MARKETING]: true });
		org.controls.addUpdateRule({
			sobject: 'User',
			id: b.Id,
			statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			message: 'not now',
			times: 1,
		});
		const run = await runWrite(org, 'removeFeatureLicenses', [{ id: a.Id }, { id: b.Id }], {
			dryRun: false,
			retryOnFail: RETRY,
			parameters: { featureLicenses: [MARKETING] },
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => [j.id, j.result, j.reason])).toEqual([
			[a.Id, 'changed', `Removed Marketing; ${EARLIER}`],
			[b.Id, 'changed', 'Removed Marketing'],
		]);
	});
});
