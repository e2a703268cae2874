/**
 * stripAttributes runs on every record of every query page: it must drop Salesforce's
 * `attributes` at every level of relationship and change nothing else, key order included.
 */
import type { IDataObject } from 'n8n-workflow';

import { stripAttributes } from '../../nodes/SalesforceAdmin/transport/requests';

const record = (): IDataObject => ({
	attributes: { type: 'User', url: '/services/data/v62.0/sobjects/User/005000000000001AAA' },
	Id: '005000000000001AAA',
	Name: 'Jane',
	Profile: {
		attributes: { type: 'Profile', url: '/x' },
		Name: 'Standard User',
		UserLicense: { attributes: { type: 'UserLicense', url: '/y' }, Name: 'Salesforce' },
	},
	Manager: null,
	IsActive: false,
	LastLoginDate: null,
	Tags: ['a', { attributes: 'kept: arrays are values, not relationships' }],
	Count: 0,
});

describe('stripAttributes', () => {
	it('drops attributes at every level and keeps every other field, in order', () => {
		const stripped = stripAttributes(record());
		expect(stripped).toEqual({
			Id: '005000000000001AAA',
			Name: 'Jane',
			Profile: { Name: 'Standard User', UserLicense: { Name: 'Salesforce' } },
			Manager: null,
			IsActive: false,
			LastLoginDate: null,
			Tags: ['a', { attributes: 'kept: arrays are values, not relationships' }],
			Count: 0,
		});
		expect(Object.keys(stripped)).toEqual([
			'Id',
			'Name',
			'Profile',
			'Manager',
			'IsActive',
			'LastLoginDate',
			'Tags',
			'Count',
		]);
	});

	it('leaves the record it was given as it was', () => {
		const original = record();
		stripAttributes(original);
		expect(original).toEqual(record());
	});

	it('handles a record with nothing to strip', () => {
		expect(stripAttributes({})).toEqual({});
		expect(stripAttributes({ Id: '1' })).toEqual({ Id: '1' });
	});
});
