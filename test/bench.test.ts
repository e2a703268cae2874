/**
 * Keeps `npm run bench` from rotting: runs its quick mode end to end (fake org, our node through
 * n8n-core, the raw baselines, each in its own process) and checks the JSON it writes and the
 * API-call targets. Timings and memory are not checked here: they depend on the machine.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

interface Side {
	calls?: number;
	wallMs: number;
	peakRssMb: number;
	mbPerSec?: number;
	items: number;
}

interface BenchCase extends Side {
	case: string;
	scale: Record<string, number>;
	baseline: Side & { label: string };
	targets: Array<{ name: string; target: string; value: string; met: boolean }>;
}

const root = join(__dirname, '..');

describe('npm run bench -- --quick', () => {
	let dir: string;
	let cases: BenchCase[];
	let output: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'bench-'));
		const jsonPath = join(dir, 'bench-results.json');
		const run = spawnSync(
			process.execPath,
			[join(root, 'bench', 'cli.js'), '--quick', '--json', jsonPath],
			{
				cwd: root,
				encoding: 'utf8',
				timeout: 170_000,
			},
		);
		output = `${run.stdout}\n${run.stderr}`;
		if (run.status !== 0)
			throw new Error(`bench --quick failed (${run.status ?? run.signal}):\n${output}`);
		cases = (JSON.parse(readFileSync(jsonPath, 'utf8')) as { cases: BenchCase[] }).cases;
	}, 180_000);

	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const byId = (id: string) => {
		const found = cases.find((c) => c.case === id);
		if (!found) throw new Error(`no case ${id} in ${cases.map((c) => c.case).join(', ')}`);
		return found;
	};

	it('prints one table with every case', () => {
		for (const title of [
			'Get users',
			'Get login history',
			'Freeze',
			'per-user summary',
			'one item per row',
		]) {
			expect(output).toContain(title);
		}
	});

	it('writes one object per case, ours at the top level and the baseline under `baseline`', () => {
		expect(cases.map((c) => c.case)).toEqual([
			'user.getMany',
			'loginHistory.getMany',
			'user.freeze',
			'user.removePackageLicenses',
			'user.offboard',
			expect.stringMatching(/^eventLog\.getEvents\.perUser\./),
			expect.stringMatching(/^eventLog\.getEvents\.perUser\./),
			'eventLog.getEvents.rows',
			'eventLog.getEvents.rows.maxRows',
			'license.getRecommendations',
		]);
		for (const c of cases) {
			for (const side of [c, c.baseline]) {
				expect(side.wallMs).toBeGreaterThan(0);
				expect(side.peakRssMb).toBeGreaterThan(0);
			}
			expect(typeof c.baseline.label).toBe('string');
			for (const target of c.targets) expect(typeof target.met).toBe('boolean');
		}
		for (const id of [
			'user.getMany',
			'loginHistory.getMany',
			'user.freeze',
			'user.removePackageLicenses',
			'user.offboard',
		]) {
			expect(byId(id).calls).toBeGreaterThan(0);
			expect(byId(id).baseline.calls).toBeGreaterThan(0);
		}
		for (const c of eventReads()) {
			expect(c.mbPerSec).toBeGreaterThan(0);
			expect(c.baseline.mbPerSec).toBeGreaterThan(0);
		}
	});

	/** The event log cases that read whole files (not the Max Rows bound, which stops early). */
	const eventReads = () =>
		cases.filter((c) => c.case.startsWith('eventLog.') && !c.case.endsWith('.maxRows'));

	it('bounds Return All in rows mode by Max Rows: fails past it, and before any download when the file is far too big', () => {
		const c = byId('eventLog.getEvents.rows.maxRows');
		expect(c.scale.maxRows).toBeLessThan(c.scale.rows);
		expect(c.items).toBe(0);
		for (const name of [/^fails past Max Rows/, /^no download when LogFileLength/])
			expect(c.targets.find((t) => name.test(t.name))?.met).toBe(true);
	});

	it('reads users and login history in pages: calls ≤ ceil(N/2000) + 2 (+ the usernames of login history)', () => {
		// package and permission set licenses: the org-wide read of each, whose rows are the
		// entitlement cases' holders seeded into the same org: 2 × (400 + 1,000) = 2,800, 2 pages
		expect(byId('user.getMany').scale.extraCalls).toBe(2 * 2);
		// 5,000 users (and the admin): the count, then 3 pages of names
		expect(byId('loginHistory.getMany').scale.extraCalls).toBe(1 + 3);
		for (const id of ['user.getMany', 'loginHistory.getMany']) {
			const c = byId(id);
			expect(c.items).toBe(c.scale.records);
			expect(c.calls).toBeLessThanOrEqual(
				Math.ceil(c.scale.records / 2000) + 2 + c.scale.extraCalls,
			);
		}
	});

	it('freezes 1,000 users in ≤ 12 calls, ≥ 80× fewer than one call per user', () => {
		const freeze = byId('user.freeze');
		expect(freeze.scale.users).toBe(1000);
		expect(freeze.calls).toBeLessThanOrEqual(12);
		expect(freeze.baseline.calls).toBe(1000);
		expect(freeze.baseline.calls! / freeze.calls!).toBeGreaterThanOrEqual(80);
		expect(freeze.targets.find((t) => t.name.includes('frozen in the org'))?.met).toBe(true);
	});

	it('removes 400 package seats in one read and 2 DELETE calls, against one DELETE per seat', () => {
		const c = byId('user.removePackageLicenses');
		expect(c.scale.users).toBe(400);
		expect(c.baseline.calls).toBe(400);
		expect(c.calls).toBeLessThanOrEqual(8);
		expect(c.targets.every((t) => t.met)).toBe(true);
	});

	it('offboards 1,000 users in at most 0.1 calls per user, every one of them done', () => {
		const c = byId('user.offboard');
		expect(c.scale.users).toBe(1000);
		expect(c.calls).toBeLessThanOrEqual(100);
		expect(c.baseline.calls).toBeGreaterThanOrEqual(9000);
		expect(c.targets.every((t) => t.met)).toBe(true);
	});

	it("recommends for every user in scope in ≤ 40 calls, reading the window's logins through Bulk API 2.0", () => {
		const c = byId('license.getRecommendations');
		expect(c.scale.loginRows).toBe(30_000);
		expect(c.items).toBe(c.baseline.items);
		expect(c.calls).toBeLessThanOrEqual(40);
		expect(c.calls).toBeLessThan(c.baseline.calls!);
		expect(c.targets.every((t) => t.met)).toBe(true);
	});

	it('counts every event row, in both output modes', () => {
		for (const c of eventReads()) {
			const rowTarget = c.targets.find((t) => /every row|one item per row/.test(t.name));
			expect(rowTarget?.met).toBe(true);
		}
	});
});
