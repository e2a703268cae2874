/**
 * The package on n8n's queue mode (n8n 1.x and 2.x, E2E_N8N): PostgreSQL, Redis, one main and two
 * workers sharing the user folder with the package installed as a community package and the same
 * encryption key (test/e2e/queue.ts). Every execution is a production execution of an active
 * workflow, started by its webhook on main (or by the Salesforce Admin Trigger's poll on main) and
 * run by a worker (each worker's log names the executions it ran); what an execution did is read
 * back from PostgreSQL, and the org's state is checked against it. The fake org records whom
 * each call ran as (the token's user and OAuth app) and counts token requests.
 *
 * Run with `npm run test:queue` (installs Redis and PostgreSQL when missing).
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

import { FakeOrg, sfDateTime, to15, UserRecord } from '../fake-org';
import type { ServerApp } from '../helpers/credentials';
import { registerServerApp } from '../helpers/credentials';
import { CredentialRef, exampleFiles, passwordCredential, prepareExample, salesforceNode } from './fixtures';
import { CredentialDefinition, majorsUnderTest, N8nHarness, N8nMajor, N8nServer, RunExecutionData, WorkflowDefinition, WorkflowNode } from './n8n';
import { executionsStartedBy, LongRunning, Postgres, postgresBin, queueEnv, Redis, startPostgres, startRedis, startWorker } from './queue';

const DAY = 86_400_000;

const CRED = {
	a: { type: 'salesforceAdminPasswordApi', id: 'qPasswordIntA001', name: 'Integration A (Read/Take Action)' },
	b: { type: 'salesforceAdminPasswordApi', id: 'qPasswordIntB001', name: 'Integration B (Read/Take Action)' },
	readOnly: { type: 'salesforceAdminPasswordApi', id: 'qPasswordRO00001', name: 'Integration A (Read-Only)' },
	// Token-reusing credentials: n8n stores their access token with the credential (in PostgreSQL)
	jwt: { type: 'salesforceAdminJwtApi', id: 'qJwtBearerIntC01', name: 'Integration C (JWT bearer)' },
	clientCredentials: { type: 'salesforceAdminClientCredentialsApi', id: 'qClientCredIntD1', name: 'Integration D (client credentials)' },
	trigger: { type: 'salesforceAdminPasswordApi', id: 'qPasswordTrig001', name: 'Trigger user (Read-Only)' },
} as const satisfies Record<string, CredentialRef>;

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TRIGGER = 'n8n-nodes-salesforce-admin.salesforceAdminTrigger';
const TRIGGER_NODE = 'User changed';
/**
 * How often the trigger polls. n8n 1.x: every 10 s, a "Custom (Cron Expression)" Poll Time with a
 * seconds field; 1.x refuses a seconds field with "*" ("at least a minute") but takes a list, and
 * the polls are the same as a minute's, only sooner. n8n 2.x refuses any seconds field but a
 * single number: every minute there.
 */
const POLL_TIMES: Record<N8nMajor, unknown> = {
	1: { item: [{ mode: 'custom', cronExpression: '0,10,20,30,40,50 * * * * *' }] },
	2: { item: [{ mode: 'everyMinute' }] },
};

const WF = {
	reclaimDry: 'wfQReclaimDry001',
	reclaimReal: 'wfQReclaimReal01',
	events: 'wfQEventsPerUser',
	freezeA: 'wfQFreezeByIntA1',
	freezeB: 'wfQFreezeByIntB1',
	freezeC: 'wfQFreezeByJwtC1',
	freezeD: 'wfQFreezeByCcrD1',
	trigger: 'wfQUserChanges01',
} as const;

/** A Webhook trigger (POST /webhook/<path>) that answers with the last node's items. */
function webhookNode(name: string, webhookPath: string): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

function chain(id: string, name: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const all = nodes.map((n, i) => ({ id: `${id}-n${i}`, position: [i * 220, 0] as [number, number], ...n }));
	const connections: WorkflowDefinition['connections'] = {};
	for (let i = 0; i + 1 < all.length; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, nodes: all, connections, settings: { executionOrder: 'v1' }, active: true };
}

