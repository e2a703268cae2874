/**
 * Baselines: what the same work costs without our node. Each runs in its own measured process
 * (bench/worker.ts) and loads only jsforce / csv-parse, never n8n-core.
 */
import { parse } from 'csv-parse';
import { get } from 'http';
import { Connection } from 'jsforce';
import type { Transform } from 'stream';

import {
	decide,
	LoginActivityCounter,
	parseRecommendationSettings,
	parseSalesforceTime,
} from '../../nodes/SalesforceAdmin/salesforce/recommendations';
import { API_VERSION } from '../../nodes/SalesforceAdmin/transport/apiVersion';
import type { Job, TaskResult } from '../types';

/** Signs in the way our password credential does without a connected app: SOAP login(). */
export async function rawLogin(job: Job): Promise<Connection> {
	const { url, username, password, securityToken } = job.org;
	const conn = new Connection({ loginUrl: url, version: API_VERSION });
	await conn.login(username, `${password}${securityToken}`);
	return conn;
}

/** jsforce's own paging: `query(soql).autoFetch(true).maxFetch(N)`, all records in one array. */
async function queryAutoFetch(job: Job): Promise<TaskResult> {
	const { soql, maxFetch } = job.params as { soql: string; maxFetch: number };
	const conn = await rawLogin(job);
	const result = await conn.query(soql).autoFetch(true).maxFetch(maxFetch);
	return { items: result.records.length, retain: result };
}

/**
 * What the built-in Salesforce node (Custom Object → Update) or an HTTP Request loop does: one
 * PATCH /sobjects/UserLogin/{id} per user, one after the other. It is handed the UserLogin IDs
 * for free; in a real workflow they would cost a query on top.
 */
async function patchEachUserLogin(job: Job): Promise<TaskResult> {
	const { userLoginIds } = job.params as { userLoginIds: string[] };
	const conn = await rawLogin(job);
	let changed = 0;
	for (const id of userLoginIds) {
		await conn.request({
			method: 'PATCH',
			url: `/services/data/v${API_VERSION}/sobjects/UserLogin/${id}`,
			body: JSON.stringify({ IsFrozen: true }),
			headers: { 'Content-Type': 'application/json' },
		});
		changed++;
	}
	return { items: changed };
}

/**
 * What an HTTP Request node loop does to take package seats away: one
 * DELETE /sobjects/UserPackageLicense/{id} per assignment, in sequence (handed the IDs for free).
 */
async function deleteEachRecord(job: Job): Promise<TaskResult> {
	const { sobject, ids } = job.params as { sobject: string; ids: string[] };
	const conn = await rawLogin(job);
	for (const id of ids) {
		await conn.request({
			method: 'DELETE',
			url: `/services/data/v${API_VERSION}/sobjects/${sobject}/${id}`,
		});
	}
	return { items: ids.length };
}

/**
 * Offboarding as a per-record loop of HTTP Request nodes: per user, PATCH UserLogin (freeze),
 * one DELETE per assignment (permission sets first), PATCH the feature licenses off, PATCH
 * IsActive false. Handed every record ID for free (a real loop would query them first).
 */
async function offboardEachRecord(job: Job): Promise<TaskResult> {
	const { leavers } = job.params as {
		leavers: Array<{
			userId: string;
			userLoginId: string;
			deleteIds: string[];
			features: string[];
		}>;
	};
	const conn = await rawLogin(job);
	const base = `/services/data/v${API_VERSION}/sobjects`;
	const patch = (url: string, body: object) =>
		conn.request({
			method: 'PATCH',
			url,
			body: JSON.stringify(body),
			headers: { 'Content-Type': 'application/json' },
		});
	for (const leaver of leavers) {
		await patch(`${base}/UserLogin/${leaver.userLoginId}`, { IsFrozen: true });
		for (const id of leaver.deleteIds) {
			const sobject = {
				'051': 'UserPackageLicense',
				'0Pa': 'PermissionSetAssignment',
				'2LA': 'PermissionSetLicenseAssign',
				'011': 'GroupMember',
			}[id.slice(0, 3)];
			await conn.request({ method: 'DELETE', url: `${base}/${sobject}/${id}` });
		}
		await patch(
			`${base}/User/${leaver.userId}`,
			Object.fromEntries(leaver.features.map((f) => [f, false])),
		);
		await patch(`${base}/User/${leaver.userId}`, { IsActive: false });
	}
	return { items: leavers.length };
}

/**
 * Streams an Event Log File's LogFile body over HTTP (no gzip) into `parser`; resolves with the
 * body's size once the parser has emitted its last row.
 */
