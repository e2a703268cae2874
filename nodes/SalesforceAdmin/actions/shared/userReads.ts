/**
 * What Get users and Get user share at run time: which feature-license fields the connected
 * user can read (one describe call), and the frozen state of the users read.
 */
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import { to18CharId } from '../../salesforce/ids';
import { fetchFrozenState, LOOKUP_BATCH_SIZE } from '../../salesforce/userLookup';
import { missingFeatureFieldsNotice, missingStandardFeatureFields, readableFeatureFields } from '../../salesforce/users';
import type { SalesforceSession } from '../../transport';
import { queryPages } from '../../transport';
import { addNotice, describeObject } from './readHelpers';

/**
 * The UserPermissions* fields the connected user can read. Fields it cannot read are left out of
 * the query (selecting them would fail the whole query) and named in a notice.
 */
export async function readableUserFeatureFields(ctx: IExecuteFunctions | IPollFunctions, session: SalesforceSession): Promise<string[]> {
	const describe = await describeObject(session, 'User');
	const readable = readableFeatureFields(describe.fields.map((f) => f.name));
	const missing = missingStandardFeatureFields(readable);
	if (missing.length) addNotice(ctx, missingFeatureFieldsNotice(missing));
	return readable;
}

/**
 * Frozen state for pages of users, with as few calls as possible: a page of up to 500 users
 * costs one UserLogin query for exactly those users; bigger reads load the org's frozen users
 * once (`IsFrozen = true` is rare, so that is usually a single call however many users are read).
 */
export class FrozenStateReader {
	private orgFrozen: Promise<Set<string>> | undefined;

	constructor(private readonly session: SalesforceSession) {}

	async frozenIds(userIds: readonly string[]): Promise<Set<string>> {
		if (userIds.length === 0) return new Set();
		if (!this.orgFrozen && userIds.length <= LOOKUP_BATCH_SIZE) {
			const state = await fetchFrozenState(this.session, userIds);
			return new Set([...state].filter(([, s]) => s.isFrozen).map(([id]) => normalize(id)));
		}
		this.orgFrozen ??= this.loadOrgFrozen();
		return await this.orgFrozen;
	}

	private async loadOrgFrozen(): Promise<Set<string>> {
		const frozen = new Set<string>();
		for await (const page of queryPages(this.session, 'SELECT UserId FROM UserLogin WHERE IsFrozen = true')) {
			for (const row of page) frozen.add(normalize(String(row.UserId)));
		}
		return frozen;
	}
}

const normalize = (id: string) => to18CharId(id) ?? id;
