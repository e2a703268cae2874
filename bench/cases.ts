/**
 * The bench cases of issue 6. Each runs our node and its baseline in separate measured
 * processes against the same seeded org, then checks the targets. Adding a case = one entry.
 */
import type { BenchOrg, EventLogFixture } from './org';
import type { CaseResult, FigureKey, SideFigures, TargetCheck } from './report';
import { formatFigure } from './report';
import { runMeasured } from './runner';
import { formatBytes, type Scale } from './scale';
import {
	DEFAULT_MAX_EVENT_ROWS,
	EVENT_ROW_BYTES_CEILING,
} from '../nodes/SalesforceAdmin/salesforce/eventLogs';

/** Where our reads switch from REST to Bulk API 2.0 (reads/largeQuery.ts). */
const BULK_THRESHOLD = 20_000;

export interface CaseContext {
	org: BenchOrg;
	scale: Scale;
	log(message: string): void;
}

export interface BenchCase {
	id: string;
	run(context: CaseContext): Promise<CaseResult[]>;
}

/** Salesforce's largest query page. */
export const PAGE = 2000;

const fmtRatio = (ratio: number) => `${ratio.toFixed(2)}×`;
const count = (n: number) => n.toLocaleString('en-US');

function check(
	name: string,
	target: string,
	value: string,
	met: boolean,
	figure?: FigureKey,
): TargetCheck {
	return { name, target, value, met, ...(figure ? { figure } : {}) };
}

/** The query our node sent with the most follow-up pages: the one a raw autoFetch must repeat. */
export function mainQuery(soqls: string[], sobject: string): string {
	const from = new RegExp(`\\bFROM\\s+${sobject}\\b`, 'i');
	const matching = soqls.filter((soql) => from.test(soql));
	if (!matching.length)
		throw new Error(`our node sent no query on ${sobject}; sent: ${soqls.join(' | ')}`);
	// Follow-up pages go to /query/{locator} and carry no SOQL; of the rest, the read itself has
	// the longest SELECT list (look-ups such as UserLogin IN (...) are on other objects).
	return [...matching].sort((a, b) => b.length - a.length)[0];
}

/** The run with the median wall time, with every run's wall time attached. */
function median(runs: SideFigures[]): SideFigures {
	const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
	return { ...sorted[Math.floor((sorted.length - 1) / 2)], wallMsRuns: runs.map((r) => r.wallMs) };
}

/**
 * Runs ours and the baseline `repeats` times each, alternating (so neither side always meets a
 * colder org), and keeps each side's median run. `beforeEach` resets the org between runs.
 */
async function alternate(
	repeats: number,
	ours: () => Promise<SideFigures>,
	baseline: () => Promise<SideFigures>,
	beforeEach: () => void = () => undefined,
): Promise<{ ours: SideFigures; baseline: SideFigures }> {
	const oursRuns: SideFigures[] = [];
	const baselineRuns: SideFigures[] = [];
	for (let i = 0; i < repeats; i++) {
		beforeEach();
		oursRuns.push(await ours());
		beforeEach();
		baselineRuns.push(await baseline());
	}
	return { ours: median(oursRuns), baseline: median(baselineRuns) };
}

