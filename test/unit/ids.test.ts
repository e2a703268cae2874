import {
	checksumSuffix,
	isSalesforceId,
	parseUserReference,
	to18CharId,
} from '../../nodes/SalesforceAdmin/salesforce/ids';

describe('Salesforce IDs', () => {
	// Known pairs from Salesforce's documentation and real orgs.
	it.each([
		['005000000000001', '005000000000001AAA'],
		['00530000003xqAb', '00530000003xqAbAAI'],
		['001A0000006Vm9r', '001A0000006Vm9rIAC'],
	])('computes the case-safe suffix of %s', (id15, id18) => {
		expect(to18CharId(id15)).toBe(id18);
		expect(checksumSuffix(id15)).toBe(id18.slice(15));
	});

	it('rejects an 18-char ID whose checksum does not match', () => {
		expect(isSalesforceId('00530000003xqAbAAA')).toBe(false);
		expect(isSalesforceId('00530000003xqAbAAI')).toBe(true);
	});

	it('accepts the checksum in any case, as Salesforce does', () => {
		expect(isSalesforceId('00530000003xqAbaai')).toBe(true);
	});

	it('18-char IDs: kept as given when canonical, the suffix upper-cased, a wrong checksum refused', () => {
		expect(to18CharId('00530000003xqAbAAI')).toBe('00530000003xqAbAAI');
		expect(to18CharId('00530000003xqAbaai')).toBe('00530000003xqAbAAI');
		expect(to18CharId('00530000003xqAbAAA')).toBeUndefined();
		expect(to18CharId('00530000003xqA!AAI')).toBeUndefined();
		expect(to18CharId('0053000000')).toBeUndefined();
	});

	it('rejects wrong lengths and characters', () => {
		for (const bad of [
			'',
			'005',
			'0053000000',
			'00530000003xqA!',
			'00530000003xqAbAA',
			"005' OR Id!='",
		]) {
			expect(isSalesforceId(bad)).toBe(false);
		}
	});

	describe('parseUserReference', () => {
		it('normalizes IDs to 18 characters', () => {
			expect(parseUserReference(' 00530000003xqAb ')).toEqual({
				kind: 'id',
				id: '00530000003xqAbAAI',
			});
		});
		it('takes anything with @ as a username', () => {
			expect(parseUserReference('jane@acme.com')).toEqual({
				kind: 'username',
				username: 'jane@acme.com',
			});
		});
		it('explains a bad checksum, a non-user ID and garbage', () => {
			expect(parseUserReference('00530000003xqAbAAA')).toMatchObject({
				kind: 'invalid',
				reason: expect.stringContaining('checksum'),
			});
			expect(parseUserReference('001A0000006Vm9r')).toMatchObject({
				kind: 'invalid',
				reason: expect.stringContaining('005'),
			});
			expect(parseUserReference('not an id')).toMatchObject({ kind: 'invalid' });
			expect(parseUserReference(undefined)).toMatchObject({
				kind: 'invalid',
				reason: expect.stringContaining('empty'),
			});
		});
	});
});
