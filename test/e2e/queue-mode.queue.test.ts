/**
 * The package on n8n's queue mode (n8n 1.x): PostgreSQL, Redis, one main and two workers sharing
 * the user folder with the package installed as a community package and the same encryption key
 * (test/e2e/queue.ts). Every execution is a production execution of an active workflow, started by
 * its webhook on main and run by a worker (each worker's log names the executions it ran); what
 * an execution did is read back from PostgreSQL, and the org's state is checked against it.
 *
 * Run with `npm run test:queue` (installs Redis and PostgreSQL when missing).
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

import { FakeOrg, to15, UserRecord } from '../fake-org';
import { CredentialRef, exampleFiles, passwordCredential, prepareExample, salesforceNode } from './fixtures';
import { CredentialDefinition, N8nHarness, N8nServer, RunExecutionData, WorkflowDefinition, WorkflowNode } from './n8n';
import { executionsStartedBy, LongRunning, Postgres, postgresBin, queueEnv, Redis, startPostgres, startRedis, startWorker } from './queue';

const DAY = 86_400_000;

const CRED = {
	a: { type: 'salesforceAdminPasswordApi', id: 'qPasswordIntA001', name: 'Integration A (Read/Take Action)' },
	b: { type: 'salesforceAdminPasswordApi', id: 'qPasswordIntB001', name: 'Integration B (Read/Take Action)' },
	readOnly: { type: 'salesforceAdminPasswordApi', id: 'qPasswordRO00001', name: 'Integration A (Read-Only)' },
} as const satisfies Record<string, CredentialRef>;

const WF = {
	reclaimDry: 'wfQReclaimDry001',
	reclaimReal: 'wfQReclaimReal01',
	events: 'wfQEventsPerUser',
	freezeA: 'wfQFreezeByIntA1',
	freezeB: 'wfQFreezeByIntB1',
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
	return wf;
}

/** Webhook → Split Out body.users → Freeze user, never the two integration users. */
function freezeWorkflow(id: string, webhookPath: string, credential: CredentialRef, protectedUsernames: string): WorkflowDefinition {
	return chain(id, `Queue: freeze (${credential.name})`, [
		webhookNode('Webhook', webhookPath),
		{ name: 'One item per user', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.users', options: {} } },
		salesforceNode('Freeze user', { resource: 'user', operation: 'freeze', userId: '={{ $json.id }}', options: { protectedUsernames } }, credential),
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

const describeQueue = process.env.E2E_QUEUE === '0' ? describe.skip : describe;

describeQueue('n8n 1.x queue mode: main + 2 workers, PostgreSQL, Redis', () => {
	let org: FakeOrg;
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	let n8n: N8nHarness;
	let main: N8nServer;
	const workers: LongRunning[] = [];
	const users: Record<string, UserRecord> = {};
	type Login = ReturnType<FakeOrg['addLoginUser']>;
	let intA: Login;
	let intB: Login;
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
		// Two integration users, one per credential; both System Administrators.
		for (const key of ['IntA', 'IntB']) {
			users[key] = org.store.addUser({ profile: 'System Administrator', FirstName: 'Queue', LastName: key, Username: `${key.toLowerCase()}@queue.acme.example.com`, LastLoginDate: at(0), CreatedDate: at(900) });
		}
		intA = org.addLoginUser(users.IntA);
		intB = org.addLoginUser(users.IntB);
		// Twenty users the concurrent executions freeze, recently active (the reclaim leaves them alone).
		for (let i = 1; i <= 20; i++) {
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

		pg = await startPostgres();
		redis = await startRedis();
		const env = queueEnv(pg, redis);
		n8n = await N8nHarness.create({ major: 1, name: 'queue', env });

		const cred = (ref: CredentialRef, login: Login, mode: 'readOnly' | 'readWrite'): CredentialDefinition =>
			passwordCredential(org, ref, mode, { username: login.username, password: login.password, securityToken: login.securityToken });
		await n8n.importCredentials([cred(CRED.a, intA, 'readWrite'), cred(CRED.b, intB, 'readWrite'), cred(CRED.readOnly, intA, 'readOnly')]);
		const protectedBoth = `${intA.username}, ${intB.username}`;
		const workflows = [
			reclaimWorkflow(WF.reclaimDry, 'q-reclaim-dry', true),
			reclaimWorkflow(WF.reclaimReal, 'q-reclaim-real', false),
			chain(WF.events, 'Queue: events per user', [
				webhookNode('Webhook', 'q-events'),
				salesforceNode('Get events', { resource: 'eventLog', operation: 'getEvents', output: 'perUser', filters: { eventTypes: ['Report'], interval: 'daily' } }, CRED.readOnly),
			]),
			freezeWorkflow(WF.freezeA, 'q-freeze-a', CRED.a, protectedBoth),
			freezeWorkflow(WF.freezeB, 'q-freeze-b', CRED.b, protectedBoth),
		];
		await n8n.importWorkflows(workflows);
		// Active before main starts: main registers their webhooks at start-up.
		for (const wf of workflows) {
			const res = await n8n.cli(['update:workflow', `--id=${wf.id}`, '--active=true']);
			if (res.code !== 0) throw new Error(`update:workflow failed: ${res.stdout}\n${res.stderr}`);
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
});
