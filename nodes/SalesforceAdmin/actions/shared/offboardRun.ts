/**
 * Offboard user on the one write path (writeBatch.ts): the state of a user is everything the
 * steps touch (frozen state, what they hold, feature licenses, active), read in batches; the
 * pre-flight finds who cannot be deactivated; the steps then run in their safe order, each one
 * batched across all users (one Collections PATCH per 200 records, one Composite call per 1,000
 * deletes), so a thousand users cost a few dozen calls, not thousands.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { blockedReason, skipBlocked } from '../../salesforce/deactivationBlockers';
import { featureLicenseNames } from '../../salesforce/featureLicenseSelection';
import type { OffboardFacts, OffboardStep, StepResult } from '../../salesforce/offboard';
import {
	OFFBOARD_STEPS,
	STEP_KIND,
	STEP_LABELS,
	doneReason,
	overallOutcome,
	overallReason,
	parseSteps,
	plannedCalls,
	stepKey,
	stepsOf,
} from '../../salesforce/offboard';
import type { User } from '../../salesforce/records';
import type { WriteIo } from '../../salesforce/writeExecution';
import { DEFAULT_EXECUTE_OPTIONS, executeWrites } from '../../salesforce/writeExecution';
import { deactivationGuidance } from '../../salesforce/writeGuidance';
import type { TargetState, UserOutcome, UserWrite, WriteError } from '../../salesforce/writePlan';
import { readDeactivationBlockers } from '../../reads/entitlementHoldings';
import { readOffboardState, readOffboardStateById } from '../../reads/offboardState';
import type { SalesforceSession } from '../../transport';
import { updateRecords } from '../../transport';
import { deleteHoldings, reportRemoval } from './entitlementRemoval';
import type { PreparedWrite, WriteActionSpec, WriteRunContext } from './writeBatch';
import { cleanErrors } from './writeBatch';
import type { WriteTarget } from './writeTargets';
import { USER_LOGIN, USER_RECORD } from './writeTargets';

const factsOf = (state: TargetState | undefined) => state?.values.facts as OffboardFacts;

export const OFFBOARD_TARGET: WriteTarget = {
	sobject: 'User',
	lookupFields: () => [],
	async stateAfterLookup(session, lookup, _fields, wanted = []) {
		return await readOffboardState(session, lookup.byId as ReadonlyMap<string, User>, wanted);
	},
	readState: async (session, fields, userIds) =>
		await readOffboardStateById(session, userIds, fields),
	missingRecord: (user) => ({
		code: 'USER_NOT_FOUND',
		message: `Salesforce returned nothing to offboard for ${user.Username}`,
	}),
};

/** One record write per user (freeze, feature licenses, deactivate), with the usual retries. */
async function writeStep(
	session: SalesforceSession,
	target: WriteTarget,
	writes: UserWrite[],
	guidance?: (error: WriteError) => string | undefined,
): Promise<Map<string, UserOutcome>> {
	if (writes.length === 0) return new Map();
	const fields = [...new Set(writes.flatMap((w) => Object.keys(w.patch)))];
	const io: WriteIo = {
		update: async (records) =>
			await cleanErrors(async () => await updateRecords(session, target.sobject, records)),
		readState: async (userIds) => await target.readState(session, fields, userIds),
		sleep: async (ms) => await sleep(ms),
	};
	return await executeWrites(writes, io, { ...DEFAULT_EXECUTE_OPTIONS, guidance });
}

function stepResult(
	step: OffboardStep,
	outcome: UserOutcome | undefined,
	changedReason?: string,
): StepResult {
	if (!outcome)
		return { step, result: 'failed', error: { code: 'OUTCOME_UNKNOWN', message: 'Not attempted' } };
	if (outcome.kind === 'failed') return { step, result: 'failed', error: outcome.error };
	if (outcome.kind === 'unchanged') return { step, result: 'unchanged', reason: outcome.reason };
	return { step, result: 'changed', ...(changedReason ? { reason: changedReason } : {}) };
}

