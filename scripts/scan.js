#!/usr/bin/env node
/*
 * `npm run scan`: n8n's verification scanner (@n8n/scan-community-package, pinned in lint/) on
 * this package, offline. The scanner itself downloads the published tarball and the source
 * commit its npm provenance names, then lints both; here the same analysis runs on the tarball
 * `npm pack` makes (unpacked to a temp folder, as the scanner unpacks it) and on this checkout:
 *
 *   tarball: every `.js` file and package.json                         (the scanner's globs)
 *   source:  package.json and {nodes,credentials}/**\/*.{js,ts,json}   (its SOURCE_FILE_PATTERNS)
 *
 * with the scanner's own ESLint, its own config (`buildScanConfig()`) and its options, inline
 * disable comments ignored. Its exported `analyzePackage()` gives the verdict; the findings are
 * listed from the same config, and the two must agree (same pass/fail, same error count), so
 * a scanner upgrade that lints differently stops this script instead of passing unnoticed.
 * Before that, a self-check plants violations in a temp package and fails unless the scan
 * reports them.
 *
 * Prints each finding (file:line:column severity rule message) and exits 1 on any finding.
 *
 * Usage: node scripts/scan.js [--no-build] [--tarball | --source [--dir <folder>]] [--self-check]
 *   --no-build    pack dist/ as it is (CI has just built it); otherwise `npm run build` first
 *   --tarball     only the packed tarball;  --source  only the source
 *   --dir         the source to scan, instead of this checkout (the tests scan planted files)
 *   --self-check  only the self-check
 */
'use strict';

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const { createRequire } = require('module');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const { ROOT, SCANNER_MODULE, ensureLintTools } = require('./lint-tools');

// as n8n's scanner runs: eslint-plugin-n8n-nodes-base lints differently under NODE_ENV=test
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

/**
 * What the scanner lints in the tarball (analyzePackageByName: compiled `.js` and the published
 * package.json; not exported, so repeated here).
 */
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

async function loadScanner() {
	ensureLintTools();
	const requireFromScanner = createRequire(SCANNER_MODULE);
	// the scanner makes a download folder when loaded (unused here): removed on exit
	requireFromScanner('tmp').setGracefulCleanup();
	const scanner = await import(pathToFileURL(SCANNER_MODULE).href);
	// the ESLint and glob the scanner itself imports
	return {
		scanner,
		ESLint: requireFromScanner('eslint').ESLint,
		glob: requireFromScanner('fast-glob'),
	};
}

/** Every finding of the scanner's config on `dir`, linted as analyzePackage() lints it. */
async function lintFindings({ scanner, ESLint, glob }, dir, patterns) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	if (files.length === 0) throw new Error(`nothing to scan in ${dir} (${patterns.join(', ')})`);
	const results = await eslint.lintFiles(files);
	return results.flatMap((result) =>
		result.messages.map((m) => ({
			file: path.relative(dir, result.filePath),
			line: m.line ?? 0,
			column: m.column ?? 0,
			severity: m.severity === 2 ? 'error' : 'warning',
			rule: m.ruleId ?? '(parse error)',
			message: m.message,
		})),
	);
}

