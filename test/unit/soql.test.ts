import { DateTime } from 'luxon';

import {
	chunk,
	escapeSoqlString,
	inList,
	likePattern,
	quote,
	soqlDateTime,
	whereAll,
} from '../../nodes/SalesforceAdmin/salesforce/soql';

describe('SOQL building', () => {
	it('escapes every character SOQL reserves inside string literals', () => {
		expect(escapeSoqlString(`a'b"c\\d\ne\rf\tg\bh\fi`)).toBe(`a\\'b\\"c\\\\d\\ne\\rf\\tg\\bh\\fi`);
	});

	it('keeps an injection attempt inside its literal', () => {
		expect(quote(`x' OR Name != '`)).toBe(`'x\\' OR Name != \\''`);
		expect(quote(`\\' OR 1=1 --`)).toBe(`'\\\\\\' OR 1=1 --'`);
	});

	it('escapes LIKE wildcards in user values, adds only the asked-for ones', () => {
		expect(likePattern('50%_off', { suffix: true })).toBe(`'50\\%\\_off%'`);
	});

	it('builds IN lists and refuses an empty one', () => {
		expect(inList(['a', "b'c"])).toBe(`('a','b\\'c')`);
		expect(() => inList([])).toThrow();
	});

	it('formats datetimes in UTC without quotes', () => {
		const dt = DateTime.fromISO('2024-03-01T10:20:30.456+02:00', { setZone: true });
		expect(soqlDateTime(dt)).toBe('2024-03-01T08:20:30Z');
	});

	it('chunks and joins conditions', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(whereAll(['A = 1', undefined, 'B = 2 OR C = 3'])).toBe(
			' WHERE (A = 1) AND (B = 2 OR C = 3)',
		);
		expect(whereAll([])).toBe('');
	});

	it('puts semi-joins bare at the top level, after the other conditions', () => {
		const semiJoin = 'Id IN (SELECT UserId FROM UserPackageLicense)';
		expect(whereAll(['A = 1 OR B = 2'], [semiJoin])).toBe(
			` WHERE (A = 1 OR B = 2) AND ${semiJoin}`,
		);
		expect(whereAll([], [semiJoin])).toBe(` WHERE ${semiJoin}`);
	});
});
