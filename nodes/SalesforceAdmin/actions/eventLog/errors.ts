/**
 * The error that says how to grant View Event Log Files, for the event-log operations, the
 * license activity read and the New Event Log File trigger.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { SalesforceErrorLike } from '../../transport';
import { toNodeApiError } from '../../transport';

const GRANT_HELP =
	'Reading Event Log Files needs the "View Event Log Files" permission (or "View All Data") and "API Enabled". ' +
	'In Salesforce Setup > Permission Sets, open or create a permission set, under System Permissions enable ' +
	'"View Event Log Files", save, and assign it to the connected user (Manage Assignments). Orgs without Event ' +
	'Monitoring only have the free event types (Login, Logout, API Total Usage, ...), kept for 1 day.';

/**
 * Salesforce hides EventLogFile from users without View Event Log Files (INVALID_TYPE "sObject
 * type 'EventLogFile' is not supported") and refuses the download (INSUFFICIENT_ACCESS / 403):
 * both become an error that says which permission to grant and how.
 */
export function eventLogError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: SalesforceErrorLike & { statusCode?: number },
	itemIndex: number,
): Error {
	if (error instanceof NodeApiError || !isEventLogAccessError(error)) return error as Error;
	const apiError = toNodeApiError(ctx.getNode(), error, itemIndex);
	apiError.message = `The connected user cannot read Event Log Files (${error.errorCode ?? 'HTTP 403'}: ${error.message ?? ''})`;
	apiError.description = GRANT_HELP;
	return apiError;
}

export function isEventLogAccessError(
	error: SalesforceErrorLike & { statusCode?: number },
): boolean {
	const code = error.errorCode ?? error.name ?? '';
	if (code.startsWith('INSUFFICIENT_ACCESS') || code === 'ERROR_HTTP_403' || code === 'FORBIDDEN')
		return true;
	if (error.statusCode === 403) return true;
	return code === 'INVALID_TYPE' && /EventLogFile/i.test(error.message ?? '');
}
