/**
 * License threshold: the license read of Get licenses each poll; a license fires when it crosses
 * into "running out" and not again until a poll saw it recovered (or, after a restart, possibly
 * once more: see evaluateThresholds).
 */
import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLicenses } from '../reads/orgLicenses';
import type { LicenseType } from '../salesforce/licenses';
import { LICENSE_TYPE_OPTIONS, parseLicenseTypes } from '../salesforce/licenses';
import type { LicenseMarks, Thresholds } from '../salesforce/licenseThresholds';
import { evaluateThresholds } from '../salesforce/licenseThresholds';
import type { PollInput, TriggerEvent } from './event';
import { forEvent } from './event';

interface Params {
	types: LicenseType[];
	includeExternal: boolean;
	thresholds: Thresholds;
}

/** The licenses (a poll has no output pane: the read's notices are left out). */
async function read(input: PollInput<Params>) {
	const { data } = await readLicenses(
		input.session,
		input.params.types,
		input.params.includeExternal,
	);
	return data;
}

function wholeNumber(ctx: IPollFunctions, name: string, label: string, max?: number): number {
	const raw = ctx.getNodeParameter(name, 0);
	const value = Number(raw);
	if (
		!Number.isFinite(value) ||
		value < 0 ||
		(max !== undefined && value > max) ||
		(max === undefined && !Number.isInteger(value))
	) {
		const range = max === undefined ? 'a whole number of 0 or more' : `a number from 0 to ${max}`;
		throw new NodeOperationError(ctx.getNode(), `"${label}": "${String(raw)}" is not ${range}`);
	}
	return value;
}

export const licenseThreshold: TriggerEvent<Params, LicenseMarks> = {
	description: forEvent('licenseThreshold', [
		{
			displayName: 'Fire When',
			name: 'thresholdType',
			type: 'options',
			options: [
				{
					name: 'Few Seats Left',
					value: 'minAvailable',
					description: 'Seats left at or below Min Available',
				},
				{
					name: 'Percentage Used Is High',
					value: 'maxPercentUsed',
					description: 'Seats used at or above Max Percent Used',
				},
				{ name: 'Either', value: 'either', description: 'Whichever of the two comes first' },
			],
			default: 'minAvailable',
		},
		{
			displayName: 'Min Available',
			name: 'minAvailable',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description: 'Fire when the seats left fall to this number or fewer (0: when none is left)',
		},
		{
			displayName: 'Max Percent Used',
			name: 'maxPercentUsed',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 90,
			description: 'Fire when this percentage of the seats or more is used',
		},
		{
			displayName: 'License Types',
			name: 'licenseTypes',
			type: 'multiOptions',
			options: LICENSE_TYPE_OPTIONS,
			default: ['user', 'permissionSet', 'package'],
			description:
				'Which kinds of license to watch (all when none is picked). Salesforce publishes no seat total for feature licenses in the API, so they never cross a threshold.',
		},
		{
			displayName: 'Include External Licenses',
			name: 'includeExternal',
			type: 'boolean',
			default: false,
			description: 'Whether to watch community, portal, Chatter and guest licenses too',
		},
	]).map((p) =>
		p.name === 'minAvailable' || p.name === 'maxPercentUsed'
			? {
					...p,
					displayOptions: {
						show: { event: ['licenseThreshold'], thresholdType: [p.name, 'either'] },
					},
				}
			: p,
	),

	parse(ctx: IPollFunctions): Params {
		const types = parseLicenseTypes(ctx.getNodeParameter('licenseTypes', []));
		if (!types.ok) throw new NodeOperationError(ctx.getNode(), `"License Types": ${types.reason}`);
		const kind = ctx.getNodeParameter('thresholdType', 'minAvailable') as string;
		if (!['minAvailable', 'maxPercentUsed', 'either'].includes(kind)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"Fire When": "${kind}" is not one of minAvailable, maxPercentUsed, either`,
			);
		}
		const thresholds: Thresholds = {};
		if (kind !== 'maxPercentUsed')
			thresholds.minAvailable = wholeNumber(ctx, 'minAvailable', 'Min Available');
		if (kind !== 'minAvailable')
			thresholds.maxPercentUsed = wholeNumber(ctx, 'maxPercentUsed', 'Max Percent Used', 100);
		return {
			types: types.value,
			includeExternal: ctx.getNodeParameter('includeExternal', false) === true,
			thresholds,
		};
	},

	configKey: (params) => JSON.stringify([params.types, params.includeExternal, params.thresholds]),

	async start(input) {
		return evaluateThresholds(await read(input), input.params.thresholds, {}, true).marks;
	},

	async poll(input, marks) {
		const result = evaluateThresholds(
			await read(input),
			input.params.thresholds,
			marks,
			false,
			input.resumed,
		);
		return { items: result.items, state: result.marks };
	},

	/** Fetch Test Event: the licenses past a threshold now, as if they had just crossed it. */
	async sample(input) {
		return evaluateThresholds(await read(input), input.params.thresholds, {}, false).items;
	},
};
