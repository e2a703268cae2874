/**
 * The transport on n8n's request helpers, against the fake org over real HTTP: the execution's
 * cancel signal stops a long download, and the transport's own write call refuses a Read-Only
 * session whatever called it.
 */
import {
	dataPath,
	send,
	settingsFromCredential,
	signIn,
	updateRecords,
	describeSalesforceError,
} from '../../nodes/SalesforceAdmin/transport';
import { FakeOrg } from '../fake-org';
import { passwordCredentials, runNode, testWire } from '../helpers';

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({
		seed: { users: 10, seed: 29, eventLogFiles: { days: 1, rowsPerFile: 400 } },
	});
});
afterAll(async () => await org.stop());
beforeEach(() => {
	org.calls.reset();
});

async function errorOf(call: () => Promise<unknown>) {
	try {
		await call();
	} catch (error) {
		return describeSalesforceError(error);
	}
	throw new Error('the call did not fail');
}

describe("the execution's cancel signal", () => {
	it('a cancelled execution stops downloading the Event Log File (the connection is closed)', async () => {
		// nothing but the cancel can end this download: it trickles, and no deadline is near
		let closed!: () => void;
		const clientClosed = new Promise<void>((resolve) => (closed = resolve));
		org.controls.failLogFileBody(1, {
			afterBytes: 300,
			mode: 'trickle',
			trickleMs: 20,
			contentLength: true,
			onClientClose: () => closed(),
		});
		const run = runNode({
			resource: 'eventLog',
			operation: 'getEvents',
			parameters: { output: 'perUser', filters: { eventTypes: ['Login'] } },
			credentials: passwordCredentials(org),
			whileRunning: (cancel) => {
				const waitForDownload = async () => {
					while (org.calls.count('logFile') === 0)
						await new Promise((resolve) => setTimeout(resolve, 20));
					// a few bytes in, the user stops the execution
					await new Promise((resolve) => setTimeout(resolve, 200));
					cancel();
				};
				void waitForDownload();
			},
		});
		await run;
		await clientClosed;
		expect(org.calls.count('logFile')).toBe(1);
	}, 30_000);
});

describe('Read-Only, enforced by the transport itself', () => {
	const session = async (accessMode: 'readOnly' | 'readWrite') =>
		await signIn(
			settingsFromCredential('password', passwordCredentials(org, { accessMode }).data),
			{ wire: testWire() },
		);

	it('updateRecords with a Read-Only session: refused, nothing sent', async () => {
		const readOnly = await session('readOnly');
		const user = org.store.users.find((u) => u.Id !== org.admin.userId)!;
		const info = await errorOf(() =>
			updateRecords(readOnly, 'User', [{ Id: user.Id, IsActive: false }]),
		);
		expect(info.code).toBe('READ_ONLY_CREDENTIAL');
		expect(org.calls.count('collectionsPatch')).toBe(0);
		expect(user.IsActive).toBe(true);
	});

	it.each(['PATCH', 'POST', 'DELETE'] as const)(
		'any %s on records with a Read-Only session: refused, nothing sent',
		async (method) => {
			const readOnly = await session('readOnly');
			const user = org.store.users.find((u) => u.Id !== org.admin.userId)!;
			const before = org.calls.count();
			const info = await errorOf(() =>
				send(readOnly, {
					method,
					url: dataPath(`/sobjects/User/${user.Id}`),
					body: JSON.stringify({ IsActive: false }),
					headers: { 'Content-Type': 'application/json' },
				}),
			);
			expect(info.code).toBe('READ_ONLY_CREDENTIAL');
			expect(org.calls.count()).toBe(before);
		},
	);

	it('a Read/Take Action session writes', async () => {
		const readWrite = await session('readWrite');
		const user = org.store.users.find((u) => u.Id !== org.admin.userId && u.IsActive)!;
		const [result] = await updateRecords(readWrite, 'User', [{ Id: user.Id, IsActive: false }]);
		expect(result).toMatchObject({ id: user.Id, success: true });
		expect(user.IsActive).toBe(false);
		expect(org.calls.count('collectionsPatch')).toBe(1);
	});
});
