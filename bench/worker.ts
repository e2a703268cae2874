/**
 * A measured child process: receives one Job over IPC, loads only the module its task needs
 * (so a raw-jsforce baseline never pays for n8n-core's memory), runs it once, and reports wall
 * time, CPU time and memory. Started by bench/main.ts with --expose-gc.
 */
import type { Job, Measurement, TaskResult, WorkerMessage } from './types';
import { collectGarbage, cpuMs, heapUsedMb, peakRssMb, startHeapSampler, toMb } from './measure';

export type Task = (job: Job) => Promise<TaskResult>;

/** Keeps a task's output reachable while the worker weighs it. */
export const held: { value?: unknown } = {};

/** Task names are "<module>.<task>", modules live in bench/tasks/. */
function loadTask(name: string): Task {
	const [moduleName, taskName] = name.split('.');
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const tasks = require(`./tasks/${moduleName}`).tasks as Record<string, Task>;
	const task = tasks?.[taskName];
	if (!task) throw new Error(`bench: no task "${name}"`);
	return task;
}

async function measure(job: Job): Promise<Measurement> {
	const task = loadTask(job.task);
	collectGarbage();
	const startHeapMb = heapUsedMb();
	const startRssMb = toMb(process.memoryUsage.rss());
	const sampler = startHeapSampler();
	const cpu0 = cpuMs();
	const t0 = performance.now();

	const result = await task(job);

	const wallMs = performance.now() - t0;
	const cpu = cpuMs() - cpu0;
	const peakHeapMb = sampler.stop();
	const { retain, ...outcome } = result;
	held.value = retain;
	collectGarbage();
	const retainedHeapMb = Math.max(0, heapUsedMb() - startHeapMb);
	held.value = undefined;

	return {
		...outcome,
		wallMs,
		cpuMs: cpu,
		peakRssMb: peakRssMb(),
		startRssMb,
		peakHeapMb,
		startHeapMb,
		retainedHeapMb,
		...(outcome.bytes !== undefined ? { mbPerSec: toMb(outcome.bytes) / (wallMs / 1000) } : {}),
	};
}

function send(message: WorkerMessage): Promise<void> {
	return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.once('message', (job: Job) => {
	measure(job)
		.then((measurement) => send({ type: 'result', measurement }))
		.catch((error: Error) => send({ type: 'error', message: error?.message ?? String(error), stack: error?.stack }))
		.finally(() => process.exit(0));
});
