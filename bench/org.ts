/**
 * The fake org for the bench: started in the orchestrator's process (so its memory never counts
 * against a measured process), seeded at the case sizes, with the fixtures each case needs.
 */
import { FakeOrg, sfDateTime } from '../test/fake-org';
import { ENTITLEMENT_CATALOG } from '../test/fake-org/seed';
import type { CountingOrg } from './runner';
import type { Scale } from './scale';

const DAY_MS = 86_400_000;

export interface EventLogFixture {
	id: string;
	eventType: string;
	bytes: number;
	/** A window that holds this file's LogDate and no other file of its type. */
	since: string;
	until: string;
}

export interface FreezeTarget {
	userId: string;
	userLoginId: string;
}

/** Users whose entitlements one side of a case takes away, and the record IDs a loop would need. */
export interface EntitlementFixture {
	ours: string[];
	baseline: string[];
	/** Puts every user back into the case's starting state (store only, no API call). */
	reset(): void;
	/** The assignment records (and UserLogin IDs) these users hold now, for the per-record loops. */
	records(userIds: string[]): LeaverRecords[];
	/** Of these users, how many hold nothing the case removes any more. */
	countDone(userIds: string[]): number;
}

export interface LeaverRecords {
	userId: string;
	userLoginId: string;
	/** UserPackageLicense, PermissionSetAssignment, PermissionSetLicenseAssign, GroupMember IDs. */
	deleteIds: string[];
	features: string[];
}

export interface BenchFixtures {
	loginHistorySince: string;
	loginHistoryUntil: string;
	freezeUsers: { ours: FreezeTarget[]; baseline: FreezeTarget[] };
	summaryFiles: EventLogFixture[];
	rowsFile: EventLogFixture;
	packageSeats: EntitlementFixture;
	leavers: EntitlementFixture;
}

export interface BenchOrg extends CountingOrg {
	fixtures: BenchFixtures;
	/** SOQL the org answered since the last resetCalls(). */
	soql(): string[];
	/** How many of these users the org now holds as frozen. */
	countFrozen(userIds: string[]): number;
	/** Sets these users back to not frozen, in the store (no API call). */
	unfreeze(userIds: string[]): void;
	/**
	 * Adds login history so the last 90 days hold `rows` rows (UI and API logins of active users,
	 * some failed). Seeded when the recommendations case starts, after the login history case has
	 * read its own rows. Returns the rows now in the window.
	 */
	seedWindowLogins(rows: number): number;
	stop(): Promise<void>;
}

/** The event type of the generated logs: API files are among the largest in real orgs. */
const EVENT_TYPE = 'API';