/** The per-user plan a dry run shows for the steps a user needs (`steps`: from the patch). */
function dryRunSteps(
	steps: readonly OffboardStep[],
	facts: OffboardFacts,
	blocked: string | undefined,
): StepResult[] {
	return steps.map((step): StepResult => {
		if (step === 'deactivate' && blocked) return { step, result: 'skipped', reason: blocked };
		if (step === 'removeFeatureLicenses')
			return {
				step,
				result: 'dryRun',
				reason: `would remove ${featureLicenseNames(facts.features)}`,
				records: 1,
			};
		const kind = STEP_KIND[step];
		if (!kind) return { step, result: 'dryRun', records: 1 };
		const held = facts.holdings[kind] ?? [];
		return {
			step,
			result: 'dryRun',
			reason: `would remove ${held.map((h) => h.name).join(', ')}`,
			records: held.length,
		};
	});
}

/** The steps each user's items chose (several items may name one user). */
function chosenSteps(run: WriteRunContext): Map<string, Set<OffboardStep>> {
	const wantedOf = new Map(run.intents.map((i) => [i.itemIndex, Object.keys(i.wanted)]));
	const chosen = new Map<string, Set<OffboardStep>>();
	for (const item of run.plan.items) {
		if (!item.userId) continue;
		const set = chosen.get(item.userId) ?? new Set<OffboardStep>();
		for (const step of stepsOf(wantedOf.get(item.itemIndex) ?? [])) set.add(step);
		chosen.set(item.userId, set);
	}
	return chosen;
}

/** A chosen step with nothing to do for the user, as its entry on the item. */
const doneStep = (step: OffboardStep, facts: OffboardFacts): StepResult => ({
	step,
	result: 'unchanged',
	reason: doneReason(step, facts),
});

/** Entries for the chosen steps a user needs none of, merged with the ones that ran, in order. */
function allSteps(
	ran: readonly StepResult[],
	chosen: ReadonlySet<OffboardStep> | undefined,
	facts: OffboardFacts,
): StepResult[] {
	const byStep = new Map(ran.map((r) => [r.step, r]));
	return OFFBOARD_STEPS.filter((s) => byStep.has(s) || chosen?.has(s)).map(
		(s) => byStep.get(s) ?? doneStep(s, facts),
	);
}

export const offboardSpec: WriteActionSpec = {
	action: 'offboard',
	label: 'Offboard user',
	target: OFFBOARD_TARGET,
	wantedValues(this: IExecuteFunctions, itemIndex: number) {
		const parsed = parseSteps(this.getNodeParameter('steps', itemIndex, [...OFFBOARD_STEPS]));
		if (!parsed.ok) return { ok: false, field: 'Steps', reason: parsed.reason };
		return { ok: true, value: Object.fromEntries(parsed.steps.map((s) => [stepKey(s), true])) };
	},
	unchangedReason: () => 'Nothing left to do: every chosen step is done',
	dryRunReason: () => 'Dry run: would offboard the user',
	guidance: deactivationGuidance,
	async prepare(run: WriteRunContext): Promise<PreparedWrite> {
		const deactivating = run.plan.writes
			.filter((w) => stepsOf(Object.keys(w.patch)).includes('deactivate'))
			.map((w) => w.userId);
		const blockers = await readDeactivationBlockers(run.session, deactivating);
		// A user with nothing to do but a blocked deactivation is skipped, as Deactivate user does.
		const onlyDeactivation = new Map(
			[...blockers].filter(([userId]) => {
				const write = run.plan.writes.find((w) => w.userId === userId);
				return !!write && stepsOf(Object.keys(write.patch)).every((s) => s === 'deactivate');
			}),
		);
		const plan = skipBlocked(run.plan, onlyDeactivation);
		const blocked = (userId: string) => {
			const found = blockers.get(userId);
			return found ? blockedReason(found) : undefined;
		};
		const chosen = chosenSteps(run);
		const details = new Map<string, IDataObject>();
		if (run.dryRun) {
			const perStep = new Map<OffboardStep, number>();
			const planned = plan.writes.map((w) => {
				const facts = factsOf(run.state.get(w.userId));
				const steps = allSteps(
					dryRunSteps(stepsOf(Object.keys(w.patch)), facts, blocked(w.userId)),
					chosen.get(w.userId),
					facts,
				);
				for (const s of steps)
					if (s.result === 'dryRun')
						perStep.set(s.step, (perStep.get(s.step) ?? 0) + (s.records ?? 0));
				return { w, steps };
			});
			const calls = plannedCalls(perStep);
			for (const { w, steps } of planned) {
				const would = steps.filter((s) => s.result === 'dryRun').map((s) => STEP_LABELS[s.step]);
				details.set(w.userId, {
					reason: `Dry run: would ${would.join(', ').toLowerCase() || 'change nothing'}; the run would spend ${calls} write call(s) for ${plan.writes.length} user(s)`,
					steps: steps as unknown as IDataObject[],
					plannedCalls: calls,
				});
			}
			return { plan, details };
		}
		return {
			plan,
			details,
			async execute(writes) {
				const ran = await runSteps(run.session, writes, run.state, blocked);
				const outcomes = new Map<string, UserOutcome>();
				for (const w of writes) {
					const steps = allSteps(
						ran.get(w.userId) ?? [],
						chosen.get(w.userId),
						factsOf(run.state.get(w.userId)),
					);
					const reason = overallReason(steps);
					details.set(w.userId, {
						...(reason ? { reason } : {}),
						steps: steps as unknown as IDataObject[],
					});
					outcomes.set(w.userId, overallOutcome(steps));
				}
				return outcomes;
			},
		};
	},
};

