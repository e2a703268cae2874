/**
 * `npm run demo`: a local Salesforce org seeded like a company, and a real n8n with this package
 * installed from its npm tarball, credentials for that org already created, and the example
 * workflows imported. Prints where to open n8n and how to sign in; Ctrl-C stops everything.
 *
 * Started by scripts/demo.js, which installs n8n (e2e/), compiles this file with the project's
 * TypeScript into .demo/build/ and runs it with plain node.
 *
 * Settings (environment):
 *   DEMO_N8N        1 (default, n8n 1.x on this Node) or 2 (n8n 2.x on the Node 24 in e2e/n8n2)
 *   DEMO_N8N_PORT   n8n's port, default 5678 (a free one if 5678 is taken)
 *   DEMO_ORG_PORT   the fake org's port, default 8787 (a free one if taken)
 *   DEMO_USERS      seeded users, default 400
 *   DEMO_KEEP=1     keep the n8n user folder under .demo/ after Ctrl-C
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { FakeOrg } from '../test/fake-org';
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

const DEMO_ROOT = path.join(REPO_ROOT, '.demo');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Stable ids, so example workflows can name these credentials directly. */
export const DEMO_CREDENTIALS = {
	readOnly: { id: 'demoOrgReadOnly1', name: 'Demo org (Read-Only)', type: 'salesforceAdminPasswordApi' },
	readWrite: { id: 'demoOrgTakeAct01', name: 'Demo org (Read/Take Action)', type: 'salesforceAdminPasswordApi' },
	oauth: { id: 'demoOrgOAuth2RO1', name: 'Demo org (OAuth2, Read-Only)', type: 'salesforceAdminOAuth2Api' },
} as const;

async function portOr(preferred: number): Promise<number> {
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

/**
 * The example workflows, with every Salesforce Admin credential reference pointed at the demo
 * org: OAuth2 references at the OAuth2 credential; username/password references at the
 * Read/Take Action credential when the example's credential name says so, else Read-Only.
 */
export function loadExamples(dir = EXAMPLES): WorkflowDefinition[] {
	if (!fs.existsSync(dir)) return [];
	const workflows: WorkflowDefinition[] = [];
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const parsed = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as WorkflowDefinition | WorkflowDefinition[];
		for (const wf of Array.isArray(parsed) ? parsed : [parsed]) {
			if (!wf || !Array.isArray(wf.nodes)) continue;
			for (const node of wf.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					if (type === 'salesforceAdminOAuth2Api') {
						node.credentials![type] = { id: DEMO_CREDENTIALS.oauth.id, name: DEMO_CREDENTIALS.oauth.name };
					} else if (type === 'salesforceAdminPasswordApi') {
						const rw = /take action|read\s*\/?\s*write|readwrite/i.test(ref?.name ?? '') || ref?.id === DEMO_CREDENTIALS.readWrite.id;
						const c = rw ? DEMO_CREDENTIALS.readWrite : DEMO_CREDENTIALS.readOnly;
						node.credentials![type] = { id: c.id, name: c.name };
					}
				}
			}
			workflows.push({ ...wf, active: false });
		}
	}
	return workflows;
}

export async function main(): Promise<void> {
	const major: N8nMajor = process.env.DEMO_N8N === '2' ? 2 : 1;
	const users = Number(process.env.DEMO_USERS ?? 400);

	log(`starting the demo Salesforce org (${users} users, login history, 7 days of event log files)…`);
	const org = await FakeOrg.start({
		port: await portOr(Number(process.env.DEMO_ORG_PORT ?? 8787)),
		orgName: 'Acme Corporation (demo)',
		seed: { users, eventLogFiles: { days: 7 }, seed: 2024 },
	});

	let n8n: N8nHarness | undefined;
	let server: N8nServer | undefined;
	let stopping = false;
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the demo org…');
		const started = Date.now();
		await server?.stop().catch(() => undefined);
		log(`n8n stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		await n8n?.dispose().catch(() => undefined);
		await org.stop().catch(() => undefined);
		log('stopped.');
		process.exit(code);
	};
	process.once('SIGINT', () => void stop(0));
	process.once('SIGTERM', () => void stop(0));

	try {
		log(`packing the package and installing it into a fresh n8n ${major}.x user folder…`);
		n8n = await N8nHarness.create({ major, name: 'demo', root: DEMO_ROOT, keep: Boolean(process.env.DEMO_KEEP) });

		const signIn = { environment: 'myDomain', myDomainUrl: org.url };
		const password = {
			...signIn,
			username: org.admin.username,
			password: org.admin.password,
			securityToken: org.admin.securityToken,
			clientId: '',
			clientSecret: '',
		};
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
		];
		await n8n.importCredentials(credentials);
		const examples = loadExamples();
		if (examples.length) await n8n.importWorkflows(examples);

		const port = await portOr(Number(process.env.DEMO_N8N_PORT ?? 5678));
		log(`starting n8n ${n8n.install.version} on port ${port}…`);
		server = await n8n.startServer({ port, owner: DEFAULT_OWNER, timeoutMs: 180_000 });

		const url = `http://localhost:${port}`;
		process.stdout.write(
			[
				'',
				'  ──────────────────────────────────────────────────────────────',
				`  n8n ${n8n.install.version} is running with n8n-nodes-salesforce-admin installed.`,
				'',
				`  Open      ${url}`,
				`  Sign in   ${DEFAULT_OWNER.email}  /  ${DEFAULT_OWNER.password}`,
				'',
				`  Demo org  ${org.url}  (${org.store.users.length} users; admin ${org.admin.username})`,
				`  Credentials: ${credentials.map((c) => `"${c.name}"`).join(', ')}`,
				examples.length
					? `  Workflows: ${examples.map((w) => `"${w.name}"`).join(', ')}`
					: '  Workflows: none found in examples/ — create one and add the "Salesforce Admin" node.',
				'',
				'  Try: open a workflow, click "Test workflow" (or "Execute workflow"), then open the',
				'  Salesforce Admin node to see its output. Credentials → "Demo org (Read-Only)" → Test',
				'  shows who the credential connects as.',
				'',
				'  Ctrl-C stops n8n and the demo org.',
				'  ──────────────────────────────────────────────────────────────',
				'',
			].join('\n'),
		);
	} catch (error) {
		process.stderr.write(`[demo] failed: ${(error as Error).stack ?? String(error)}\n`);
		await stop(1);
	}
}

if (require.main === module) void main();
