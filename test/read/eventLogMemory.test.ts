/**
 * End to end through n8n-core and HTTP: Get events in per-user mode over a large generated
 * Event Log File holds a bounded live memory. The node runs in a child process of its own
 * (eventLogMemory.child.ts) that samples its live memory (heap and Buffers after a forced full
 * GC) while it runs; this process serves the fake org. Garbage, which a loaded machine leaves
 * lying longer, is not measured, so the limit can be tight: the 64 MB file held whole, as
 * text or as a Buffer, would be 64 MB or more of live memory on its own.
 */
import { spawn } from 'child_process';
import { join } from 'path';

import type { FakeOrg } from '../fake-org';
import type { MemoryJob, MemoryReport } from './eventLogMemory.child';
import { REPORT_PREFIX } from './eventLogMemory.child';
import { startOrg } from './setup';

const MB = 1024 * 1024;
const FILE_BYTES = 64 * MB;
/** Live memory a streaming run may add: parser state, a few chunks in flight, the summaries. */
const GROWTH_LIMIT = 24 * MB;

let org: FakeOrg;
/** Rows of the large file the org has served (LF count minus the header; no edge-case values). */
let rowsServed = 0;

beforeAll(async () => {
	org = await startOrg({ users: 120, loginHistory: 1 });
	org.controls.gzipLevel = false; // the org's CPU on generating, not compressing
	const userIds = org.store.users.slice(0, 100).map((u) => u.Id);
	const logDate = new Date(Date.now() - 86_400_000);
	org.store.addEventLogFile({
		EventType: 'URI',
		LogDate: logDate,
		targetBytes: 1 * MB,
		userIds,
		seed: 7,
	});
	const large = org.store.addEventLogFile({
		EventType: 'API',
		LogDate: logDate,
		targetBytes: FILE_BYTES,
		userIds,
		seed: 8,
	});
	const source = org.store.logFileSource(large.Id)!;
	const chunks = source.chunks.bind(source);
	source.chunks = function* () {
		rowsServed = -1;
		for (const chunk of chunks()) {
			for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rowsServed++;
			yield chunk;
		}
	};
});
afterAll(async () => await org.stop());

/** Runs the child and returns its report (stderr kept for the failure message). */
async function measure(job: MemoryJob): Promise<MemoryReport & { stderr: string }> {
	const child = spawn(
		process.execPath,
		[
			'--expose-gc',
			'-r',
			join(__dirname, '../helpers/ts-require.js'),
			join(__dirname, 'eventLogMemory.child.ts'),
			JSON.stringify(job),
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
	child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
	if (!line) throw new Error(`memory child exited ${code} without a report:\n${stdout}\n${stderr}`);
	return { ...(JSON.parse(line.slice(REPORT_PREFIX.length)) as MemoryReport), stderr };
}

it('per-user summary: live memory stays far below the file size', async () => {
	const report = await measure({
		url: org.url,
		username: org.admin.username,
		password: org.admin.password,
		securityToken: org.admin.securityToken,
		warmUpEventType: 'URI',
		eventType: 'API',
		// the 64 MB file is read in about a second now: sample often enough to see it several times
		sampleMs: 100,
	});
	// shown with the test's output: the figures the limits are judged against
	console.log(
		`per-user memory, ${FILE_BYTES / MB} MB file: ${JSON.stringify({ ...report, stderr: undefined })}`,
	);
	expect(report.error).toBeUndefined();
	expect(report.users).toBeLessThanOrEqual(100);
	expect(rowsServed).toBeGreaterThan(100_000);
	expect(report.events).toBe(rowsServed);
	// enough samples spread over the run that a body held for the download would be seen
	expect(report.samples).toBeGreaterThanOrEqual(5);
	expect(report.growth).toBeLessThan(GROWTH_LIMIT);
}, 300_000);
