/** LoginHistory rows for the Failed login trigger: one query, its rows as records.ts types them. */
import type { LoginHistory } from '../salesforce/records';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';

/** The LoginHistory rows one query finds (salesforce/failedLogins.ts and loginHistory.ts build it). */
export async function readLogins(
	session: SalesforceSession,
	soql: string,
): Promise<LoginHistory[]> {
	return await queryAll<LoginHistory>(session, soql);
}