/** The committed nightly reclaim example, its Schedule Trigger swapped for a Webhook of the same name. */
function reclaimWorkflow(id: string, webhookPath: string, dryRun: boolean): WorkflowDefinition {
	const example = exampleFiles().find((e) => e.file === 'nightly-license-reclaim.json');
	if (!example) throw new Error('examples/nightly-license-reclaim.json is missing');
	const wf = prepareExample(example.file, example.workflow, { readOnly: CRED.readOnly, readWrite: CRED.a });
	wf.id = id;
	wf.name = `Queue: nightly reclaim (${dryRun ? 'dry run' : 'real'})`;
	wf.active = true;
	wf.nodes = wf.nodes.map((node) => {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') return { ...webhookNode(node.name, webhookPath), id: node.id, position: node.position };
		if (node.name === 'Freeze user') return { ...node, parameters: { ...node.parameters, options: { ...(node.parameters.options as object), dryRun } } };
		return node;
	});
	// The example's undo branch is disabled, and n8n passes data through a disabled node: the webhook
	// ("last node") would answer with it instead of the summary. The queue test runs the reclaim only.
	const undo = new Set(wf.nodes.filter((n) => (n as { disabled?: boolean }).disabled).map((n) => n.name));
	wf.nodes = wf.nodes.filter((n) => !undo.has(n.name));
	const connections = wf.connections;
	for (const name of Object.keys(connections)) {
		if (undo.has(name)) delete connections[name];
		else
			for (const type of Object.keys(connections[name]))
				connections[name][type] = connections[name][type].map((outs) => outs.filter((c) => !undo.has(c.node)));
	}
	return wf;
}

