/**
 * `npm run scan` must fail on what n8n's scanner refuses, so that it cannot pass silently: a
 * source with a restricted global and a restricted import (under a disable comment, which the
 * scanner ignores) fails the scan with the file, line and rule printed.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');

function scan(...args: string[]) {
	return spawnSync(process.execPath, [path.join(ROOT, 'scripts/scan.js'), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
	});
}

describe('npm run scan', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-test-'));
		fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
		fs.mkdirSync(path.join(dir, 'nodes/Probe'), { recursive: true });
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('fails on a setTimeout and a zlib import, disable comments or not, naming file, line and rule', () => {
		fs.writeFileSync(
			path.join(dir, 'nodes/Probe/wait.ts'),
			[
				"import { gzipSync } from 'zlib';",
				'/* eslint-disable */',
				'export const wait = () => new Promise((resolve) => setTimeout(resolve, 10));',
				'export const zip = (text: string) => gzipSync(text);',
				'',
			].join('\n'),
		);
		const res = scan('--source', '--dir', dir);
		expect(res.status).toBe(1);
		expect(res.stdout).toMatch(
			/^nodes\/Probe\/wait\.ts:1:1 {2}error {2}@n8n\/community-nodes\/no-restricted-imports {2}Import of 'zlib' is not allowed/m,
		);
		expect(res.stdout).toMatch(
			/^nodes\/Probe\/wait\.ts:3:\d+ {2}error {2}@n8n\/community-nodes\/no-restricted-globals {2}Use of restricted global 'setTimeout'/m,
		);
		expect(res.stdout).toMatch(/^source: \d+ errors/m);
	});

	it('reports nothing for the same wait written with sleep from n8n-workflow', () => {
		fs.writeFileSync(
			path.join(dir, 'nodes/Probe/wait.ts'),
			"import { sleep } from 'n8n-workflow';\nexport const wait = async () => await sleep(10);\n",
		);
		const res = scan('--source', '--dir', dir);
		expect(res.stdout).not.toMatch(/^nodes\/Probe\//m);
	});

	it("finds nothing in this package's source outside transport/ (whose move onto n8n's request helpers is its own work)", () => {
		const res = scan('--source');
		const findings = res.stdout
			.split('\n')
			.filter((line) => /^\S+:\d+:\d+ {2}(error|warning) /.test(line));
		expect(findings.filter((line) => !line.startsWith('nodes/SalesforceAdmin/transport/'))).toEqual(
			[],
		);
	});
});
