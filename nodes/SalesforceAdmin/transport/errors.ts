import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Admin guidance for the Salesforce error codes people meet most. */
const GUIDANCE: Record<string, string> = {
	INVALID_LOGIN:
		'Check the username and password. If the password is right, the security token may have been reset: get a new one (Settings > Reset My Security Token) and enter it in the credential. The user may also be locked out, its profile may lack "API Enabled", or login IP ranges or login hours may block this call.',
	REQUEST_LIMIT_EXCEEDED:
		'The org has used its daily API request limit. Wait for the 24-hour window to roll over or ask Salesforce for a higher limit.',
	INSUFFICIENT_ACCESS:
		'The connected user lacks a permission this call needs. Grant it through a permission set.',
};

export interface SalesforceErrorLike {
	errorCode?: string;
	name?: string;
	message?: string;
}

/** Turns a jsforce / Salesforce error into a NodeApiError with Salesforce's code and guidance. */
export function toNodeApiError(node: INode, error: SalesforceErrorLike, itemIndex?: number): NodeApiError {
	const code = error.errorCode ?? error.name ?? 'UNKNOWN_ERROR';
	const message = error.message ?? 'Salesforce returned an error';
	return new NodeApiError(node, { code, message } as JsonObject, {
		message: `${code}: ${message}`,
		description: GUIDANCE[code],
		itemIndex,
	});
}