/** Webhook → Split Out body.users → Freeze user, never the two integration users. */
function freezeWorkflow(id: string, webhookPath: string, credential: CredentialRef, protectedUsernames: string): WorkflowDefinition {
	return chain(id, `Queue: freeze (${credential.name})`, [
		webhookNode('Webhook', webhookPath),
		{ name: 'One item per user', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.users', options: {} } },
		salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', userId: '={{ $json.id }}', dryRun: false, options: { protectedUsernames } }, credential),
	]);
}

/** Salesforce Admin Trigger (User Change, POLL_TIMES) → No Operation; active, so main polls it. */
function triggerWorkflow(id: string, credential: CredentialRef, major: N8nMajor): WorkflowDefinition {
	return chain(id, 'Queue: user changes', [
		{
			name: TRIGGER_NODE,
			type: TRIGGER,
			typeVersion: 1,
			parameters: { authentication: 'password', pollTimes: POLL_TIMES[major], event: 'userChange' },
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		},
		{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
}

interface StoredRun {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	data: RunExecutionData | null;
}

/** Executions of a workflow newer than `afterId`, oldest first, read from PostgreSQL (data unflattened by n8n's own `flatted`). */
function executionsSince(pg: Postgres, harness: N8nHarness, workflowId: string, afterId: number): StoredRun[] {
	const sql = `select coalesce(json_agg(t order by t.id), '[]') from (
		select e.id, e."workflowId", e.status, e.mode, d.data from execution_entity e
		left join execution_data d on d."executionId" = e.id
		where e."workflowId" = '${workflowId}' and e.id > ${afterId}) t`;
	const res = spawnSync(path.join(postgresBin(), 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-At', '-c', sql], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
	});
	if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { parse } = require(path.join(harness.install.dir, 'node_modules', 'flatted')) as { parse: (s: string) => RunExecutionData };
	return (JSON.parse(res.stdout) as Array<Omit<StoredRun, 'data'> & { data: string | null }>).map((r) => ({ ...r, data: r.data ? parse(r.data) : null }));
}

function psql(pg: Postgres, sql: string): string {
	const res = spawnSync(path.join(postgresBin(), 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-At', '-c', sql], { encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
	return res.stdout.trim();
}

/** Checks `done()` every second until it holds (n8n and the org are in other processes / async). */
async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 1_000));
	}
}

function maxExecutionId(pg: Postgres): number {
	const res = spawnSync(path.join(postgresBin(), 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-At', '-c', 'select coalesce(max(id), 0) from execution_entity'], {
		encoding: 'utf8',
	});
	return Number(res.stdout.trim()) || 0;
}

function itemsOf<T = Record<string, unknown>>(run: StoredRun, node: string): T[] {
	const runs = run.data?.resultData.runData[node] ?? [];
	return (runs[runs.length - 1]?.data?.main[0] ?? []).map((i) => i.json as T);
}

function frozenIds(org: FakeOrg): Set<string> {
	return new Set(org.store.users.filter((u) => org.store.userLoginFor(u.Id)?.IsFrozen).map((u) => u.Id));
}

/** The items the trigger emitted, one entry per execution (mode `trigger`). */
function triggerItems(run: StoredRun): Array<{ id: string; change: string; changedBy: { id: string } }> {
	return itemsOf(run, TRIGGER_NODE);
}

const describeQueue = process.env.E2E_QUEUE === '0' ? describe.skip : describe;

describeQueue.each(majorsUnderTest())('n8n %i.x queue mode: main + 2 workers, PostgreSQL, Redis', (major) => {
	let org: FakeOrg;
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	let n8n: N8nHarness;
	let main: N8nServer;
	let env: Record<string, string>;
	const workers: LongRunning[] = [];
	const users: Record<string, UserRecord> = {};
	type Login = ReturnType<FakeOrg['addLoginUser']>;
	let intA: Login;
	let intB: Login;
	let intT: Login;
	let jwtApp: ServerApp;
	let ccApp: ServerApp;
	/** Users frozen before main started (the trigger's baseline: never reported). */
	let frozenAtStart: Set<string>;
	const now = Date.now();
	const at = (daysAgo: number) => new Date(now - daysAgo * DAY);

	const post = async (webhookPath: string, body: unknown): Promise<{ status: number; json: unknown }> => {
		const res = await fetch(`${main.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await res.text();
		let json: unknown = text;
		try {
			json = JSON.parse(text);
		} catch {
			/* keep the text */
		}
		return { status: res.status, json };
	};
	const ranOnWorkers = () => workers.map((w) => new Set(executionsStartedBy(w)));

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 150, seed: 7, now: new Date(now - 3 * 3_600_000) } });
		// Integration users, one per credential; all System Administrators. T polls for the trigger.
		for (const key of ['IntA', 'IntB', 'IntC', 'IntD', 'IntT']) {
			users[key] = org.store.addUser({ profile: 'System Administrator', FirstName: 'Queue', LastName: key, Username: `${key.toLowerCase()}@queue.acme.example.com`, LastLoginDate: at(0), CreatedDate: at(900) });
		}
		intA = org.addLoginUser(users.IntA);
		intB = org.addLoginUser(users.IntB);
		intT = org.addLoginUser(users.IntT);
		// C signs in with the JWT bearer flow (pre-authorized by profile), D is the client credentials app's Run As user
		jwtApp = registerServerApp(org);
		ccApp = registerServerApp(org, { runAs: users.IntD.Username });
		// Forty users the concurrent executions freeze, recently active (the reclaim leaves them alone).
		for (let i = 1; i <= 40; i++) {
			const key = `T${String(i).padStart(2, '0')}`;
			users[key] = org.store.addUser({ profile: 'Standard User', FirstName: 'Queue', LastName: key, Username: `${key.toLowerCase()}@queue.acme.example.com`, LastLoginDate: at(3), CreatedDate: at(400) });
		}
		// Event Log Files with known rows for Get events per user.
		const header = '"EVENT_TYPE","TIMESTAMP","USER_ID","RUN_TIME","TIMESTAMP_DERIVED","USER_ID_DERIVED"\n';
		const fieldTypes = ['String', 'String', 'Id', 'Number', 'DateTime', 'Id'];
		const day = (d: number, hour: number) => new Date(Math.floor(now / DAY) * DAY - d * DAY + hour * 3_600_000);
		const row = (u: UserRecord, when: Date, n: number) => {
			const iso = when.toISOString();
			return `"Report","${iso.replace(/[-:T]/g, '').replace('Z', '')}","${to15(u.Id)}","${n}","${iso}","${u.Id}"\n`;
		};
		org.store.addEventLogFile({ EventType: 'Report', LogDate: day(2, 0), fieldTypes, body: header + row(users.T01, day(2, 9), 1) + row(users.T01, day(2, 10), 2) + row(users.T02, day(2, 11), 3) });
		org.store.addEventLogFile({ EventType: 'Report', LogDate: day(1, 0), fieldTypes, body: header + row(users.T01, day(1, 8), 4) });
		frozenAtStart = frozenIds(org);

		pg = await startPostgres();
		redis = await startRedis();
		env = queueEnv(pg, redis);
		n8n = await N8nHarness.create({ major, name: 'queue', env });

		const cred = (ref: CredentialRef, login: Login, mode: 'readOnly' | 'readWrite'): CredentialDefinition =>
			passwordCredential(org, ref, mode, { username: login.username, password: login.password, securityToken: login.securityToken });
		await n8n.importCredentials([
			cred(CRED.a, intA, 'readWrite'),
			cred(CRED.b, intB, 'readWrite'),
			cred(CRED.readOnly, intA, 'readOnly'),
			cred(CRED.trigger, intT, 'readOnly'),
			{
				...CRED.jwt,
				data: { environment: 'myDomain', myDomainUrl: org.url, clientId: jwtApp.clientId, username: users.IntC.Username, privateKey: jwtApp.privateKey, accessMode: 'readWrite' },
			},
			{ ...CRED.clientCredentials, data: { environment: 'myDomain', myDomainUrl: org.url, clientId: ccApp.clientId, clientSecret: ccApp.clientSecret, accessMode: 'readWrite' } },
		]);
		const protectedBoth = `${intA.username}, ${intB.username}`;
		const protectedCD = `${users.IntC.Username}, ${users.IntD.Username}`;
		const workflows = [
			reclaimWorkflow(WF.reclaimDry, 'q-reclaim-dry', true),
			reclaimWorkflow(WF.reclaimReal, 'q-reclaim-real', false),
			chain(WF.events, 'Queue: events per user', [
				webhookNode('Webhook', 'q-events'),
				salesforceNode('Get events', { resource: 'eventLog', operation: 'getEvents', output: 'perUser', filters: { eventTypes: ['Report'], interval: 'daily' } }, CRED.readOnly),
			]),
			freezeWorkflow(WF.freezeA, 'q-freeze-a', CRED.a, protectedBoth),
			freezeWorkflow(WF.freezeB, 'q-freeze-b', CRED.b, protectedBoth),
			freezeWorkflow(WF.freezeC, 'q-freeze-c', CRED.jwt, protectedCD),
			freezeWorkflow(WF.freezeD, 'q-freeze-d', CRED.clientCredentials, protectedCD),
			triggerWorkflow(WF.trigger, CRED.trigger, major),
		];
		await n8n.importWorkflows(workflows);
		// Active before main starts: main registers their webhooks and starts the trigger's polls at start-up.
		// (n8n 2.x: published; its update:workflow --active=true says to use publish:workflow)
		for (const wf of workflows) {
			const args = major === 1 ? ['update:workflow', `--id=${wf.id}`, '--active=true'] : ['publish:workflow', `--id=${wf.id}`];
			const res = await n8n.cli(args);
			if (res.code !== 0) throw new Error(`${args[0]} failed: ${res.stdout}\n${res.stderr}`);
		}

		main = await n8n.startServer({ timeoutMs: 180_000 });
		// Workers one after the other: two n8n start-ups at once are slow on 2 cores.
		workers.push(await startWorker(n8n, env, 5));
		workers.push(await startWorker(n8n, env, 5));
	}, 900_000);

	afterAll(async () => {
		for (const w of workers) await w.stop().catch(() => undefined);
		if (process.env.E2E_QUEUE_LOGS) {
			fs.writeFileSync(path.join(n8n.userFolder, 'worker-logs.txt'), workers.map((w) => w.output).join('\n=====\n'));
			fs.writeFileSync(path.join(n8n.userFolder, 'main-log.txt'), main?.output ?? '');
		}
		await n8n?.dispose();
		await redis?.stop();
		await pg?.stop();
		await org?.stop();
	}, 120_000);

	beforeEach(() => org.calls.reset());

	test('main runs in queue mode with PostgreSQL and offers the package; executions go to the workers', async () => {
		const types = await main.nodeTypes();
		expect(types.map((t) => t.name)).toContain('n8n-nodes-salesforce-admin.salesforceAdmin');
		expect(main.output).not.toMatch(/sqlite/i);
		for (const w of workers) expect(w.output).toMatch(/n8n worker is now ready/);
	});

	test('nightly reclaim through the queue: the dry run predicts, the real run freezes exactly those users', async () => {
		const before = frozenIds(org);
		const after0 = maxExecutionId(pg!);

		const dry = await post('q-reclaim-dry', {});
		expect(dry.status).toBe(200);
		const [dryRun] = executionsSince(pg!, n8n, WF.reclaimDry, after0);
		expect(dryRun).toMatchObject({ status: 'success', mode: 'webhook' });
		const predicted = itemsOf<{ id: string; result: string }>(dryRun, 'Freeze user');
		const wouldFreeze = predicted.filter((r) => r.result === 'dryRun').map((r) => r.id).sort();
		expect(wouldFreeze.length).toBeGreaterThan(5);
		expect(frozenIds(org)).toEqual(before);
		// The summary the webhook answered with is the one the worker stored
		expect(dry.json).toEqual(itemsOf(dryRun, 'Summary by result'));

		const real = await post('q-reclaim-real', {});
		expect(real.status).toBe(200);
		const [realRun] = executionsSince(pg!, n8n, WF.reclaimReal, after0);
		expect(realRun).toMatchObject({ status: 'success', mode: 'webhook' });
		const changed = itemsOf<{ id: string; result: string }>(realRun, 'Freeze user').filter((r) => r.result === 'changed').map((r) => r.id).sort();
		expect(changed).toEqual(wouldFreeze);
		// The org: frozen now = frozen before + exactly the `changed` items
		expect([...frozenIds(org)].sort()).toEqual([...before, ...changed].sort());

		const ran = ranOnWorkers();
		for (const id of [dryRun.id, realRun.id]) expect(ran.some((s) => s.has(String(id)))).toBe(true);
	});

	test('Get events per user through the queue', async () => {
		const after0 = maxExecutionId(pg!);
		const res = await post('q-events', {});
		expect(res.status).toBe(200);
		const [run] = executionsSince(pg!, n8n, WF.events, after0);
		expect(run.status).toBe('success');
		expect(res.json).toEqual([
			expect.objectContaining({ userId: users.T01.Id, eventCount: 3, eventTypes: ['Report'] }),
			expect.objectContaining({ userId: users.T02.Id, eventCount: 1, eventTypes: ['Report'] }),
		]);
		expect(org.calls.count('logFile')).toBe(2);
		expect(ranOnWorkers().some((s) => s.has(String(run.id)))).toBe(true);
	});

	test('20 executions at once, two credentials for two users: all succeed, the org matches, each ran as its own user', async () => {
		const before = frozenIds(org);
		const after0 = maxExecutionId(pg!);
		const targets = Array.from({ length: 20 }, (_, i) => users[`T${String(i + 1).padStart(2, '0')}`]);
		// Executions 0-9 through credential A, 10-19 through B; each names its target and both
		// integration users, so the skip reason shows who the execution is connected as.
		const started = Date.now();
		const responses = await Promise.all(
			targets.map((t, i) =>
				post(i < 10 ? 'q-freeze-a' : 'q-freeze-b', { users: [{ id: t.Id }, { id: intA.username }, { id: intB.username }] }),
			),
		);
		const ms = Date.now() - started;

		const connectedReason = /the credential is connected as/;
		const protectedReason = /Protected Usernames/;
		responses.forEach((res, i) => {
			expect(res.status).toBe(200);
			const [self, other] = i < 10 ? [users.IntA, users.IntB] : [users.IntB, users.IntA];
			const items = res.json as Array<{ id: string; result: string; reason?: string }>;
			expect(items).toEqual([
				expect.objectContaining({ id: targets[i].Id, result: 'changed' }),
				expect.objectContaining({ id: users.IntA.Id, result: 'skipped' }),
				expect.objectContaining({ id: users.IntB.Id, result: 'skipped' }),
			]);
			expect(items.find((r) => r.id === self.Id)?.reason).toMatch(connectedReason);
			expect(items.find((r) => r.id === other.Id)?.reason).toMatch(protectedReason);
		});

		const runs = [...executionsSince(pg!, n8n, WF.freezeA, after0), ...executionsSince(pg!, n8n, WF.freezeB, after0)];
		expect(runs).toHaveLength(20);
		for (const run of runs) expect(run).toMatchObject({ status: 'success', mode: 'webhook' });
		// The org: exactly the 20 targets were frozen, and they are the `changed` items
		const changed = runs.flatMap((r) => itemsOf<{ id: string; result: string }>(r, 'Freeze user')).filter((r) => r.result === 'changed').map((r) => r.id);
		expect(changed.sort()).toEqual(targets.map((t) => t.Id).sort());
		expect([...frozenIds(org)].sort()).toEqual([...before, ...changed].sort());
		expect(org.store.userLoginFor(users.IntA.Id)?.IsFrozen).toBe(false);
		expect(org.store.userLoginFor(users.IntB.Id)?.IsFrozen).toBe(false);
		// one Collections call per execution
		expect(org.calls.count('collectionsPatch')).toBe(20);

		// Both workers ran some of them, and every execution ran on a worker
		const ran = ranOnWorkers();
		const ids = runs.map((r) => String(r.id));
		for (const set of ran) expect(ids.filter((id) => set.has(id)).length).toBeGreaterThan(0);
		for (const id of ids) expect(ran.filter((s) => s.has(id))).toHaveLength(1);
		console.log(`20 executions through the queue in ${ms} ms; per worker: ${ran.map((s) => ids.filter((id) => s.has(id)).length).join(' + ')}`);
	});

	test('20 executions at once through token-reusing credentials (JWT bearer, client credentials): each worker signs in at most once per credential, every call runs as its credential\'s user', async () => {
		const before = frozenIds(org);
		const after0 = maxExecutionId(pg!);
		const tokenRequests = () => ({
			jwt: org.controls.oauth.tokenRequests(JWT_GRANT, jwtApp.clientId),
			clientCredentials: org.controls.oauth.tokenRequests('client_credentials', ccApp.clientId),
		});
		expect(tokenRequests()).toEqual({ jwt: 0, clientCredentials: 0 });
		const [userC, userD] = [users.IntC, users.IntD];
		const targets = Array.from({ length: 20 }, (_, i) => users[`T${String(i + 21).padStart(2, '0')}`]);
		// Interleaved: C (JWT), D (client credentials), C, D, ... so both reach both workers at once
		const viaJwt = (i: number) => i % 2 === 0;
		const fire = async () =>
			await Promise.all(targets.map((t, i) => post(viaJwt(i) ? 'q-freeze-c' : 'q-freeze-d', { users: [{ id: t.Id }, { id: userC.Username }, { id: userD.Username }] })));
		const check = (responses: Array<{ status: number; json: unknown }>, targetResult: string) =>
			responses.forEach((res, i) => {
				expect(res.status).toBe(200);
				const [self, other] = viaJwt(i) ? [userC, userD] : [userD, userC];
				const items = res.json as Array<{ id: string; result: string; reason?: string }>;
				expect(items).toEqual([
					expect.objectContaining({ id: targets[i].Id, result: targetResult }),
					expect.objectContaining({ id: userC.Id, result: 'skipped' }),
					expect.objectContaining({ id: userD.Id, result: 'skipped' }),
				]);
				// the write never touches the user it runs as: the skip reason names who that is
				expect(items.find((r) => r.id === self.Id)?.reason).toMatch(/the credential is connected as/);
				expect(items.find((r) => r.id === other.Id)?.reason).toMatch(/Protected Usernames/);
			});
		/** Every call the org served with a token of the JWT app ran as C, of the client credentials app as D. */
		const callsRanAsTheirUser = () => {
			const byApp = (clientId: string) => org.calls.log.filter((c) => c.clientId === clientId);
			expect(byApp(jwtApp.clientId).length).toBeGreaterThan(0);
			expect(byApp(ccApp.clientId).length).toBeGreaterThan(0);
			expect(new Set(byApp(jwtApp.clientId).map((c) => c.userId))).toEqual(new Set([userC.Id]));
			expect(new Set(byApp(ccApp.clientId).map((c) => c.userId))).toEqual(new Set([userD.Id]));
			// and C's and D's calls were made with their own app's token only
			expect(new Set(org.calls.log.filter((c) => c.userId === userC.Id).map((c) => c.clientId))).toEqual(new Set([jwtApp.clientId]));
			expect(new Set(org.calls.log.filter((c) => c.userId === userD.Id).map((c) => c.clientId))).toEqual(new Set([ccApp.clientId]));
		};

		// 1. No token stored yet: the first executions on each worker race to sign in
		let started = Date.now();
		const first = await fire();
		const firstMs = Date.now() - started;
		check(first, 'changed');
		const afterFirst = tokenRequests();
		// one sign-in per credential per worker at most (2 workers)
		expect(afterFirst.jwt).toBeGreaterThanOrEqual(1);
		expect(afterFirst.jwt).toBeLessThanOrEqual(2);
		expect(afterFirst.clientCredentials).toBeGreaterThanOrEqual(1);
		expect(afterFirst.clientCredentials).toBeLessThanOrEqual(2);
		callsRanAsTheirUser();
		// The org: exactly the 20 targets were frozen, each by the user its credential acts as
		const runs = [...executionsSince(pg!, n8n, WF.freezeC, after0), ...executionsSince(pg!, n8n, WF.freezeD, after0)];
		expect(runs).toHaveLength(20);
		for (const run of runs) expect(run).toMatchObject({ status: 'success', mode: 'webhook' });
		const changed = runs.flatMap((r) => itemsOf<{ id: string; result: string }>(r, 'Freeze user')).filter((r) => r.result === 'changed').map((r) => r.id);
		expect(changed.sort()).toEqual(targets.map((t) => t.Id).sort());
		expect([...frozenIds(org)].sort()).toEqual([...before, ...changed].sort());
		targets.forEach((t, i) => expect(org.store.userLoginFor(t.Id)?.LastModifiedById).toBe(viaJwt(i) ? userC.Id : userD.Id));
		const patches = org.calls.log.filter((c) => c.kind === 'collectionsPatch');
		expect(patches.filter((c) => c.userId === userC.Id)).toHaveLength(10);
		expect(patches.filter((c) => c.userId === userD.Id)).toHaveLength(10);
		const ran = ranOnWorkers();
		const ids = runs.map((r) => String(r.id));
		for (const set of ran) expect(ids.filter((id) => set.has(id)).length).toBeGreaterThan(0);
		for (const id of ids) expect(ran.filter((s) => s.has(id))).toHaveLength(1);

		// 2. Salesforce ends every session of both apps: each worker renews at most once per credential
		org.calls.reset();
		org.controls.expireSessions(jwtApp.clientId);
		org.controls.expireSessions(ccApp.clientId);
		started = Date.now();
		const second = await fire();
		const secondMs = Date.now() - started;
		check(second, 'unchanged');
		const afterSecond = tokenRequests();
		expect(afterSecond.jwt - afterFirst.jwt).toBeGreaterThanOrEqual(1);
		expect(afterSecond.jwt - afterFirst.jwt).toBeLessThanOrEqual(2);
		expect(afterSecond.clientCredentials - afterFirst.clientCredentials).toBeGreaterThanOrEqual(1);
		expect(afterSecond.clientCredentials - afterFirst.clientCredentials).toBeLessThanOrEqual(2);
		callsRanAsTheirUser();
		console.log(
			`token-reusing credentials, 20 executions at once: ${firstMs} ms with ${afterFirst.jwt} JWT + ${afterFirst.clientCredentials} client credentials token requests; ` +
				`after the sessions expired ${secondMs} ms with ${afterSecond.jwt - afterFirst.jwt} + ${afterSecond.clientCredentials - afterFirst.clientCredentials}; per worker: ${ran.map((s) => ids.filter((id) => s.has(id)).length).join(' + ')}`,
		);
	});

	test('the Salesforce Admin Trigger polls on main, its executions run on the workers, and every change fires once (also after main restarts)', async () => {
		/** The trigger's executions so far, oldest first, with what each emitted. */
		const triggerRuns = () => executionsSince(pg!, n8n, WF.trigger, 0);
		const emitted = () => triggerRuns().flatMap((r) => triggerItems(r));
		/** The trigger's polls the org has served since `from` (each reads UserLogin by LastModifiedDate once). */
		const polls = () => org.calls.log.filter((c) => c.userId === users.IntT.Id && /FROM UserLogin WHERE \(LastModifiedDate >=/.test(c.soql ?? '')).length;
		/**
		 * Waits for `n` more polls, then for the trigger's executions to finish. A poll takes a second
		 * or two, the next starts 10 s (1.x) or a minute (2.x) later: by then the execution a poll
		 * emitted (a duplicate, say) is in PostgreSQL. Each poll reads the last 5 minutes again.
		 */
		const quietPolls = async (n: number) => {
			const target = polls() + n;
			await waitUntil(() => polls() >= target, n * 60_000 + 120_000, `${n} more polls of the trigger`);
			await waitUntil(() => triggerRuns().every((r) => r.status !== 'new' && r.status !== 'running'), 120_000, 'the trigger executions to finish');
		};
		// Every user the suite froze, and whom by (the org records the session user of each write)
		const expected = () =>
			[...frozenIds(org)].filter((id) => !frozenAtStart.has(id)).map((id) => ({ id, changedBy: org.store.userLoginFor(id)!.LastModifiedById as string }));
		const frozenEvents = () => emitted().filter((e) => e.change === 'frozen').map((e) => ({ id: e.id, changedBy: e.changedBy.id }));
		const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

		// the suite froze the reclaim's users (as A) and 40 targets (as A, B, C, D) while the trigger polled
		const wanted = expected().sort(byId);
		expect(wanted.length).toBeGreaterThan(45);
		await waitUntil(() => frozenEvents().length >= wanted.length, 180_000, `the trigger to report ${wanted.length} frozen users`);
		await quietPolls(2);
		expect(frozenEvents().sort(byId)).toEqual(wanted);
		expect(new Set(wanted.map((w) => w.changedBy))).toEqual(new Set([users.IntA.Id, users.IntB.Id, users.IntC.Id, users.IntD.Id]));
		// nothing but these freezes happened
		expect(emitted().filter((e) => e.change !== 'frozen')).toEqual([]);

		// every trigger execution succeeded, on a worker, with mode `trigger`
		const runs = triggerRuns();
		expect(runs.length).toBeGreaterThan(0);
		for (const run of runs) expect(run).toMatchObject({ status: 'success', mode: 'trigger' });
		const ran = ranOnWorkers();
		for (const run of runs) expect(ran.filter((s) => s.has(String(run.id)))).toHaveLength(1);

		// The trigger's state is in PostgreSQL with the workflow (main saved it when the polls emitted)
		const staticData = JSON.parse(psql(pg!, `select "staticData" from workflow_entity where id = '${WF.trigger}'`) || 'null') as Record<string, unknown> | null;
		expect(JSON.stringify(staticData)).toContain('salesforceAdminTrigger');

		// Main restarts: it reads the state back, nothing fires again, a new change fires once
		const runsBefore = runs.length;
		await main.stop();
		main = await n8n.startServer({ timeoutMs: 240_000 });
		const late = users.T01;
		Object.assign(org.store.userLoginFor(late.Id)!, { IsFrozen: false, LastModifiedDate: sfDateTime(new Date()), LastModifiedById: org.admin.userId });
		await waitUntil(() => emitted().some((e) => e.id === late.Id && e.change === 'unfrozen'), 180_000, 'the unfreeze after the restart');
		await quietPolls(2);
		const newRuns = triggerRuns().slice(runsBefore);
		expect(newRuns.flatMap((r) => triggerItems(r))).toEqual([expect.objectContaining({ id: late.Id, change: 'unfrozen', changedBy: expect.objectContaining({ id: org.admin.userId }) })]);
		for (const run of newRuns) expect(run).toMatchObject({ status: 'success', mode: 'trigger' });
		const ranAfter = ranOnWorkers();
		for (const run of newRuns) expect(ranAfter.filter((s) => s.has(String(run.id)))).toHaveLength(1);
		console.log(`trigger: ${wanted.length} frozen users reported once in ${runs.length} executions; after the restart ${newRuns.length} execution(s) with the one new change`);
	});
});
