/**
 * `npm run demo`: a local Salesforce org seeded like a company, and a real n8n with this package
 * installed from its npm tarball, credentials for that org already created, and the example
 * workflows imported. Prints where to open n8n and how to sign in; Ctrl-C stops everything.
 *
 * Started by scripts/demo.js, which installs n8n (e2e/), compiles this file with the project's
 * TypeScript into .demo/build/ and runs it with plain node. startDemo() is the demo without the
 * terminal (no banner printed, no signal handling): test/e2e/first-hour-browser.e2e.test.ts
 * walks a new user's path through it.
 *
 * Settings (environment):
 *   DEMO_N8N        1 (default, n8n 1.x on this Node) or 2 (n8n 2.x on the Node 24 in e2e/n8n2)
 *   DEMO_N8N_PORT   n8n's port, default 5678 (a free one if 5678 is taken)
 *   DEMO_ORG_PORT   the fake org's port, default 8787 (a free one if taken)
 *   DEMO_USERS      seeded users, default 400
 *   DEMO_KEEP=1     keep the n8n user folder under .demo/ after Ctrl-C
 */
import * as net from 'net';
import * as path from 'path';

import { DEMO_SEED, FakeOrg, generateAppKeys, sfDateTime } from '../test/fake-org';
import {
	CredentialDefinition,
	DEFAULT_OWNER,
	N8nHarness,
	N8nMajor,
	N8nServer,
	REPO_ROOT,
	WorkflowDefinition,
	freePort,
} from '../test/e2e/n8n';

import {
	DEMO_CREDENTIALS,
	LIFECYCLE_WORKFLOW,
	loadExamples,
	TOUR_WORKFLOW,
	tourSteps,
} from './demo-tour';

const DEMO_ROOT = path.join(REPO_ROOT, '.demo');

