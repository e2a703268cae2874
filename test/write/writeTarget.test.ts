/**
 * Issue 15, one write target: a write action is a spec, and a new kind of record is one more
 * WriteTarget; writeBatch itself does not change. Shown with a test-only action ("unlock":
 * UserLogin.IsPasswordLocked -> false) run through n8n-core against the fake org, with every
 * safety rule and the batching of the shipped actions.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FakeOrg } from '../fake-org';
import type { WriteActionSpec } from '../../nodes/SalesforceAdmin/actions/shared/writeBatch';
import { executeWriteAction } from '../../nodes/SalesforceAdmin/actions/shared/writeBatch';
import type { WriteTarget } from '../../nodes/SalesforceAdmin/actions/shared/writeTargets';
import { SalesforceAdmin } from '../../nodes/SalesforceAdmin/SalesforceAdmin.node';
import { inList } from '../../nodes/SalesforceAdmin/salesforce/soql';
import type { TargetState, WriteAction } from '../../nodes/SalesforceAdmin/salesforce/writePlan';
import { queryAll } from '../../nodes/SalesforceAdmin/transport';
import { addUsers, collectionCalls, runWrite } from './setup';

/** UserLogin.IsPasswordLocked: a record writeBatch has never heard of. */
const PASSWORD_LOCK: WriteTarget = {
	sobject: 'UserLogin',
	lookupFields: () => [],
	async stateAfterLookup(session, lookup, fields) {
		return await this.readState(session, fields, [...lookup.byId.keys()]);
	},
	async readState(session, _fields, userIds) {
		const state = new Map<string, TargetState>();
		const rows = await queryAll(
			session,
			`SELECT Id, UserId, IsPasswordLocked FROM UserLogin WHERE UserId IN ${inList([...userIds])}`,
		);
		for (const row of rows)
			state.set(row.UserId as string, {
				recordId: row.Id as string,
				values: { IsPasswordLocked: row.IsPasswordLocked },
			});
		return state;
	},
	missingRecord: (user) => ({
		code: 'USER_LOGIN_NOT_FOUND',
		message: `no UserLogin for ${user.Username}`,
	}),
};

const UNLOCK: WriteActionSpec = {
	action: 'unlock' as WriteAction,
	label: 'Unlock user',
	target: PASSWORD_LOCK,
	wantedValues: () => ({ ok: true, value: { IsPasswordLocked: false } }),
	unchangedReason: () => 'Not locked',
	dryRunReason: () => 'Dry run: would unlock the user',
};

/** Our node, running the test action instead of its router (same description and credentials). */
class NodeWithUnlock extends SalesforceAdmin {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await executeWriteAction.call(this, this.getInputData(), UNLOCK)];
	}
}

let org: FakeOrg;
beforeEach(async () => {
	org = await FakeOrg.start();
});
afterEach(async () => {
	await org.stop();
});

const locked = (userId: string) => org.store.userLoginFor(userId)?.IsPasswordLocked;
const unlock = (input: IDataObject[], nodeOptions?: IDataObject) =>
	runWrite(org, 'freeze', input, {
		dryRun: false,
		nodeType: new NodeWithUnlock(),
		continueOnFail: true,
		...(nodeOptions ? { nodeOptions } : {}),
	});

it('a new action is a spec with its target: planned, capped, protected and batched like the others', async () => {
	const [a, b, admin, prot] = addUsers(org, 4, { IsPasswordLocked: true });
	org.store.users.find((u) => u.Id === admin.Id)!.ProfileId =
		org.store.profileByName('System Administrator')!.Id;
	const [free] = addUsers(org, 1);
	const input = [a, b, admin, prot, free, a].map((u) => ({ id: u.Id }));

	const dry = await unlock(input, { dryRun: true, protectedUsernames: prot.Username });
	expect(dry.json.map((j) => j.result)).toEqual([
		'dryRun',
		'dryRun',
		'skipped',
		'skipped',
		'unchanged',
		'dryRun',
	]);
	expect(collectionCalls(org)).toHaveLength(0);

	const run = await unlock(input, { protectedUsernames: prot.Username });
	expect(run.json.map((j) => [j.id, j.action, j.result, j.reason])).toEqual([
		[a.Id, 'unlock', 'changed', null],
		[b.Id, 'unlock', 'changed', null],
		[admin.Id, 'unlock', 'skipped', expect.stringContaining('System Administrator')],
		[prot.Id, 'unlock', 'skipped', 'Listed in the "Protected Usernames" option'],
		[free.Id, 'unlock', 'unchanged', 'Not locked'],
		[a.Id, 'unlock', 'changed', 'Same user as item 0; acted on once'],
	]);
	expect([a, b, admin, prot, free].map((u) => locked(u.Id))).toEqual([
		false,
		false,
		true,
		true,
		false,
	]);
	// sign-in, User look-up, the target's state query, admin permission sets, one write of 2 records
	expect(collectionCalls(org).map((c) => c.records)).toEqual([2]);
	expect(run.calls).toBe(5);
});
