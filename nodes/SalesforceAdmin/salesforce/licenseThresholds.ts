/**
 * The license-threshold trigger, the pure part: when a license is "running out", and which
 * licenses have just crossed into that state since the last poll.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LicenseItem } from './licenses';

export interface Thresholds {
	/** Fire when the seats left fall to this number or fewer. */
	minAvailable?: number;
	/** Fire when this percentage of the seats or more is used. */
	maxPercentUsed?: number;
}

export type ThresholdName = keyof Thresholds;

/** What the trigger remembers of a license between polls. */
export interface LicenseMark {
	used: number | null;
	available: number | null;
	total: number | null;
	/** Whether the license was past a threshold at that poll. */
	alert: boolean;
}

export type LicenseMarks = Record<string, LicenseMark>;

/** A license's identity across polls: its type and key (its name where it has no key). */
export function licenseKey(license: LicenseItem): string {
	return `${license.type}:${license.key ?? license.name}`;
}

/** Percentage of the seats used, one decimal; null without a total (feature licenses). */
export function percentUsed(license: Pick<LicenseItem, 'used' | 'total'>): number | null {
	if (license.total === null || license.used === null || license.total <= 0) return null;
	return Math.round((license.used / license.total) * 1000) / 10;
}

/** The thresholds a license is past now (none for a license without a total). */
export function thresholdsPassed(license: LicenseItem, thresholds: Thresholds): ThresholdName[] {
	const passed: ThresholdName[] = [];
	if (
		thresholds.minAvailable !== undefined &&
		license.available !== null &&
		license.available <= thresholds.minAvailable
	) {
		passed.push('minAvailable');
	}
	const percent = percentUsed(license);
	if (
		thresholds.maxPercentUsed !== undefined &&
		percent !== null &&
		percent >= thresholds.maxPercentUsed
	) {
		passed.push('maxPercentUsed');
	}
	return passed;
}

export interface ThresholdResult {
	/** Licenses that crossed into the threshold state: license item + threshold + previous. */
	items: IDataObject[];
	/** The marks to keep for the next poll (only licenses the org has now: bounded by it). */
	marks: LicenseMarks;
}

/**
 * Compares the licenses read now with the marks of the last poll. A license fires when it is
 * past a threshold now and was not at the last poll; it fires again only after a poll that saw
 * it recovered. `firstPoll`: only the marks are set (nothing old is emitted).
 *
 * `resumed`: the marks are the last ones n8n saved, not the last poll's. n8n saves static data
 * only after a poll that emits, so a recovery seen by a poll that emitted nothing is not in
 * them: a license marked past the threshold may have recovered and run out again since. It
 * fires again then, flagged `afterRestart` (better a repeated alert than a lost one). What must
 * not be lost, an alert that fired, is always saved: the poll that fires it emits.
 */
export function evaluateThresholds(
	licenses: readonly LicenseItem[],
	thresholds: Thresholds,
	previous: LicenseMarks,
	firstPoll: boolean,
	resumed = false,
): ThresholdResult {
	const items: IDataObject[] = [];
	const marks: LicenseMarks = {};
	for (const license of licenses) {
		const key = licenseKey(license);
		const passed = thresholdsPassed(license, thresholds);
		const before = previous[key];
		marks[key] = {
			used: license.used,
			available: license.available,
			total: license.total,
			alert: passed.length > 0,
		};
		const unsure = resumed && before?.alert === true;
		if (firstPoll || passed.length === 0 || (before?.alert && !unsure)) continue;
		items.push(thresholdItem(license, thresholds, passed, before, unsure));
	}
	return { items, marks };
}

/** The license item plus the threshold it crossed and the counts of the last poll (or saved state). */
export function thresholdItem(
	license: LicenseItem,
	thresholds: Thresholds,
	passed: ThresholdName[],
	before: LicenseMark | undefined,
	afterRestart = false,
): IDataObject {
	return {
		...license,
		threshold: {
			crossed: passed,
			minAvailable: thresholds.minAvailable ?? null,
			maxPercentUsed: thresholds.maxPercentUsed ?? null,
			percentUsed: percentUsed(license),
			/** It had fired and n8n restarted since: whether it recovered in between is not known. */
			afterRestart,
		},
		previous: before
			? {
					used: before.used,
					available: before.available,
					total: before.total,
					percentUsed: percentUsed(before),
				}
			: null,
	};
}
