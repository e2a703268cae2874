#!/usr/bin/env node
/*
 * Makes an e2e lockfile acceptable to `npm ci` on machines whose registry lacks some
 * platform-specific optional packages (seen: @msgpackr-extract/msgpackr-extract-darwin-*,
 * -linux-arm, -win32-x64). `npm install` skips such a missing optional package and leaves it
 * out of package-lock.json; `npm ci` then refuses the lockfile as "out of sync".
 *
 * For every optional dependency named like `<name>-<os>-<cpu>` that a locked package declares
 * but the lockfile lacks, this adds the entry a lockfile made against the full registry would
 * have (version, os, cpu, optional). npm never fetches such an entry on another platform, and
 * on this one (linux x64) nothing is ever missing.
 *
 * Usage, after changing e2e/package.json or e2e/n8n2/package.json:
 *   (cd e2e && npm install --ignore-scripts) && node scripts/e2e-lock-fix.js e2e/package-lock.json
 */
'use strict';

const fs = require('fs');

const OS = {
	darwin: 'darwin',
	linux: 'linux',
	win32: 'win32',
	freebsd: 'freebsd',
	android: 'android',
};
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64'];

function platformOf(name) {
	const m =
		/-(darwin|linux|win32|freebsd|android)-([a-z0-9]+?)(?:-(?:gnu|musl|msvc|gnueabihf))?$/.exec(
			name,
		);
	if (!m || !CPU.includes(m[2])) return undefined;
	return { os: OS[m[1]], cpu: m[2] };
}

function fix(lockPath) {
	const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
	const added = [];
	for (const [key, entry] of Object.entries(lock.packages)) {
		for (const [dep, range] of Object.entries(entry.optionalDependencies || {})) {
			const base = key ? `${key}/node_modules/${dep}` : `node_modules/${dep}`;
			const hoisted = `node_modules/${dep}`;
			if (lock.packages[base] || lock.packages[hoisted]) continue;
			const platform = platformOf(dep);
			if (!platform || !/^\d+\.\d+\.\d+$/.test(range)) continue;
			lock.packages[hoisted] = {
				version: range,
				cpu: [platform.cpu],
				license: entry.license,
				optional: true,
				os: [platform.os],
			};
			added.push(`${dep}@${range}`);
		}
	}
	// Keep npm's own ordering (sorted keys) so the next `npm install` does not reshuffle the file.
	const sorted = {};
	for (const key of Object.keys(lock.packages).sort((a, b) =>
		a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
	)) {
		sorted[key] = lock.packages[key];
	}
	lock.packages = sorted;
	fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
	console.log(`${lockPath}: added ${added.length ? added.join(', ') : 'nothing'}`);
}

for (const file of process.argv.slice(2)) fix(file);
