/**
 * Offboard user, with no I/O: the steps in their safe order, which of them a user still needs,
 * and how the per-step results add up to the item. Freeze comes first (it blocks sign-in at
 * once); permission sets go before the permission set licenses they need (Salesforce refuses a
 * license an assigned permission set still needs); deactivation comes last and only when the
 * pre-flight found nothing that blocks it and no earlier step failed, so a blocked user stays
 * frozen and stripped and a re-run finishes the job.
 */
import type { EntitlementKind, Holding } from './entitlements';
import { ENTITLEMENTS } from './entitlements';
import { COLLECTION_LIMIT, IDS_PER_DELETE_CALL } from './limits';
import type { UserOutcome, WriteError } from './writePlan';

export const OFFBOARD_STEPS = [
	'freeze',
	'removePermissionSets',
	'removePermissionSetLicenses',
	'removePackageLicenses',
	'removeFeatureLicenses',
	'removeFromGroups',
	'deactivate',
] as const;
export type OffboardStep = (typeof OFFBOARD_STEPS)[number];

export const STEP_LABELS: Record<OffboardStep, string> = {
	freeze: 'Freeze',
	removePermissionSets: 'Remove permission sets and groups',
	removePermissionSetLicenses: 'Remove permission set licenses',
	removePackageLicenses: 'Remove package licenses',
	removeFeatureLicenses: 'Remove feature licenses',
	removeFromGroups: 'Remove from public groups and queues',
	deactivate: 'Deactivate',
};

/** The entitlement kind a removal step deletes. */
export const STEP_KIND: Partial<Record<OffboardStep, EntitlementKind>> = {
	removePermissionSets: 'permissionSets',
	removePermissionSetLicenses: 'permissionSetLicenses',
	removePackageLicenses: 'packageLicenses',
	removeFromGroups: 'groups',
};

const STEP_KEY = 'step:';
export const stepKey = (step: OffboardStep) => `${STEP_KEY}${step}`;

/** The steps in a plan's patch, in the safe order. */
export function stepsOf(keys: Iterable<string>): OffboardStep[] {
	const set = new Set(keys);
	return OFFBOARD_STEPS.filter((s) => set.has(stepKey(s)));
}

/** The `steps` parameter: a list of step names (all by default), in any order; nothing else. */
export function parseSteps(
	raw: unknown,
): { ok: true; steps: OffboardStep[] } | { ok: false; reason: string } {
	const values =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((v) => v.trim())
					.filter(Boolean)
			: raw;
	if (!Array.isArray(values))
		return {
			ok: false,
			reason: `must be a list of steps (got ${raw === null ? 'null' : typeof raw})`,
		};
	const steps = new Set<OffboardStep>();
	for (const value of values) {
		if (!OFFBOARD_STEPS.includes(value as OffboardStep))
			return {
				ok: false,
				// Not listing the step values: n8n turns any error message that contains an errno
				// code into its own text, and "removePermissionSets" contains "EPERM".
				reason: `has "${String(value)}", which is not one of the steps (Freeze, ..., Deactivate)`,
			};
		steps.add(value as OffboardStep);
	}
	if (steps.size === 0) return { ok: false, reason: 'chooses no step; choose at least one' };
	return { ok: true, steps: OFFBOARD_STEPS.filter((s) => steps.has(s)) };
}

/** What a user holds and is, as the offboard reads found it. */
export interface OffboardFacts {
	isActive: boolean;
	/** null: the connected user cannot see the UserLogin row. */
	userLoginId: string | null;
	isFrozen: boolean;
	holdings: Partial<Record<EntitlementKind, Holding[]>>;
	/** UserPermissions* fields that are on. */
	features: string[];
}

/** Whether a step has nothing left to do for this user. */
export function stepDone(step: OffboardStep, facts: OffboardFacts): boolean {
	switch (step) {
		case 'freeze':
			return facts.isFrozen || !facts.isActive;
		case 'removeFeatureLicenses':
			return facts.features.length === 0;
		case 'deactivate':
			return !facts.isActive;
		default:
			return (facts.holdings[STEP_KIND[step]!] ?? []).length === 0;
	}
}

/** Why a step had nothing to do. */
export function doneReason(step: OffboardStep, facts: OffboardFacts): string {
	switch (step) {
		case 'freeze':
			return facts.isActive ? 'Already frozen' : 'Inactive: cannot sign in';
		case 'removeFeatureLicenses':
			return 'Holds no feature licenses';
		case 'deactivate':
			return 'Already inactive';
		default:
			return `Holds no ${ENTITLEMENTS[STEP_KIND[step]!].noun}`;
	}
}

/** The write state of a user: each wanted step true once done; the facts ride along. */
export function offboardState(facts: OffboardFacts): Record<string, unknown> {
	const values: Record<string, unknown> = { facts };
	for (const step of OFFBOARD_STEPS) values[stepKey(step)] = stepDone(step, facts);
	return values;
}

/** One step's entry on the item. */
export interface StepResult {
	step: OffboardStep;
	result: 'changed' | 'unchanged' | 'dryRun' | 'skipped' | 'failed';
	removed?: string[];
	reason?: string;
	error?: WriteError;
	/** Dry run: records this step would write or delete for the user. */
	records?: number;
}

/**
 * Write calls a run would spend, per step: an update step one Collections PATCH per 200
 * records, a removal step one Composite request (5 Collections DELETE) per 1,000.
 */
export function plannedCalls(recordsPerStep: ReadonlyMap<OffboardStep, number>): number {
	let calls = 0;
	for (const [step, records] of recordsPerStep)
		calls += Math.ceil(records / (STEP_KIND[step] ? IDS_PER_DELETE_CALL : COLLECTION_LIMIT));
	return calls;
}

/** The item's overall outcome: failed if a step failed, else changed. */
export function overallOutcome(steps: readonly StepResult[]): UserOutcome {
	const failed = steps.find((s) => s.result === 'failed');
	if (failed?.error) {
		return {
			kind: 'failed',
			error: { ...failed.error, message: `${STEP_LABELS[failed.step]}: ${failed.error.message}` },
		};
	}
	return { kind: 'changed' };
}

/** The item's reason after a real run: what was done, and why it was not deactivated. */
export function overallReason(steps: readonly StepResult[]): string | undefined {
	const changed = steps.filter((s) => s.result === 'changed').map((s) => STEP_LABELS[s.step]);
	const deactivate = steps.find((s) => s.step === 'deactivate');
	const parts = changed.length ? [`Done: ${changed.join(', ')}`] : [];
	if (deactivate && deactivate.result === 'skipped' && deactivate.reason)
		parts.push(`not deactivated: ${deactivate.reason}`);
	return parts.length ? parts.join('; ') : undefined;
}
