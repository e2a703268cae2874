import { parse } from 'csv-parse/sync';

import { CsvRowReader, CsvSyntaxError } from '../../nodes/SalesforceAdmin/salesforce/csvRows';

/** Reads `csv` fed in the given pieces (byte offsets where it is cut). */
function readInPieces(csv: Buffer, cuts: number[] = []): string[][] {
	const reader = new CsvRowReader();
	const rows: string[][] = [];
	let from = 0;
	for (const cut of [...cuts, csv.length]) {
		rows.push(...reader.push(csv.subarray(from, cut)));
		from = cut;
	}
	rows.push(...reader.end());
	return rows;
}

/** What csv-parse, the general parser the reader replaces, makes of the same text (widths are checked elsewhere). */
const csvParse = (csv: Buffer | string): string[][] =>
	parse(csv, {
		bom: true,
		skip_empty_lines: true,
		record_delimiter: ['\r\n', '\n'],
		relax_column_count: true,
	}) as string[][];

/** A small deterministic PRNG (mulberry32), so a failing case can be run again. */
function prng(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const quoteValue = (value: string) => `"${value.replace(/"/g, '""')}"`;

describe('CSV rows of Bulk API 2.0 results', () => {
	it('reads quoted and unquoted values, empty ones and a trailing comma', () => {
		const csv = '"Id","Name",Count\n"1","Ann",3\n2,,""\n"3","",\n';
		expect(readInPieces(Buffer.from(csv))).toEqual([
			['Id', 'Name', 'Count'],
			['1', 'Ann', '3'],
			['2', '', ''],
			['3', '', ''],
		]);
	});

	it('keeps commas, line breaks (LF and CRLF) and doubled quotes inside quoted values', () => {
		const csv =
			'"a","b"\n' +
			'"O\'Brien, ""Jr""","line 1\nline 2"\n' +
			'"""","x\r\ny"\n' +
			'"""quoted""",",,,"\n';
		const rows = readInPieces(Buffer.from(csv));
		expect(rows).toEqual([
			['a', 'b'],
			['O\'Brien, "Jr"', 'line 1\nline 2'],
			['"', 'x\r\ny'],
			['"quoted"', ',,,'],
		]);
		expect(rows).toEqual(csvParse(csv));
	});

	it('CRLF line endings, a last row without a line break, empty lines skipped, "" is a row', () => {
		const csv = '"Id"\r\n"1"\r\n\r\n\n""\n"2"';
		expect(readInPieces(Buffer.from(csv))).toEqual([['Id'], ['1'], [''], ['2']]);
		expect(readInPieces(Buffer.from(csv))).toEqual(csvParse(csv));
		expect(readInPieces(Buffer.from(''))).toEqual([]);
		expect(readInPieces(Buffer.from('\n\n'))).toEqual([]);
	});

	it('drops a byte order mark, also when it comes in pieces', () => {
		const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"Id"\n"1"\n')]);
		for (const cuts of [[], [1], [2], [1, 2], [3], [4]]) {
			expect(readInPieces(csv, cuts)).toEqual([['Id'], ['1']]);
		}
		expect(readInPieces(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual([]);
	});

	it('decodes UTF-8 characters split between chunks', () => {
		const csv = Buffer.from('"Name","City"\n"Zoë Ångström","東京 🗼"\nJosé,Köln\n');
		const whole = readInPieces(csv);
		expect(whole).toEqual([
			['Name', 'City'],
			['Zoë Ångström', '東京 🗼'],
			['José', 'Köln'],
		]);
		for (let cut = 1; cut < csv.length; cut++) expect(readInPieces(csv, [cut])).toEqual(whole);
		const everyByte = Array.from({ length: csv.length - 1 }, (_, i) => i + 1);
		expect(readInPieces(csv, everyByte)).toEqual(whole);
	});

	it('gives the same rows wherever the chunks are cut (every cut, every byte alone)', () => {
		const csv = Buffer.from(
			'"Id","Note",Plain\r\n' +
				'"1","a ""b"", c\r\nd",x\r\n' +
				'"2","",\r\n' +
				'\r\n' +
				'"3","""",""\r\n' +
				'4,"end\n"',
		);
		const whole = readInPieces(csv);
		expect(whole).toEqual(csvParse(csv));
		for (let cut = 1; cut < csv.length; cut++) expect(readInPieces(csv, [cut])).toEqual(whole);
		for (let a = 1; a < csv.length; a += 3)
			for (let b = a + 1; b < csv.length; b += 5) expect(readInPieces(csv, [a, b])).toEqual(whole);
		const everyByte = Array.from({ length: csv.length - 1 }, (_, i) => i + 1);
		expect(readInPieces(csv, everyByte)).toEqual(whole);
	});

	it('reads back random values written as Salesforce writes them, cut at random places', () => {
		const random = prng(13);
		const alphabet = [
			'a',
			'Z',
			'0',
			' ',
			',',
			'"',
			'""',
			'\n',
			'\r\n',
			'é',
			'東',
			'🗼',
			'true',
			'',
		];
		for (let round = 0; round < 200; round++) {
			const width = 1 + Math.floor(random() * 5);
			const rows = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
				Array.from({ length: width }, () =>
					Array.from(
						{ length: Math.floor(random() * 6) },
						() => alphabet[Math.floor(random() * alphabet.length)],
					).join(''),
				),
			);
			const lineEnd = random() < 0.5 ? '\n' : '\r\n';
			const csv = Buffer.from(rows.map((row) => row.map(quoteValue).join(',') + lineEnd).join(''));
			const cuts = [...new Set(Array.from({ length: 4 }, () => Math.floor(random() * csv.length)))]
				.filter((cut) => cut > 0)
				.sort((a, b) => a - b);
			expect(readInPieces(csv, cuts)).toEqual(rows);
			expect(readInPieces(csv, cuts)).toEqual(csvParse(csv));
		}
	});

	it('refuses what is not well-formed CSV instead of guessing', () => {
		const read = (csv: string) => () => readInPieces(Buffer.from(csv));
		expect(read('"Id"\n"1\n')).toThrow(CsvSyntaxError);
		expect(read('"Id"\n"1\n')).toThrow(/row 2: a quoted value is never closed/);
		expect(read('"Id"\nab"c\n')).toThrow(/row 2: a quote inside an unquoted value/);
		expect(read('"Id","X"\n"1"x,"2"\n')).toThrow(/row 2: "x" after a closing quote/);
		expect(read('"Id"\n"1"\r"2"\n')).toThrow(/carriage return without a line feed/);
		expect(read('"Id"\r')).toThrow(/carriage return without a line feed/);
		// the same errors when the text comes in pieces
		expect(() => readInPieces(Buffer.from('"Id"\n"1\n'), [3, 6])).toThrow(/never closed/);
	});
});
