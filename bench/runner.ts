/**
 * Runs one Job in a fresh, measured Node process (bench/worker.ts) while the fake org keeps
 * serving from this process, and adds the org's call count for exactly that run.
 */
import { fork } from 'child_process';
import { join } from 'path';

import type { SideFigures } from './report';
import type { Job, Measurement, OrchestratorMessage, OrgAccess, WorkerMessage } from './types';

/** What the runner needs from the org: who to sign in as, and its call counter. */
export interface CountingOrg {
	access: OrgAccess;
	resetCalls(): void;
	calls(): { total: number; byKind: Record<string, number> };
}

/** A job fails rather than hangs the bench. */
const JOB_TIMEOUT_MS = 5 * 60_000;

export async function runMeasured(
	org: CountingOrg,
	task: string,
	params: Record<string, unknown>,
): Promise<SideFigures> {
	// The counter is reset once the worker has warmed up, right before it starts the measured run.
	const measurement = await runWorker({ task, params, org: org.access }, () => org.resetCalls());
	const { total, byKind } = org.calls();
	return { ...measurement, calls: total, callsByKind: byKind };
}

/**
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of every measured process into DIR (open it in
 * Chrome DevTools or speedscope); BENCH_HEAP_PROF=DIR a sampling heap profile. Both slow the
 * run down: use them to find where time or memory goes, not for the figures.
 */
function profilingArgs(task: string): string[] {
	const name = task.replace(/\W+/g, '-');
	const args: string[] = [];
	if (process.env.BENCH_CPU_PROF) {
		args.push(
			'--cpu-prof',
			`--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`,
			`--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
		);
	}
	if (process.env.BENCH_HEAP_PROF) {
		args.push(
			'--heap-prof',
			`--heap-prof-dir=${process.env.BENCH_HEAP_PROF}`,
			`--heap-prof-name=${name}-${Date.now()}.heapprofile`,
		);
	}
	return args;
}

function runWorker(job: Job, beforeGo: () => void): Promise<Measurement> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'worker.js'), [], {
			execArgv: ['--expose-gc', ...profilingArgs(job.task)],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			// n8n-core's InstanceSettings warns about ~/.n8n/config permissions on every start.
			env: { ...process.env, NODE_OPTIONS: '', N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false' },
		});
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			fn();
		};
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			settle(() => reject(new Error(`${job.task}: no answer after ${JOB_TIMEOUT_MS / 1000} s`)));
		}, JOB_TIMEOUT_MS);
		child.on('message', (message: WorkerMessage) => {
			if (message.type === 'ready') {
				beforeGo();
				child.send({ type: 'go' } satisfies OrchestratorMessage);
			} else if (message.type === 'result') settle(() => resolve(message.measurement));
			else
				settle(() =>
					reject(
						Object.assign(new Error(`${job.task}: ${message.message}`), { stack: message.stack }),
					),
				);
		});
		child.on('error', (error) => settle(() => reject(error)));
		child.on('exit', (code, signal) =>
			settle(() =>
				reject(new Error(`${job.task}: worker exited (${signal ?? code}) without a result`)),
			),
		);
		child.send({ type: 'job', job } satisfies OrchestratorMessage);
	});
}
