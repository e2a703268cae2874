/**
 * The layer rules of `npm run lint` (lint/eslint.config.mjs, ARCHITECTURE.md "Layers") catch each
 * violation: every case below is a source text linted as a file of the layer named (a path that
 * does not exist, so nothing is written into nodes/), with ESLint's Node API and the package's one
 * config. A violation must give the layer rule's error with its message; a legal import must give
 * none. Also: KNOWN_EXCEPTIONS lets only what it lists pass and reports an entry that no longer
 * matches, inline disable comments change nothing, and the one config reports every finding of
 * n8n's scanner config as the scanner config alone does.
 */
import { spawnSync } from 'child_process';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const N = 'nodes/SalesforceAdmin';
const LAYER_RULE = 'salesforce-admin/layer-imports';
const ONE_CONFIG = 'lint/eslint.config.mjs';
const SCANNER_CONFIG = 'lint/scanner.config.mjs';

interface Message {
	ruleId: string | null;
	message: string;
	line: number;
}
interface Case {
	code: string;
	filePath: string;
	config?: string;
}

function lintTexts(cases: Case[]): Message[][] {
	const byConfig = new Map<string, number[]>();
	cases.forEach((c, i) =>
		byConfig.set(c.config ?? ONE_CONFIG, [...(byConfig.get(c.config ?? ONE_CONFIG) ?? []), i]),
	);
	const results: Message[][] = new Array(cases.length);
	for (const [config, indexes] of byConfig) {
		const res = spawnSync(process.execPath, [path.join(__dirname, 'lint-text.js')], {
			cwd: ROOT,
			input: JSON.stringify({ config, cases: indexes.map((i) => cases[i]) }),
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		if (res.status !== 0) throw new Error(`lint-text.js failed (${res.status}): ${res.stderr}`);
		const lists = JSON.parse(res.stdout) as Message[][];
		indexes.forEach((caseIndex, k) => (results[caseIndex] = lists[k]));
	}
	return results;
}

/** A violation: the file, the code, and what the layer rule's message must say. */
const VIOLATIONS: Array<[string, string, string, RegExp]> = [
	// salesforce/: the pure bottom layer
	[
		'https imported in salesforce/',
		`${N}/salesforce/probe.ts`,
		"import * as https from 'https';",
		/^'https' is a Node module: salesforce\/ may import only salesforce\/ itself, luxon, fflate, n8n-workflow \(types only\)\. salesforce\/ is the pure bottom layer/,
	],
	[
		'fs imported in salesforce/',
		`${N}/salesforce/probe.ts`,
		"import { readFileSync } from 'fs';\nexport const read = () => readFileSync('x');",
		/^'fs' is a Node module: salesforce\//,
	],
	[
		"require('https') in salesforce/",
		`${N}/salesforce/probe.ts`,
		"export const https = require('https');",
		/^'https' is a Node module: salesforce\//,
	],
	[
		'dynamic import() in salesforce/',
		`${N}/salesforce/probe.ts`,
		"export const load = () => import('https');",
		/^'https' is a Node module: salesforce\//,
	],
	[
		"a type from Node's net in salesforce/",
		`${N}/salesforce/probe.ts`,
		"export type Socket = import('net').Socket;",
		/^'net' is a Node module: salesforce\//,
	],
	[
		'salesforce/ importing transport/',
		`${N}/salesforce/probe.ts`,
		"import { queryAll } from '../transport';\nexport { queryAll };",
		/^'\.\.\/transport' is transport\/: salesforce\/ may import only/,
	],
	[
		'salesforce/ importing reads/',
		`${N}/salesforce/probe.ts`,
		"import { lookupUsers } from '../reads/lookUpUsers';\nexport { lookupUsers };",
		/^'\.\.\/reads\/lookUpUsers' is reads\/: salesforce\//,
	],
	[
		'salesforce/ importing actions/',
		`${N}/salesforce/probe.ts`,
		"import { router } from '../actions/router';\nexport { router };",
		/^'\.\.\/actions\/router' is actions\/: salesforce\//,
	],
	[
		'a value from n8n-workflow in salesforce/',
		`${N}/salesforce/probe.ts`,
		"import { NodeOperationError } from 'n8n-workflow';\nexport { NodeOperationError };",
		/^'n8n-workflow' gives salesforce\/ types only \(import type\)/,
	],
	[
		'a value re-exported from n8n-workflow in salesforce/',
		`${N}/salesforce/probe.ts`,
		"export { NodeApiError } from 'n8n-workflow';",
		/^'n8n-workflow' gives salesforce\/ types only/,
	],
	// transport/: the wire, on salesforce/ alone
	[
		'transport/ importing credentials/',
		`${N}/transport/probe.ts`,
		"import { SalesforceAdminOAuth2Api } from '../../../credentials/SalesforceAdminOAuth2Api.credentials';\nexport { SalesforceAdminOAuth2Api };",
		/^'\.\.\/\.\.\/\.\.\/credentials\/SalesforceAdminOAuth2Api\.credentials' is credentials\/: transport\/ may import only transport\/ itself, salesforce\/, n8n-workflow, crypto, node:crypto\. transport\/ owns the wire/,
	],
	[
		'transport/ importing actions/',
		`${N}/transport/probe.ts`,
		"import { router } from '../actions/router';\nexport { router };",
		/^'\.\.\/actions\/router' is actions\/: transport\//,
	],
	[
		'transport/ importing reads/',
		`${N}/transport/probe.ts`,
		"import { lookupUsers } from '../reads/lookUpUsers';\nexport { lookupUsers };",
		/^'\.\.\/reads\/lookUpUsers' is reads\/: transport\//,
	],
	[
		'transport/ importing trigger/',
		`${N}/transport/probe.ts`,
		"import { pollRouter } from '../trigger/pollRouter';\nexport { pollRouter };",
		/^'\.\.\/trigger\/pollRouter' is trigger\/: transport\//,
	],
	[
		'jsforce in transport/',
		`${N}/transport/probe.ts`,
		"import { Connection } from 'jsforce/core';\nexport { Connection };",
		/^'jsforce\/core' is not on the package allow-list \(n8n-workflow, luxon, lodash, moment, p-limit, zod, crypto, node:crypto, fflate\)/,
	],
	// reads/
	[
		'a value from n8n-workflow in reads/',
		`${N}/reads/probe.ts`,
		"import { NodeOperationError } from 'n8n-workflow';\nexport { NodeOperationError };",
		/^'n8n-workflow' gives reads\/ types only \(import type\)/,
	],
	[
		'reads/ reaching into transport/http',
		`${N}/reads/probe.ts`,
		"import { transportOptions } from '../transport/http';\nexport { transportOptions };",
		/^'\.\.\/transport\/http' reaches into the internals of transport\/: import transport\/ through its index/,
	],
	[
		'reads/ importing actions/',
		`${N}/reads/probe.ts`,
		"import { router } from '../actions/router';\nexport { router };",
		/^'\.\.\/actions\/router' is actions\/: reads\//,
	],
	// actions/
	[
		'actions/ importing trigger/',
		`${N}/actions/user/probe.ts`,
		"import { pollRouter } from '../../trigger/pollRouter';\nexport { pollRouter };",
		/^'\.\.\/\.\.\/trigger\/pollRouter' is trigger\/: actions\/ may import only .*they never import the trigger/,
	],
	[
		'actions/ reaching into transport/http',
		`${N}/actions/user/probe.ts`,
		"import { transportOptions } from '../../transport/http';\nexport { transportOptions };",
		/^'\.\.\/\.\.\/transport\/http' reaches into the internals of transport\//,
	],
	[
		'queryAll in actions/',
		`${N}/actions/user/probe.ts`,
		"import { connect, queryAll } from '../../transport';\nexport { connect, queryAll };",
		/^'queryAll' from transport\/ is not for actions\/: every Salesforce read lives in reads\//,
	],
	[
		'transport/ imported whole in actions/',
		`${N}/actions/user/probe.ts`,
		"import * as transport from '../../transport';\nexport { transport };",
		/^'\.\.\/\.\.\/transport' imported as a whole: actions\/ must name what it takes/,
	],
	[
		'jsforce in actions/',
		`${N}/actions/user/probe.ts`,
		"import { Connection } from 'jsforce';\nexport { Connection };",
		/^'jsforce' is not on the package allow-list/,
	],
	[
		'https in actions/',
		`${N}/actions/user/probe.ts`,
		"import { request } from 'https';\nexport { request };",
		/^'https' is a Node module: actions\//,
	],
	[
		'a computed require() in actions/',
		`${N}/actions/user/probe.ts`,
		"const name = 'https';\nexport const m = require(name);",
		/^'require\(\)' with a computed specifier: the layer rules cannot check it/,
	],
	[
		'actions/ importing test code',
		`${N}/actions/user/probe.ts`,
		"import { runNode } from '../../../../test/helpers/run-node';\nexport { runNode };",
		/^'\.\.\/\.\.\/\.\.\/\.\.\/test\/helpers\/run-node' is outside the layers \(test\/helpers\/run-node\)/,
	],
	// trigger/
	[
		'trigger/ importing actions/',
		`${N}/trigger/probe.ts`,
		"import { readLicenses } from '../actions/shared/licenseReads';\nexport { readLicenses };",
		/^'\.\.\/actions\/shared\/licenseReads' is actions\/: trigger\/ may import only .*not in actions\//,
	],
	[
		'queryPages in trigger/',
		`${N}/trigger/probe.ts`,
		"import { queryPages } from '../transport';\nexport { queryPages };",
		/^'queryPages' from transport\/ is not for trigger\//,
	],
	// methods/
	[
		'methods/ importing trigger/',
		`${N}/methods/probe.ts`,
		"import { pollRouter } from '../trigger/pollRouter';\nexport { pollRouter };",
		/^'\.\.\/trigger\/pollRouter' is trigger\/: methods\//,
	],
	[
		'methods/ importing actions/',
		`${N}/methods/probe.ts`,
		"import { router } from '../actions/router';\nexport { router };",
		/^'\.\.\/actions\/router' is actions\/: methods\//,
	],
	// the node files and credentials/
	[
		'http in a node file',
		`${N}/Probe.node.ts`,
		"import { request } from 'http';\nexport { request };",
		/^'http' is a Node module: the node files/,
	],
	[
		'credentials/ reaching into transport/http',
		'credentials/Probe.credentials.ts',
		"import { transportOptions } from '../nodes/SalesforceAdmin/transport/http';\nexport { transportOptions };",
		/^'\.\.\/nodes\/SalesforceAdmin\/transport\/http' reaches into the internals of transport\//,
	],
	[
		'jsforce in credentials/',
		'credentials/Probe.credentials.ts',
		"import { Connection } from 'jsforce';\nexport { Connection };",
		/^'jsforce' is not on the package allow-list/,
	],
	// a folder that is no layer
	[
		'a file in no layer',
		`${N}/helpers/probe.ts`,
		'export const one = 1;',
		/^'nodes\/SalesforceAdmin\/helpers\/probe' is in no layer/,
	],
];

/** Legal imports: each layer's allow-list used in full. */
const LEGAL: Array<[string, string, string]> = [
	[
		'salesforce/',
		`${N}/salesforce/probe.ts`,
		"import type { IDataObject } from 'n8n-workflow';\nimport { DateTime } from 'luxon';\nimport { Gunzip } from 'fflate';\nimport { quote } from './soql';\nexport const all = (d: IDataObject) => [DateTime, Gunzip, quote, d];",
	],
	[
		'transport/',
		`${N}/transport/probe.ts`,
		"import { createHash } from 'crypto';\nimport { NodeApiError } from 'n8n-workflow';\nimport { quote } from '../salesforce/soql';\nimport { transportOptions } from './http';\nexport const all = [createHash, NodeApiError, quote, transportOptions];",
	],
	[
		'reads/',
		`${N}/reads/probe.ts`,
		"import type { IDataObject } from 'n8n-workflow';\nimport { connect, queryAll } from '../transport';\nimport { quote } from '../salesforce/soql';\nimport { readUserNames } from './userNameReader';\nexport const all = (d: IDataObject) => [connect, queryAll, quote, readUserNames, d];",
	],
	[
		'actions/',
		`${N}/actions/user/probe.ts`,
		"import { NodeOperationError } from 'n8n-workflow';\nimport { DateTime } from 'luxon';\nimport { connect } from '../../transport';\nimport type { queryAll } from '../../transport';\nimport { lookupUsers } from '../../reads/lookUpUsers';\nimport { quote } from '../../salesforce/soql';\nimport { router } from '../router';\nexport const all: Array<typeof queryAll | unknown> = [NodeOperationError, DateTime, connect, lookupUsers, quote, router];",
	],
	[
		'trigger/',
		`${N}/trigger/probe.ts`,
		"import { connect } from '../transport';\nimport { readUserNames } from '../reads/userNameReader';\nimport { quote } from '../salesforce/soql';\nimport { pollRouter } from './router';\nexport const all = [connect, readUserNames, quote, pollRouter];",
	],
	[
		'methods/',
		`${N}/methods/probe.ts`,
		"import { connect } from '../transport';\nimport { quote } from '../salesforce/soql';\nimport { methods } from './index';\nexport const all = [connect, quote, methods];",
	],
	[
		'a node file',
		`${N}/Probe.node.ts`,
		"import { router } from './actions/router';\nimport { pollRouter } from './trigger/pollRouter';\nimport { methods } from './methods';\nexport const all = [router, pollRouter, methods];",
	],
	[
		'credentials/',
		'credentials/Probe.credentials.ts',
		"import type { ICredentialType } from 'n8n-workflow';\nimport { storedTokenAuthentication } from '../nodes/SalesforceAdmin/transport/storedToken';\nimport { API_VERSION } from '../nodes/SalesforceAdmin/transport/apiVersion';\nimport { connect } from '../nodes/SalesforceAdmin/transport';\nexport const all = (c: ICredentialType) => [storedTokenAuthentication, API_VERSION, connect, c];",
	],
];

/** A probe with what n8n's scanner refuses, in an action file (no exception there). */
const SCANNER_PROBE = [
	"import { gzipSync } from 'zlib';",
	'export const wait = () => new Promise((resolve) => setTimeout(resolve, 10));',
	'export const zip = (text: string) => gzipSync(text);',
	'',
].join('\n');

const EXCEPTIONS_CONFIG = 'test/lint/exceptions.config.mjs';

const EXTRA: Case[] = [
	// 0: listed exceptions pass in their file, an unlisted import from actions/ does not
	{
		filePath: `${N}/trigger/listed.ts`,
		code: "import { readableUserFeatureFields } from '../actions/shared/userReads';\nimport { queryAll } from '../transport';\nimport { executeWriteAction } from '../actions/shared/writeBatch';\nexport const all = [readableUserFeatureFields, queryAll, executeWriteAction];",
		config: EXCEPTIONS_CONFIG,
	},
	// 1: the same imports in a file the list does not name are refused
	{
		filePath: `${N}/trigger/unlisted.ts`,
		code: "import { readableUserFeatureFields } from '../actions/shared/userReads';\nimport { queryAll } from '../transport';\nexport const all = [readableUserFeatureFields, queryAll];",
		config: EXCEPTIONS_CONFIG,
	},
	// 2: a file whose listed import is gone: the entry is reported
	{
		filePath: `${N}/methods/listed.ts`,
		code: "import { connect } from '../transport';\nexport const all = [connect];",
		config: EXCEPTIONS_CONFIG,
	},
	// 3: a listed scanner finding passes, another of the same rule does not
	{
		filePath: `${N}/transport/listed.ts`,
		code: "import { sleep } from 'n8n-workflow';\nexport const wait = () => new Promise((resolve) => setTimeout(resolve, 10));\nexport const home = () => process.env.HOME;\nexport { sleep };",
		config: EXCEPTIONS_CONFIG,
	},
	// 4: inline disable comments change nothing
	{
		filePath: `${N}/salesforce/probe.ts`,
		code: "/* eslint-disable */\n// eslint-disable-next-line salesforce-admin/layer-imports\nimport * as https from 'https';\nexport { https };",
	},
	// 5, 6: the scanner's findings, with the one config and with the scanner's config alone
	{ filePath: `${N}/actions/user/probe.ts`, code: SCANNER_PROBE },
	{ filePath: `${N}/actions/user/probe.ts`, code: SCANNER_PROBE, config: SCANNER_CONFIG },
];

let results: Message[][];
beforeAll(() => {
	results = lintTexts([
		...VIOLATIONS.map(([, filePath, code]) => ({ filePath, code })),
		...LEGAL.map(([, filePath, code]) => ({ filePath, code })),
		...EXTRA,
	]);
}, 180000);

const layerErrors = (messages: Message[]) => messages.filter((m) => m.ruleId === LAYER_RULE);

describe('npm run lint: the layer rules refuse every import not on the layer allow-list', () => {
	it('has at least 22 violation cases', () => expect(VIOLATIONS.length).toBeGreaterThanOrEqual(22));

	VIOLATIONS.forEach(([name, , , expected], i) => {
		it(`refuses ${name}`, () => {
			const errors = layerErrors(results[i]);
			expect(errors.map((m) => m.message)).toEqual([expect.stringMatching(expected)]);
		});
	});

	LEGAL.forEach(([name], i) => {
		it(`accepts what ${name} may import, with no finding at all`, () => {
			expect(results[VIOLATIONS.length + i]).toEqual([]);
		});
	});
});

describe('npm run lint: KNOWN_EXCEPTIONS, inline comments, the scanner config inside', () => {
	const extra = (i: number) => results[VIOLATIONS.length + LEGAL.length + i];

	it('lets the listed imports pass in their own file and refuses one it does not list', () => {
		expect(extra(0).map((m) => m.message)).toEqual([
			expect.stringMatching(/^'\.\.\/actions\/shared\/writeBatch' is actions\/: trigger\//),
		]);
	});

	it('refuses the same imports in a file the list does not name', () => {
		expect(extra(1).map((m) => m.message)).toEqual([
			expect.stringMatching(/^'\.\.\/actions\/shared\/userReads' is actions\/: trigger\//),
			expect.stringMatching(/^'queryAll' from transport\/ is not for trigger\//),
		]);
	});

	it('reports an entry whose finding no longer occurs, so that the list shrinks as code moves', () => {
		expect(extra(2)).toEqual([
			{
				ruleId: 'salesforce-admin/known-exceptions',
				line: 1,
				message: expect.stringMatching(
					/^KNOWN_EXCEPTIONS lists \.\.\/trigger\/pollRouter for salesforce-admin\/layer-imports in nodes\/SalesforceAdmin\/methods\/listed\.ts \(issue 22\), which no longer occurs/,
				),
			},
		]);
	});

	it("lets a listed finding of n8n's scanner pass and reports another of the same rule", () => {
		expect(extra(3)).toEqual([
			{
				ruleId: '@n8n/community-nodes/no-restricted-globals',
				line: 3,
				message: expect.stringMatching(/^Use of restricted global 'process'/),
			},
		]);
	});

	it('ignores inline disable comments', () => {
		expect(layerErrors(extra(4)).map((m) => m.message)).toEqual([
			expect.stringMatching(/^'https' is a Node module: salesforce\//),
		]);
	});

	it("reports every finding of n8n's scanner config, as the scanner config alone reports them", () => {
		const scannerFindings = extra(6);
		expect(scannerFindings.map((m) => m.ruleId)).toEqual([
			'@n8n/community-nodes/no-restricted-imports',
			'@n8n/community-nodes/no-restricted-globals',
		]);
		expect(extra(5).filter((m) => !m.ruleId?.startsWith('salesforce-admin/'))).toEqual(
			scannerFindings,
		);
	});
});
