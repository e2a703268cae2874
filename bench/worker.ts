/**
 * A measured child process: receives one Job over IPC, loads only the module its task needs
 * (so a raw-jsforce baseline never pays for n8n-core's memory), warms up, waits for "go" (the
 * orchestrator resets the org's call counter in between), runs the task once, and reports wall
 * time, CPU time and memory. Started by bench/runner.ts with --expose-gc.
 */
import type { Job, Measurement, OrchestratorMessage, TaskResult, WorkerMessage } from './types';
import { collectGarbage, cpuMs, heapUsedMb, peakRssMb, startHeapSampler, toMb } from './measure';

export type Task = (job: Job) => Promise<TaskResult>;

/**
 * A task module: its tasks, and a warm-up that signs in and runs one tiny request the way its
 * tasks do, so that one-time start-up (n8n-core's instance settings, first TLS/HTTP agent, JIT
 * of the sign-in path) is not billed to the measured run. A long-running n8n is past all that.
 */
export interface TaskModule {
	tasks: Record<string, Task>;
	warmUp(job: Job): Promise<void>;
}

/** Keeps a task's output reachable while the worker weighs it. */
export const held: { value?: unknown } = {};

/** Task names are "<module>.<task>", modules live in bench/tasks/. */
function loadTask(name: string): { module: TaskModule; task: Task } {
	const [moduleName, taskName] = name.split('.');
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const module = require(`./tasks/${moduleName}`) as TaskModule;
	const task = module.tasks?.[taskName];
	if (!task) throw new Error(`bench: no task "${name}"`);
	return { module, task };
}

async function measure(job: Job, task: Task): Promise<Measurement> {
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
	const { retain, describe, ...outcome } = result;
	if (describe) outcome.detail = { ...outcome.detail, ...describe() };
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

function nextMessage(): Promise<OrchestratorMessage> {
	return new Promise((resolve) => process.once('message', resolve));
}

async function main(): Promise<void> {
	const first = await nextMessage();
	if (first.type !== 'job') throw new Error(`bench worker: expected a job, got ${first.type}`);
	const { job } = first;
	const { module, task } = loadTask(job.task);
	await module.warmUp(job);
	const go = nextMessage();
	await send({ type: 'ready' });
	await go;
	await send({ type: 'result', measurement: await measure(job, task) });
}

main()
	.catch((error: Error) =>
		send({ type: 'error', message: error?.message ?? String(error), stack: error?.stack }),
	)
	.finally(() => process.exit(0));
