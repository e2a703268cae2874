/**
 * Event Log File CSV bodies, as Salesforce writes them: a header of quoted column names,
 * every value double-quoted (inner quotes doubled), LF line ends, TIMESTAMP as
 * "20241101000000.123", TIMESTAMP_DERIVED as ISO, USER_ID 15 characters and USER_ID_DERIVED 18.
 *
 * Generated bodies are never held in memory: rows are produced on demand from (seed, row
 * number). Every column is either fixed-width or cycles through a small pool of values, so
 * the exact byte length (LogFileLength) is computed without producing the body, even for 1 GB.
 */
import { Prng } from './prng';

export interface LogFileSource {
	/** Exact size of the body in bytes. */
	length: number;
	fieldNames: string[];
	fieldTypes: string[];
	/** The body, in chunks; each call starts from the beginning. */
	chunks(): Iterable<Buffer>;
}

export interface EventLogSpec {
	eventType: string;
	/** Salesforce datetime text of the log's start (midnight UTC for daily files). */
	logDate: string;
	interval?: 'Daily' | 'Hourly';
	Interval?: 'Daily' | 'Hourly';
	/** Number of rows; or give targetBytes and the row count is derived. Default 100. */
	rows?: number;
	/** Approximate body size wanted (e.g. 1e9 for the 1 GB benchmark). */
	targetBytes?: number;
	seed?: number;
	/** 18-character IDs of the users the rows are spread over. */
	userIds: string[];
	orgId: string;
	/** Mix in values with commas, quotes, CR/LF, empty values and non-ASCII text. */
	edgeCases?: boolean;
}

export const EVENT_LOG_TYPES = ['Login', 'API', 'Report', 'LightningPageView', 'URI'] as const;

/** Quotes one CSV value the way Event Log Files do. */
export const csvValue = (value: string): string => `"${value.replace(/"/g, '""')}"`;
/** One CSV line, LF-terminated. */
export const csvLine = (values: string[]): string => values.map(csvValue).join(',') + '\n';

type Gen =
	| { kind: 'pool'; values: string[] }
	| { kind: 'timestamp' }
	| { kind: 'timestampDerived' }
	| { kind: 'requestId' }
	| { kind: 'user15' }
	| { kind: 'user18' };

interface Column {
	name: string;
	type: string;
	gen: Gen;
}

const EDGE_VALUES = [
	'',
	'a,b,c',
	'say "hello"',
	'line one\nline two',
	'windows\r\nline',
	'Zürich – 日本語 ✓',
	'"',
	',',
	'trailing space ',
];

function numberPool(rng: Prng, size: number, min: number, max: number): string[] {
	return Array.from({ length: size }, () => String(rng.int(min, max)));
}