/** Get users / Get login history: our paged read against jsforce's autoFetch of the same SOQL. */
function pagedReadCase(spec: {
	id: string;
	sobject: string;
	title: (n: number) => string;
	count: (scale: Scale) => number;
	/** Calls beyond the pages that the operation spends by design (e.g. usernames), at most. */
	extraCalls?: { max: (scale: Scale) => number; why: string };
	parameters: (context: CaseContext) => Record<string, unknown>;
	wallTarget?: number;
	/** A fixed call budget where the read goes through Bulk API 2.0 (more rows than its threshold). */
	bulkCalls?: { max: number; restFloor: (n: number) => number };
}): BenchCase {
	return {
		id: spec.id,
		async run(context) {
			const { org, scale, log } = context;
			const n = spec.count(scale);
			let soql: string | undefined;
			const { ours, baseline } = await alternate(
				scale.repeats,
				async () => {
					log(`${spec.id}: ours`);
					const side = await runMeasured(org, 'ours.runNode', {
						parameters: spec.parameters(context),
					});
					soql ??= mainQuery(org.soql(), spec.sobject);
					return side;
				},
				() => {
					log(`${spec.id}: raw jsforce autoFetch`);
					return runMeasured(org, 'raw.queryAutoFetch', { soql, maxFetch: n });
				},
			);
			const pages = Math.ceil(n / PAGE);
			const extraCalls = spec.extraCalls?.max(scale) ?? 0;
			const extraText = spec.extraCalls ? ` + ${spec.extraCalls.why}` : '';
			const targets = [
				check(
					`returns all ${count(n)} records`,
					`= ${count(n)}`,
					count(ours.items),
					ours.items === n,
				),
				check(
					`calls ≤ ceil(N/${PAGE}) + 2${extraText}`,
					`≤ ${pages + 2 + extraCalls}`,
					`${ours.calls}`,
					ours.calls <= pages + 2 + extraCalls,
					'calls',
				),
			];
			if (spec.bulkCalls && n > BULK_THRESHOLD) {
				const { max, restFloor } = spec.bulkCalls;
				targets.push(
					check(
						`Bulk API 2.0: calls ≤ ${max} (REST floor: ${restFloor(n)})`,
						`≤ ${max}`,
						`${ours.calls}`,
						ours.calls <= max,
						'calls',
					),
				);
			}
			if (spec.wallTarget) {
				const ratio = ours.wallMs / baseline.wallMs;
				targets.push(
					check(
						`wall ≤ ${spec.wallTarget}× raw jsforce`,
						`≤ ${spec.wallTarget.toFixed(2)}×`,
						fmtRatio(ratio),
						ratio <= spec.wallTarget,
						'wallMs',
					),
				);
			}
			return [
				{
					case: spec.id,
					title: spec.title(n),
					scale: { records: n, pages, extraCalls },
					figures: ['calls', 'wallMs', 'cpuMs', 'peakRssMb', 'startRssMb'],
					ours,
					baseline: {
						label: `raw jsforce query(SOQL).autoFetch(true).maxFetch(${n}), the same SOQL as ours`,
						...baseline,
					},
					targets,
					notes: [
						`SOQL: ${soql}`,
						`calls by kind: ours ${JSON.stringify(ours.callsByKind)}, raw ${JSON.stringify(baseline.callsByKind)}`,
					],
				},
			];
		},
	};
}

const usersCase = pagedReadCase({
	id: 'user.getMany',
	sobject: 'User',
	title: (n) => `Get users, ${count(n)} users, return all`,
	count: (scale) => scale.users,
	// what users hold: per kind (package seats, permission set licenses) the org-wide read or one
	// IN list per 500 users, whichever costs fewer. The entitlement cases seed their holders into
	// the same org first (2 × (package seats + leavers), each holding at most one of each kind), so
	// the org-wide read has that many rows at most, 2,000 a call.
	extraCalls: {
		max: (scale) =>
			2 *
			Math.min(
				Math.ceil(scale.users / 500),
				Math.max(1, Math.ceil((2 * (scale.packageSeats + scale.offboard)) / PAGE)),
			),
		why: 'per kind of holding, the pages of the org-wide read',
	},
	// Every user (active or not, external too) so the query returns exactly N rows.
	parameters: () => ({
		resource: 'user',
		operation: 'getMany',
		returnAll: true,
		filters: { status: 'all', includeExternal: true },
	}),
	wallTarget: 1.3,
});

