/**
 * Turns measured cases into the one table `npm run bench` prints and the JSON `--json` writes.
 * Pure functions: no I/O here.
 */
import type { Measurement } from './types';

/** One side (ours or the baseline) of a case: what the worker measured plus the org's call count. */
export interface SideFigures extends Measurement {
	/**
	 * API calls the run cost: REST requests counted against the org's daily API limit, as
	 * Salesforce counts them (sign-in is not an API call; it shows in callsByKind).
	 */
	calls: number;
	/** Every request by kind (soapLogin, describe, query, queryMore, collectionsPatch, logFile, ...). */
	callsByKind: Record<string, number>;
	/** Wall time of every run of this side when the case repeats (the figures are the median run's). */
	wallMsRuns?: number[];
}

export type FigureKey =
	| 'calls'
	| 'wallMs'
	| 'cpuMs'
	| 'peakRssMb'
	| 'startRssMb'
	| 'mbPerSec'
	| 'retainedHeapMb'
	| 'peakHeapMb';

export interface TargetCheck {
	/** What is checked, in words, e.g. "calls ≤ ceil(N/2000) + 2". */
	name: string;
	/** The target in short, for the table's target column, e.g. "≤ 27" or "≥ 0.80×". */
	target: string;
	/** The measured value the check looked at, already formatted. */
	value: string;
	met: boolean;
	/** The table row the target belongs to; without it, the check gets a row of its own. */
	figure?: FigureKey;
}

export interface CaseResult {
	/** Stable id, e.g. "users.getMany". */
	case: string;
	title: string;
	/** Scale of the case: users, rows, bytes... */
	scale: Record<string, number>;
	/** Figures shown in the table, in order. */
	figures: FigureKey[];
	ours: SideFigures;
	baseline: Partial<SideFigures> & { label: string; calls?: number };
	targets: TargetCheck[];
	notes?: string[];
}

const FIGURE_LABELS: Record<FigureKey, string> = {
	calls: 'API calls',
	wallMs: 'wall time',
	cpuMs: 'CPU time (measured process)',
	peakRssMb: 'peak RSS',
	startRssMb: 'RSS before the run (Node + modules)',
	mbPerSec: 'throughput',
	retainedHeapMb: 'heap held by output',
	peakHeapMb: 'peak heap',
};

/** Whether a smaller figure is better (drives how the ratio is read). */
const LOWER_IS_BETTER: Record<FigureKey, boolean> = {
	calls: true,
	wallMs: true,
	cpuMs: true,
	peakRssMb: true,
	startRssMb: true,
	mbPerSec: false,
	retainedHeapMb: true,
	peakHeapMb: true,
};

export function formatFigure(key: FigureKey, value: number | undefined): string {
	if (value === undefined || Number.isNaN(value)) return '–';
	switch (key) {
		case 'calls':
			return value.toLocaleString('en-US');
		case 'wallMs':
		case 'cpuMs':
			return value >= 10_000
				? `${(value / 1000).toFixed(1)} s`
				: value >= 1000
					? `${(value / 1000).toFixed(2)} s`
					: `${Math.round(value)} ms`;
		case 'mbPerSec':
			return `${value.toFixed(1)} MB/s`;
		default:
			return `${Math.round(value)} MB`;
	}
}

/** ours ÷ baseline, e.g. "1.07×"; far below 1 also as "(1/83)" so "83× fewer" reads at a glance. */
export function formatRatio(
	key: FigureKey,
	ours: number | undefined,
	baseline: number | undefined,
): string {
	if (ours === undefined || baseline === undefined || !baseline) return '–';
	const ratio = ours / baseline;
	const text =
		ratio >= 10
			? `${ratio.toFixed(0)}×`
			: ratio >= 0.095
				? `${ratio.toFixed(2)}×`
				: `${ratio.toFixed(3)}×`;
	return LOWER_IS_BETTER[key] && ratio > 0 && ratio < 0.1
		? `${text} (1/${(1 / ratio).toFixed(0)})`
		: text;
}

/** Fixed-width table; every figure next to its baseline, then ours ÷ baseline and the targets. */
export function renderTable(results: CaseResult[]): string {
	const header = ['case', 'figure', 'ours', 'baseline', 'ours ÷ baseline', 'target', ''];
	const rows: string[][] = [];
	const mark = (met: boolean) => (met ? 'met' : 'MISSED');
	for (const result of results) {
		const first = rows.length;
		for (const key of result.figures) {
			const ours = result.ours[key];
			const base = result.baseline[key];
			const targets = result.targets.filter((t) => t.figure === key);
			rows.push([
				'',
				FIGURE_LABELS[key],
				formatFigure(key, ours),
				base === undefined ? '–' : formatFigure(key, base),
				formatRatio(key, ours, base),
				targets.map((t) => t.target).join('; '),
				targets.length ? mark(targets.every((t) => t.met)) : '',
			]);
		}
		for (const target of result.targets.filter((t) => !t.figure)) {
			rows.push(['', target.name, target.value, '', '', target.target, mark(target.met)]);
		}
		rows[first][0] = result.title;
	}
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	const separator = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
	return [line(header), separator, ...rows.map(line)].join('\n');
}

/** The baselines, one line per case, printed under the table. */
export function renderBaselines(results: CaseResult[]): string {
	return results.map((r) => `  ${r.title}: baseline = ${r.baseline.label}`).join('\n');
}

/** Figures of one side for the JSON file: the keys the issue names, where they apply. */
function jsonSide(side: Partial<SideFigures>, figures: FigureKey[]) {
	const pick = (key: keyof SideFigures) =>
		side[key] === undefined ? {} : { [key]: round(side[key] as number) };
	return {
		...(figures.includes('calls') || side.calls !== undefined ? pick('calls') : {}),
		...pick('wallMs'),
		...pick('peakRssMb'),
		...(side.mbPerSec !== undefined ? pick('mbPerSec') : {}),
		...pick('cpuMs'),
		...pick('peakHeapMb'),
		...pick('retainedHeapMb'),
		...pick('startRssMb'),
		...pick('items'),
		...pick('bytes'),
		...(side.callsByKind ? { callsByKind: side.callsByKind } : {}),
		...(side.wallMsRuns && side.wallMsRuns.length > 1
			? { wallMsRuns: side.wallMsRuns.map(round) }
			: {}),
	};
}

/** One object per case: our figures at the top level, the baseline's under `baseline`. */
export function toJson(results: CaseResult[]) {
	return results.map((result) => ({
		case: result.case,
		title: result.title,
		scale: result.scale,
		...jsonSide(result.ours, result.figures),
		baseline: { label: result.baseline.label, ...jsonSide(result.baseline, result.figures) },
		targets: result.targets,
		...(result.notes?.length ? { notes: result.notes } : {}),
	}));
}

function round(value: number): number {
	return Number.isInteger(value) ? value : Math.round(value * 100) / 100;
}
