#!/usr/bin/env node
/*
 * Lints source texts as files that do not exist, with lint/'s ESLint and a config of lint/, in a
 * process of its own (ESLint loads its flat config with import(), which jest's module system
 * does not run). Reads { config, cases: [{ code, filePath }] } as JSON on stdin and prints, for
 * each case, its messages ({ ruleId, message, line }) as JSON. Nothing is written to disk.
 */
'use strict';

const path = require('path');

const { ROOT, LINT, ensureLintTools, scannerEnv } = require('../../scripts/lint-tools');

async function main() {
	let input = '';
	for await (const chunk of process.stdin) input += chunk;
	const { config, cases } = JSON.parse(input);
	ensureLintTools();
	process.env = scannerEnv();
	const { ESLint } = require(path.join(LINT, 'node_modules', 'eslint'));
	const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: config, allowInlineConfig: false });
	const results = [];
	for (const { code, filePath } of cases) {
		const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
		results.push(result.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line })));
	}
	process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
	console.error(error);
	process.exit(2);
});