const loginHistoryCase = pagedReadCase({
	id: 'loginHistory.getMany',
	sobject: 'LoginHistory',
	title: (n) => `Get login history, ${count(n)} rows`,
	count: (scale) => scale.loginHistory,
	// usernames and names: the org's user count, then its users in pages (or IN lists if fewer)
	extraCalls: {
		max: (scale) => 1 + Math.ceil((scale.users + 1) / PAGE),
		why: '1 + ceil(users/2000) for usernames',
	},
	bulkCalls: { max: 10, restFloor: (n) => Math.ceil(n / PAGE) },
	wallTarget: 1.5,
	parameters: ({ org }) => ({
		resource: 'loginHistory',
		operation: 'getMany',
		returnAll: true,
		filters: {
			since: org.fixtures.loginHistorySince,
			until: org.fixtures.loginHistoryUntil,
			status: 'all',
		},
	}),
});

const freezeCase: BenchCase = {
	id: 'user.freeze',
	async run({ org, scale, log }) {
		const { ours: ourUsers, baseline: baselineUsers } = org.fixtures.freezeUsers;
		let frozen = 0;
		const { ours, baseline } = await alternate(
			scale.repeats,
			async () => {
				log('user.freeze: ours');
				const side = await runMeasured(org, 'ours.runNode', {
					parameters: {
						resource: 'user',
						operation: 'freeze',
						userId: '={{ $json.id }}',
						dryRun: false,
						options: { maxUsers: scale.freeze },
					},
					inputItems: ourUsers.map((user) => ({ id: user.userId })),
					accessMode: 'readWrite',
				});
				frozen = org.countFrozen(ourUsers.map((user) => user.userId));
				return side;
			},
			() => {
				log('user.freeze: one PATCH per user');
				return runMeasured(org, 'raw.patchEachUserLogin', {
					userLoginIds: baselineUsers.map((user) => user.userLoginId),
				});
			},
			// Each run starts from the same state: nobody frozen.
			() => org.unfreeze([...ourUsers, ...baselineUsers].map((user) => user.userId)),
		);
		const fewer = baseline.calls / ours.calls;
		return [
			{
				case: 'user.freeze',
				title: `Freeze ${count(scale.freeze)} users`,
				scale: { users: scale.freeze },
				figures: ['calls', 'wallMs'],
				ours,
				baseline: {
					label:
						'one PATCH /sobjects/UserLogin/{id} per user, in sequence (UserLogin IDs handed over for free)',
					...baseline,
				},
				targets: [
					check('calls ≤ 12', '≤ 12', `${ours.calls}`, ours.calls <= 12, 'calls'),
					check(
						'≥ 80× fewer calls than one per user',
						'≥ 80× fewer',
						`${fewer.toFixed(0)}× fewer`,
						fewer >= 80,
						'calls',
					),
					check(
						`all ${count(scale.freeze)} frozen in the org`,
						`= ${count(scale.freeze)}`,
						count(frozen),
						frozen === scale.freeze,
					),
				],
				notes: [
					`our results: ${JSON.stringify(ours.detail?.results ?? {})}`,
					`calls by kind: ours ${JSON.stringify(ours.callsByKind)}`,
				],
			},
		];
	},
};

