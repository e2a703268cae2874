/** Notices in n8n's output pane, shown by operations and skipped by the trigger. */
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

/**
 * Shows a notice in the output pane (n8n 1.x execution hints). Older n8n versions have no hints;
 * there the notice is skipped, never an error.
 */
export function addNotice(ctx: IExecuteFunctions | IPollFunctions, message: string): void {
	// a poll has no hints: the notice is skipped there too
	const withHints = ctx as { addExecutionHints?: IExecuteFunctions['addExecutionHints'] };
	if (typeof withHints.addExecutionHints === 'function') {
		withHints.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	}
}
