import {
	eventEvidence,
	newestPerType,
} from '../../nodes/SalesforceAdmin/salesforce/activityEvidence';
import type { EventActivityRead } from '../../nodes/SalesforceAdmin/salesforce/activityEvidence';
import type { EventLogFile } from '../../nodes/SalesforceAdmin/salesforce/records';

const file = (Id: string, EventType: string, LogDate: string) =>
	({ Id, EventType, LogDate, Interval: 'Daily' }) as unknown as EventLogFile;

describe('Event Log activity as recommendation evidence (pure)', () => {
	it('keeps the first file of each type, as Salesforce lists them newest first', () => {
		const files = [
			file('0AT1', 'API', '2026-12-03T00:00:00.000+0000'),
			file('0AT2', 'URI', '2026-12-03T00:00:00.000+0000'),
			file('0AT3', 'API', '2026-12-02T00:00:00.000+0000'),
			file('0AT4', 'LightningPageView', '2026-12-01T00:00:00.000+0000'),
			file('0AT5', 'URI', '2026-11-30T00:00:00.000+0000'),
		];
		expect(newestPerType(files).map((f) => f.Id)).toEqual(['0AT1', '0AT2', '0AT4']);
	});

	const read: EventActivityRead = {
		byUser: new Map([
			[
				'005000000000001AAA',
				{ lastEventTime: '2026-12-03T10:00:00.000Z', eventCount: 12, eventTypes: ['API', 'URI'] },
			],
		]),
		logDates: ['2026-12-03'],
		readable: true,
	};

	it('gives a user with events their count, types, last time and the log dates read', () => {
		expect(eventEvidence(read, '005000000000001AAA')).toEqual({
			lastEventTime: '2026-12-03T10:00:00.000Z',
			eventCount: 12,
			eventTypes: ['API', 'URI'],
			logDates: ['2026-12-03'],
		});
	});

	it('gives a user without events zero events, not null: the files were read', () => {
		expect(eventEvidence(read, '005000000000002AAA')).toEqual({
			lastEventTime: null,
			eventCount: 0,
			eventTypes: [],
			logDates: ['2026-12-03'],
		});
	});

	it('gives null when Event Log Files could not be read: no evidence either way', () => {
		expect(eventEvidence({ ...read, readable: false }, '005000000000001AAA')).toBeNull();
	});
});
