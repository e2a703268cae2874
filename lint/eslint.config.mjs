// n8n's current lint rules for community packages, in strict mode (the `recommended` config, which
// n8n Cloud verification uses), over the package's sources and package.json. Run from the
// repository root with `npm run lint:n8n`. Exceptions are listed below with the reason; the
// docs/development.md lists them too.
import tseslint from 'typescript-eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default tseslint.config(
	// disable comments for the older rule set (`npm run lint`, ESLint 8) are not ours to report here
	{ linterOptions: { reportUnusedDisableDirectives: 'off' } },
	{ ignores: ['**/dist/**', '**/node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'e2e/**', 'lint/**', '**/*.js'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
		// the older n8n rule set (run by `npm run lint`) is known here, so its disable comments resolve
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		// the package.json rules read it as a JavaScript object expression, as n8n's CLI does
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
	},
	configs.recommended,
	// Exceptions, each with its reason (docs/development.md, "n8n's lint rules"):
	{
		// Our own HTTP client (host policy, refused redirects, idle timeouts, proxies from the
		// environment, a 1 GB Event Log File streamed in bounded memory) needs Node's network,
		// stream and zlib modules, timers and process.env. These two rules are n8n Cloud's; the
		// self-hosted rule set (recommendedWithoutN8nCloudSupport) does not have them.
		files: ['nodes/SalesforceAdmin/transport/**/*.ts', 'nodes/SalesforceAdmin/salesforce/eventLogCsv.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
		},
	},
	{
		// Below the node boundary errors are typed (SalesforceApiError, CredentialSetupError) and
		// become NodeApiError where they leave the node (transport's toNodeApiError).
		files: ['nodes/SalesforceAdmin/transport/**/*.ts', 'nodes/SalesforceAdmin/salesforce/**/*.ts', 'nodes/SalesforceAdmin/reads/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The node's description lives in actions/versionDescription.ts (n8n's versioned-node
		// layout, as Airtable v2 and Google Sheets v2): the icon and the credentials' testedBy are
		// there, where these two rules do not look.
		files: [
			'nodes/SalesforceAdmin/*.node.ts',
			'credentials/SalesforceAdminPasswordApi.credentials.ts',
			'credentials/SalesforceAdminJwtApi.credentials.ts',
			'credentials/SalesforceAdminClientCredentialsApi.credentials.ts',
		],
		rules: {
			'@n8n/community-nodes/icon-validation': 'off',
			'@n8n/community-nodes/credential-test-required': 'off',
		},
	},
	{
		// The package has no maintainer e-mail address yet; set one in package.json before publishing.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/valid-author': 'off' },
	},
);
