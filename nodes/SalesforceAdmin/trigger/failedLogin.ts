/**
 * Failed login: LoginHistory rows with a status other than Success, read in a window that
 * overlaps the previous one by 15 minutes (see LOGIN_OVERLAP_MS).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readUserNames } from '../reads/userNames';
import { failedLoginWindowQuery, failureBursts } from '../salesforce/failedLogins';
import { buildLoginHistoryQuery, loginUserId, mapLogin } from '../salesforce/loginHistory';
import type { WindowCursor } from '../salesforce/pollWindow';
import { initialCursor, windowStep } from '../salesforce/pollWindow';
import type { LoginHistory } from '../salesforce/records';
import { queryAll } from '../transport';
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
/** Fetch Test Event with Min Failures above 1 groups the failures of the last day. */
const SAMPLE_DAYS = 1;

interface Params {
	minFailures: number;
}

async function mapWithNames(
	input: PollInput<Params>,
	records: LoginHistory[],
): Promise<IDataObject[]> {
	const names = await readUserNames(input.session, records.map(loginUserId));
	const logins = records.map((record) => mapLogin(record, names));
	return input.params.minFailures > 1 ? failureBursts(logins, input.params.minFailures) : logins;
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
				'1: one item per failed login. More: one item per user with at least this many failed logins since the last poll (userId, username, name, failureCount, firstLoginTime, lastLoginTime, sourceIps).',
		},
	]),

	parse(ctx: IPollFunctions): Params {
		const raw = ctx.getNodeParameter('minFailures', 1);
		const minFailures = Number(raw);
		if (!Number.isInteger(minFailures) || minFailures < 1) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"Min Failures": "${String(raw)}" is not a whole number of 1 or more`,
			);
		}
		return { minFailures };
	},

	configKey: (params) => `minFailures=${params.minFailures}`,

	async start(input) {
		return initialCursor(input.now);
	},

	async poll(input, cursor) {
		const from = DateTime.fromMillis(cursor.from, { zone: 'utc' });
		const records = await queryAll<LoginHistory>(
			input.session,
			failedLoginWindowQuery(from, LOGIN_MAX_ROWS),
		);
		const { fresh, cursor: state } = windowStep(cursor, records, (r) => r.LoginTime, {
			now: input.now,
			overlapMs: LOGIN_OVERLAP_MS,
			maxRows: LOGIN_MAX_ROWS,
			maxSeen: LOGIN_MAX_SEEN,
		});
		const items = fresh.length ? await mapWithNames(input, fresh) : [];
		return { items, state };
	},

	async sample(input) {
		const until = DateTime.fromMillis(input.now, { zone: 'utc' });
		const grouped = input.params.minFailures > 1;
		const query = buildLoginHistoryQuery(
			{
				range: { since: until.minus({ days: grouped ? SAMPLE_DAYS : 180 }), until },
				status: 'failure',
			},
			undefined,
			grouped ? LOGIN_MAX_ROWS : SAMPLE_SIZE,
		);
		const items = await mapWithNames(input, await queryAll<LoginHistory>(input.session, query));
		return items.slice(0, SAMPLE_SIZE);
	},
};