export async function startBenchOrg(scale: Scale, caseIds: string[]): Promise<BenchOrg> {
	const wants = (prefix: string) => caseIds.some((id) => id.startsWith(prefix));
	// The admin is one user already: seed the rest so the org holds exactly `scale.users`.
	const org = await FakeOrg.start({
		seed: { users: scale.users - 1, loginHistory: wants('loginHistory') ? scale.loginHistory : 0 },
	});
	const { store } = org;
	const now = store.now().getTime();
	// Salesforce gzips LogFile bodies for clients that ask (ours does); BENCH_LOGFILE_GZIP=off
	// turns that off, to see how much of the event log cases' time goes to (de)compression.
	if (process.env.BENCH_LOGFILE_GZIP === 'off') org.controls.setLogFileCompression(false);

	// Login history is spread over the last 180 days.
	const loginHistorySince = new Date(now - 181 * DAY_MS).toISOString();
	const loginHistoryUntil = new Date(now + DAY_MS).toISOString();

	// Users both sides may freeze: active, standard, not admins, not frozen, not the API user.
	const adminProfiles = new Set(
		store.profiles.filter((p) => p.PermissionsModifyAllData).map((p) => p.Id),
	);
	const candidates: FreezeTarget[] = [];
	for (const user of store.users) {
		if (candidates.length >= 2 * scale.freeze) break;
		if (!user.IsActive || user.UserType !== 'Standard' || adminProfiles.has(user.ProfileId))
			continue;
		if (user.Id === org.admin.userId) continue;
		const login = store.userLoginFor(user.Id);
		if (!login || login.IsFrozen) continue;
		candidates.push({ userId: user.Id, userLoginId: login.Id });
	}
	if (wants('user.freeze') && candidates.length < 2 * scale.freeze) {
		throw new Error(
			`only ${candidates.length} users can be frozen; the freeze case needs ${2 * scale.freeze}`,
		);
	}

	// Package seat holders, then leavers (both sides each), from the end of the users so they
	// rarely meet the freeze candidates; each case resets its own users before every run.
	const spare = store.users
		.filter(
			(u) =>
				u.IsActive &&
				u.UserType === 'Standard' &&
				!adminProfiles.has(u.ProfileId) &&
				u.Id !== org.admin.userId &&
				!store.userLoginFor(u.Id)?.IsFrozen,
		)
		.reverse();
	const seatCount = wants('user.removePackageLicenses') ? scale.packageSeats : 0;
	const leaverCount = wants('user.offboard') ? scale.offboard : 0;
	if (spare.length < 2 * (seatCount + leaverCount))
		throw new Error(`only ${spare.length} users for the entitlement cases`);
	const seatUsers = spare.slice(0, 2 * seatCount).map((u) => u.Id);
	const leaverUsers = spare.slice(2 * seatCount, 2 * (seatCount + leaverCount)).map((u) => u.Id);
	const packageSeats = entitlementFixture(store, seatUsers, 'seat');
	const leavers = entitlementFixture(store, leaverUsers, 'leaver');

	// One generated Event Log File per size, each on its own day so a since/until picks it alone.
	const eventLogUsers = store.users
		.filter((u) => u.IsActive)
		.slice(0, scale.eventLogUsers)
		.map((u) => u.Id);
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	let day = 0;
	const addLog = (bytes: number): EventLogFixture => {
		day++;
		const logDate = today - day * DAY_MS;
		const record = store.addEventLogFile({
			EventType: EVENT_TYPE,
			LogDate: new Date(logDate),
			Interval: 'Daily',
			targetBytes: bytes,
			seed: day,
			userIds: eventLogUsers,
		});
		return {
			id: record.Id,
			eventType: EVENT_TYPE,
			bytes: record.LogFileLength,
			since: new Date(logDate - DAY_MS / 2).toISOString(),
			until: new Date(logDate + DAY_MS / 2).toISOString(),
		};
	};
	const summaryFiles = wants('eventLog.getEvents.perUser') ? scale.summaryBytes.map(addLog) : [];
	const rowsFile = addLog(wants('eventLog.getEvents.rows') ? scale.rowsBytes : 1024);

	return {
		access: {
			url: org.url,
			username: org.admin.username,
			password: org.admin.password,
			securityToken: org.admin.securityToken,
			userId: org.admin.userId,
		},
		fixtures: {
			loginHistorySince,
			loginHistoryUntil,
			freezeUsers: {
				ours: candidates.slice(0, scale.freeze),
				baseline: candidates.slice(scale.freeze, 2 * scale.freeze),
			},
			summaryFiles,
			rowsFile,
			packageSeats,
			leavers,
		},
		resetCalls: () => org.calls.reset(),
		calls: () => {
			const byKind: Record<string, number> = {};
			for (const call of org.calls.log) {
				// a Composite request's subrequests are listed apart: they are not calls of their own
				const key = call.inComposite ? `${call.kind} (in composite)` : call.kind;
				byKind[key] = (byKind[key] ?? 0) + 1;
			}
			return { total: org.calls.total(), byKind };
		},
		soql: () => org.calls.soql(),
		countFrozen: (userIds) => userIds.filter((id) => store.userLoginFor(id)?.IsFrozen).length,
		unfreeze: (userIds) => {
			for (const id of userIds) {
				const login = store.userLoginFor(id);
				if (login) login.IsFrozen = false;
			}
		},
		seedWindowLogins: (rows) => seedWindowLogins(store, rows),
		stop: () => org.stop(),
	};
}

/** Deterministic: a fixed LCG picks users, times and kinds. */
function seedWindowLogins(store: FakeOrg['store'], rows: number): number {
	const now = store.now().getTime();
	const windowStart = now - 90 * DAY_MS;
	const inWindow = store.loginHistory.filter(
		(r) => Date.parse(r.LoginTime.replace('+0000', 'Z')) >= windowStart,
	).length;
	const users = store.users.filter((u) => u.IsActive).map((u) => u.Id);
	let state = 42;
	const next = (n: number) => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state % n;
	};
	const span = 89 * DAY_MS;
	for (let i = inWindow; i < rows; i++) {
		const api = next(10) < 3;
		store.addLoginHistory({
			UserId: users[next(users.length)],
			LoginTime: sfDateTime(new Date(now - span + Math.floor((i / rows) * span))),
			Status: next(20) === 0 ? 'Invalid Password' : 'Success',
			...(api
				? {
						LoginType: 'Other Apex API',
						Application: 'jsforce',
						ApiType: 'SOAP Partner',
						ApiVersion: '62.0',
					}
				: {}),
		});
	}
	return Math.max(rows, inWindow);
}

