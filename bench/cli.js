#!/usr/bin/env node
/**
 * Entry point of `npm run bench`. No ts-node here: this transpiles the TypeScript the bench
 * needs (bench/, test/fake-org, test/helpers, nodes/, credentials/) into bench/.build with
 * TypeScript's own transpileModule (no type check: `npm run typecheck` covers bench/ too), then
 * runs the compiled orchestrator. Child processes run the same compiled files, so measured
 * processes never load a compiler.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outRoot = path.join(__dirname, '.build');
const sourceDirs = ['bench', 'nodes', 'credentials', 'test'];
const skipDirs = new Set(['node_modules', '.build', 'dist', 'coverage', 'e2e']);

function* sourceFiles(dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (!skipDirs.has(entry.name) && !entry.name.startsWith('.')) yield* sourceFiles(full);
		} else if (entry.isFile()) {
			yield full;
		}
	}
}

function transpileAll() {
	const ts = require('typescript');
	const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config ?? {};
	const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions ?? {}, root);
	const compilerOptions = {
		...options,
		sourceMap: false,
		inlineSourceMap: true,
		declaration: false,
		noEmit: false,
	};
	let written = 0;
	for (const dir of sourceDirs) {
		const abs = path.join(root, dir);
		if (!fs.existsSync(abs)) continue;
		for (const file of sourceFiles(abs)) {
			if (file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
			const rel = path.relative(root, file);
			const isTs = file.endsWith('.ts');
			if (!isTs && !/\.(json|csv|xml|txt)$/.test(file)) continue;
			const out = path.join(outRoot, isTs ? rel.replace(/\.ts$/, '.js') : rel);
			const srcStat = fs.statSync(file);
			if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcStat.mtimeMs) continue;
			fs.mkdirSync(path.dirname(out), { recursive: true });
			// Write then rename: another bench run (e.g. a parallel jest) never loads half a file.
			const temp = `${out}.${process.pid}.tmp`;
			if (isTs) {
				const result = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
					compilerOptions,
					fileName: file,
					reportDiagnostics: false,
				});
				fs.writeFileSync(temp, result.outputText);
			} else {
				fs.copyFileSync(file, temp);
			}
			fs.renameSync(temp, out);
			written++;
		}
	}
	return written;
}

const started = Date.now();
const written = transpileAll();
if (process.env.BENCH_VERBOSE) {
	process.stderr.write(`bench: transpiled ${written} file(s) in ${Date.now() - started} ms\n`);
}
require(path.join(outRoot, 'bench', 'main.js'))
	.main(process.argv.slice(2))
	.then((code) => process.exit(code ?? 0))
	.catch((error) => {
		process.stderr.write(`${error?.stack ?? error}\n`);
		process.exit(1);
	});
