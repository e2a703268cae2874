/**
 * The state Offboard user acts on (actions/shared/offboardRun.ts), read in batches: what each
 * wanted step touches (frozen state, what the users hold, their feature licenses, whether they
 * are active), one query per chunk of users and kind, never one per user.
 */
import type { EntitlementKind, Holding } from '../salesforce/entitlements';
import { readableFeatureFields } from '../salesforce/featureLicenses';
import type { OffboardFacts } from '../salesforce/offboard';
import { STEP_KIND, offboardState, stepsOf } from '../salesforce/offboard';
import type { User } from '../salesforce/records';
import { chunkForInList } from '../salesforce/userLookup';
import { userFieldsSoql } from '../salesforce/writeQueries';
import type { TargetState } from '../salesforce/writePlan';
import type { SalesforceSession } from '../transport';
import { queryAll } from '../transport';
import { describeUser, readHoldings } from './entitlementHoldings';
import { fetchFrozenState } from './lookUpUsers';

/** The feature-license fields that are on, per user (one describe, one query per chunk). */
async function readFeatures(
	session: SalesforceSession,
	userIds: readonly string[],
): Promise<Map<string, string[]>> {
	const fields = readableFeatureFields((await describeUser(session)).fields.map((f) => f.name));
	const on = new Map<string, string[]>();
	if (fields.length === 0) return on;
	for (const group of chunkForInList([...userIds])) {
		for (const row of await queryAll<User>(session, userFieldsSoql(fields, group)))
			on.set(
				row.Id,
				fields.filter((f) => row[f as `UserPermissions${string}`] === true),
			);
	}
	return on;
}

/** Reads what the wanted steps need, for every looked-up user, in batches. */
export async function readOffboardState(
	session: SalesforceSession,
	users: ReadonlyMap<string, User>,
	wanted: readonly string[],
): Promise<Map<string, TargetState>> {
	const steps = stepsOf(wanted);
	const ids = [...users.keys()];
	const frozen = steps.includes('freeze') ? await fetchFrozenState(session, ids) : new Map();
	const holdings = new Map<EntitlementKind, Map<string, Holding[]>>();
	for (const step of steps) {
		const kind = STEP_KIND[step];
		if (kind) holdings.set(kind, await readHoldings(session, kind, ids));
	}
	const features = steps.includes('removeFeatureLicenses')
		? await readFeatures(session, ids)
		: new Map<string, string[]>();
	const state = new Map<string, TargetState>();
	for (const [id, user] of users) {
		const login = frozen.get(id);
		const facts: OffboardFacts = {
			isActive: user.IsActive !== false,
			userLoginId: login?.userLoginId ?? null,
			isFrozen: login?.isFrozen === true,
			holdings: Object.fromEntries(
				[...holdings].map(([kind, byUser]) => [kind, byUser.get(id) ?? []]),
			),
			features: features.get(id) ?? [],
		};
		state.set(id, { recordId: id, values: offboardState(facts) });
	}
	return state;
}

/** The same state for users known only by ID (the re-read before a retry): IsActive first. */
export async function readOffboardStateById(
	session: SalesforceSession,
	userIds: readonly string[],
	wanted: readonly string[],
): Promise<Map<string, TargetState>> {
	const rows: User[] = [];
	for (const group of chunkForInList([...userIds])) {
		rows.push(...(await queryAll<User>(session, userFieldsSoql(['IsActive'], group))));
	}
	return await readOffboardState(session, new Map(rows.map((r) => [r.Id, r])), wanted);
}