/** Remove package licenses from N users: one Collections DELETE per 200 seats. */
const removePackageLicensesCase: BenchCase = {
	id: 'user.removePackageLicenses',
	async run({ org, scale, log }) {
		const fixture = org.fixtures.packageSeats;
		const n = scale.packageSeats;
		let removed = 0;
		const { ours, baseline } = await alternate(
			scale.repeats,
			async () => {
				log('user.removePackageLicenses: ours');
				const side = await runMeasured(org, 'ours.runNode', {
					parameters: {
						resource: 'user',
						operation: 'removePackageLicenses',
						dryRun: false,
						userId: '={{ $json.id }}',
						packageLicenses: ['SBQQ'],
						options: { maxUsers: n },
					},
					inputItems: fixture.ours.map((id) => ({ id })),
					accessMode: 'readWrite',
				});
				removed = fixture.countDone(fixture.ours);
				return side;
			},
			() => {
				log('user.removePackageLicenses: one DELETE per assignment');
				const ids = fixture.records(fixture.baseline).flatMap((r) => r.deleteIds);
				return runMeasured(org, 'raw.deleteEachRecord', { sobject: 'UserPackageLicense', ids });
			},
			() => fixture.reset(),
		);
		fixture.reset(); // the org as seeded for the cases after this one
		const fewer = baseline.calls / ours.calls;
		return [
			{
				case: 'user.removePackageLicenses',
				title: `Remove package licenses from ${count(n)} users`,
				scale: { users: n },
				figures: ['calls', 'wallMs'],
				ours,
				baseline: {
					label:
						'one DELETE /sobjects/UserPackageLicense/{id} per assignment, in sequence (IDs handed over for free)',
					...baseline,
				},
				targets: [
					check('calls ≤ 55', '≤ 55', `${ours.calls}`, ours.calls <= 55, 'calls'),
					check(
						`all ${count(n)} seats removed in the org`,
						`= ${count(n)}`,
						count(removed),
						removed === n,
					),
				],
				notes: [
					`${fewer.toFixed(0)}× fewer calls than one per assignment`,
					`our results: ${JSON.stringify(ours.detail?.results ?? {})}`,
					`calls by kind: ours ${JSON.stringify(ours.callsByKind)}`,
				],
			},
		];
	},
};

/** Offboard N leavers: every step batched across users, against a per-record loop. */
const offboardCase: BenchCase = {
	id: 'user.offboard',
	async run({ org, scale, log }) {
		const fixture = org.fixtures.leavers;
		const n = scale.offboard;
		let done = 0;
		const { ours, baseline } = await alternate(
			scale.repeats,
			async () => {
				log('user.offboard: ours');
				const side = await runMeasured(org, 'ours.runNode', {
					parameters: {
						resource: 'user',
						operation: 'offboard',
						dryRun: false,
						userId: '={{ $json.id }}',
						options: { maxUsers: n },
					},
					inputItems: fixture.ours.map((id) => ({ id })),
					accessMode: 'readWrite',
				});
				done = fixture.countDone(fixture.ours);
				return side;
			},
			() => {
				log('user.offboard: per-record loop');
				return runMeasured(org, 'raw.offboardEachRecord', {
					leavers: fixture.records(fixture.baseline),
				});
			},
			() => fixture.reset(),
		);
		fixture.reset(); // the org as seeded for the cases after this one
		const perUser = ours.calls / n;
		return [
			{
				case: 'user.offboard',
				title: `Offboard ${count(n)} users (freeze, permission sets, licenses, groups, deactivate)`,
				scale: { users: n },
				figures: ['calls', 'wallMs'],
				ours,
				baseline: {
					label:
						'per user: PATCH UserLogin, one DELETE per assignment, PATCH feature licenses, PATCH IsActive (IDs handed over for free)',
					...baseline,
				},
				targets: [
					check('calls per user ≤ 0.1', '≤ 0.1', perUser.toFixed(3), perUser <= 0.1, 'calls'),
					check(`all ${count(n)} offboarded in the org`, `= ${count(n)}`, count(done), done === n),
				],
				notes: [
					`baseline: ${(baseline.calls / n).toFixed(1)} calls per user`,
					`our results: ${JSON.stringify(ours.detail?.results ?? {})}`,
					`calls by kind: ours ${JSON.stringify(ours.callsByKind)}`,
				],
			},
		];
	},
};

function eventsParams(file: EventLogFixture, output: 'rows' | 'perUser', maxRows?: number) {
	return {
		parameters: {
			resource: 'eventLog',
			operation: 'getEvents',
			output,
			returnAll: true, // the whole file is what is measured
			...(maxRows !== undefined ? { maxRows } : {}),
			filters: {
				eventTypes: [file.eventType],
				since: file.since,
				until: file.until,
				interval: 'any',
			},
		},
		bytes: file.bytes,
	};
}

