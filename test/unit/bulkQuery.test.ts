import {
	columnTypeOf,
	parseBulkResultsPage,
	parseBulkResultsStream,
} from '../../nodes/SalesforceAdmin/salesforce/bulkCsv';
import type {
	BulkJobInfo,
	BulkJobState,
	BulkPacing,
	BulkQueryIo,
} from '../../nodes/SalesforceAdmin/salesforce/bulkQuery';
import {
	bulkQueryPages,
	nextLocatorOf,
	pollDelay,
	waitForJob,
} from '../../nodes/SalesforceAdmin/salesforce/bulkQuery';

describe('Bulk API 2.0 results page -> REST-shaped records', () => {
	it('types booleans and numbers, empty -> null, dotted columns -> nested objects', () => {
		const csv =
			'"Id","Username","IsActive","Profile.Name","Profile.UserLicense.Name","Profile.PermissionsModifyAllData","UserPermissionsSupportUser","LastLoginDate","TotalLicenses"\n' +
			'"005000000000001AAA","a@acme.com","true","Standard User","Salesforce","false","true","2026-01-02T03:04:05.000Z","10"\n' +
			'"005000000000002AAA","b@acme.com","false","","","","false","",""\n';
		expect(parseBulkResultsPage(csv)).toEqual([
			{
				Id: '005000000000001AAA',
				Username: 'a@acme.com',
				IsActive: true,
				Profile: {
					Name: 'Standard User',
					UserLicense: { Name: 'Salesforce' },
					PermissionsModifyAllData: false,
				},
				UserPermissionsSupportUser: true,
				LastLoginDate: '2026-01-02T03:04:05.000Z',
				TotalLicenses: 10,
			},
			{
				Id: '005000000000002AAA',
				Username: 'b@acme.com',
				IsActive: false,
				Profile: null,
				UserPermissionsSupportUser: false,
				LastLoginDate: null,
				TotalLicenses: null,
			},
		]);
	});

	it('keeps quotes, commas and line breaks inside values; text that looks like a boolean stays text', () => {
		const csv = '"Id","Name","LoginType"\n"1","O\'Brien, ""Jr""\nline 2","true"\n';
		expect(parseBulkResultsPage(csv)).toEqual([
			{ Id: '1', Name: 'O\'Brien, "Jr"\nline 2', LoginType: 'true' },
		]);
	});

	it('reads each page with its own header (the jsforce 3.10.16 bug read later headers as records)', () => {
		const page2 = '"Id","Name"\n"3","c"\n';
		expect(parseBulkResultsPage(page2)).toEqual([{ Id: '3', Name: 'c' }]);
		expect(parseBulkResultsPage('"Id","Name"\n')).toEqual([]);
		expect(parseBulkResultsPage('')).toEqual([]);
	});

	it('refuses a value of the wrong type and a row of the wrong width instead of guessing', () => {
		expect(() => parseBulkResultsPage('"IsActive"\n"yes"\n')).toThrow(/not a boolean/);
		expect(() => parseBulkResultsPage('"TotalLicenses"\n"ten"\n')).toThrow(/not a number/);
		expect(() => parseBulkResultsPage('"A","B"\n"1"\n')).toThrow();
	});

	it('streams a page in batches, split anywhere in the bytes, the same records as the whole page', async () => {
		const header = '"Id","Name","IsActive"\n';
		const rows = Array.from(
			{ length: 5001 },
			(_, i) => `"${i}","Name ${i}, ""q""","${i % 2 === 0}"\n`,
		).join('');
		const text = header + rows;
		async function* chunks() {
			for (let i = 0; i < text.length; i += 7777) yield Buffer.from(text.slice(i, i + 7777));
		}
		const batches: number[] = [];
		const records: unknown[] = [];
		for await (const batch of parseBulkResultsStream(chunks())) {
			batches.push(batch.length);
			records.push(...batch);
		}
		expect(batches).toEqual([2000, 2000, 1001]);
		expect(records).toEqual(parseBulkResultsPage(text));
	});

	it('text columns with few and with many distinct values read right (shared strings stop at 2,000 values)', () => {
		const rows = Array.from(
			{ length: 6000 },
			(_, i) =>
				`"${i}","${['Success', 'Invalid Password', ''][i % 3]}","ip ${i}","${'x'.repeat(i % 50)}"\n`,
		);
		const records = parseBulkResultsPage('"Id","Status","SourceIp","Note"\n' + rows.join(''));
		expect(records).toHaveLength(6000);
		records.forEach((record, i) =>
			expect(record).toEqual({
				Id: String(i),
				Status: ['Success', 'Invalid Password', null][i % 3],
				SourceIp: `ip ${i}`,
				Note: i % 50 === 0 ? null : 'x'.repeat(i % 50),
			}),
		);
	});

	it('stopping early ends the stream', async () => {
		let pulled = 0;
		async function* endless() {
			yield '"Id"\n';
			for (;;) {
				pulled++;
				yield '"1"\n'.repeat(1000);
			}
		}
		for await (const batch of parseBulkResultsStream(endless())) {
			expect(batch).toHaveLength(2000);
			break;
		}
		expect(pulled).toBeLessThan(50);
	});

	it('column types from field names, overridable', () => {
		expect(columnTypeOf('Profile.PermissionsModifyAllData')).toBe('boolean');
		expect(columnTypeOf('IsFrozen')).toBe('boolean');
		expect(columnTypeOf('Issue__c')).toBe('string');
		expect(columnTypeOf('UsedLicenses')).toBe('number');
		expect(parseBulkResultsPage('"Score__c"\n"2.5"\n', { Score__c: 'number' })).toEqual([
			{ Score__c: 2.5 },
		]);
	});
});

