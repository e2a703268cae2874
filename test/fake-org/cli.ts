/**
 * Runs a seeded fake org until SIGINT/SIGTERM, for the e2e suite and the demo.
 *
 *   node <compiled>/test/fake-org/cli.js --port 8787 --users 2000 --login-history 5000 --event-log-days 3
 *
 * Options (or environment variables): --port (FAKE_ORG_PORT, default 0 = any free port),
 * --users (FAKE_ORG_USERS, default 200), --login-history (FAKE_ORG_LOGIN_HISTORY),
 * --event-log-days (FAKE_ORG_EVENT_LOG_DAYS, default 0), --rows-per-file (default 200),
 * --seed (FAKE_ORG_SEED, default 42), --entitlements (FAKE_ORG_ENTITLEMENTS=1: package seats,
 * permission sets and groups, group and queue memberships). Prints one line of JSON: url, admin credentials, counts.
 */
import { FakeOrg } from './index';

function option(name: string, env: string): string | undefined {
	const args = process.argv.slice(2);
	const index = args.indexOf(`--${name}`);
	if (index >= 0) return args[index + 1];
	const inline = args.find((a) => a.startsWith(`--${name}=`));
	return inline ? inline.slice(name.length + 3) : process.env[env];
}

const num = (value: string | undefined, fallback: number): number => {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${value}`);
	return n;
};

async function main(): Promise<void> {
	const days = num(option('event-log-days', 'FAKE_ORG_EVENT_LOG_DAYS'), 0);
	const loginHistory = option('login-history', 'FAKE_ORG_LOGIN_HISTORY');
	const org = await FakeOrg.start({
		port: num(option('port', 'FAKE_ORG_PORT'), 0),
		seed: {
			users: num(option('users', 'FAKE_ORG_USERS'), 200),
			loginHistory: loginHistory === undefined ? undefined : num(loginHistory, 0),
			eventLogFiles: days
				? { days, rowsPerFile: num(option('rows-per-file', 'FAKE_ORG_ROWS_PER_FILE'), 200) }
				: undefined,
			seed: num(option('seed', 'FAKE_ORG_SEED'), 42),
			entitlements:
				process.argv.includes('--entitlements') || process.env.FAKE_ORG_ENTITLEMENTS === '1',
		},
	});
	process.stdout.write(
		JSON.stringify({
			url: org.url,
			loginUrl: org.url,
			admin: org.admin,
			externalClientApp: org.externalClientApp,
			orgId: org.store.orgId,
			users: org.store.users.length,
			loginHistory: org.store.loginHistory.length,
			eventLogFiles: org.store.eventLogFiles.length,
		}) + '\n',
	);
	const stop = () => {
		void org.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`fake org failed to start: ${(error as Error).message}\n`);
	process.exit(1);
});