const CSV_PARSE_RAW =
	'csv-parse alone on the same LogFile body over the same HTTP (rows as arrays, nothing typed or kept)';

const perUserCase: BenchCase = {
	id: 'eventLog.getEvents.perUser',
	async run({ org, log }) {
		const results: CaseResult[] = [];
		for (const file of org.fixtures.summaryFiles) {
			const size = formatBytes(file.bytes);
			log(`perUser ${size}: ours`);
			const ours = await runMeasured(org, 'ours.runNode', eventsParams(file, 'perUser'));
			log(`perUser ${size}: csv-parse raw`);
			const baseline = await runMeasured(org, 'raw.csvParseCount', { logFileIds: [file.id] });
			const ratio = (ours.mbPerSec ?? 0) / (baseline.mbPerSec ?? Infinity);
			const events = Number(ours.detail?.eventCount ?? NaN);
			results.push({
				case: `eventLog.getEvents.perUser.${size.replace(' ', '')}`,
				title: `Get events, per-user summary, ${size} log`,
				scale: { bytes: file.bytes, rows: baseline.items },
				figures: ['mbPerSec', 'peakRssMb', 'startRssMb', 'wallMs', 'cpuMs'],
				ours,
				baseline: { label: CSV_PARSE_RAW, ...baseline },
				targets: [
					check(
						// issue 20: at least csv-parse's own pace since the move to n8n's helpers
						'throughput ≥ 1.0× csv-parse raw',
						'≥ 1.00×',
						fmtRatio(ratio),
						ratio >= 1.0,
						'mbPerSec',
					),
					check(
						'peak RSS < 250 MB',
						'< 250 MB',
						formatFigure('peakRssMb', ours.peakRssMb),
						ours.peakRssMb < 250,
						'peakRssMb',
					),
					check(
						'the summary counts every row',
						`= ${count(baseline.items)}`,
						count(events),
						events === baseline.items,
					),
				],
			});
		}
		if (results.length === 2) {
			const [small, large] = results.map((r) => r.ours.peakRssMb);
			const growth = large / small - 1;
			results[1].targets.push(
				check(
					'peak RSS flat when the file doubles',
					'≤ +10%',
					`${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% (${formatFigure('peakRssMb', small)} → ${formatFigure('peakRssMb', large)})`,
					growth <= 0.1,
				),
			);
		}
		return results;
	},
};