/** A scripted job: states answered by successive polls, pages by locator; every call logged. */
function fakeIo(
	states: BulkJobState[],
	pages: Array<{ csv: string; next: string | null }>,
	errorMessage?: string,
) {
	const calls: string[] = [];
	let poll = 0;
	const info = (state: BulkJobState): BulkJobInfo => ({ id: '750J', state, errorMessage });
	const io: BulkQueryIo = {
		createJob: async (soql, operation) => {
			calls.push(`create ${operation} ${soql}`);
			return info('UploadComplete');
		},
		jobInfo: async () => {
			calls.push('info');
			return info(states[Math.min(poll++, states.length - 1)]);
		},
		resultsPage: async (_id, locator) => {
			calls.push(`results ${locator ?? '-'}`);
			const index = locator === undefined ? 0 : Number(locator);
			return { body: pages[index].csv, nextLocator: pages[index].next };
		},
		abortJob: async () => {
			calls.push('abort');
		},
	};
	return { io, calls };
}

function pacing(overrides: Partial<BulkPacing> = {}): BulkPacing & { waits: number[] } {
	let clock = 0;
	const waits: number[] = [];
	return {
		firstPollMs: 500,
		factor: 2,
		maxPollMs: 4000,
		timeoutMs: 60_000,
		sleep: async (ms) => {
			waits.push(ms);
			clock += ms;
		},
		now: () => clock,
		waits,
		...overrides,
	};
}

describe('Bulk API 2.0 query job, page by page', () => {
	it('create, poll with backoff until JobComplete, then every page until the locator is null', async () => {
		const { io, calls } = fakeIo(
			['InProgress', 'InProgress', 'InProgress', 'InProgress', 'JobComplete'],
			[
				{ csv: '"Id"\n"1"\n"2"\n', next: '1' },
				{ csv: '"Id"\n"3"\n', next: '2' },
				{ csv: '"Id"\n"4"\n', next: null },
			],
		);
		const p = pacing();
		const pages: unknown[] = [];
		for await (const page of bulkQueryPages(io, 'SELECT Id FROM User', { pacing: p }))
			pages.push(page);
		expect(pages).toEqual([[{ Id: '1' }, { Id: '2' }], [{ Id: '3' }], [{ Id: '4' }]]);
		expect(calls).toEqual([
			'create query SELECT Id FROM User',
			'info',
			'info',
			'info',
			'info',
			'info',
			'results -',
			'results 1',
			'results 2',
		]);
		expect(p.waits).toEqual([500, 1000, 2000, 4000, 4000]);
	});

	it('asks for the next page while this one is parsed, and closes it unread when the caller stops', async () => {
		const { io, calls } = fakeIo(
			['JobComplete'],
			[
				{ csv: '"Id"\n"1"\n', next: '1' },
				{ csv: '"Id"\n"2"\n', next: '2' },
				{ csv: '"Id"\n"3"\n', next: null },
			],
		);
		const discarded: string[] = [];
		const resultsPage = io.resultsPage.bind(io);
		io.resultsPage = async (id, locator) => ({
			...(await resultsPage(id, locator)),
			discard: () => discarded.push(locator ?? '-'),
		});
		for await (const page of bulkQueryPages(io, 'SELECT Id FROM User', { pacing: pacing() })) {
			expect(page).toEqual([{ Id: '1' }]);
			// page 2 was asked for before page 1 was handed on
			expect(calls.slice(-2)).toEqual(['results -', 'results 1']);
			break;
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(discarded).toEqual(['1']);
		expect(calls.filter((c) => c.startsWith('results'))).toHaveLength(2);
	});

	it('queryAll for deleted rows', async () => {
		const { io, calls } = fakeIo(['JobComplete'], [{ csv: '"Id"\n', next: null }]);
		for await (const _ of bulkQueryPages(io, 'SELECT Id FROM User', {
			includeDeleted: true,
			pacing: pacing(),
		}))
			void _;
		expect(calls[0]).toBe('create queryAll SELECT Id FROM User');
	});

	it('a Failed or Aborted job raises its error message; a slow one is aborted at the timeout', async () => {
		const failed = fakeIo(
			['InProgress', 'Failed'],
			[],
			'InvalidBatch : Aggregate queries are not supported',
		);
		await expect(
			waitForJob(failed.io, { id: '750J', state: 'UploadComplete' }, pacing()),
		).rejects.toMatchObject({
			errorCode: 'BULK_JOB_FAILED',
			message: expect.stringContaining('Aggregate queries are not supported'),
		});
		const aborted = fakeIo(['Aborted'], []);
		await expect(
			waitForJob(aborted.io, { id: '750J', state: 'UploadComplete' }, pacing()),
		).rejects.toMatchObject({ errorCode: 'BULK_JOB_ABORTED' });
		const slow = fakeIo(['InProgress'], []);
		await expect(
			waitForJob(slow.io, { id: '750J', state: 'UploadComplete' }, pacing({ timeoutMs: 10_000 })),
		).rejects.toMatchObject({ errorCode: 'BULK_JOB_TIMEOUT' });
		expect(slow.calls.at(-1)).toBe('abort');
	});

	it('pacing and the locator header', () => {
		expect(
			[0, 1, 2, 3, 10].map((n) => pollDelay(n, { firstPollMs: 500, factor: 2, maxPollMs: 10_000 })),
		).toEqual([500, 1000, 2000, 4000, 10_000]);
		expect(nextLocatorOf('null')).toBeNull();
		expect(nextLocatorOf(undefined)).toBeNull();
		expect(nextLocatorOf('MTAwMDA')).toBe('MTAwMDA');
	});
});
