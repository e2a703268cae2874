/**
 * The fake org for the bench: started in the orchestrator's process (so its memory never counts
 * against a measured process), seeded at the case sizes, with the fixtures each case needs.
 */
import { FakeOrg, sfDateTime } from '../test/fake-org';
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

export interface BenchFixtures {
	loginHistorySince: string;
	loginHistoryUntil: string;
	freezeUsers: { ours: FreezeTarget[]; baseline: FreezeTarget[] };
	summaryFiles: EventLogFixture[];
	rowsFile: EventLogFixture;
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
		},
		resetCalls: () => org.calls.reset(),
		calls: () => {
			const byKind: Record<string, number> = {};
			for (const call of org.calls.log) byKind[call.kind] = (byKind[call.kind] ?? 0) + 1;
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
