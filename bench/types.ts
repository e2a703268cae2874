/**
 * Messages between the bench orchestrator (bench/main.ts, which also hosts the fake org) and the
 * measured child processes (bench/worker.ts). Plain JSON: they cross an IPC channel.
 */

/** How a measured process reaches and signs in to the fake org. */
export interface OrgAccess {
	/** Login and instance URL of the fake org on 127.0.0.1. */
	url: string;
	username: string;
	password: string;
	securityToken: string;
	userId: string;
}

/** One measured run: a task name from bench/tasks, its parameters, and the org. */
export interface Job {
	task: string;
	params: Record<string, unknown>;
	org: OrgAccess;
}

/** What a task returns besides the timings the worker takes itself. */
export interface TaskOutcome {
	/** Output items (ours) or records (baselines) produced. */
	items: number;
	/** Bytes of CSV processed (event log cases), for MB/s. */
	bytes?: number;
	/** Anything worth showing next to the figures (e.g. SOQL sent, result breakdown). */
	detail?: Record<string, unknown>;
}

/** A task's result: the outcome, plus what it produced, held until the worker has weighed it. */
export interface TaskResult extends TaskOutcome {
	/** The task's output (e.g. the node's items); the worker measures the heap it keeps alive. */
	retain?: unknown;
	/** Facts about the output for the checks, worked out after the clock has stopped. */
	describe?: () => Record<string, unknown>;
}

/** What the worker measured about one job, sent back to the orchestrator. */
export interface Measurement extends TaskOutcome {
	wallMs: number;
	/** CPU time of the measured process during the task (user + system). */
	cpuMs: number;
	/** Peak resident set size of the whole process (VmHWM / maxRSS), in MB. */
	peakRssMb: number;
	/** Resident set size once modules are loaded and warmed up, just before the run starts, in MB. */
	startRssMb: number;
	/** Highest V8 heapUsed seen by a 25 ms sampler during the task, in MB. */
	peakHeapMb: number;
	/** heapUsed after a full GC just before the task, in MB. */
	startHeapMb: number;
	/** heapUsed after a full GC with the task's output still referenced, minus startHeapMb. */
	retainedHeapMb: number;
	mbPerSec?: number;
}

/** Orchestrator -> worker: the job, then "go" once the org's call counter is reset. */
export type OrchestratorMessage = { type: 'job'; job: Job } | { type: 'go' };

/** Worker -> orchestrator: "ready" after loading and warming up, then the result. */
export type WorkerMessage =
	| { type: 'ready' }
	| { type: 'result'; measurement: Measurement }
	| { type: 'error'; message: string; stack?: string };
