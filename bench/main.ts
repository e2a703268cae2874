/**
 * `npm run bench [-- --quick] [-- --json PATH] [-- --only ID]`: seeds the local fake org at scale
 * in this process, runs every case (ours and its baseline, each in a fresh measured process),
 * prints one table and, with --json, writes the figures.
 */
import { writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';

import { CASES } from './cases';
import { startBenchOrg } from './org';
import type { CaseResult } from './report';
import { renderBaselines, renderTable, toJson } from './report';
import { FULL, QUICK } from './scale';

export interface BenchOptions {
	quick: boolean;
	json?: string;
	only?: string[];
}

export function parseArgs(argv: string[]): BenchOptions {
	const options: BenchOptions = { quick: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') options.quick = true;
		else if (arg === '--json') options.json = argv[++i];
		else if (arg.startsWith('--json=')) options.json = arg.slice('--json='.length);
		else if (arg === '--only') options.only = argv[++i]?.split(',');
		else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
		else throw new Error(`unknown argument ${arg}\n${USAGE}`);
	}
	if (options.json === undefined && argv.includes('--json'))
		throw new Error(`--json needs a path\n${USAGE}`);
	const unknown = options.only?.filter((id) => !CASES.some((c) => c.id.startsWith(id)));
	if (unknown?.length) throw new Error(`--only: no case ${unknown.join(', ')}\n${USAGE}`);
	return options;
}

const USAGE = `usage: npm run bench [-- --quick] [-- --json PATH] [-- --only ${CASES.map((c) => c.id).join(',')}]`;

export async function main(argv: string[]): Promise<number> {
	let options: BenchOptions;
	try {
		options = parseArgs(argv);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		return 2;
	}
	const scale = options.quick ? QUICK : FULL;
	const started = Date.now();
	const log = (message: string) =>
		process.stderr.write(
			`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`,
		);
	const cases = CASES.filter(
		(c) => !options.only || options.only.some((id) => c.id.startsWith(id)),
	);

	log(
		`seeding the fake org (${scale.name}): ${scale.users} users, ${scale.loginHistory} login history rows, event log files`,
	);
	const org = await startBenchOrg(
		scale,
		cases.map((c) => c.id),
	);
	const results: CaseResult[] = [];
	let failed = 0;
	try {
		for (const benchCase of cases) {
			try {
				results.push(...(await benchCase.run({ org, scale, log })));
			} catch (error) {
				failed++;
				log(`${benchCase.id} FAILED: ${(error as Error).stack ?? error}`);
			}
		}
	} finally {
		await org.stop();
	}

	const elapsedMs = Date.now() - started;
	const environment = {
		mode: scale.name,
		node: process.version,
		cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
		memoryGb: Math.round(totalmem() / 2 ** 30),
		elapsedMs,
	};
	process.stdout.write(
		`\nSalesforce Admin node bench (${scale.name}) on ${environment.cpu}, ${environment.memoryGb} GB, Node ${environment.node}; ${(elapsedMs / 1000).toFixed(0)} s in all\n\n`,
	);
	process.stdout.write(`${renderTable(results)}\n\n${renderBaselines(results)}\n\n`);
	for (const result of results)
		for (const note of result.notes ?? []) process.stdout.write(`  ${result.case}: ${note}\n`);

	if (options.json) {
		writeFileSync(
			options.json,
			`${JSON.stringify({ environment, cases: toJson(results) }, null, 2)}\n`,
		);
		log(`figures written to ${options.json}`);
	}
	const missed = results.flatMap((r) =>
		r.targets.filter((t) => !t.met).map((t) => `${r.case}: ${t.name}`),
	);
	if (missed.length) log(`targets missed: ${missed.length}\n  ${missed.join('\n  ')}`);
	return failed ? 1 : 0;
}
