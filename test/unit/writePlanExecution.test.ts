/**
 * The retry logic of writes against an in-memory table: the rules are that nothing is written
 * twice, a call with an unknown effect is resolved by re-reading, and retries are bounded.
 */
import type {
	RecordSaveResult,
	WriteIo,
	WriteRecord,
} from '../../nodes/SalesforceAdmin/salesforce/writeExecution';
import {
	executeWrites,
	isRejectedCall,
} from '../../nodes/SalesforceAdmin/salesforce/writeExecution';
import type { TargetState, UserWrite } from '../../nodes/SalesforceAdmin/salesforce/writePlan';

type Fault =
	| { kind: 'callFails'; error: { errorCode: string; message: string }; applyFirst?: boolean }
	| { kind: 'recordFails'; recordId: string; statusCode: string; message?: string };

class Table implements WriteIo {
	rows = new Map<string, { userId: string; IsFrozen: boolean }>();
	writesApplied: Array<{ Id: string; fields: Record<string, unknown> }> = [];
	updateCalls: WriteRecord[][] = [];
	readCalls: string[][] = [];
	faults: Fault[] = [];
	sleeps: number[] = [];
	readFails = false;

	constructor(n: number) {
		for (let i = 0; i < n; i++) this.rows.set(`L${i}`, { userId: `U${i}`, IsFrozen: false });
	}

	async update(records: WriteRecord[]): Promise<RecordSaveResult[]> {
		this.updateCalls.push(records);
		const fault = this.faults[0];
		if (fault?.kind === 'callFails') {
			this.faults.shift();
			if (fault.applyFirst) records.forEach((r) => this.apply(r));
			throw Object.assign(new Error(fault.error.message), fault.error);
		}
		return records.map((r) => {
			const f = this.faults.findIndex((x) => x.kind === 'recordFails' && x.recordId === r.Id);
			if (f >= 0) {
				const rf = this.faults.splice(f, 1)[0] as Extract<Fault, { kind: 'recordFails' }>;
				return {
					id: r.Id,
					success: false,
					errors: [{ statusCode: rf.statusCode, message: rf.message ?? rf.statusCode }],
				};
			}
			this.apply(r);
			return { id: r.Id, success: true, errors: [] };
		});
	}

	private apply(r: WriteRecord) {
		const { Id, ...fields } = r;
		this.writesApplied.push({ Id, fields });
		Object.assign(this.rows.get(Id)!, fields);
	}

	async readState(userIds: string[]): Promise<Map<string, TargetState>> {
		this.readCalls.push(userIds);
		if (this.readFails) throw Object.assign(new Error('down'), { errorCode: 'SERVER_UNAVAILABLE' });
		const out = new Map<string, TargetState>();
		for (const [id, row] of this.rows)
			if (userIds.includes(row.userId))
				out.set(row.userId, { recordId: id, values: { IsFrozen: row.IsFrozen } });
		return out;
	}

	async sleep(ms: number) {
		this.sleeps.push(ms);
	}
}

const writesFor = (n: number): UserWrite[] =>
	Array.from({ length: n }, (_, i) => ({
		userId: `U${i}`,
		username: `u${i}@x.com`,
		recordId: `L${i}`,
		patch: { IsFrozen: true },
		itemIndexes: [i],
	}));

const options = { maxRetries: 2, backoffMs: 10, chunkSize: 200 };

