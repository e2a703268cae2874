/**
 * Time and memory of the current process. Each measured job runs in its own fresh Node process,
 * so the process's peak RSS (kernel's VmHWM) is the job's peak RSS plus Node's own start-up.
 */
import { readFileSync } from 'fs';
import { getHeapStatistics } from 'v8';

const MB = 1024 * 1024;

export const toMb = (bytes: number) => bytes / MB;

/** Kernel high-water mark of resident memory (Linux), falling back to resourceUsage().maxRSS. */
export function peakRssMb(): number {
	try {
		const status = readFileSync('/proc/self/status', 'utf8');
		const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
		if (match) return Number(match[1]) / 1024;
	} catch {
		// not Linux: resourceUsage below
	}
	return process.resourceUsage().maxRSS / 1024;
}

/** Full garbage collection when the process runs with --expose-gc (the worker always does). */
export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc) {
		gc();
		gc();
	}
}

export function heapUsedMb(): number {
	return toMb(getHeapStatistics().used_heap_size);
}

/** Samples heapUsed every `intervalMs` (timer unref'd) and keeps the highest value seen. */
export function startHeapSampler(intervalMs = 25): { stop(): number } {
	let peak = heapUsedMb();
	const timer = setInterval(() => {
		peak = Math.max(peak, heapUsedMb());
	}, intervalMs);
	timer.unref();
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, heapUsedMb());
		},
	};
}

/** CPU time (user + system) of this process in ms. */
export function cpuMs(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}