const rowsCase: BenchCase = {
	id: 'eventLog.getEvents.rows',
	async run({ org, log }) {
		const file = org.fixtures.rowsFile;
		const size = formatBytes(file.bytes);
		log(`rows ${size}: ours`);
		// the whole file is measured: Max Rows raised above its rows
		const ours = await runMeasured(org, 'ours.runNode', eventsParams(file, 'rows', WHOLE_FILE));
		log(`rows ${size}: csv-parse raw`);
		const baseline = await runMeasured(org, 'raw.csvParseCount', { logFileIds: [file.id] });
		log(`rows ${size}: csv-parse, every row kept once`);
		const oneCopy = await runMeasured(org, 'raw.csvParseHold', { logFileIds: [file.id] });
		const held = ours.retainedHeapMb / oneCopy.retainedHeapMb;
		const growth = (side: SideFigures) => side.peakHeapMb - side.startHeapMb;
		const peak = growth(ours) / growth(oneCopy);
		const mb = (value: number) => formatFigure('peakHeapMb', value);
		const bound = await maxRowsResult(org, log, file, ours, baseline.items);
		return [
			{
				case: 'eventLog.getEvents.rows',
				title: `Get events, one item per row, ${size} log`,
				scale: { bytes: file.bytes, rows: baseline.items },
				figures: ['mbPerSec', 'peakRssMb', 'startRssMb', 'wallMs', 'cpuMs'],
				ours,
				baseline: { label: CSV_PARSE_RAW, ...baseline },
				targets: [
					check(
						'one item per row',
						`= ${count(baseline.items)}`,
						count(ours.items),
						ours.items === baseline.items,
					),
					check(
						'heap held by the output ≤ 1.5× one copy of the parsed rows',
						`≤ 1.5× one copy (${mb(oneCopy.retainedHeapMb)})`,
						`${mb(ours.retainedHeapMb)} = ${fmtRatio(held)}`,
						held <= 1.5,
					),
					check(
						'peak heap growth ≤ 1.5× that of parsing while keeping one copy',
						`≤ 1.5× one copy (${mb(growth(oneCopy))})`,
						`${mb(growth(ours))} = ${fmtRatio(peak)}`,
						peak <= 1.5,
					),
				],
				notes: [
					'one copy = csv-parse with columns:true over the same body, every row object kept in one array',
					`keeping rows costs anyone time: csv-parse keeping one copy runs at ${formatFigure('mbPerSec', oneCopy.mbPerSec)}; ours ÷ that = ${fmtRatio((ours.mbPerSec ?? 0) / (oneCopy.mbPerSec ?? Infinity))}`,
					`one copy: heap held ${mb(oneCopy.retainedHeapMb)}, peak heap growth ${mb(growth(oneCopy))}, peak RSS ${formatFigure('peakRssMb', oneCopy.peakRssMb)}, ${formatFigure('wallMs', oneCopy.wallMs)}`,
				],
			},
			bound,
		];
	},
};

/** Max Rows for a rows run that reads the whole file (above its rows, and its bytes ÷ 16 KB). */
const WHOLE_FILE = 1_000_000_000;

/**
 * Return All in rows mode is bounded by Max Rows (issue 19): the same file with the default
 * bound (a third of the rows at --quick, where the file holds fewer than the default) fails
 * once the bound is passed, holding at most that many rows; and a bound whose rows the file's
 * LogFileLength alone exceeds (× 16 KB a row) fails before any download.
 */
async function maxRowsResult(
	org: BenchOrg,
	log: CaseContext['log'],
	file: EventLogFixture,
	whole: SideFigures,
	rows: number,
): Promise<CaseResult> {
	const maxRows = Math.min(DEFAULT_MAX_EVENT_ROWS, Math.floor(rows / 3));
	log(`rows ${formatBytes(file.bytes)}: Return All with Max Rows ${count(maxRows)}`);
	const bounded = await runMeasured(org, 'ours.runNode', {
		...eventsParams(file, 'rows', maxRows),
		expectError: 'more than Max Rows',
	});
	const upFrontRows = Math.max(1, Math.floor(file.bytes / EVENT_ROW_BYTES_CEILING / 2));
	log(`rows ${formatBytes(file.bytes)}: Return All with Max Rows ${count(upFrontRows)}`);
	const upFront = await runMeasured(org, 'ours.runNode', {
		...eventsParams(file, 'rows', upFrontRows),
		expectError: 'nothing was downloaded',
	});
	const growth = (side: SideFigures) => side.peakHeapMb - side.startHeapMb;
	const share = growth(bounded) / growth(whole);
	const downloads = (side: SideFigures) => side.callsByKind?.logFile ?? 0;
	return {
		case: 'eventLog.getEvents.rows.maxRows',
		title: `Get events, one item per row, Return All bounded by Max Rows ${count(maxRows)} (of ${count(rows)} rows)`,
		scale: { bytes: file.bytes, rows, maxRows },
		figures: ['peakHeapMb', 'peakRssMb', 'wallMs', 'calls'],
		ours: bounded,
		baseline: { label: 'the same read with Max Rows above the file (every row held)', ...whole },
		targets: [
			check(
				'fails past Max Rows, naming the per-user and binary outputs',
				'fails',
				bounded.detail?.error ? 'fails' : 'no error',
				bounded.items === 0 &&
					/more than Max Rows.*One Summary per User.*File as Binary Data/.test(
						String(bounded.detail?.error ?? ''),
					),
			),
			check(
				// 2×: the sampler and the GC's timing move small runs by several MB
				'peak heap growth ≤ 2× the bound’s share of the rows, of the whole read’s',
				`≤ ${fmtRatio((2 * maxRows) / rows)} of the whole read`,
				fmtRatio(share),
				share <= (2 * maxRows) / rows,
			),
			check(
				`no download when LogFileLength exceeds Max Rows × 16 KB (Max Rows ${count(upFrontRows)})`,
				'0 downloads',
				`${downloads(upFront)} downloads, ${formatFigure('wallMs', upFront.wallMs)}`,
				downloads(upFront) === 0 && /nothing was downloaded/.test(String(upFront.detail?.error)),
			),
		],
		notes: [
			`peak heap growth: ${formatFigure('peakHeapMb', growth(bounded))} bounded, ${formatFigure('peakHeapMb', growth(whole))} for every row`,
		],
	};
}

