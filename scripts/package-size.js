#!/usr/bin/env node
/*
 * Measures what a user installs: packs the package (build first), installs the tarball into an
 * empty folder the way n8n installs a community package (peer dependencies left out: n8n
 * provides n8n-workflow), and prints the tarball size, the installed size and the number of
 * packages installed. Fails when the package declares runtime dependencies, when the install
 * brings more than the package itself, or when it is over the size budget.
 *
 * Usage: node scripts/package-size.js [--json]     (expects a fresh `npm run build`)
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const MAX_INSTALLED_BYTES = 3 * 1024 * 1024;

function folderSize(dir) {
	let total = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		total += entry.isDirectory() ? folderSize(full) : fs.statSync(full).size;
	}
	return total;
}

function installedPackages(nodeModules) {
	const names = [];
	for (const entry of fs.readdirSync(nodeModules)) {
		if (entry.startsWith('.')) continue;
		if (entry.startsWith('@'))
			names.push(...fs.readdirSync(path.join(nodeModules, entry)).map((n) => `${entry}/${n}`));
		else names.push(entry);
	}
	return names;
}

function main() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const problems = [];
	if (Object.keys(pkg.dependencies ?? {}).length > 0)
		problems.push(
			`package.json has runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`,
		);

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sfadmin-size-'));
	try {
		const packed = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
				cwd: ROOT,
				encoding: 'utf8',
			}),
		)[0];
		const tarball = path.join(work, packed.filename);
		const target = path.join(work, 'install');
		fs.mkdirSync(target);
		fs.writeFileSync(path.join(target, 'package.json'), '{"name":"size-check","private":true}\n');
		execFileSync(
			'npm',
			[
				'install',
				tarball,
				'--omit=peer',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				'--loglevel=error',
			],
			{ cwd: target, stdio: 'inherit' },
		);
		const nodeModules = path.join(target, 'node_modules');
		const packages = installedPackages(nodeModules);
		const installed = folderSize(nodeModules);
		const report = {
			tarballBytes: fs.statSync(tarball).size,
			files: packed.entryCount,
			installedBytes: installed,
			packages: packages.length,
			packageNames: packages,
		};
		if (packages.length !== 1)
			problems.push(
				`installing the tarball brings ${packages.length} packages: ${packages.join(', ')}`,
			);
		if (installed > MAX_INSTALLED_BYTES)
			problems.push(
				`installed size ${installed} bytes is over the ${MAX_INSTALLED_BYTES}-byte budget`,
			);
		if (process.argv.includes('--json')) console.log(JSON.stringify(report));
		else {
			console.log(
				`tarball:   ${(report.tarballBytes / 1024).toFixed(0)} KB (${report.files} files)`,
			);
			console.log(
				`installed: ${(report.installedBytes / 1024).toFixed(0)} KB in ${report.packages} package(s): ${packages.join(', ')}`,
			);
		}
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	if (problems.length) {
		for (const p of problems) console.error(`package-size: ${p}`);
		process.exit(1);
	}
}

main();
