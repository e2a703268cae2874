/**
 * Taking entitlements away (package seats, permission set licenses, permission sets and groups,
 * group and queue memberships) through the one write path (writeBatch.ts): the state of a user
 * is what they hold (one batched query per chunk of users), the write is deleting the chosen
 * assignment records (deleteRecords: <= 1,000 a call, allOrNone false), and each
 * user's item says what was removed and what Salesforce refused.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { EntitlementKind, Holding } from '../../salesforce/entitlements';
import {
	ENTITLEMENTS,
	chosenNames,
	failItems,
	choiceToWanted,
	holdingState,
	parseEntitlementChoice,
	selectHoldings,
	unknownNames,
} from '../../salesforce/entitlements';
import { itemFieldMessage } from '../../salesforce/input';
import { IDS_PER_DELETE_CALL } from '../../salesforce/limits';
import type { CallErrorLike } from '../../salesforce/writeExecution';
import { errorOfCall, isRejectedCall } from '../../salesforce/writeExecution';
import { entitlementGuidance } from '../../salesforce/writeGuidance';
import type {
	FieldValues,
	TargetState,
	UserOutcome,
	UserWrite,
	WriteAction,
	WriteError,
	WritePlan,
} from '../../salesforce/writePlan';
import { readCatalog, readHoldings } from '../../reads/entitlementHoldings';
import type { SalesforceSession } from '../../transport';
import { deleteRecords, describeSalesforceError } from '../../transport';
import type { PreparedWrite, WriteActionSpec, WriteRunContext } from './writeBatch';
import type { WriteTarget } from './writeTargets';

/** The user's holdings the state carries (holdingState puts them there). */
export function heldOf(state: TargetState | undefined): Holding[] {
	return ((state?.values.holdings as Holding[] | undefined) ?? []).slice();
}

/** A user's holdings of one kind as write state: each wanted name true while held. */
export function entitlementTarget(kind: EntitlementKind): WriteTarget {
	return {
		sobject: ENTITLEMENTS[kind].sobject,
		lookupFields: () => [],
		async stateAfterLookup(session, lookup, _fields, wanted = []) {
			return await this.readState(session, wanted, [...lookup.byId.keys()]);
		},
		async readState(session, fields, userIds) {
			const state = new Map<string, TargetState>();
			for (const [userId, holdings] of await readHoldings(session, kind, userIds))
				state.set(userId, { recordId: userId, values: holdingState(holdings, fields) });
			return state;
		},
		missingRecord: (user) => ({
			code: 'USER_NOT_FOUND',
			message: `Salesforce returned no ${ENTITLEMENTS[kind].noun} for ${user.Username}`,
		}),
	};
}

/** How one delete ended: gone, or refused with Salesforce's code and message. */
export type DeleteOutcome = { ok: true } | { ok: false; error: WriteError };

/**
 * Deletes assignment records, 1,000 a call (one object per call: Salesforce refuses mixing
 * Setup objects). A record already gone (ENTITY_IS_DELETED, e.g. Salesforce removed a
 * permission set license with its last permission set) counts as removed, which also makes
 * one retry of a call whose effect is unknown (5xx, dropped connection) safe.
 */
export async function deleteHoldings(
	session: SalesforceSession,
	holdings: readonly Holding[],
	retryPauseMs = 300,
): Promise<Map<string, DeleteOutcome>> {
	const outcomes = new Map<string, DeleteOutcome>();
	for (let start = 0; start < holdings.length; start += IDS_PER_DELETE_CALL) {
		const ids = holdings.slice(start, start + IDS_PER_DELETE_CALL).map((h) => h.recordId);
		let results: Awaited<ReturnType<typeof deleteRecords>> | undefined;
		let callError: WriteError | undefined;
		for (let attempt = 0; attempt < 2 && !results; attempt++) {
			try {
				results = await deleteRecords(session, ids);
			} catch (error) {
				const info = describeSalesforceError(error);
				callError = errorOfCall({ errorCode: info.code, message: info.message });
				if (isRejectedCall(callError as CallErrorLike)) break;
				if (attempt === 0) await sleep(retryPauseMs);
			}
		}
		ids.forEach((id, i) => {
			const result = results?.[i];
			if (!result) {
				outcomes.set(id, {
					ok: false,
					error: callError ?? {
						code: 'OUTCOME_UNKNOWN',
						message: 'Salesforce returned no result for this record',
					},
				});
			} else if (result.success || result.errors[0]?.statusCode === 'ENTITY_IS_DELETED') {
				outcomes.set(id, { ok: true });
			} else {
				const first = result.errors[0];
				outcomes.set(id, {
					ok: false,
					error: {
						code: first?.statusCode ?? 'UNKNOWN_ERROR',
						message: first?.message ?? 'Salesforce did not delete the record',
					},
				});
			}
		});
	}
	return outcomes;
}

/** One user's share of a removal: what went, what Salesforce refused. */
export interface RemovalReport {
	removed: string[];
	failed: Array<{ name: string; code: string; message: string; guidance?: string }>;
}

export function reportRemoval(
	kind: EntitlementKind,
	holdings: readonly Holding[],
	outcomes: ReadonlyMap<string, DeleteOutcome>,
): RemovalReport {
	const report: RemovalReport = { removed: [], failed: [] };
	for (const holding of holdings) {
		const outcome = outcomes.get(holding.recordId);
		if (outcome?.ok) report.removed.push(holding.name);
		else {
			const error = outcome?.error ?? { code: 'OUTCOME_UNKNOWN', message: 'Not attempted' };
			const guidance = entitlementGuidance(kind, error);
			report.failed.push({ name: holding.name, ...error, ...(guidance ? { guidance } : {}) });
		}
	}
	return report;
}

