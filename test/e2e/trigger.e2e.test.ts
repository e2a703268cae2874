/**
 * The Salesforce Admin Trigger in a running n8n (`n8n start`, 1.x and 2.x, E2E_N8N): the two
 * trigger examples and a User Change workflow are activated and poll every minute while the fake
 * org changes (a burst of failed logins, a license running out, a user frozen). The executions
 * n8n records hold each event exactly once, also across an n8n restart.
 *
 * Slow by nature: every step waits for n8n's next poll (up to a minute).
 */
import { DateTime } from 'luxon';

import { FakeOrg, sfDateTime } from '../fake-org';
import type { UserRecord } from '../fake-org';
import { CredentialRef, exampleFiles, passwordCredential, prepareExample } from './fixtures';
import type { N8nServer, StoredExecution, WorkflowDefinition } from './n8n';
import { majorsUnderTest, N8nHarness } from './n8n';

const CRED = { type: 'salesforceAdminPasswordApi', id: 'trPasswordRO0001', name: 'Fake org (Read-Only)' } as const satisfies CredentialRef;
const TRIGGER = 'n8n-nodes-salesforce-admin.salesforceAdminTrigger';
const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };
const LICENSE = 'E2E Trigger License';
/** The failed-login example's workflow time zone: its alert text shows times in it (+05:30, no DST). */
const ALERT_ZONE = 'Asia/Kolkata';
const WF = { failed: 'exFailedLoginAle', license: 'exLicenseRunning', users: 'trUserChange0001' };
const TRIGGER_NAMES: Record<string, string> = {
	[WF.failed]: 'Failed logins (3 or more)',
	[WF.license]: 'License running out',
	[WF.users]: 'User changed',
};

/** An example with its trigger polling every minute (and its parameters adjusted). */
function example(file: string, parameters: Record<string, unknown>): WorkflowDefinition {
	const found = exampleFiles().find((e) => e.file === file);
	if (!found) throw new Error(`examples/${file} is missing`);
	const workflow = prepareExample(file, found.workflow, { readOnly: CRED, readWrite: CRED });
	for (const node of workflow.nodes) {
		if (node.type === TRIGGER) node.parameters = { ...node.parameters, pollTimes: EVERY_MINUTE, ...parameters };
	}
	return workflow;
}

