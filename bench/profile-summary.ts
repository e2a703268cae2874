/**
 * `node bench/.build/bench/profile-summary.js FILE.cpuprofile [N]`: where a measured process
 * spent its CPU time, by self time per function and per package/file. For profiles written with
 * BENCH_CPU_PROF=DIR (see runner.ts).
 */
import { readFileSync } from 'fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Where a script lives, shortened: the npm package, or the path inside this repository. */
export function origin(url: string): string {
	if (!url) return '(native)';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	const build = url.indexOf('/.build/');
	if (build >= 0) return url.slice(build + '/.build/'.length);
	if (url.startsWith('node:')) return url;
	return url.replace(/^file:\/\//, '');
}

export function summarize(profile: CpuProfile, top = 25): string {
	const selfUs = new Map<number, number>();
	profile.samples.forEach((id, i) =>
		selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
	);
	const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
	const byFunction = new Map<string, number>();
	const byOrigin = new Map<string, number>();
	for (const node of profile.nodes) {
		const us = selfUs.get(node.id) ?? 0;
		if (!us) continue;
		const where = origin(node.callFrame.url);
		const fn = `${node.callFrame.functionName || '(anonymous)'}  ${where}:${node.callFrame.lineNumber + 1}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
		byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
	}
	const table = (title: string, map: Map<string, number>) =>
		[
			title,
			...[...map.entries()]
				.sort((a, b) => b[1] - a[1])
				.slice(0, top)
				.map(
					([name, us]) =>
						`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
				),
		].join('\n');
	return [
		`total ${(total / 1000).toFixed(0)} ms sampled`,
		table('self time by package / file:', byOrigin),
		table('self time by function:', byFunction),
	].join('\n\n');
}

if (require.main === module) {
	const [file, top] = process.argv.slice(2);
	if (!file) {
		process.stderr.write(
			'usage: node bench/.build/bench/profile-summary.js FILE.cpuprofile [TOP]\n',
		);
		process.exit(2);
	}
	process.stdout.write(
		`${summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top) || 25)}\n`,
	);
}
