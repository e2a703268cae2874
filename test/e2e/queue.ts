/**
 * n8n's queue mode around the e2e harness (test/e2e/n8n.ts): a private PostgreSQL cluster and a
 * Redis on free loopback ports, then one n8n main (`n8n start`) and workers (`n8n worker`) that
 * share the harness's user folder (the package installed as a community package in
 * .n8n/nodes, as n8n installs it) and its encryption key.
 *
 *   startPostgres()   initdb + pg_ctl in a temp dir (as the `postgres` user when we are root:
 *                     initdb refuses root), trust auth on 127.0.0.1 only, one database `n8n`
 *   startRedis()      redis-server on 127.0.0.1, no persistence
 *   queueEnv()        the environment main and workers need (EXECUTIONS_MODE=queue, DB_*, QUEUE_*)
 *   startWorker()     `n8n worker`, ready when it logs "n8n worker is now ready"
 *
 * The binaries: PostgreSQL from /usr/lib/postgresql/<version>/bin (Debian's `postgresql`
 * package), `redis-server` from PATH (Debian's `redis-server`); scripts/test-queue.js installs
 * them when missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { freePort, type N8nHarness } from './n8n';

/** The newest /usr/lib/postgresql/<version>/bin that has initdb, or PG_BIN. */
export function postgresBin(): string {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) throw new Error('PostgreSQL not found in /usr/lib/postgresql/*/bin: run `npm run test:queue` (installs it) or set PG_BIN');
	return path.join(root, versions[0], 'bin');
}

function run(cmd: string, args: string[], opts: { asPostgres?: boolean; cwd?: string } = {}): string {
	// initdb and postgres refuse to run as root: run them as the `postgres` system user then.
	const asOther = opts.asPostgres && process.getuid?.() === 0;
	const [c, a] = asOther ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	const res = spawnSync(c, a, { encoding: 'utf8', cwd: opts.cwd ?? os.tmpdir() });
	if (res.status !== 0) throw new Error(`${c} ${a.join(' ')} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
	return res.stdout;
}

export interface Postgres {
	host: string;
	port: number;
	user: string;
	database: string;
	stop(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	if (process.getuid?.() === 0) run('chown', ['-R', 'postgres:postgres', dir]);
	const data = path.join(dir, 'data');
	const port = await freePort();
	run(path.join(bin, 'initdb'), ['-D', data, '-U', 'n8n', '-A', 'trust', '--no-sync', '-E', 'UTF8'], { asPostgres: true });
	// Loopback only; the socket in our own dir; durability off (a throwaway test database).
	const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', 'start'], { asPostgres: true });
	const stop = async () => {
		try {
			run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { asPostgres: true });
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
	try {
		run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
	} catch (error) {
		await stop();
		throw error;
	}
	return { host: '127.0.0.1', port, user: 'n8n', database: 'n8n', stop };
}

export interface Redis {
	host: string;
	port: number;
	stop(): Promise<void>;
}

export async function startRedis(): Promise<Redis> {
	const port = await freePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const proc = new LongRunning(child, 'redis-server');
	await proc.waitFor(/Ready to accept connections/, 30_000);
	return { host: '127.0.0.1', port, stop: () => proc.stop() };
}

/** What main and every worker need to share one queue and one database. */
export function queueEnv(pg: Postgres, redis: Redis): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		// Workers must not fight over the default health-check port.
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
	};
}

/** A long-running child process whose output we keep (the tail) and can wait on. */
export class LongRunning {
	private log = '';
	private exited = false;
	private readonly waiters: Array<() => void> = [];

	constructor(
		readonly child: ChildProcess,
		readonly label: string,
	) {
		const append = (d: string) => {
			this.log = (this.log + d).slice(-200_000);
			for (const w of this.waiters.splice(0)) w();
		};
		child.stdout?.setEncoding('utf8').on('data', append);
		child.stderr?.setEncoding('utf8').on('data', append);
		child.on('exit', () => {
			this.exited = true;
			for (const w of this.waiters.splice(0)) w();
		});
	}

	get output(): string {
		return this.log;
	}

	async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(this.log)) {
			if (this.exited) throw new Error(`${this.label} exited before ${pattern}:\n${this.log.slice(-5000)}`);
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`${this.label}: no ${pattern} within ${timeoutMs} ms:\n${this.log.slice(-5000)}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 1000));
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** SIGTERM, then SIGKILL after 15 s. */
	async stop(): Promise<void> {
		if (this.exited || !this.child.pid) return;
		const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}
}

/**
 * `n8n worker` with the harness's user folder, key and environment (plus `env`). n8n 2.x workers
 * start a task broker as main does: each gets a port of its own (1.x ignores it).
 */
export async function startWorker(harness: N8nHarness, env: Record<string, string>, concurrency = 10): Promise<LongRunning> {
	const brokerPort = String(await freePort());
	const child = spawn(harness.install.nodeBin, [harness.install.n8nBin, 'worker', `--concurrency=${concurrency}`], {
		cwd: harness.userFolder,
		env: harness.env({ ...env, N8N_RUNNERS_BROKER_PORT: brokerPort }),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const worker = new LongRunning(child, 'n8n worker');
	try {
		await worker.waitFor(/n8n worker is now ready/, 120_000);
	} catch (error) {
		await worker.stop();
		throw error;
	}
	return worker;
}

/** The execution IDs a worker logged as started ("Worker started execution 12 (job 3)"). */
export function executionsStartedBy(worker: LongRunning): string[] {
	return [...worker.output.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
}