/** The user's outcome: failed when Salesforce refused any record (the error names the first). */
export function removalOutcome(report: RemovalReport): UserOutcome {
	const [first] = report.failed;
	if (!first) return { kind: 'changed' };
	return {
		kind: 'failed',
		error: {
			code: first.code,
			message: `${first.name}: ${first.message}${report.removed.length ? ` (removed: ${report.removed.join(', ')})` : ''}`,
			...(first.guidance ? { guidance: first.guidance } : {}),
		},
	};
}

export const namesText = (names: readonly string[]) => names.join(', ');

/** Calls a number of records costs: one Composite request (5 Collections DELETE of 200) per 1,000. */
export const deleteCalls = (records: number) => Math.ceil(records / IDS_PER_DELETE_CALL);

/**
 * Chosen names the org does not have fail the run before any write, naming the item and the
 * field (one catalog query, only when an item names something); with Continue On Fail only
 * those items fail. Returns the plan to go on with.
 */
export async function checkKnownNames(
	ctx: IExecuteFunctions,
	run: WriteRunContext,
	kind: EntitlementKind,
): Promise<WritePlan> {
	const named = run.intents
		.map((intent) => ({ intent, names: chosenNames(Object.keys(intent.wanted)) ?? [] }))
		.filter((n) => n.names.length > 0);
	if (named.length === 0) return run.plan;
	const catalog = await readCatalog(run.session, kind);
	const known = new Set(catalog.flatMap((c) => c.keys));
	const spec = ENTITLEMENTS[kind];
	const failures = new Map<number, WriteError>();
	for (const { intent, names } of named) {
		const unknown = unknownNames(names, known);
		if (unknown.length === 0) continue;
		const message = itemFieldMessage(
			intent.itemIndex,
			spec.displayName,
			`names ${unknown.map((n) => `"${n}"`).join(', ')}, which this org does not have`,
		);
		if (!ctx.continueOnFail()) {
			throw new NodeOperationError(ctx.getNode(), message, {
				itemIndex: intent.itemIndex,
				description: `Nothing was changed. This org has: ${namesText(catalog.map((c) => c.value)) || 'none'}.`,
			});
		}
		failures.set(intent.itemIndex, { code: 'INVALID_PARAMETER', message });
	}
	return failItems(run.plan, failures, run.intents, run.state);
}

/** What each planned user loses: the holdings its patch chooses. */
export function plannedRemovals(
	writes: readonly UserWrite[],
	state: ReadonlyMap<string, TargetState>,
): Map<string, Holding[]> {
	const removals = new Map<string, Holding[]>();
	for (const write of writes)
		removals.set(
			write.userId,
			selectHoldings(heldOf(state.get(write.userId)), Object.keys(write.patch)),
		);
	return removals;
}

/** One removal operation (removePackageLicenses, ...): a spec for executeWriteAction. */
export function entitlementRemovalSpec(
	kind: EntitlementKind,
	action: WriteAction,
	label: string,
): WriteActionSpec {
	const spec = ENTITLEMENTS[kind];
	return {
		action,
		label,
		target: entitlementTarget(kind),
		wantedValues(this: IExecuteFunctions, itemIndex: number) {
			const parsed = parseEntitlementChoice(this.getNodeParameter(spec.parameter, itemIndex, []));
			if (!parsed.ok) return { ok: false, field: spec.displayName, reason: parsed.reason };
			return { ok: true, value: choiceToWanted(parsed.choice) };
		},
		unchangedReason(wanted: FieldValues) {
			const names = chosenNames(Object.keys(wanted));
			return names
				? `Holds none of the chosen ${spec.noun} (${namesText(names)})`
				: `Holds no ${spec.noun}`;
		},
		dryRunReason: () => `Dry run: would remove ${spec.noun}`,
		async prepare(this: IExecuteFunctions, run: WriteRunContext): Promise<PreparedWrite> {
			const plan = await checkKnownNames(this, run, kind);
			const removals = plannedRemovals(plan.writes, run.state);
			const details = new Map<string, IDataObject>();
			if (run.dryRun) {
				const records = [...removals.values()].reduce((n, h) => n + h.length, 0);
				for (const [userId, holdings] of removals) {
					details.set(userId, {
						reason: `Dry run: would remove ${namesText(holdings.map((h) => h.name))} (${holdings.length} of ${records} records; ${deleteCalls(records)} delete call(s) for the run)`,
					});
				}
				return { plan, details };
			}
			return {
				plan,
				details,
				async execute(writes) {
					const all = writes.flatMap((w) => removals.get(w.userId) ?? []);
					const deleted = await deleteHoldings(run.session, all);
					const outcomes = new Map<string, UserOutcome>();
					for (const write of writes) {
						const report = reportRemoval(kind, removals.get(write.userId) ?? [], deleted);
						details.set(write.userId, {
							removed: report.removed,
							...(report.failed.length ? { failed: report.failed } : {}),
							...(report.removed.length && !report.failed.length
								? { reason: `Removed ${namesText(report.removed)}` }
								: {}),
						});
						outcomes.set(write.userId, removalOutcome(report));
					}
					return outcomes;
				},
			};
		},
	};
}