describe('executeWrites', () => {
	it('writes in chunks of 200 and reports each record', async () => {
		const t = new Table(450);
		const outcomes = await executeWrites(writesFor(450), t, options);
		expect(t.updateCalls.map((c) => c.length)).toEqual([200, 200, 50]);
		expect([...outcomes.values()].every((o) => o.kind === 'changed')).toBe(true);
		expect(t.readCalls).toEqual([]);
	});

	it('retries UNABLE_TO_LOCK_ROW records only, after re-reading them', async () => {
		const t = new Table(5);
		t.faults.push({ kind: 'recordFails', recordId: 'L3', statusCode: 'UNABLE_TO_LOCK_ROW' });
		const outcomes = await executeWrites(writesFor(5), t, options);
		expect(t.updateCalls.map((c) => c.map((r) => r.Id))).toEqual([
			['L0', 'L1', 'L2', 'L3', 'L4'],
			['L3'],
		]);
		expect(t.readCalls).toEqual([['U3']]);
		expect(outcomes.get('U3')).toEqual({ kind: 'changed' });
		expect(t.writesApplied.filter((w) => w.Id === 'L3')).toHaveLength(1);
		expect(t.sleeps).toEqual([10]);
	});

	it('resolves a 5xx whose writes were applied by re-reading, without writing again', async () => {
		const t = new Table(3);
		t.faults.push({
			kind: 'callFails',
			error: { errorCode: 'SERVER_UNAVAILABLE', message: 'try later' },
			applyFirst: true,
		});
		const outcomes = await executeWrites(writesFor(3), t, options);
		expect(t.updateCalls).toHaveLength(1);
		expect(t.writesApplied).toHaveLength(3); // once each
		expect(outcomes.get('U0')).toMatchObject({
			kind: 'changed',
			note: expect.stringContaining('SERVER_UNAVAILABLE'),
		});
	});

	it('rewrites after a 5xx that applied nothing', async () => {
		const t = new Table(3);
		t.faults.push({ kind: 'callFails', error: { errorCode: 'ERROR_HTTP_503', message: 'down' } });
		const outcomes = await executeWrites(writesFor(3), t, options);
		expect(t.updateCalls).toHaveLength(2);
		expect(t.writesApplied).toHaveLength(3);
		expect([...outcomes.values()]).toEqual([
			{ kind: 'changed' },
			{ kind: 'changed' },
			{ kind: 'changed' },
		]);
	});

	it('gives up after maxRetries with the last error, having tried 1 + maxRetries times', async () => {
		const t = new Table(1);
		for (let i = 0; i < 5; i++)
			t.faults.push({
				kind: 'recordFails',
				recordId: 'L0',
				statusCode: 'UNABLE_TO_LOCK_ROW',
				message: 'locked',
			});
		const outcomes = await executeWrites(writesFor(1), t, options);
		expect(t.updateCalls).toHaveLength(3);
		expect(outcomes.get('U0')).toEqual({
			kind: 'failed',
			error: { code: 'UNABLE_TO_LOCK_ROW', message: 'locked' },
		});
		expect(t.rows.get('L0')!.IsFrozen).toBe(false);
	});

	it('after the last 5xx still re-reads, so it never reports failed for an applied write', async () => {
		const t = new Table(1);
		t.faults.push(
			{ kind: 'callFails', error: { errorCode: 'SERVER_UNAVAILABLE', message: 'x' } },
			{ kind: 'callFails', error: { errorCode: 'SERVER_UNAVAILABLE', message: 'x' } },
			{
				kind: 'callFails',
				error: { errorCode: 'SERVER_UNAVAILABLE', message: 'x' },
				applyFirst: true,
			},
		);
		const outcomes = await executeWrites(writesFor(1), t, options);
		expect(t.updateCalls).toHaveLength(3);
		expect(outcomes.get('U0')).toMatchObject({ kind: 'changed' });
	});

	it('reports OUTCOME_UNKNOWN when neither the write nor the re-read answers', async () => {
		const t = new Table(1);
		t.faults.push({ kind: 'callFails', error: { errorCode: 'SERVER_UNAVAILABLE', message: 'x' } });
		t.readFails = true;
		const outcomes = await executeWrites(writesFor(1), t, options);
		expect(outcomes.get('U0')).toMatchObject({
			kind: 'failed',
			error: { code: 'OUTCOME_UNKNOWN' },
		});
	});

	it('does not retry a refused call (4xx) and fails its records with the code', async () => {
		const t = new Table(2);
		t.faults.push({
			kind: 'callFails',
			error: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' },
		});
		const outcomes = await executeWrites(writesFor(2), t, options);
		expect(t.updateCalls).toHaveLength(1);
		expect(t.readCalls).toHaveLength(0);
		expect(outcomes.get('U1')).toEqual({
			kind: 'failed',
			error: { code: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' },
		});
	});

	it('reports unchanged when someone else made the change while the row was locked', async () => {
		const t = new Table(1);
		t.faults.push({ kind: 'recordFails', recordId: 'L0', statusCode: 'UNABLE_TO_LOCK_ROW' });
		const realRead = t.readState.bind(t);
		t.readState = async (ids) => {
			t.rows.get('L0')!.IsFrozen = true;
			return await realRead(ids);
		};
		const outcomes = await executeWrites(writesFor(1), t, options);
		expect(outcomes.get('U0')).toMatchObject({ kind: 'unchanged' });
		expect(t.updateCalls).toHaveLength(1);
	});

	it('adds guidance to permanent record failures', async () => {
		const t = new Table(1);
		t.faults.push({
			kind: 'recordFails',
			recordId: 'L0',
			statusCode: 'FIELD_INTEGRITY_EXCEPTION',
			message: 'hierarchy field',
		});
		const outcomes = await executeWrites(writesFor(1), t, {
			...options,
			guidance: () => 'Freeze instead',
		});
		expect(outcomes.get('U0')).toEqual({
			kind: 'failed',
			error: {
				code: 'FIELD_INTEGRITY_EXCEPTION',
				message: 'hierarchy field',
				guidance: 'Freeze instead',
			},
		});
		expect(t.updateCalls).toHaveLength(1);
	});
});

describe('isRejectedCall', () => {
	it.each([
		['REQUEST_LIMIT_EXCEEDED', true],
		['ERROR_HTTP_400', true],
		['ERROR_HTTP_429', false],
		['ERROR_HTTP_503', false],
		['SERVER_UNAVAILABLE', false],
		['ECONNRESET', false],
	])('%s -> %p', (code, rejected) => {
		expect(isRejectedCall({ errorCode: code })).toBe(rejected);
	});
});