/** The findings, checked against the verdict of the scanner's own analyzePackage(). */
async function analyse(tools, dir, patterns) {
	const findings = await lintFindings(tools, dir, patterns);
	const verdict = await tools.scanner.analyzePackage(dir, patterns);
	const errors = findings.filter((f) => f.severity === 'error').length;
	const counted = /✖ \d+ problems? \((\d+) errors?/.exec(verdict.details ?? '');
	const verdictErrors = verdict.passed ? 0 : counted ? Number(counted[1]) : NaN;
	if (verdict.error || verdictErrors !== errors)
		throw new Error(
			`the scanner's analyzePackage(${dir}) says ${verdict.passed ? 'passed' : `failed: ${verdict.message}`}` +
				` (${verdictErrors} errors), this script counted ${errors} errors: they must agree` +
				(verdict.error ? `\n${verdict.error.stack}` : ''),
		);
	return findings;
}

function printFindings(label, findings) {
	for (const f of findings)
		console.log(`${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.message}`);
	const count = (severity) => findings.filter((f) => f.severity === severity).length;
	console.log(`${label}: ${count('error')} errors, ${count('warning')} warnings`);
	for (const [key, n] of tally(findings, (f) => f.rule))
		console.log(`  ${String(n).padStart(4)}  ${key}`);
	if (findings.length)
		for (const [key, n] of tally(findings, (f) => path.dirname(f.file)))
			console.log(`  ${String(n).padStart(4)}  in ${key}/`);
}

function tally(items, keyOf) {
	const counts = new Map();
	for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Proves the scan catches what it is for: a temp package (this package.json) with a source file
 * that imports zlib and calls setTimeout under a disable comment, and a compiled file that uses
 * console and process. Throws unless every planted violation is reported.
 */
async function selfCheck(tools) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfadmin-scan-check-'));
	try {
		fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
		fs.mkdirSync(path.join(dir, 'nodes', 'Probe'), { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'nodes', 'Probe', 'probe.ts'),
			"import { gunzipSync } from 'zlib';\n" +
				'// eslint-disable-next-line\n' +
				'export const later = () => setTimeout(() => gunzipSync(new Uint8Array(0)), 1);\n',
		);
		fs.mkdirSync(path.join(dir, 'dist'));
		fs.writeFileSync(
			path.join(dir, 'dist', 'probe.js'),
			"'use strict';\nconsole.log(process.env.HOME);\n",
		);
		const planted = [
			[tools.scanner.SOURCE_FILE_PATTERNS, 'nodes/Probe/probe.ts', 'no-restricted-imports'],
			[tools.scanner.SOURCE_FILE_PATTERNS, 'nodes/Probe/probe.ts', 'no-restricted-globals'],
			[TARBALL_PATTERNS, 'dist/probe.js', 'no-console'],
			[TARBALL_PATTERNS, 'dist/probe.js', 'no-restricted-globals'],
		];
		const missed = [];
		for (const patterns of [tools.scanner.SOURCE_FILE_PATTERNS, TARBALL_PATTERNS]) {
			const findings = await analyse(tools, dir, patterns);
			for (const [p, file, rule] of planted)
				if (p === patterns && !findings.some((f) => f.file === file && f.rule.endsWith(rule)))
					missed.push(`${rule} in ${file}`);
		}
		if (missed.length) throw new Error(`self-check: the scan did not report ${missed.join(', ')}`);
		console.log('self-check: the scan reports planted violations (disable comments ignored)');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** `npm pack` into a temp folder, unpacked as the scanner unpacks a downloaded tarball. */
function packAndUnpack(work) {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	const dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', packed.filename, '-C', dir, '--strip-components=1'], { cwd: work });
	return { dir, name: `${packed.filename} (${packed.entryCount} files)` };
}

async function main() {
	const argv = process.argv.slice(2);
	const args = new Set(argv);
	const sourceDir = args.has('--dir') ? path.resolve(argv[argv.indexOf('--dir') + 1]) : ROOT;
	const only = args.has('--tarball') ? 'tarball' : args.has('--source') ? 'source' : undefined;
	const tools = await loadScanner();
	await selfCheck(tools);
	if (args.has('--self-check')) return 0;

	let total = 0;
	if (only !== 'source') {
		if (!args.has('--no-build')) {
			const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
			if (built.status !== 0) return built.status ?? 1;
		}
		const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sfadmin-scan-'));
		try {
			const tarball = packAndUnpack(work);
			const findings = await analyse(tools, tarball.dir, TARBALL_PATTERNS);
			printFindings(`tarball ${tarball.name}`, findings);
			total += findings.length;
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
	}
	if (only !== 'tarball') {
		const findings = await analyse(tools, sourceDir, tools.scanner.SOURCE_FILE_PATTERNS);
		printFindings('source', findings);
		total += findings.length;
	}
	console.log(
		total
			? `n8n's scanner: ${total} findings. n8n verifies only a package without any.`
			: "n8n's scanner: no findings",
	);
	return total ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(2);
	},
);
