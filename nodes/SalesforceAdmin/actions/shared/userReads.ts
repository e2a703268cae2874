/**
 * What Get users, Get user and Get licenses share at run time: which feature-license fields the
 * connected user can read (one describe call), with a notice naming the ones it cannot.
 */
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import {
	missingFeatureFieldsNotice,
	missingStandardFeatureFields,
	readableFeatureFields,
} from '../../salesforce/featureLicenses';
import type { SalesforceSession } from '../../transport';
import { describeSObject } from '../../transport';
import { addNotice } from './notices';

/**
 * The UserPermissions* fields the connected user can read. Fields it cannot read are left out of
 * the query (selecting them would fail the whole query) and named in a notice.
 */
export async function readableUserFeatureFields(
	ctx: IExecuteFunctions | IPollFunctions,
	session: SalesforceSession,
): Promise<string[]> {
	const describe = await describeSObject(session, 'User');
	const readable = readableFeatureFields(describe.fields.map((f) => f.name));
	const missing = missingStandardFeatureFields(readable);
	if (missing.length) addNotice(ctx, missingFeatureFieldsNotice(missing));
	return readable;
}
