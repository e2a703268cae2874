/**
 * The package's one ESLint config (ESLint 9, flat), run by `npm run lint` on package.json,
 * nodes/ and credentials/:
 *
 * 1. n8n's verification scanner's own config (scanner.config.mjs: `buildScanConfig()` of
 *    @n8n/scan-community-package, composed in unchanged). `npm run lint:n8n` and `npm run scan`
 *    run it alone, without the exceptions below, exactly as n8n verifies a package.
 * 2. The layer rule (rules/layer-imports.mjs) with LAYERS below: each layer's allowed imports,
 *    everything else refused (ARCHITECTURE.md, "Layers").
 * 3. KNOWN_EXCEPTIONS: the code that breaks a rule today, each entry with its reason and the
 *    issue that removes it. An entry that no longer matches a finding is itself an error.
 *
 * Inline disable comments are ignored, as the scanner ignores them: an exception goes in the
 * list, with its reason, or nowhere. test/lint/layers.test.ts proves each rule catches a violation.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import scannerConfig from './scanner.config.mjs';
import { assertExceptionsHold, knownExceptionsProcessor } from './rules/known-exceptions.mjs';
import { layerImports } from './rules/layer-imports.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_DIR = 'nodes/SalesforceAdmin';

/**
 * What n8n's scanner lets a community package import (n8n provides them at run time) and what
 * the build bundles (fflate; luxon is both). Nothing else, in any layer: not Node's modules (but
 * crypto), not jsforce.
 */
const PACKAGE_ALLOW_LIST = [
	'n8n-workflow',
	'luxon',
	'lodash',
	'moment',
	'p-limit',
	'zod',
	'crypto',
	'node:crypto',
	'fflate',
];

/** The one rule for reads: it lives in reads/ and returns data plus notices (issue 22). */
const READS_ONLY = {
	transport: {
		names: ['queryAll', 'queryPages'],
		why: 'every Salesforce read lives in reads/, which returns the data and its notices.',
	},
};

/**
 * The layers, bottom first. layers: what a file may import (its own layer always; another layer
 * by name, `layer/module` for one named entry point); packages: packages it may import;
 * typePackages: packages it may import types from (`import type`) and nothing else; entry
 * 'index': other layers import it through its index only. Messages use `why`.
 */
const LAYERS = {
	salesforce: {
		dir: `${NODE_DIR}/salesforce`,
		label: 'salesforce/',
		layers: ['salesforce'],
		packages: ['luxon', 'fflate'],
		typePackages: ['n8n-workflow'],
		why: 'salesforce/ is the pure bottom layer (SOQL, parsing, mapping, decisions): no I/O and nothing above it, so it is unit-tested without a network.',
	},
	transport: {
		dir: `${NODE_DIR}/transport`,
		label: 'transport/',
		entry: 'index',
		layers: ['transport', 'salesforce'],
		packages: ['n8n-workflow', 'crypto', 'node:crypto'],
		why: 'transport/ owns the wire and rests on salesforce/ alone: it knows nothing of reads/, the operations, the trigger, methods/ or the credentials.',
	},
	reads: {
		dir: `${NODE_DIR}/reads`,
		label: 'reads/',
		layers: ['reads', 'transport', 'salesforce'],
		// luxon's DateTime as a parameter type: the clock is the caller's
		typePackages: ['n8n-workflow', 'luxon'],
		why: 'reads/ builds batched reads from transport/ calls and salesforce/ pieces; it serves the nodes and imports none of them.',
	},
	actions: {
		dir: `${NODE_DIR}/actions`,
		label: 'actions/',
		layers: ['actions', 'reads', 'transport', 'salesforce'],
		packages: ['n8n-workflow', 'luxon'],
		why: 'The operations compose reads/, salesforce/ and transport/; they never import the trigger.',
	},
	trigger: {
		dir: `${NODE_DIR}/trigger`,
		label: 'trigger/',
		layers: ['trigger', 'reads', 'transport', 'salesforce'],
		packages: ['n8n-workflow', 'luxon'],
		why: 'What the trigger shares with the operations lives in reads/ or salesforce/, not in actions/.',
	},
	methods: {
		dir: `${NODE_DIR}/methods`,
		label: 'methods/',
		layers: ['methods', 'reads', 'transport', 'salesforce'],
		packages: ['n8n-workflow', 'luxon'],
		why: 'Option lists and the credential test use reads/, salesforce/ and transport/, never the operations or the trigger.',
	},
	node: {
		dir: NODE_DIR,
		topLevelOnly: true,
		label: 'the node files',
		layers: ['actions', 'trigger', 'methods', 'reads', 'transport', 'salesforce'],
		packages: ['n8n-workflow'],
		why: 'A node file is the thin top: its description and the hand-over to actions/, trigger/ or methods/.',
	},
	credentials: {
		dir: 'credentials',
		label: 'credentials/',
		// storedToken (their preAuthentication) and apiVersion directly: each credential is its
		// own bundle, and the transport index would pull all of transport/ into each of them
		layers: [
			'credentials',
			'reads',
			'transport',
			'transport/storedToken',
			'transport/apiVersion',
			'salesforce',
		],
		packages: ['n8n-workflow'],
		why: 'A credential is its own bundle: transport/ through its index or the entry points named here.',
	},
};

const LAYER_RULE = 'salesforce-admin/layer-imports';
/**
 * KNOWN_EXCEPTIONS: every place the code on main breaks a rule of this config today. An entry
 * names the file, the rule and the words its findings quote (`only`: imports, names, globals;
 * none: every finding of that rule in the file), with the reason and the issue that removes it.
 * Drop the entry when that code moves: `npm run lint` reports an entry that no longer matches a
 * finding, and refuses one whose file is gone. `npm run lint:n8n` and `npm run scan` know
 * nothing of this list.
 */
export const KNOWN_EXCEPTIONS = [
	// none: since issue 22 every read lives in reads/ and the trigger imports nothing of actions/
];

const SOURCE = ['nodes/**/*.{ts,js}', 'credentials/**/*.{ts,js}'];

/** The config with a given exception list (the tests lint against lists of their own). */
export function lintConfig(exceptions) {
	return [
		...scannerConfig,
		{
			files: SOURCE,
			plugins: { 'salesforce-admin': { rules: { 'layer-imports': layerImports } } },
			rules: {
				[LAYER_RULE]: [
					'error',
					{
						root: ROOT,
						layers: LAYERS,
						packageAllowList: PACKAGE_ALLOW_LIST,
						forbiddenNames: {
							actions: READS_ONLY,
							trigger: READS_ONLY,
							methods: READS_ONLY,
							node: READS_ONLY,
							credentials: READS_ONLY,
						},
					},
				],
			},
		},
		{
			files: [...SOURCE, 'package.json'],
			linterOptions: { noInlineConfig: true },
			processor: knownExceptionsProcessor(ROOT, exceptions),
		},
	];
}

assertExceptionsHold(ROOT, KNOWN_EXCEPTIONS);

export default lintConfig(KNOWN_EXCEPTIONS);
