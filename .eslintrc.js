/** n8n's lint rules for community nodes, as n8n-nodes-starter sets them up, plus our layer rules. */
/**
 * The layers (ARCHITECTURE.md): what each folder of nodes/SalesforceAdmin may import. A rule
 * breaks CI, so a newcomer learns where a line belongs from the linter.
 */
const NODE = 'nodes/SalesforceAdmin';
const NETWORK_MODULES = [
	'http',
	'https',
	'net',
	'tls',
	'http2',
	'undici',
	'node-fetch',
	'zlib',
	'stream',
].map((name) => ({
	name,
	message:
		"transport/ owns every byte on the wire, over n8n's request helpers (transport/wire.ts): call its functions instead.",
}));
const JSFORCE = {
	group: ['jsforce', 'jsforce/*'],
	message: 'jsforce is a dev dependency only (tests and bench): the package signs in on its own.',
};
const layer = (files, patterns, paths = []) => ({
	files,
	rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});
const ABOVE_TRANSPORT = [
	'**/actions',
	'**/actions/**',
	'**/reads',
	'**/reads/**',
	'**/methods',
	'**/methods/**',
	'**/trigger',
	'**/trigger/**',
	'**/*.node',
];
const layerRules = [
	// salesforce/: pure functions (SOQL, parsing, mapping, planning); n8n only for its types
	layer(
		[`./${NODE}/salesforce/**/*.ts`],
		[
			{
				group: ['**/transport', '**/transport/**', ...ABOVE_TRANSPORT],
				message:
					'salesforce/ is pure: no I/O and no layer above it. Put I/O in reads/ or the action.',
			},
			JSFORCE,
		],
		[
			...NETWORK_MODULES,
			{
				name: 'n8n-workflow',
				allowTypeImports: true,
				message: 'salesforce/ uses n8n-workflow for types only.',
			},
		],
	),
	// reads/: batched I/O built from transport calls and salesforce/ pieces, shared by both nodes
	layer(
		[`./${NODE}/reads/**/*.ts`],
		[
			{
				group: [
					'**/actions',
					'**/actions/**',
					'**/methods',
					'**/methods/**',
					'**/trigger',
					'**/trigger/**',
					'**/*.node',
				],
				message: 'reads/ serves the nodes; it does not import them.',
			},
			{
				group: ['**/transport/*', '!**/transport/apiVersion'],
				message: 'Import transport through its index (transport/index.ts).',
			},
			JSFORCE,
		],
		NETWORK_MODULES,
	),
	// transport/: the wire; it knows nothing of the layers above it
	layer(
		[`./${NODE}/transport/**/*.ts`],
		[
			{
				group: ABOVE_TRANSPORT,
				message: 'transport/ is the bottom layer: it does not import the layers above it.',
			},
			JSFORCE,
		],
		NETWORK_MODULES,
	),
	// actions/, methods/, trigger/ and the node files: through transport's index only
	layer(
		[
			`./${NODE}/actions/**/*.ts`,
			`./${NODE}/methods/**/*.ts`,
			`./${NODE}/trigger/**/*.ts`,
			`./${NODE}/*.node.ts`,
		],
		[
			{
				group: ['**/transport/*', '!**/transport/apiVersion'],
				message: 'Import transport through its index (transport/index.ts).',
			},
			JSFORCE,
		],
		NETWORK_MODULES,
	),
	// credentials: each is its own bundle; transport/storedToken (the JWT / client credentials /
	// password sign-in n8n runs as preAuthentication) is imported directly to keep them small
	layer(
		['./credentials/**/*.ts'],
		[
			{
				group: ['**/transport/*', '!**/transport/apiVersion', '!**/transport/storedToken'],
				message: 'Import transport through its index (transport/index.ts).',
			},
			JSFORCE,
		],
		NETWORK_MODULES,
	),
];

module.exports = {
	root: true,
	env: { browser: true, es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: [
		'.eslintrc.js',
		'**/*.js',
		'**/node_modules/**',
		'**/dist/**',
		'test/**',
		'bench/**',
		'e2e/**',
		'scripts/**',
	],
	plugins: ['@typescript-eslint'],
	overrides: [
		...layerRules,
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: { 'n8n-nodes-base/community-package-json-name-still-default': 'off' },
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
				// n8n's own nodes now use NodeConnectionTypes.Main, which is the string 'main'.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			},
		},
	],
};
