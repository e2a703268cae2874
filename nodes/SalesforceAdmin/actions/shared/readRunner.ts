/**
 * The shape every read operation shares: validate every item's input first (no network), sign
 * in once, then run item by item, honouring Continue On Fail and setting pairedItem.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { SalesforceSession } from '../../transport';
import { connect, toNodeApiError } from '../../transport';
import { InputError, itemFieldMessage } from '../../salesforce/input';

export interface ParsedItem<P> {
	itemIndex: number;
	params: P;
}

export interface ReadOperation<P, S> {
	/** Reads and validates one item's parameters; throws InputError. Must not call Salesforce. */
	parse(this: IExecuteFunctions, itemIndex: number): P;
	/**
	 * Work shared by every item, done once after sign-in (describe, validating names against the
	 * org). May reject single items by returning their errors.
	 */
	prepare?(
		this: IExecuteFunctions,
		session: SalesforceSession,
		items: Array<ParsedItem<P>>,
	): Promise<{ shared: S; itemErrors?: Map<number, Error> }>;
	/** The output items of one input item (pairedItem is set by the caller). */
	run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: P,
		itemIndex: number,
		shared: S,
	): Promise<INodeExecutionData[]>;
}

/** Runs a read operation over all input items with a single sign-in. */
export async function executeRead<P, S>(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: ReadOperation<P, S>,
): Promise<INodeExecutionData[]> {
	const outputs: INodeExecutionData[][] = items.map(() => []);
	const fail = (itemIndex: number, error: Error) => {
		const nodeError = asNodeError(this, error, itemIndex);
		if (!this.continueOnFail()) throw nodeError;
		outputs[itemIndex] = [{ json: { error: nodeError.message }, pairedItem: { item: itemIndex } }];
	};

	// 1. Every item's input is checked before anything is sent to Salesforce.
	const parsed: Array<ParsedItem<P>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			parsed.push({ itemIndex, params: operation.parse.call(this, itemIndex) });
		} catch (error) {
			fail(itemIndex, error as Error);
		}
	}

	if (parsed.length > 0) {
		// 2. One sign-in and the shared preparation for the whole execution.
		let session: SalesforceSession;
		let shared: S;
		let itemErrors: Map<number, Error> | undefined;
		try {
			session = await connect.call(this);
			const prepared = operation.prepare
				? await operation.prepare.call(this, session, parsed)
				: { shared: undefined as S };
			shared = prepared.shared;
			itemErrors = prepared.itemErrors;
		} catch (error) {
			for (const { itemIndex } of parsed) fail(itemIndex, error as Error);
			return outputs.flat();
		}

		// 3. Each item on its own, so one failing item does not hide the others' results.
		for (const { itemIndex, params } of parsed) {
			const rejected = itemErrors?.get(itemIndex);
			if (rejected) {
				fail(itemIndex, rejected);
				continue;
			}
			try {
				const results = await operation.run.call(this, session, params, itemIndex, shared);
				// Set on the run's own fresh items rather than copied: one object less per output item.
				for (const result of results) result.pairedItem = { item: itemIndex };
				outputs[itemIndex] = results;
			} catch (error) {
				fail(itemIndex, error as Error);
			}
		}
	}
	return outputs.flat();
}

function asNodeError(
	ctx: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof InputError)
		return new NodeOperationError(
			ctx.getNode(),
			itemFieldMessage(itemIndex, error.field, error.reason),
			{
				itemIndex,
				description: 'Fix the value and run the node again.',
			},
		);
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return toNodeApiError(ctx.getNode(), error, itemIndex);
}

/** Plain objects as output items (executeRead sets their pairedItem). */
export const toItems = (objects: IDataObject[]): INodeExecutionData[] =>
	objects.map((json) => ({ json }));
