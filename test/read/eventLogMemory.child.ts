/**
 * Child process of eventLogMemory.test.ts: runs Get events (one summary per user) through
 * n8n-core against the fake org the parent serves, and prints what it measured as one JSON line
 * (prefixed with MEMORY_REPORT). A process of its own, so neither jest nor the org's own
 * garbage is in the figures.
 */
import type { IDataObject } from 'n8n-workflow';

import { PeakLiveMemory } from '../helpers/liveMemory';
import { runNode } from '../helpers/run-node';

export interface MemoryJob {
	url: string;
	username: string;
	password: string;
	securityToken: string;
	warmUpEventType: string;
	eventType: string;
	sampleMs: number;
}

export interface MemoryReport {
	error?: string;
	users: number;
	events: number;
	/** Live memory (heap + Buffers after a full GC) at its peak, over the start, in bytes. */
	growth: number;
	base: number;
	peak: number;
	/** Peak RSS over the start (sampled after each GC), in bytes: reported, not judged. */
	rssGrowth: number;
	samples: number;
	ms: number;
}

export const REPORT_PREFIX = 'MEMORY_REPORT ';

async function perUser(job: MemoryJob, eventType: string) {
	const result = await runNode({
		resource: 'eventLog',
		operation: 'getEvents',
		parameters: { output: 'perUser', returnAll: true, filters: { eventTypes: [eventType] } },
		credentials: {
			type: 'salesforceAdminPasswordApi',
			data: {
				environment: 'myDomain',
				myDomainUrl: job.url,
				username: job.username,
				password: job.password,
				securityToken: job.securityToken,
				accessMode: 'readOnly',
			},
		},
	});
	if (result.error) throw new Error(result.error.message);
	return result.items.map((item) => item.json as IDataObject);
}

async function main(): Promise<MemoryReport> {
	const job = JSON.parse(process.argv[2]) as MemoryJob;
	// Loads n8n-core, jsforce and the parser and warms the JIT: the measure sees only the run.
	await perUser(job, job.warmUpEventType);
	const memory = new PeakLiveMemory();
	const timer = setInterval(() => memory.sample(), job.sampleMs);
	const started = Date.now();
	try {
		const summaries = await perUser(job, job.eventType);
		return {
			users: summaries.length,
			events: summaries.reduce((sum, s) => sum + Number(s.eventCount), 0),
			growth: memory.growth,
			base: memory.base.live,
			peak: memory.peak.live,
			rssGrowth: memory.peakRss - memory.base.rss,
			samples: memory.samples,
			ms: Date.now() - started,
		};
	} finally {
		clearInterval(timer);
	}
}

// only when run as the child (the test imports this file for its types and prefix)
if (require.main === module) {
	main().then(
		(report) => {
			process.stdout.write(`\n${REPORT_PREFIX}${JSON.stringify(report)}\n`);
			process.exit(0);
		},
		(error: Error) => {
			process.stdout.write(
				`\n${REPORT_PREFIX}${JSON.stringify({ error: error.stack ?? String(error) })}\n`,
			);
			process.exit(1);
		},
	);
}
