/** Which feature-license fields of User the connected user can read: one describe call. */
import {
	missingFeatureFieldsNotice,
	missingStandardFeatureFields,
	readableFeatureFields,
} from '../salesforce/featureLicenses';
import type { SalesforceSession } from '../transport';
import { describeSObject } from '../transport';
import type { WithNotices } from './withNotices';

/**
 * The UserPermissions* fields the connected user can read. Fields it cannot read are left out of
 * the query (selecting them would fail the whole query) and named in a notice.
 */
export async function readableUserFeatureFields(
	session: SalesforceSession,
): Promise<WithNotices<string[]>> {
	const describe = await describeSObject(session, 'User');
	const readable = readableFeatureFields(describe.fields.map((f) => f.name));
	const missing = missingStandardFeatureFields(readable);
	return { data: readable, notices: missing.length ? [missingFeatureFieldsNotice(missing)] : [] };
}
