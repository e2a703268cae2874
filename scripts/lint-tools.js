/*
 * lint/ holds n8n's community-package scanner (@n8n/scan-community-package, with its ESLint 9 and
 * n8n's rules) under its own lockfile: it needs ESLint 9 and n8n-workflow 2, while the package
 * builds and tests against n8n-workflow 1 with ESLint 8 (`npm run lint`). `npm run lint:n8n` and
 * `npm run scan` install it on first use, and again whenever its lockfile changes.
 */
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const LINT = path.join(ROOT, 'lint');
const MARKER = path.join(LINT, 'node_modules', '.installed-lock-hash');

/** The scanner's own module: its exported analysis and the config it lints with. */
const SCANNER_MODULE = path.join(
	LINT,
	'node_modules',
	'@n8n',
	'scan-community-package',
	'scanner',
	'scanner.mjs',
);

function ensureLintTools() {
	const lockHash = crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(LINT, 'package-lock.json')))
		.digest('hex');
	if (fs.existsSync(MARKER) && fs.readFileSync(MARKER, 'utf8') === lockHash) return;
	const res = spawnSync(
		'npm',
		['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: LINT, stdio: 'inherit' },
	);
	if (res.status !== 0) process.exit(res.status ?? 1);
	fs.writeFileSync(MARKER, lockHash);
}

/**
 * The environment the scanner runs in: without NODE_ENV=test (as jest sets it), which
 * eslint-plugin-n8n-nodes-base takes for its own test run (every file a node file named
 * Test.node.ts) and then reports what n8n's scanner never does.
 */
function scannerEnv() {
	const env = { ...process.env };
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	return env;
}

module.exports = { ROOT, LINT, SCANNER_MODULE, ensureLintTools, scannerEnv };
