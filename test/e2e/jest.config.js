/**
 * The end-to-end suite: real n8n (1.x and/or 2.x, E2E_N8N="1,2") running our packed package in a
 * child process against the fake org, which runs in the jest process on 127.0.0.1.
 * Run with `npm run test:e2e` (installs n8n into e2e/ first); the main jest config skips this folder.
 */
const path = require('path');

/**
 * Suites that take many minutes (the trigger polls once a minute in a running n8n; the agent
 * drives a model stub through tool calls; the browser test needs Chromium and playwright-core)
 * run with `npm run test:e2e:long`; CI runs the others (`npm run test:e2e`) to stay within its time.
 */
const LONG_SUITES = ['trigger', 'agent-tool', 'oauth2-pkce-browser', 'editor-dry-run-browser', 'credential-test-browser', 'first-hour-browser'];
const longOnly = process.env.E2E_LONG === '1';
const longFiles = LONG_SUITES.map((name) => `/test/e2e/${name}\\.e2e\\.test\\.ts$`);

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: longOnly ? LONG_SUITES.map((name) => `**/${name}.e2e.test.ts`) : ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', ...(longOnly ? [] : longFiles)],
	// one build + npm pack + install of the tarball for the whole run
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	// scripts/demo resolves to demo.ts (startDemo), not demo.js (which starts `npm run demo`)
	moduleFileExtensions: ['ts', 'js', 'json', 'node'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
	},
	// Each file starts its own n8n processes; on 2 cores, one file at a time is fastest.
	maxWorkers: 1,
	// One `n8n execute` takes 2–3 s; an n8n install of the package and server start take longer.
	testTimeout: 180_000,
	slowTestThreshold: 60,
	verbose: true,
};
