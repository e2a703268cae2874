import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FEATURE_LICENSES } from '../../salesforce/featureLicenses';
import {
	featureLicenseNames,
	parseFeatureLicenseSelection,
} from '../../salesforce/featureLicenseSelection';
import type { FieldValues } from '../../salesforce/writePlan';
import type { WriteActionSpec } from '../shared/writeBatch';
import type { RunOptions } from '../shared/operation';
import { executeWriteAction } from '../shared/writeBatch';
import { writeProperties } from '../shared/writeDescription';
import { USER_RECORD } from '../shared/writeTargets';

export const description = writeProperties(
	'removeFeatureLicenses',
	'remove feature licenses from',
	[
		{
			displayName: 'Feature Licenses',
			name: 'featureLicenses',
			type: 'multiOptions',
			required: true,
			options: [...FEATURE_LICENSES]
				.sort((a, b) => a.label.localeCompare(b.label))
				.map((f) => ({ name: f.label, value: f.field, description: `User field ${f.field}` })),
			default: [],
			description:
				'The feature licenses to turn off; users who hold none of them are left unchanged',
		},
	],
);

/** Sets the chosen UserPermissions* fields to false; only the ones a user has on are written. */
export const spec: WriteActionSpec = {
	action: 'removeFeatureLicenses',
	label: 'Remove feature licenses',
	target: USER_RECORD,
	wantedValues(this: IExecuteFunctions, itemIndex: number) {
		const parsed = parseFeatureLicenseSelection(
			this.getNodeParameter('featureLicenses', itemIndex, []),
		);
		if (!parsed.ok) return { ok: false, field: 'Feature Licenses', reason: parsed.reason };
		const wanted: FieldValues = {};
		for (const field of parsed.fields) wanted[field] = false;
		return { ok: true, value: wanted };
	},
	unchangedReason: (wanted) =>
		Object.keys(wanted).length
			? `None of the chosen feature licenses is on (${featureLicenseNames(Object.keys(wanted))})`
			: 'This org has none of the chosen feature licenses',
	dryRunReason: (patch) => `Dry run: would remove ${featureLicenseNames(Object.keys(patch))}`,
	changedReason: (patch) => `Removed ${featureLicenseNames(Object.keys(patch))}`,
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	return await executeWriteAction.call(this, items, spec, options.write);
}