function userChangeWorkflow(): WorkflowDefinition {
	return {
		id: 'trUserChange0001',
		name: 'E2E user changes',
		nodes: [
			{
				id: 'uc-trigger',
				name: 'User changed',
				type: TRIGGER,
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: 'password', pollTimes: EVERY_MINUTE, event: 'userChange' },
				credentials: { salesforceAdminPasswordApi: { id: CRED.id, name: CRED.name } },
			},
			{ id: 'uc-noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'User changed': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

async function activate(server: N8nServer, id: string): Promise<void> {
	const workflow = await server.rest<{ versionId: string }>('GET', `/workflows/${id}`);
	await server.rest('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
}

/**
 * Waits until the activation poll of each workflow has stored its starting point (n8n 2.x may
 * answer the activation before that poll ran): what happens before it counts as old.
 */
async function activationPolled(server: N8nServer, ids: string[]): Promise<void> {
	const polled = async (id: string) => {
		const workflow = await server.rest<{ staticData?: Record<string, unknown> | string | null }>('GET', `/workflows/${id}`);
		const data = typeof workflow.staticData === 'string' ? JSON.parse(workflow.staticData) : workflow.staticData;
		return Object.values(data ?? {}).some((node) => node && typeof node === 'object' && 'salesforceAdminTrigger' in node);
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		const done = await Promise.all(ids.map(polled));
		if (done.every(Boolean)) break;
		if (Date.now() > deadline) throw new Error(`activation polls not stored: ${JSON.stringify(done)}`);
		await sleep(1_000);
	}
	// SOQL windows start at a whole second: the changes come after it
	await sleep(1_500);
}

/** The items the trigger node emitted in each execution of a workflow. */
function emitted(n8n: N8nHarness, workflowId: string): Array<Array<Record<string, unknown>>> {
	return n8n.readExecutions(workflowId).map((e: StoredExecution) => {
		const runData = e.data?.resultData.runData ?? {};
		return (runData[TRIGGER_NAMES[workflowId]]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Record<string, unknown>);
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` holds, checking every 5 s; n8n polls once a minute. */
async function waitFor(done: () => boolean, timeoutMs = 150_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for n8n to poll');
		await sleep(5_000);
	}
}

describe.each(majorsUnderTest())('Salesforce Admin Trigger in n8n %i.x', (major) => {
	let org: FakeOrg;
	let n8n: N8nHarness;
	let server: N8nServer;
	let burst: UserRecord;
	let target: UserRecord;
	let holders: UserRecord[];

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 40 } });
		org.store.addUserLicense({ Name: LICENSE, LicenseDefinitionKey: 'E2E_TRIGGER', TotalLicenses: 5 });
		const profile = org.store.addProfile({ Name: 'E2E Trigger Profile', license: LICENSE }).Name;
		holders = [1, 2, 3].map(() => org.store.addUser({ profile }));
		burst = org.store.addUser({ FirstName: 'Bea', LastName: 'Burst', Username: 'bea.burst@acme.example.com' });
		target = org.store.addUser({ FirstName: 'Tom', LastName: 'Target', Username: 'tom.target@acme.example.com' });

		const failedLoginAlert = example('failed-login-alert.json', {});
		n8n = await N8nHarness.create({ major, name: 'trigger' });
		await n8n.importCredentials([passwordCredential(org, CRED, 'readOnly')]);
		await n8n.importWorkflows([
			{ ...failedLoginAlert, settings: { ...failedLoginAlert.settings, timezone: ALERT_ZONE } },
			example('license-running-out.json', { thresholdType: 'minAvailable', minAvailable: 1, licenseTypes: ['user'] }),
			userChangeWorkflow(),
		]);
		server = await n8n.startServer({ timeoutMs: 240_000 });
		for (const id of Object.values(WF)) await activate(server, id);
		await activationPolled(server, Object.values(WF));
	}, 300_000);

	afterAll(async () => {
		await n8n?.dispose();
		await org?.stop();
	});

	const fail = (user: UserRecord, ip: string) =>
		org.store.addLoginHistory({ UserId: user.Id, LoginTime: sfDateTime(new Date()), Status: 'Invalid Password', SourceIp: ip });

	test('a failed-login burst, a license running out and a frozen user each fire once', async () => {
		// activation emits nothing old
		expect(emitted(n8n, WF.failed)).toEqual([]);
		expect(emitted(n8n, WF.license)).toEqual([]);
		expect(emitted(n8n, WF.users)).toEqual([]);

		for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.1']) fail(burst, ip);
		fail(target, '203.0.113.5'); // one failure: under Min Failures 3
		holders.push(org.store.addUser({ profile: 'E2E Trigger Profile' })); // 4 of 5 used: 1 left
		const login = org.store.userLoginFor(target.Id)!;
		Object.assign(login, { IsFrozen: true, LastModifiedDate: sfDateTime(new Date()), LastModifiedById: org.admin.userId });

		await waitFor(() => Object.values(WF).every((id) => emitted(n8n, id).length > 0));
		// one more poll with nothing new
		await sleep(65_000);

		const failed = emitted(n8n, WF.failed);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toEqual([
			expect.objectContaining({ userId: burst.Id, username: 'bea.burst@acme.example.com', failureCount: 3, sourceIps: ['198.51.100.1', '198.51.100.2'] }),
		]);
		const license = emitted(n8n, WF.license);
		expect(license).toEqual([[expect.objectContaining({ name: LICENSE, available: 1, previous: expect.objectContaining({ available: 2 }) })]]);
		const users = emitted(n8n, WF.users);
		// the license's new holder is a new user too
		expect(users).toEqual([
			[
				expect.objectContaining({ id: holders[3].Id, change: 'created', license: LICENSE }),
				expect.objectContaining({ id: target.Id, change: 'frozen', isFrozen: true, changedBy: expect.objectContaining({ id: org.admin.userId }) }),
			],
		]);
		// the examples' own nodes ran on the items
		const alert = n8n.readExecutions(WF.failed)[0].data?.resultData.runData['Alert text']?.[0]?.data?.main?.[0]?.[0]?.json as {
			message?: string;
			firstLoginTime?: string;
			lastLoginTime?: string;
		};
		// the text shows the times in the workflow's time zone; the item keeps them in ISO UTC
		const { firstLoginTime, lastLoginTime } = failed[0][0] as { firstLoginTime: string; lastLoginTime: string };
		expect(firstLoginTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(alert).toEqual(expect.objectContaining({ firstLoginTime, lastLoginTime }));
		const shown = (iso: string) => DateTime.fromISO(iso).setZone(ALERT_ZONE).toFormat('d LLL yyyy, HH:mm:ss');
		expect(alert.message).toBe(
			`3 failed Salesforce logins for bea.burst@acme.example.com (Bea Burst) between ${shown(firstLoginTime)} ${ALERT_ZONE} ` +
				`and ${shown(lastLoginTime)} ${ALERT_ZONE}, from 198.51.100.1, 198.51.100.2`,
		);
	}, 400_000);

	test('after an n8n restart only a license still past its threshold fires again (flagged), and new events fire once', async () => {
		await server.stop();
		// a loaded machine can take n8n well over a minute to start again
		server = await n8n.startServer({ timeoutMs: 240_000 });
		for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) fail(target, ip);
		await waitFor(() => emitted(n8n, WF.failed).length > 1);
		await sleep(65_000);
		const failed = emitted(n8n, WF.failed);
		expect(failed).toHaveLength(2);
		// Min Failures counts a sliding window (15 minutes) per user: the target's earlier single
		// failure, never reported, is in the window with the three new ones, and counts once
		expect(failed[1]).toEqual([expect.objectContaining({ userId: target.Id, failureCount: 4 })]);
		// A license still past its threshold fires once more after a restart, flagged: n8n did not
		// save the polls that fired nothing, so whether it recovered meanwhile cannot be known, and a
		// repeated alert beats a lost one (docs/trigger.md). Only once: the repeat is saved.
		const license = emitted(n8n, WF.license);
		expect(license).toHaveLength(2);
		expect(license[1]).toEqual([
			expect.objectContaining({
				key: 'E2E_TRIGGER',
				threshold: expect.objectContaining({ afterRestart: true }),
			}),
		]);
		expect(emitted(n8n, WF.users)).toHaveLength(1);
	}, 600_000);
});