/** Runs the due steps in order, each batched across all users: the step entries per user. */
async function runSteps(
	session: SalesforceSession,
	writes: readonly UserWrite[],
	state: ReadonlyMap<string, TargetState>,
	blockedReason: (userId: string) => string | undefined,
): Promise<Map<string, StepResult[]>> {
	const results = new Map<string, StepResult[]>(writes.map((w) => [w.userId, []]));
	const add = (userId: string, result: StepResult) => results.get(userId)!.push(result);
	const facts = (w: UserWrite) => factsOf(state.get(w.userId));

	for (const step of OFFBOARD_STEPS) {
		const due = writes.filter((w) => stepsOf(Object.keys(w.patch)).includes(step));
		if (due.length === 0) continue;
		const kind = STEP_KIND[step];
		if (kind) {
			const deleted = await deleteHoldings(
				session,
				due.flatMap((w) => facts(w).holdings[kind] ?? []),
			);
			for (const w of due) {
				const report = reportRemoval(kind, facts(w).holdings[kind] ?? [], deleted);
				const [first] = report.failed;
				add(w.userId, {
					step,
					result: first ? 'failed' : 'changed',
					removed: report.removed,
					...(first
						? {
								error: {
									code: first.code,
									message: `${first.name}: ${first.message}`,
									...(first.guidance ? { guidance: first.guidance } : {}),
								},
							}
						: {}),
				});
			}
		} else if (step === 'freeze') {
			const withLogin = due.filter((w) => facts(w).userLoginId);
			for (const w of due.filter((d) => !facts(d).userLoginId))
				add(w.userId, {
					step,
					result: 'failed',
					error: USER_LOGIN.missingRecord({ Id: w.userId, Username: w.username }),
				});
			const outcomes = await writeStep(
				session,
				USER_LOGIN,
				withLogin.map((w) => ({
					...w,
					recordId: facts(w).userLoginId!,
					patch: { IsFrozen: true },
				})),
			);
			for (const w of withLogin) add(w.userId, stepResult(step, outcomes.get(w.userId)));
		} else if (step === 'removeFeatureLicenses') {
			const outcomes = await writeStep(
				session,
				USER_RECORD,
				due.map((w) => ({
					...w,
					recordId: w.userId,
					patch: Object.fromEntries(facts(w).features.map((f) => [f, false])),
				})),
			);
			for (const w of due) {
				const result = stepResult(step, outcomes.get(w.userId));
				add(
					w.userId,
					result.result === 'changed'
						? { ...result, removed: facts(w).features.map((f) => featureLicenseNames([f])) }
						: result,
				);
			}
		} else {
			// deactivate: only users nothing blocks and whose earlier steps all went through.
			const ready: UserWrite[] = [];
			for (const w of due) {
				const blocked = blockedReason(w.userId);
				if (blocked) add(w.userId, { step, result: 'skipped', reason: blocked });
				else if (results.get(w.userId)!.some((s) => s.result === 'failed'))
					add(w.userId, {
						step,
						result: 'skipped',
						reason:
							'An earlier step failed, so the user stays active (and frozen); fix it and run again',
					});
				else ready.push(w);
			}
			const outcomes = await writeStep(
				session,
				USER_RECORD,
				ready.map((w) => ({ ...w, recordId: w.userId, patch: { IsActive: false } })),
				deactivationGuidance,
			);
			for (const w of ready) add(w.userId, stepResult(step, outcomes.get(w.userId)));
		}
	}
	return results;
}
