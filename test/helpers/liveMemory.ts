/**
 * Live memory: what a process holds after a full garbage collection (V8 heap plus Buffers),
 * not the garbage it has not collected yet. Garbage depends on when V8 chooses to collect, which
 * a busy machine changes; live memory does not, so limits on it catch a leak without flaking.
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

export interface LiveMemory {
	/** heapUsed + external + arrayBuffers after a full GC, in bytes. */
	live: number;
	heapUsed: number;
	external: number;
	rss: number;
}

let gc: (() => void) | undefined;

/** The process's gc(), exposed on demand when node was not started with --expose-gc. */
export function fullGc(): void {
	if (!gc) {
		const exposed = (globalThis as { gc?: () => void }).gc;
		if (exposed) gc = exposed;
		else {
			setFlagsFromString('--expose-gc');
			gc = runInNewContext('gc') as () => void;
		}
	}
	gc();
}

export function liveMemory(): LiveMemory {
	fullGc();
	const usage = process.memoryUsage();
	// arrayBuffers is part of external: counted once
	return {
		live: usage.heapUsed + usage.external,
		heapUsed: usage.heapUsed,
		external: usage.external,
		rss: usage.rss,
	};
}

/** Keeps the largest of the samples taken; each sample forces a full GC first. */
export class PeakLiveMemory {
	readonly base = liveMemory();
	peak: LiveMemory = this.base;
	samples = 0;
	peakRss = this.base.rss;

	sample(): void {
		const now = liveMemory();
		this.samples++;
		if (now.live > this.peak.live) this.peak = now;
		this.peakRss = Math.max(this.peakRss, now.rss);
	}

	/** Growth of live memory at its peak over the start, in bytes. */
	get growth(): number {
		return this.peak.live - this.base.live;
	}
}