/** `preferred` if it is free, else (or without one) a free port. */
async function portOr(preferred: number | undefined): Promise<number> {
	if (preferred === undefined) return await freePort();
	const free = await new Promise<boolean>((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
	return free ? preferred : await freePort();
}

function log(message: string): void {
	process.stdout.write(`[demo] ${message}\n`);
}

const MINUTE = 60_000;

/**
 * Failed logins "right now", so the hourly Failed-login watch has something to show: a burst
 * against one user (someone guessing a password) and a typo, then a few more every ten minutes
 * while the demo runs. The seeded history (six months) has failures too, but none this recent.
 */
function simulateFailedLogins(org: FakeOrg): () => void {
	const candidates = org.store.users.filter(
		(u) => u.IsActive && u.UserType === 'Standard' && u.LastLoginDate,
	);
	if (candidates.length < 3) return () => undefined;
	const [target, typo] = [candidates[7 % candidates.length], candidates[23 % candidates.length]];
	const fail = (userId: string, minutesAgo: number, ip: string, status = 'Invalid Password') =>
		org.store.addLoginHistory({
			UserId: userId,
			LoginTime: sfDateTime(Date.now() - minutesAgo * MINUTE),
			Status: status,
			SourceIp: ip,
		});
	for (const minutesAgo of [3, 9, 14, 22, 31])
		fail(target.Id, minutesAgo, minutesAgo < 15 ? '198.51.100.23' : '198.51.100.24');
	fail(target.Id, 2, '198.51.100.23', 'Password Lockout');
	for (const minutesAgo of [11, 40]) fail(typo.Id, minutesAgo, '203.0.113.10');
	let round = 0;
	const timer = setInterval(() => {
		round++;
		const user = candidates[(round * 37) % candidates.length];
		for (let i = 0; i < 1 + (round % 4); i++) fail(user.Id, i, `192.0.2.${(round % 250) + 1}`);
	}, 10 * MINUTE);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * Active internal users on Salesforce / Salesforce Platform without a login for 90 days; one who
 * never logged in counts from the day the account was created (new hires are not idle).
 */
function idlePaidUsers(org: FakeOrg): number {
	const licenseOf = new Map(
		org.store.profiles.map((p) => [
			p.Id,
			org.store.get<{ Name: string }>('UserLicense', p.UserLicenseId)?.Name,
		]),
	);
	const cutoff = Date.now() - 90 * 86_400_000;
	return org.store.users.filter(
		(u) =>
			u.IsActive &&
			u.UserType === 'Standard' &&
			['Salesforce', 'Salesforce Platform'].includes(licenseOf.get(u.ProfileId) ?? '') &&
			Date.parse((u.LastLoginDate ?? u.CreatedDate).replace('+0000', 'Z')) < cutoff,
	).length;
}

/** One line: users per license, never logged in, login history and event log files. */
function describeOrg(org: FakeOrg): string {
	const licenseOf = new Map(
		org.store.profiles.map((p) => [
			p.Id,
			org.store.get<{ Name: string }>('UserLicense', p.UserLicenseId)?.Name ?? '?',
		]),
	);
	const perLicense = new Map<string, number>();
	for (const u of org.store.users)
		perLicense.set(
			licenseOf.get(u.ProfileId)!,
			(perLicense.get(licenseOf.get(u.ProfileId)!) ?? 0) + 1,
		);
	const top = [...perLicense]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 4)
		.map(([name, n]) => `${n} ${name}`);
	const never = org.store.users.filter((u) => u.LastLoginDate === null).length;
	return (
		`${org.store.users.length} users (${top.join(', ')}, …), ${never} never logged in, ` +
		`${org.store.loginHistory.length} logins, ${org.store.eventLogFiles.length} event log files`
	);
}

/** What startDemo() sets up; `npm run demo` passes its settings from the environment. */
export interface DemoOptions {
	major: N8nMajor;
	/** Seeded users (DEMO_SEED.users by default). */
	users?: number;
	/** Preferred ports; a free one when taken or not given. */
	orgPort?: number;
	n8nPort?: number;
	/** Parent folder of n8n's user folder; default .e2e-work/ (`npm run demo`: .demo/). */
	root?: string;
	/** Keep n8n's user folder after stop(). */
	keep?: boolean;
	/** Progress lines; default none. */
	log?: (message: string) => void;
}

/** A running demo: the org, n8n with the examples, and the ready banner it prints. */
export interface Demo {
	org: FakeOrg;
	n8n: N8nHarness;
	server: N8nServer;
	/** Where to open n8n (localhost, as the banner says). */
	url: string;
	credentials: CredentialDefinition[];
	examples: WorkflowDefinition[];
	/** The ready banner's lines. */
	banner: string[];
	/** Stops n8n and the org (never throws). */
	stop(): Promise<void>;
}

/**
 * The demo org (seeded like a company, a burst of failed logins "now"), and n8n with the package
 * installed, the demo credentials and the example workflows, started with the owner account.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
	const progress = options.log ?? (() => undefined);
	const users = options.users ?? DEMO_SEED.users;
	progress(
		`starting the demo Salesforce org (${users} users, login history, 7 days of event log files)…`,
	);
	const org = await FakeOrg.start({
		port: await portOr(options.orgPort),
		orgName: 'Acme Corporation (demo)',
		seed: { ...DEMO_SEED, users, entitlements: true },
	});
	const stopSimulation = simulateFailedLogins(org);
	let n8n: N8nHarness | undefined;
	let server: N8nServer | undefined;
	const stop = async (): Promise<void> => {
		stopSimulation();
		const started = Date.now();
		await server?.stop().catch(() => undefined);
		if (server) progress(`n8n stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		await n8n?.dispose().catch(() => undefined);
		await org.stop().catch(() => undefined);
	};

	try {
		progress(
			`packing the package and installing it into a fresh n8n ${options.major}.x user folder…`,
		);
		n8n = await N8nHarness.create({
			major: options.major,
			name: 'demo',
			root: options.root,
			keep: options.keep,
		});

		const signIn = { environment: 'myDomain', myDomainUrl: org.url };
		const password = {
			...signIn,
			username: org.admin.username,
			password: org.admin.password,
			securityToken: org.admin.securityToken,
			clientId: '',
			clientSecret: '',
		};
		// The demo org's External Client App ("n8n") with JWT bearer on: its certificate uploaded,
		// the admin's profile pre-authorized (as a customer sets it up, docs/credentials.md).
		const appKeys = generateAppKeys({ commonName: 'n8n demo' });
		org.controls.oauth.updateApp(org.externalClientApp.clientId, {
			certificate: appKeys.certificate,
		});
		const credentials: CredentialDefinition[] = [
			{ ...DEMO_CREDENTIALS.readOnly, data: { ...password, accessMode: 'readOnly' } },
			{ ...DEMO_CREDENTIALS.readWrite, data: { ...password, accessMode: 'readWrite' } },
			{
				...DEMO_CREDENTIALS.oauth,
				data: {
					...signIn,
					clientId: org.admin.clientId,
					clientSecret: org.admin.clientSecret,
					accessMode: 'readOnly',
					oauthTokenData: org.issueOAuthTokens(),
				},
			},
			{
				...DEMO_CREDENTIALS.jwt,
				data: {
					...signIn,
					clientId: org.externalClientApp.clientId,
					username: org.admin.username,
					privateKey: appKeys.privateKey,
					accessMode: 'readWrite',
				},
			},
		];
		await n8n.importCredentials(credentials);
		const examples = loadExamples();
		if (examples.length) await n8n.importWorkflows(examples);

		const port = await portOr(options.n8nPort);
		progress(`starting n8n ${n8n.install.version} on port ${port}…`);
		server = await n8n.startServer({ port, owner: DEFAULT_OWNER, timeoutMs: 180_000 });

		const url = `http://localhost:${port}`;
		const banner = readyBanner(org, n8n.install.version, url, credentials, examples);
		return { org, n8n, server, url, credentials, examples, banner, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The ready banner: where to open n8n, how to sign in, the tour, the org and its credentials. */
function readyBanner(
	org: FakeOrg,
	version: string,
	url: string,
	credentials: CredentialDefinition[],
	examples: WorkflowDefinition[],
): string[] {
	const tour = examples.find((w) => w.name === TOUR_WORKFLOW);
	const lifecycle = examples.find((w) => w.name === LIFECYCLE_WORKFLOW);
	return [
		'',
		'  ──────────────────────────────────────────────────────────────────────────────',
		`  n8n ${version} is running with n8n-nodes-salesforce-admin installed.`,
		'',
		`  1. Open      ${url}`,
		`  2. Sign in   ${DEFAULT_OWNER.email}  /  ${DEFAULT_OWNER.password}`,
		...(tour ? tourSteps(tour.name, lifecycle?.name, idlePaidUsers(org)) : []),
		...(examples.length
			? []
			: ['  Workflows: none found in examples/ — create one and add the "Salesforce Admin" node.']),
		'',
		`  Demo org    ${org.store.orgName}, ${org.url}`,
		`              ${describeOrg(org)}`,
		`  Credentials ${credentials.map((c) => `"${c.name}"`).join(',\n              ')}`,
		`  Salesforce sign-in (OAuth2 "Connect my account"): ${org.admin.username}  /  ${org.admin.password}`,
		...(examples.length ? [`  Workflows   ${examples.map((w) => `"${w.name}"`).join(', ')}`] : []),
		'',
		'  Ctrl-C stops n8n and the demo org.',
		'  ──────────────────────────────────────────────────────────────────────────────',
		'',
	];
}

export async function main(): Promise<void> {
	let demo: Demo | undefined;
	let stopping = false;
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the demo org…');
		await demo?.stop();
		log('stopped.');
		process.exit(code);
	};
	// `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and forwarded by
	// npm), and a second SIGINT without a handler would kill it mid-stop, leaving n8n running;
	// stop() ignores repeats and ends within 15 s (n8n gets SIGKILL after that)
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGHUP', () => void stop(0));
	// `npm run demo` execs this process, so a signal to npm's PID reaches it; if whoever started
	// it goes away without a signal (killed outright), stop too rather than leave n8n running.
	const parent = process.ppid;
	const orphanWatch = setInterval(() => {
		if (process.ppid !== parent) void stop(0);
	}, 2000);
	orphanWatch.unref();

	try {
		demo = await startDemo({
			major: process.env.DEMO_N8N === '2' ? 2 : 1,
			users: process.env.DEMO_USERS ? Number(process.env.DEMO_USERS) : undefined,
			orgPort: Number(process.env.DEMO_ORG_PORT ?? 8787),
			n8nPort: Number(process.env.DEMO_N8N_PORT ?? 5678),
			root: DEMO_ROOT,
			keep: Boolean(process.env.DEMO_KEEP),
			log,
		});
		if (stopping) await demo.stop();
		else process.stdout.write(demo.banner.join('\n'));
	} catch (error) {
		process.stderr.write(`[demo] failed: ${(error as Error).stack ?? String(error)}\n`);
		await stop(1);
	}
}

if (require.main === module) void main();
