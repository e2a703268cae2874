#!/usr/bin/env node
/*
 * `npm run lint:n8n`: n8n's current community-package lint rules (@n8n/eslint-plugin-community-nodes,
 * strict `recommended` config, ESLint 9) over nodes/, credentials/ and package.json. They live in
 * lint/ with their own lockfile because they need ESLint 9 and n8n-workflow 2, while the package
 * builds and tests against n8n-workflow 1 with ESLint 8 (`npm run lint`). Installs lint/ on first
 * use (and again when its lockfile changes).
 */
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const LINT = path.join(ROOT, 'lint');
const MARKER = path.join(LINT, 'node_modules', '.installed-lock-hash');

function run(cmd, args, cwd) {
	const res = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
	if (res.status !== 0) process.exit(res.status ?? 1);
}

const lockHash = crypto
	.createHash('sha256')
	.update(fs.readFileSync(path.join(LINT, 'package-lock.json')))
	.digest('hex');
if (!fs.existsSync(MARKER) || fs.readFileSync(MARKER, 'utf8') !== lockHash) {
	run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], LINT);
	fs.writeFileSync(MARKER, lockHash);
}
run(
	path.join(LINT, 'node_modules', '.bin', 'eslint'),
	[
		'-c',
		'lint/eslint.config.mjs',
		'nodes',
		'credentials',
		'package.json',
		...process.argv.slice(2),
	],
	ROOT,
);