/**
 * Get license recommendations over every user and the login history of the window, next to what
 * a workflow would do without it: Get users + Get login history over REST, every row held, and
 * a Code node doing the same counting and deciding.
 */
const recommendCase: BenchCase = {
	id: 'license.getRecommendations',
	async run({ org, scale, log }) {
		log(
			`license.getRecommendations: seeding ${count(scale.windowLogins)} login history rows in the last 90 days`,
		);
		const rows = org.seedWindowLogins(scale.windowLogins);
		log('license.getRecommendations: ours');
		const ours = await runMeasured(org, 'ours.runNode', {
			parameters: {
				resource: 'license',
				operation: 'getRecommendations',
				prices: {
					price: [
						{ license: 'Salesforce', monthlyPrice: 150 },
						{ license: 'Salesforce Platform', monthlyPrice: 25 },
					],
				},
			},
		});
		const sent = org.soql();
		// the active users' query (not those of the inactive users still holding seats)
		const usersSoql = mainQuery(
			sent.filter((soql) => !soql.includes('IsActive = false')),
			'User',
		);
		const loginsSoql = mainQuery(sent, 'LoginHistory');
		log('license.getRecommendations: Get users + Get login history (REST) + Code node');
		const baseline = await runMeasured(org, 'raw.recommendRest', { usersSoql, loginsSoql });
		const users = baseline.items;
		return [
			{
				case: 'license.getRecommendations',
				title: `Get license recommendations, ${count(users)} users, ${count(rows)} logins in the window`,
				scale: { users, loginRows: rows },
				figures: ['calls', 'wallMs', 'cpuMs', 'peakRssMb', 'startRssMb'],
				ours,
				baseline: {
					label:
						'Get users + Get login history over REST (every row held) + a Code node counting and deciding the same',
					...baseline,
				},
				targets: [
					check('calls ≤ 40', '≤ 40', `${ours.calls}`, ours.calls <= 40, 'calls'),
					check(
						'one item per user in scope',
						`= ${count(users)}`,
						count(ours.items),
						ours.items === users,
					),
				],
				notes: [
					`SOQL: ${usersSoql} | ${loginsSoql}`,
					`calls by kind: ours ${JSON.stringify(ours.callsByKind)}, baseline ${JSON.stringify(baseline.callsByKind)}`,
					`wall ${fmtRatio(ours.wallMs / baseline.wallMs)} and peak RSS ${fmtRatio(ours.peakRssMb / baseline.peakRssMb)} of the baseline (reported, no target)`,
				],
			},
		];
	},
};

export const CASES: BenchCase[] = [
	usersCase,
	loginHistoryCase,
	freezeCase,
	removePackageLicensesCase,
	offboardCase,
	perUserCase,
	rowsCase,
	recommendCase,
];
