/**
 * Shared set-up of the read tests: one fake org with 5,000+ users (several query pages),
 * login history and event log files of several types, and a runner that drives the node
 * through n8n-core against it with a username/password credential.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { SessionTuning } from '../../nodes/SalesforceAdmin/transport';
import { DEFAULT_BULK_PACING } from '../../nodes/SalesforceAdmin/transport';
import { FakeOrg } from '../fake-org';
import type { SeedOptions } from '../fake-org';
import type { RunNodeResult } from '../helpers/run-node';
import { runNode } from '../helpers/run-node';
import { TunedSalesforceAdmin } from '../helpers/tuned-node';

export async function startOrg(
	seed: SeedOptions = { users: 5000, eventLogFiles: { days: 3, rowsPerFile: 50 } },
): Promise<FakeOrg> {
	return await FakeOrg.start({ seed });
}

export function passwordCredential(org: FakeOrg, login = org.admin) {
	return {
		type: 'salesforceAdminPasswordApi' as const,
		data: {
			environment: 'myDomain',
			myDomainUrl: org.url,
			username: login.username,
			password: login.password,
			securityToken: login.securityToken,
			accessMode: 'readOnly',
		},
	};
}

export interface ReadRun extends RunNodeResult {
	json: IDataObject[];
}

/** Runs one read operation; the org's call log is reset first so each run counts its own calls. */
export async function read(
	org: FakeOrg,
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	options: {
		input?: IDataObject[];
		continueOnFail?: boolean;
		login?: FakeOrg['admin'];
		/** The run's own Bulk threshold, polls or deadlines (else n8n's defaults). */
		tuning?: SessionTuning;
	} = {},
): Promise<ReadRun> {
	org.calls.reset();
	const result = await runNode({
		resource,
		operation,
		parameters,
		credentials: passwordCredential(org, options.login),
		input: options.input,
		continueOnFail: options.continueOnFail,
		nodeType: options.tuning ? new TunedSalesforceAdmin(options.tuning) : undefined,
	});
	return { ...result, json: result.items.map((i) => i.json) };
}

/** Reads above `threshold` rows go through Bulk API 2.0, its job polled every few ms. */
export const bulkAbove = (threshold: number): SessionTuning => ({
	bulk: { threshold, pacing: { ...DEFAULT_BULK_PACING, firstPollMs: 5, maxPollMs: 20 } },
});

/** Salesforce datetime text -> ISO 8601 UTC, as the node outputs it. */
export const iso = (value: string | null | undefined): string | null =>
	value ? new Date(value.replace(/\+0000$/, 'Z')).toISOString() : null;

export const sortBy = <T>(values: T[], key: (v: T) => string): T[] =>
	[...values].sort((a, b) => key(a).localeCompare(key(b)));
