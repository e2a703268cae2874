/**
 * The harness itself: the node runs inside n8n-core's WorkflowExecute (items from the source
 * node, Continue On Fail as n8n applies it, the error n8n records), and the node's methods run in
 * n8n-core's LoadOptionsContext.
 */
import { FakeOrg } from '../fake-org';
import {
	NODE_NAME,
	SOURCE_NAME,
	loadOptions,
	oauth2Credentials,
	passwordCredentials,
	runNode,
} from '../helpers';

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 10, seed: 9 } });
});
afterAll(async () => await org.stop());
beforeEach(() => org.calls.reset());

describe('runNode', () => {
	it("feeds the input items through the source node and returns the node's output with pairedItem", async () => {
		const other = org.store.users.find(
			(u) => u.Id !== org.admin.userId && u.UserType === 'Standard',
		)!;
		const result = await runNode({
			resource: 'user',
			operation: 'get',
			parameters: { userId: '={{ $json.who }}' },
			credentials: passwordCredentials(org),
			input: [{ who: org.admin.username }, { who: other.Username }],
		});
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(Object.keys(result.runData).sort()).toEqual([SOURCE_NAME, NODE_NAME].sort());
		expect(result.items.map((i) => i.json.username)).toEqual([org.admin.username, other.Username]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('records the node error as n8n does, and the run as failed', async () => {
		const result = await runNode({
			resource: 'user',
			operation: 'get',
			parameters: { userId: org.admin.username },
			credentials: passwordCredentials(org, { password: 'nope-nope' }),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.run.data.resultData.error?.message).toBe(result.error?.message);
		expect(result.run.status).toBe('error');
		expect(result.items).toEqual([]);
	});

	it('Continue On Fail: the error goes into the item, the run succeeds', async () => {
		const result = await runNode({
			resource: 'user',
			operation: 'get',
			parameters: { userId: org.admin.username },
			credentials: passwordCredentials(org, { password: 'nope-nope' }),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(String(result.items[0].json.error)).toMatch(/INVALID_LOGIN/);
		expect(JSON.stringify(result.items)).not.toContain('nope-nope');
	});
});

describe("loadOptions in n8n-core's LoadOptionsContext", () => {
	it("signs in with the node's credential and fills a dropdown from the org", async () => {
		const options = await loadOptions('getProfiles', {
			credentials: oauth2Credentials(org),
			parameters: { resource: 'user', operation: 'getMany' },
		});
		expect(options).toEqual(
			expect.arrayContaining([{ name: 'System Administrator', value: 'System Administrator' }]),
		);
		expect(options).toHaveLength(org.store.profiles.length);
	});
});
