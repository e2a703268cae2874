/*
 * lint/ holds the package's ESLint 9 with n8n's community-package scanner
 * (@n8n/scan-community-package, which brings ESLint 9, n8n's rules and n8n-workflow 2) under its
 * own lockfile, apart from the package, which builds and tests against n8n-workflow 1.
 * `npm run lint` (lint/eslint.config.mjs: the scanner's config, the layer rules and the known
 * exceptions), `npm run lint:n8n` (lint/scanner.config.mjs, the scanner's config alone) and
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
		// npm's output on stderr: stdout is the lint's (a JSON formatter's, the tests' results)
		{ cwd: LINT, stdio: ['ignore', process.stderr, 'inherit'] },
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

/**
 * ESLint (lint/'s) with `config` over what n8n's scanner lints in the source: package.json and
 * {nodes,credentials}/**\/*.{js,ts,json}, inline disable comments ignored as the scanner ignores
 * them. Extra arguments (`--fix`, a formatter) go to ESLint. Exits with ESLint's status.
 */
function runEslint(config, extraArgs) {
	ensureLintTools();
	const res = spawnSync(
		path.join(LINT, 'node_modules', '.bin', 'eslint'),
		[
			'-c',
			config,
			'--no-inline-config',
			'package.json',
			'nodes/**/*.{js,ts,json}',
			'credentials/**/*.{js,ts,json}',
			...extraArgs,
		],
		{ cwd: ROOT, stdio: 'inherit', env: scannerEnv() },
	);
	process.exit(res.status ?? 1);
}

module.exports = { ROOT, LINT, SCANNER_MODULE, ensureLintTools, scannerEnv, runEslint };
