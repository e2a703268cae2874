/** Notices in n8n's output pane, shown by operations (the trigger has no output pane). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { WithNotices } from '../../reads/withNotices';

/**
 * Shows a notice in the output pane (n8n 1.x execution hints). Older n8n versions have no hints;
 * there the notice is skipped, never an error.
 */
export function addNotice(ctx: IExecuteFunctions, message: string): void {
	const withHints = ctx as { addExecutionHints?: IExecuteFunctions['addExecutionHints'] };
	if (typeof withHints.addExecutionHints === 'function') {
		withHints.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	}
}

/** A read's data, its notices shown (reads/ returns both: reads/withNotices.ts). */
export function withNotices<T>(ctx: IExecuteFunctions, read: WithNotices<T>): T {
	for (const message of read.notices) addNotice(ctx, message);
	return read.data;
}
