/**
 * Failed login: LoginHistory rows with a status other than Success, read in a window that
 * overlaps the previous one by 15 minutes (see LOGIN_OVERLAP_MS). With Min Failures above 1,
 * a user's failures within Window (Minutes) of each other, sliding, make one item (a burst).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLogins } from '../reads/logins';
import { readUserNames } from '../reads/userNameReader';
import type { BurstRules } from '../salesforce/failedLogins';
import {
	burstStep,
	failedLoginWindowQuery,
	failureBursts,
	findBursts,
	LATEST_LOGIN_QUERY,
} from '../salesforce/failedLogins';
import { buildLoginHistoryQuery, loginUserId, mapLogin } from '../salesforce/loginHistory';
import type { WindowCursor } from '../salesforce/pollWindow';
import { initialCursor, windowStep } from '../salesforce/pollWindow';
import type { LoginHistory } from '../salesforce/records';
import type { PollInput, TriggerEvent } from './event';
import { forEvent, SAMPLE_SIZE } from './event';

/**
 * LoginHistory rows are written asynchronously, usually within a minute or two of the login but
 * later under load; 15 minutes covers that with room, and the rows read twice cost nothing (one
 * query page, dropped by ID).
 */
export const LOGIN_OVERLAP_MS = 15 * 60_000;
/** One query page a poll; a bigger backlog drains over the next polls. */
export const LOGIN_MAX_ROWS = 2000;
export const LOGIN_MAX_SEEN = 5000;
/** Fetch Test Event with Min Failures above 1 looks for bursts in the last day. */
const SAMPLE_DAYS = 1;

interface Params {
	minFailures: number;
	/** Min Failures above 1: the sliding window a burst's failures fall in. */
	windowMinutes: number;
}

const burstRules = (params: Params): BurstRules => ({
	minFailures: params.minFailures,
	windowMs: params.windowMinutes * 60_000,
});

/** The failures as items: one a failure, or (Min Failures above 1) one a burst. */
async function toItems(input: PollInput<Params>, groups: LoginHistory[][]): Promise<IDataObject[]> {
	if (groups.length === 0) return [];
	const names = await readUserNames(input.session, groups.flat().map(loginUserId));
	const logins = groups.map((group) => group.map((record) => mapLogin(record, names)));
	return input.params.minFailures > 1
		? logins.flatMap((burst) => failureBursts(burst, 1))
		: logins.flat();
}

/** A day at most: each poll reads the window again, and LoginHistory reads stay one page. */
const MAX_WINDOW_MINUTES = 24 * 60;

function whole(
	ctx: IPollFunctions,
	name: string,
	label: string,
	fallback: number,
	max = Infinity,
): number {
	const raw = ctx.getNodeParameter(name, fallback);
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > max) {
		const range = max === Infinity ? '1 or more' : `from 1 to ${max}`;
		throw new NodeOperationError(
			ctx.getNode(),
			`"${label}": "${String(raw)}" is not a whole number ${range}`,
		);
	}
	return value;
}

export const failedLogin: TriggerEvent<Params, WindowCursor> = {
	description: forEvent('failedLogin', [
		{
			displayName: 'Min Failures',
			name: 'minFailures',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description:
				'1: one item per failed login. More: one item per user each time they fail at least this many times within Window (Minutes) (userId, username, name, failureCount, firstLoginTime, lastLoginTime, sourceIps).',
		},
		{
			displayName: 'Window (Minutes)',
			name: 'windowMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_WINDOW_MINUTES },
			default: 15,
			description:
				"With Min Failures above 1: a user's failures count together when they lie within this many minutes of each other (by login time, sliding, across polls). Each failure is counted in one item at most; later failures start a new count.",
		},
	]).map((p) =>
		p.name === 'windowMinutes'
			? { ...p, displayOptions: { show: { event: ['failedLogin'] }, hide: { minFailures: [1] } } }
			: p,
	),

	parse(ctx: IPollFunctions): Params {
		const minFailures = whole(ctx, 'minFailures', 'Min Failures', 1);
		const windowMinutes =
			minFailures > 1 ? whole(ctx, 'windowMinutes', 'Window (Minutes)', 15, MAX_WINDOW_MINUTES) : 0;
		return { minFailures, windowMinutes };
	},

	configKey: (params) =>
		params.minFailures > 1
			? `minFailures=${params.minFailures};windowMinutes=${params.windowMinutes}`
			: `minFailures=${params.minFailures}`,

	/** One read at activation: the org's clock, and a missing permission shows as an activation error. */
	async start(input) {
		await readLogins(input.session, LATEST_LOGIN_QUERY);
		return initialCursor(input.orgNow());
	},

	async poll(input, cursor) {
		const from = DateTime.fromMillis(cursor.from, { zone: 'utc' });
		const records = await readLogins(input.session, failedLoginWindowQuery(from, LOGIN_MAX_ROWS));
		const options = {
			now: input.orgNow(),
			overlapMs: LOGIN_OVERLAP_MS,
			maxRows: LOGIN_MAX_ROWS,
			maxSeen: LOGIN_MAX_SEEN,
		};
		if (input.params.minFailures > 1) {
			const step = burstStep(cursor, records, burstRules(input.params), options);
			return { items: await toItems(input, step.bursts), state: step.cursor };
		}
		const { fresh, cursor: state } = windowStep(cursor, records, (r) => r.LoginTime, options);
		return { items: await toItems(input, fresh.length ? [fresh] : []), state };
	},

	async sample(input) {
		const grouped = input.params.minFailures > 1;
		// no upper bound: n8n's clock may be behind the org's
		const until = DateTime.fromMillis(input.now, { zone: 'utc' }).plus({ days: 1 });
		const query = buildLoginHistoryQuery(
			{
				range: { since: until.minus({ days: grouped ? SAMPLE_DAYS + 1 : 180 }), until },
				status: 'failure',
			},
			undefined,
			grouped ? LOGIN_MAX_ROWS : SAMPLE_SIZE,
		);
		const records = await readLogins(input.session, query);
		const groups = grouped
			? findBursts(records, {}, burstRules(input.params)).reverse()
			: [records];
		return (await toItems(input, groups.slice(0, SAMPLE_SIZE))).slice(0, SAMPLE_SIZE);
	},
};
