/**
 * The package's one lint config with an exception list of the test's own, for virtual files that
 * do not exist (test/lint/layers.test.ts): the tests of KNOWN_EXCEPTIONS do not depend on what
 * the real list holds today.
 */
import { lintConfig } from '../../lint/eslint.config.mjs';

const N = 'nodes/SalesforceAdmin';
const test = { issue: 22, reason: 'a test of the exception list' };

export default lintConfig([
	{
		file: `${N}/trigger/listed.ts`,
		rule: 'salesforce-admin/layer-imports',
		only: ['../actions/shared/userReads', 'queryAll'],
		...test,
	},
	{
		file: `${N}/methods/listed.ts`,
		rule: 'salesforce-admin/layer-imports',
		only: ['../trigger/pollRouter'],
		...test,
	},
	{
		file: `${N}/transport/listed.ts`,
		rule: '@n8n/community-nodes/no-restricted-globals',
		only: ['setTimeout'],
		...test,
	},
]);
