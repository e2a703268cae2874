/**
 * The queue-mode suite (`npm run test:queue`): n8n 1.x and 2.x (E2E_N8N) main + workers on
 * PostgreSQL and Redis, started by the test itself (test/e2e/queue.ts). Same build/pack/install global setup as the
 * e2e suite; only *.queue.test.ts files.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['**/*.queue.test.ts'],
	// PostgreSQL, Redis and three n8n processes start in beforeAll.
	testTimeout: 600_000,
};
