#!/usr/bin/env node
/*
 * `npm run demo` entry point (plain JavaScript: the repo has no TypeScript runner).
 *
 *  1. installs n8n into e2e/ (or e2e/n8n2/ with DEMO_N8N=2) if it is not there yet;
 *  2. compiles scripts/demo.ts and what it imports (the fake org, the n8n driver) with the
 *     project's TypeScript into .demo/build/ (emitted even if a type error sneaks in elsewhere:
 *     `npm run typecheck` is the place for those);
 *  3. runs it: fake org + n8n with the packed package, credentials and example workflows.
 */
'use strict';

const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, '.demo', 'build');

function compile() {
	const ts = require('typescript');
	const parsed = ts.getParsedCommandLineOfConfigFile(
		path.join(ROOT, 'tsconfig.json'),
		{
			outDir: BUILD,
			rootDir: ROOT,
			noEmit: false,
			declaration: false,
			sourceMap: true,
			incremental: false,
			types: ['node'],
		},
		{
			...ts.sys,
			onUnRecoverableConfigFileDiagnostic: (d) =>
				console.error(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
		},
	);
	const program = ts.createProgram([path.join(ROOT, 'scripts', 'demo.ts')], parsed.options);
	const result = program.emit();
	if (result.emitSkipped) throw new Error('TypeScript emitted nothing for scripts/demo.ts');
}

async function run() {
	const major = process.env.DEMO_N8N === '2' ? 2 : 1;
	require('./e2e-install.js').install(major, false);
	compile();
	await require(path.join(BUILD, 'scripts', 'demo.js')).main();
}

if (require.main === module) {
	run().catch((error) => {
		console.error(`[demo] ${error && error.stack ? error.stack : error}`);
		process.exit(1);
	});
}