function columnsFor(eventType: string, rng: Prng, orgId15: string, edge: boolean): Column[] {
	const c = (name: string, type: string, gen: Gen): Column => ({ name, type, gen });
	const pool = (...values: string[]): Gen => ({ kind: 'pool', values });
	const nums = (size: number, min: number, max: number): Gen =>
		pool(...numberPool(rng, size, min, max));
	const text = (...values: string[]): Gen => pool(...(edge ? [...values, ...EDGE_VALUES] : values));
	const head = [
		c('EVENT_TYPE', 'String', pool(eventType)),
		c('TIMESTAMP', 'String', { kind: 'timestamp' }),
		c('REQUEST_ID', 'String', { kind: 'requestId' }),
		c('ORGANIZATION_ID', 'Id', pool(orgId15)),
		c('USER_ID', 'Id', { kind: 'user15' }),
	];
	const session = [
		// Sessions repeat across rows, as real ones do: small pools (prime sizes) of keys.
		c('SESSION_KEY', 'String', pool(...keyPool(rng, 211, 16))),
		c('LOGIN_KEY', 'String', pool(...keyPool(rng, 199, 16))),
		c('USER_TYPE', 'String', pool('Standard', 'Standard', 'Standard', 'CsnOnly', 'PowerPartner')),
	];
	const timing = [
		c('RUN_TIME', 'Number', nums(101, 1, 5000)),
		c('CPU_TIME', 'Number', nums(103, 0, 900)),
	];
	const tail = [
		c(
			'CLIENT_IP',
			'String',
			pool('203.0.113.10', '198.51.100.23', '192.0.2.200', '203.0.113.77', 'Salesforce.com IP'),
		),
		c('TIMESTAMP_DERIVED', 'DateTime', { kind: 'timestampDerived' }),
		c('USER_ID_DERIVED', 'Id', { kind: 'user18' }),
	];
	switch (eventType) {
		case 'Login':
			return [
				...head,
				...timing,
				c(
					'URI',
					'EscapedString',
					text('/index.jsp', '/services/Soap/u/62.0', '/services/oauth2/token', '/'),
				),
				...session,
				c('REQUEST_STATUS', 'String', pool('S', 'S', 'S', 'F', '')),
				c('DB_TOTAL_TIME', 'Number', nums(107, 100000, 99999999)),
				c(
					'LOGIN_STATUS',
					'String',
					pool(
						'LOGIN_NO_ERROR',
						'LOGIN_NO_ERROR',
						'LOGIN_NO_ERROR',
						'LOGIN_ERROR_INVALID_PASSWORD',
					),
				),
				c(
					'BROWSER_TYPE',
					'EscapedString',
					text(
						'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
						'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
						'jsforce/3.10',
						'SFDC-Callout/62.0',
					),
				),
				c('API_TYPE', 'String', pool('', '', 'P', 'E', 'R')),
				c('API_VERSION', 'String', pool('', '', '62.0', '61.0', '9998.0')),
				c(
					'USER_NAME',
					'String',
					text('alice@acme.example.com', 'bob@acme.example.com', 'integration@acme.example.com'),
				),
				c('TLS_PROTOCOL', 'String', pool('TLSv1.3', 'TLSv1.2')),
				c('CIPHER_SUITE', 'String', pool('TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384')),
				c('AUTHENTICATION_METHOD_REFERENCE', 'String', pool('', 'pwd', 'mfa')),
				c('SOURCE_IP', 'String', pool('203.0.113.10', '198.51.100.23', '192.0.2.200')),
				...tail,
			];
		case 'API':
			return [
				...head,
				...timing,
				c(
					'URI',
					'EscapedString',
					text(
						'/services/data/v62.0/query',
						'/services/Soap/u/62.0',
						'/services/data/v62.0/sobjects/Account',
					),
				),
				...session,
				c('REQUEST_STATUS', 'String', pool('S', 'S', 'F')),
				c('DB_TOTAL_TIME', 'Number', nums(109, 1000, 9999999)),
				c('API_TYPE', 'String', pool('R', 'P', 'E')),
				c('API_VERSION', 'String', pool('62.0', '61.0', '58.0')),
				c('CLIENT_NAME', 'String', text('', 'jsforce', 'Workbench', 'DataLoader')),
				c('METHOD_NAME', 'String', pool('query', 'update', 'describeSObject', 'retrieve')),
				c('ENTITY_NAME', 'String', text('Account', 'Contact', 'User', 'Opportunity', '')),
				c('ROWS_PROCESSED', 'Number', nums(113, 0, 2000)),
				c('REQUEST_SIZE', 'Number', nums(127, 0, 20000)),
				c('RESPONSE_SIZE', 'Number', nums(131, 100, 900000)),
				...tail,
			];
		case 'Report':
			return [
				...head,
				...timing,
				c(
					'URI',
					'EscapedString',
					text('/00O5g00000ABCDE', '/lightning/r/Report/00O5g00000FGHIJ/view'),
				),
				...session,
				c('REQUEST_STATUS', 'String', pool('S', 'S', 'A')),
				c('DB_TOTAL_TIME', 'Number', nums(109, 1000, 9999999)),
				c('ENTITY_NAME', 'String', text('Opportunity', 'Account', 'Case')),
				c('DISPLAY_TYPE', 'String', pool('D', 'S', 'H')),
				c('RENDERING_TYPE', 'String', pool('W', 'E', 'X')),
				c('REPORT_ID', 'Id', pool('00O5g00000ABCDE', '00O5g00000FGHIJ', '00O5g00000KLMNO')),
				c('ROW_COUNT', 'Number', nums(113, 0, 50000)),
				c('NUMBER_COLUMNS', 'Number', nums(7, 1, 40)),
				c('IS_SCHEDULED', 'Boolean', pool('false', 'false', 'true')),
				c('SORT', 'EscapedString', text('', 'Amount DESC', 'Name ASC')),
				...tail,
			];
		case 'LightningPageView':
			return [
				...head,
				...session,
				c('APP_NAME', 'String', pool('one:one', 'siteforce:communityApp')),
				c('DEVICE_PLATFORM', 'String', pool('SFX:BROWSER:DESKTOP', 'SFX:BROWSER:MOBILE')),
				c('BROWSER_NAME', 'String', pool('CHROME', 'FIREFOX', 'SAFARI', 'EDGE')),
				c('BROWSER_VERSION', 'String', pool('130', '131', '17')),
				c('PAGE_ENTITY_TYPE', 'String', text('Account', 'Opportunity', 'Case', '')),
				c(
					'PAGE_URL',
					'EscapedString',
					text(
						'/lightning/page/home',
						'/lightning/o/Account/list?filterName=Recent',
						'/lightning/r/Opportunity/0065g00000XYZ12/view',
					),
				),
				c('PAGE_APP_NAME', 'String', pool('LightningSales', 'Service')),
				c('PREVPAGE_URL', 'EscapedString', text('', '/lightning/page/home')),
				c('DURATION', 'Number', nums(127, 10, 60000)),
				c('EFFECTIVE_PAGE_TIME', 'Number', nums(131, 100, 9000)),
				...tail,
			];
		case 'URI':
		default:
			return [
				...head,
				...timing,
				c(
					'URI',
					'EscapedString',
					text('/home/home.jsp', '/001/o', '/apex/MyPage', '/setup/own/entityemaildomain.jsp'),
				),
				...session,
				c('REQUEST_STATUS', 'String', pool('S', 'S', 'R', 'N')),
				c('DB_TOTAL_TIME', 'Number', nums(109, 1000, 9999999)),
				c('DB_BLOCKS', 'Number', nums(113, 0, 9000)),
				c('DB_CPU_TIME', 'Number', nums(127, 0, 500)),
				c(
					'REFERRER_URI',
					'EscapedString',
					text('', 'https://acme.my.salesforce.com/home/home.jsp'),
				),
				c('URI_ID_DERIVED', 'Id', pool('', '0015g00000ABCDEAAA', '0065g00000FGHIJAAA')),
				...tail,
			];
	}
}

