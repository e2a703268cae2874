#!/usr/bin/env node
/*
 * `npm run lint:n8n`: the source half of `npm run scan` on the ESLint command line (so `--fix`
 * and other ESLint options work): n8n's verification scanner's own config
 * (lint/eslint.config.mjs) over the files it lints in the source, package.json and
 * {nodes,credentials}/**\/*.{js,ts,json}, inline disable comments ignored as the scanner ignores
 * them. No exceptions: what fails here fails n8n's verification.
 */
'use strict';

const { spawnSync } = require('child_process');
const path = require('path');

const { ROOT, LINT, ensureLintTools, scannerEnv } = require('./lint-tools');

ensureLintTools();
const res = spawnSync(
	path.join(LINT, 'node_modules', '.bin', 'eslint'),
	[
		'-c',
		'lint/eslint.config.mjs',
		'--no-inline-config',
		'package.json',
		'nodes/**/*.{js,ts,json}',
		'credentials/**/*.{js,ts,json}',
		...process.argv.slice(2),
	],
	{ cwd: ROOT, stdio: 'inherit', env: scannerEnv() },
);
process.exit(res.status ?? 1);
