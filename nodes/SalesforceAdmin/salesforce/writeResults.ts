/**
 * The write runner's items as n8n gets them (actions/shared/writeBatch.ts): a failed item per
 * intent when a read the run rests on failed, each user's details merged into their items, and
 * the item JSON with the same keys on every item.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { WriteAction, WriteError, WriteIntent, WriteItemResult } from './writePlan';

/** Every item failed with one error (a read the run rests on failed, Continue On Fail). */
export function failedItems(
	intents: readonly WriteIntent[],
	action: WriteAction,
	error: WriteError,
): WriteItemResult[] {
	return intents.map((intent) => ({
		itemIndex: intent.itemIndex,
		id: intent.ref.kind === 'id' ? intent.ref.id : null,
		username: intent.ref.kind === 'username' ? intent.ref.username : null,
		action,
		result: 'failed',
		error,
	}));
}

/** Every item of a user gets that user's details (removed names, steps, ...). */
export function withDetails(
	results: WriteItemResult[],
	details: ReadonlyMap<string, IDataObject> | undefined,
): WriteItemResult[] {
	if (!details || details.size === 0) return results;
	return results.map((r) => {
		const extra = r.id ? details.get(r.id) : undefined;
		if (!extra) return r;
		const merged = { ...r, ...extra } as WriteItemResult;
		// The detailed reason replaces the generic one; the run's own notes (a forced dry run,
		// a repeated user) stay on it.
		const notes = (r.reason?.match(RUN_NOTES) ?? []).map((n) => (n.startsWith('(') ? n : `(${n})`));
		if (typeof extra.reason === 'string' && notes.length)
			merged.reason = `${extra.reason} ${notes.join(' ')}`;
		return merged;
	});
}

/** Notes the run adds to an item's reason: a forced dry run, a user named twice. */
const RUN_NOTES = /\(?(?:a dry run because [^)]*|Same user as item \d+; acted on once)\)?/g;

/**
 * Every result item has the same keys, `reason` and `duplicateOf` null where there is none, so
 * n8n's schema and table views line users up instead of showing one user's reason next to
 * another. `error` is the exception: it is there only on a failed item, as on n8n's own items
 * with Continue On Fail. n8n 1.x's Retry On Fail takes any `error` key on the first item other
 * than undefined (null included) for a failure and runs the node again.
 */
export function toExecutionData(item: WriteItemResult): INodeExecutionData {
	const { itemIndex, id, username, action, result, reason, error, duplicateOf, ...more } = item;
	const json: IDataObject = {
		id,
		username,
		action,
		result,
		reason: reason ?? null,
		...(error ? { error: error as unknown as IDataObject } : {}),
		duplicateOf: duplicateOf ?? null,
	};
	for (const [key, value] of Object.entries(more)) json[key] = (value as IDataObject) ?? null;
	return { json, pairedItem: { item: itemIndex } };
}