function keyPool(rng: Prng, size: number, width: number): string[] {
	return Array.from({ length: size }, () =>
		Array.from({ length: width }, () => B62[rng.int(0, 61)]).join(''),
	);
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const REQUEST_ID_WIDTH = 22;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A deterministic generated body. */
export function generatedLogFile(spec: EventLogSpec): LogFileSource {
	const rng = new Prng(spec.seed ?? 1);
	const requestPrefixes = keyPool(rng, 101, REQUEST_ID_WIDTH - 9);
	const columns = columnsFor(spec.eventType, rng, spec.orgId.slice(0, 15), Boolean(spec.edgeCases));
	const header = Buffer.from(csvLine(columns.map((col) => col.name)));
	const userIds = spec.userIds.length ? spec.userIds : ['005000000000001AAA'];
	const users15 = userIds.map((id) => csvValue(id.slice(0, 15)));
	const users18 = userIds.map((id) => csvValue(id));
	const interval = spec.interval ?? spec.Interval ?? 'Daily';
	const spanMs = interval === 'Hourly' ? 3_600_000 : 86_400_000;
	const startMs = Date.parse(spec.logDate.replace('+0000', 'Z'));
	const dayStart = Math.floor(startMs / 86_400_000) * 86_400_000;
	const datePart = new Date(dayStart).toISOString().slice(0, 10);
	const compactDate = datePart.replace(/-/g, '');

	// Pre-quoted pool values and their byte-length prefix sums.
	const pools = columns.map((col) => {
		if (col.gen.kind === 'pool') return col.gen.values.map(csvValue);
		if (col.gen.kind === 'user15') return users15;
		if (col.gen.kind === 'user18') return users18;
		return undefined;
	});
	const prefixSums = pools.map((p) => {
		if (!p) return undefined;
		const sums = [0];
		for (const v of p) sums.push(sums[sums.length - 1] + Buffer.byteLength(v));
		return sums;
	});
	const fixedBytes =
		columns.reduce((sum, col) => {
			switch (col.gen.kind) {
				case 'timestamp':
					return sum + 18 + 2;
				case 'timestampDerived':
					return sum + 24 + 2;
				case 'requestId':
					return sum + REQUEST_ID_WIDTH + 2;
				default:
					return sum;
			}
		}, 0) + columns.length; // commas plus the line feed

	const bytesForRows = (n: number): number => {
		let total = header.length + n * fixedBytes;
		prefixSums.forEach((sums) => {
			if (!sums) return;
			const period = sums.length - 1;
			total += Math.floor(n / period) * sums[period] + sums[n % period];
		});
		return total;
	};

	let rows = spec.rows ?? 100;
	if (spec.targetBytes !== undefined) {
		const perRow = (bytesForRows(10_000) - header.length) / 10_000;
		rows = Math.max(0, Math.round((spec.targetBytes - header.length) / perRow));
	}

	const timeOf = (i: number) => {
		const offset = Math.min(
			startMs - dayStart + Math.floor((i * spanMs) / Math.max(rows, 1)),
			86_399_999,
		);
		const ms = offset % 1000;
		const s = Math.floor(offset / 1000);
		return {
			h: PAD2[Math.floor(s / 3600)],
			m: PAD2[Math.floor(s / 60) % 60],
			s: PAD2[s % 60],
			ms: PAD3[ms],
		};
	};

	function row(i: number): string {
		let line = '';
		let t: ReturnType<typeof timeOf> | undefined;
		for (let k = 0; k < columns.length; k++) {
			if (k) line += ',';
			const gen = columns[k].gen;
			const pool = pools[k];
			if (pool) {
				line += pool[i % pool.length];
			} else if (gen.kind === 'timestamp') {
				t ??= timeOf(i);
				line += `"${compactDate}${t.h}${t.m}${t.s}.${t.ms}"`;
			} else if (gen.kind === 'timestampDerived') {
				t ??= timeOf(i);
				line += `"${datePart}T${t.h}:${t.m}:${t.s}.${t.ms}Z"`;
			} else if (gen.kind === 'requestId') {
				// Unique per row and fixed-width: a random-looking prefix plus the row number.
				line += `"${requestPrefixes[i % requestPrefixes.length]}${i.toString(36).padStart(9, '0')}"`;
			}
		}
		return line + '\n';
	}

	return {
		length: bytesForRows(rows),
		fieldNames: columns.map((col) => col.name),
		fieldTypes: columns.map((col) => col.type),
		*chunks() {
			yield header;
			const perChunk = 1000;
			for (let start = 0; start < rows; start += perChunk) {
				let text = '';
				const end = Math.min(rows, start + perChunk);
				for (let i = start; i < end; i++) text += row(i);
				yield Buffer.from(text);
			}
		},
	};
}

/** A body given as text (for exact edge cases in unit tests); names come from its header. */
export function logFileFromText(body: string | Buffer, fieldTypes?: string[]): LogFileSource {
	const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
	const headerLine =
		buffer.toString('utf8', 0, Math.max(0, buffer.indexOf(10))) || buffer.toString('utf8');
	const fieldNames = headerLine
		.replace(/\r$/, '')
		.split(',')
		.map((name) => name.replace(/^"|"$/g, ''));
	return {
		length: buffer.length,
		fieldNames,
		fieldTypes: fieldTypes ?? fieldNames.map(() => 'String'),
		*chunks() {
			for (let offset = 0; offset < buffer.length; offset += 65536)
				yield buffer.subarray(offset, offset + 65536);
		},
	};
}