/**
 * A seat holder holds a CPQ seat; a leaver holds a CPQ seat, the CPQ permission set license and
 * the permission set that needs it, the Sales Operations group, a public group and a queue, and
 * the Marketing feature license. reset() puts that back, unfreezes and reactivates.
 */
type AnyRow = { Id: string };

function entitlementFixture(
	store: FakeOrg['store'],
	userIds: string[],
	kind: 'seat' | 'leaver',
): EntitlementFixture {
	const half = userIds.length / 2;
	const cpq = store.packageLicenseByNamespace(ENTITLEMENT_CATALOG.packages.cpq)!;
	const cpqUser = store.permissionSets.find(
		(p) => p.Name === ENTITLEMENT_CATALOG.permissionSets.cpqUser,
	)!;
	const salesOps = store.permissionSetGroups.find(
		(g) => g.DeveloperName === ENTITLEMENT_CATALOG.permissionSetGroups.salesOperations,
	)!;
	const groups = [ENTITLEMENT_CATALOG.groups.allSales, ENTITLEMENT_CATALOG.queues.supportTier1].map(
		(name) => store.groupByDeveloperName(name)!,
	);
	const ids = new Set(userIds);
	type Held = { seats: AnyRow[]; sets: AnyRow[]; licenses: AnyRow[]; members: AnyRow[] };
	// One pass over each table (the org holds 100,000s of rows): what each of these users holds.
	const holdings = (): Map<string, Held> => {
		const byUser = new Map<string, Held>(
			userIds.map((id) => [id, { seats: [], sets: [], licenses: [], members: [] }]),
		);
		const profileOwned = new Set(
			store.permissionSets.filter((p) => p.IsOwnedByProfile).map((p) => p.Id),
		);
		for (const r of store.userPackageLicenses) byUser.get(r.UserId)?.seats.push(r);
		for (const a of store.permissionSetAssignments)
			if (!profileOwned.has(a.PermissionSetId)) byUser.get(a.AssigneeId)?.sets.push(a);
		for (const a of store.permissionSetLicenseAssigns) byUser.get(a.AssigneeId)?.licenses.push(a);
		for (const m of store.groupMembers) byUser.get(m.UserOrGroupId)?.members.push(m);
		return byUser;
	};
	const reset = () => {
		cpq.AllowedLicenses = Math.max(
			cpq.AllowedLicenses,
			store.userPackageLicenses.length + userIds.length,
		);
		const held = holdings();
		for (const userId of ids) {
			const { seats, sets, licenses, members } = held.get(userId)!;
			if (seats.length === 0) store.assignPackageLicense(userId, cpq.Id);
			if (kind === 'seat') continue;
			const user = store.get<{ IsActive: boolean; UserPermissionsMarketingUser: boolean }>(
				'User',
				userId,
			)!;
			user.IsActive = true;
			user.UserPermissionsMarketingUser = true;
			store.userLoginFor(userId)!.IsFrozen = false;
			if (licenses.length === 0) store.assignPermissionSetLicense(userId, cpqUser.LicenseId!);
			if (sets.length === 0) {
				store.assignPermissionSet(userId, cpqUser.Id);
				store.assignPermissionSetGroup(userId, salesOps.Id);
			}
			if (members.length === 0) for (const g of groups) store.addGroupMember(g.Id, userId);
		}
	};
	reset();
	return {
		ours: userIds.slice(0, half),
		baseline: userIds.slice(half),
		reset,
		records: (users) => {
			const all = holdings();
			return users.map((userId) => {
				const held = all.get(userId)!;
				// Permission sets before the licenses they need, as Salesforce requires.
				const deleteIds =
					kind === 'seat'
						? held.seats.map((r) => r.Id)
						: [...held.sets, ...held.licenses, ...held.seats, ...held.members].map((r) => r.Id);
				return {
					userId,
					userLoginId: store.userLoginFor(userId)!.Id,
					deleteIds,
					features: kind === 'seat' ? [] : ['UserPermissionsMarketingUser'],
				};
			});
		},
		countDone: (users) => {
			const all = holdings();
			return users.filter((userId) => {
				const held = all.get(userId)!;
				if (kind === 'seat') return held.seats.length === 0;
				const user = store.get<{ IsActive: boolean }>('User', userId)!;
				return (
					!user.IsActive &&
					held.seats.length + held.sets.length + held.licenses.length + held.members.length === 0
				);
			}).length;
		},
	};
}
