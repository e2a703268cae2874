#!/usr/bin/env node
/*
 * `npm run test:queue`: the package on n8n's queue mode (test/e2e/queue-mode.queue.test.ts).
 *
 * 1. Redis and PostgreSQL: the test starts its own (a private cluster in a temp dir, free loopback
 *    ports) from Debian's `redis-server` and `postgresql` packages. When one is missing and we are
 *    root, it is installed with apt-get (with a log line saying so); otherwise this script says
 *    which command to run and stops.
 * 2. n8n 1.x in e2e/ and 2.x in e2e/n8n2/ (scripts/e2e-install.js; a no-op when installed), or
 *    only the majors E2E_N8N names ("1", "2"; the suite runs on those).
 * 3. jest -c test/e2e/jest.queue.config.js (build, pack, install the tarball, run).
 *
 * Plain JavaScript: it runs before anything is built.
 */
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function log(message) {
	process.stdout.write(`[test:queue] ${message}\n`);
}

function has(cmd) {
	return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

function run(cmd, args, env) {
	const started = Date.now();
	const res = spawnSync(cmd, args, {
		stdio: 'inherit',
		cwd: ROOT,
		env: { ...process.env, ...env },
	});
	if (res.status !== 0) {
		log(
			`${cmd} ${args.join(' ')} failed (exit ${res.status}) after ${Math.round((Date.now() - started) / 1000)} s`,
		);
		process.exit(res.status ?? 1);
	}
	return Date.now() - started;
}

const missing = [];
if (!has('redis-server')) missing.push('redis-server');
if (!postgresBin() && !process.env.PG_BIN) missing.push('postgresql');
if (missing.length > 0) {
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot) {
		log(
			`missing: ${missing.join(', ')}. Install them (as root): apt-get update && apt-get install -y ${missing.join(' ')}`,
		);
		process.exit(1);
	}
	log(
		`installing ${missing.join(', ')} with apt-get (Debian packages; needed by the queue-mode test)`,
	);
	const ms =
		run('apt-get', ['update', '-q', '-o', 'DPkg::Lock::Timeout=600']) +
		// Waits for another apt-get to finish (shared machines, CI images). No service is started:
		// the test runs its own private Redis and PostgreSQL.
		run(
			'apt-get',
			[
				'install',
				'-y',
				'-q',
				'--no-install-recommends',
				'-o',
				'DPkg::Lock::Timeout=600',
				...missing,
			],
			{ DEBIAN_FRONTEND: 'noninteractive' },
		);
	log(`installed ${missing.join(', ')} in ${Math.round(ms / 1000)} s`);
}
log(
	`redis-server: ${spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
);
log(`PostgreSQL: ${process.env.PG_BIN ?? postgresBin()}`);

const majors = (process.env.E2E_N8N ?? '1,2').split(/[\s,]+/).filter((m) => m === '1' || m === '2');
run(process.execPath, [
	path.join(ROOT, 'scripts', 'e2e-install.js'),
	...(majors.length ? majors : ['1', '2']),
]);
const ms = run(process.execPath, [
	require.resolve('jest/bin/jest', { paths: [ROOT] }),
	'-c',
	'test/e2e/jest.queue.config.js',
	...process.argv.slice(2),
]);
log(`queue-mode suite passed in ${Math.round(ms / 1000)} s`);