function downloadLogFile(conn: Connection, logFileId: string, parser: Transform): Promise<number> {
	const url = new URL(
		`${conn.instanceUrl}/services/data/v${API_VERSION}/sobjects/EventLogFile/${logFileId}/LogFile`,
	);
	return new Promise((resolve, reject) => {
		const request = get(
			url,
			{ headers: { Authorization: `Bearer ${conn.accessToken}` } },
			(response) => {
				if (response.statusCode !== 200) {
					reject(new Error(`LogFile download answered HTTP ${response.statusCode}`));
					response.resume();
					return;
				}
				let bytes = 0;
				response.on('data', (chunk: Buffer) => (bytes += chunk.length));
				response.on('error', reject);
				parser.on('error', reject);
				parser.on('end', () => resolve(bytes));
				response.pipe(parser);
			},
		);
		request.on('error', reject);
	});
}

/**
 * The CSV parser's own throughput on the same LogFile body: csv-parse with its defaults (one
 * array of strings per row, nothing typed or kept), fed straight from the HTTP response.
 */
async function csvParseCount(job: Job): Promise<TaskResult> {
	const { logFileIds } = job.params as { logFileIds: string[] };
	const conn = await rawLogin(job);
	let rows = 0;
	let bytes = 0;
	for (const id of logFileIds) {
		let records = 0;
		const parser = parse();
		parser.on('data', () => records++);
		bytes += await downloadLogFile(conn, id, parser);
		rows += Math.max(0, records - 1); // the first record is the header
	}
	return { items: rows, bytes };
}

/**
 * One copy of the parsed rows: csv-parse with `columns: true` (one object per row keyed by the
 * header), every row kept in one array. Its retained heap is the yardstick for rows mode.
 */
async function csvParseHold(job: Job): Promise<TaskResult> {
	const { logFileIds } = job.params as { logFileIds: string[] };
	const conn = await rawLogin(job);
	const rows: Array<Record<string, string>> = [];
	let bytes = 0;
	for (const id of logFileIds) {
		const parser = parse({ columns: true });
		parser.on('data', (row: Record<string, string>) => rows.push(row));
		bytes += await downloadLogFile(conn, id, parser);
	}
	return { items: rows.length, bytes, retain: rows };
}

/**
 * The recommendation without our operation: Get users and Get login history over REST (every
 * record held, as n8n items are), then a Code node doing the same counting and deciding (our
 * pure functions, so the logic is the same and only the reads differ).
 */
async function recommendRest(job: Job): Promise<TaskResult> {
	const { usersSoql, loginsSoql } = job.params as { usersSoql: string; loginsSoql: string };
	const conn = await rawLogin(job);
	const users = (await conn.query(usersSoql).autoFetch(true).maxFetch(10_000_000)).records as Array<
		Record<string, unknown>
	>;
	const logins = (await conn.query(loginsSoql).autoFetch(true).maxFetch(10_000_000))
		.records as Array<Record<string, unknown>>;
	const now = Date.now();
	const parsed = parseRecommendationSettings({});
	if (!parsed.ok) throw new Error(parsed.reason);
	const counter = new LoginActivityCounter(
		users.map((u) => String(u.Id)),
		now,
	);
	for (const row of logins) counter.add(row as never, String(row.UserId));
	const items = users.map((user) => {
		const profile = user.Profile as { UserLicense?: { Name?: string } } | null;
		const decision = decide(
			{
				isFrozen: false,
				frozenSince: undefined,
				createdDate: parseSalesforceTime(user.CreatedDate),
				lastLoginDate: parseSalesforceTime(user.LastLoginDate),
				activity: counter.get(String(user.Id)),
				license: profile?.UserLicense?.Name ?? null,
				featureLicenses: [],
				permissionSetLicenses: [],
				isConnectedUser: false,
				protectedReason: undefined,
			},
			parsed.value,
			now,
		);
		return { ...user, recommendation: decision.recommendation, reason: decision.reason };
	});
	return { items: items.length, retain: { users, logins, items } };
}

export const tasks = {
	queryAutoFetch,
	patchEachUserLogin,
	deleteEachRecord,
	offboardEachRecord,
	csvParseCount,
	csvParseHold,
	recommendRest,
};

/** Signs in and runs one one-row query, like every task here starts. */
export async function warmUp(job: Job): Promise<void> {
	const conn = await rawLogin(job);
	await conn.query('SELECT Id FROM User LIMIT 1');
}
