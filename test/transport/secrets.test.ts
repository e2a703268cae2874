import { rememberSecrets, scrubSecrets } from '../../nodes/SalesforceAdmin/transport/secrets';

describe('scrubSecrets', () => {
	it('removes values it was given and values remembered at sign-in, longest first', () => {
		rememberSecrets('Passw0rd!', 'Passw0rd!TOKEN123');
		expect(scrubSecrets('pw Passw0rd!TOKEN123 and Passw0rd! here')).toBe(
			'pw [redacted] and [redacted] here',
		);
		expect(scrubSecrets('secret x-client-secret-9 in text', ['x-client-secret-9'])).toBe(
			'secret [redacted] in text',
		);
	});

	it('removes URL-encoded copies too', () => {
		rememberSecrets('p@ss word&1');
		expect(scrubSecrets('password=p%40ss%20word%261')).not.toContain('p%40ss');
	});

	describe('escaped copies of a password with & < > " \' in it', () => {
		const password = `P&ss<w>r"d'1 x/y\\z`;
		const xml = (named: boolean, form: (code: number) => string) =>
			password.replace(/[&<>"']/g, (c) =>
				named
					? { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!
					: form(c.charCodeAt(0)),
			);
		const forms: Array<[string, string]> = [
			['as it is', password],
			['XML named entities', xml(true, String)],
			['decimal references', xml(false, (code) => `&#${code};`)],
			['hex references', xml(false, (code) => `&#x${code.toString(16)};`)],
			[
				'upper-case hex references with zeros',
				xml(false, (code) => `&#X00${code.toString(16).toUpperCase()};`),
			],
			['&#39; for the quote only', xml(true, String).replace('&apos;', '&#39;')],
			['&#x27; for the quote only', xml(true, String).replace('&apos;', '&#x27;')],
			['JSON string', JSON.stringify(password).slice(1, -1)],
			[
				'JSON \\u escapes',
				password.replace(
					/[&<>'"\\/]/g,
					(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
				),
			],
			['URL-encoded', encodeURIComponent(password)],
			['form-encoded', new URLSearchParams({ p: password }).toString().slice(2)],
			[
				'lower-case percent-encoding',
				encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
			],
		];

		it.each(forms)('%s', (_name, form) => {
			const text = `LOGIN_FAULT: bad password '${form}' for user`;
			expect(scrubSecrets(text, [password])).toBe(
				"LOGIN_FAULT: bad password '[redacted]' for user",
			);
		});

		it('with the security token appended, and remembered rather than given', () => {
			rememberSecrets(password, `${password}TOKEN42`);
			expect(scrubSecrets(`<faultstring>${xml(true, String)}TOKEN42</faultstring>`)).toBe(
				'<faultstring>[redacted]</faultstring>',
			);
		});

		it('leaves other escaped text alone', () => {
			expect(scrubSecrets('Tom &amp; Jerry &lt;b&gt; \\"quoted\\"', [password])).toBe(
				'Tom &amp; Jerry &lt;b&gt; \\"quoted\\"',
			);
		});
	});

	it('removes anything shaped like a secret, seen or not', () => {
		const text = [
			'Authorization: Bearer abc.def-123',
			'session 00D5g000001abcdE!AQ0AQMoreSessionData.xyz',
			'grant_type=password&username=a@b.c&password=hunter2&client_secret=s3cr3t',
			'{"refresh_token":"5Aep861","access_token":"zzz"}',
			'<password>hunter2TOKEN</password><sessionId>00Dabc</sessionId>',
			'Basic Y2xpZW50OnNlY3JldA==',
		].join('\n');
		const out = scrubSecrets(text);
		for (const secret of [
			'abc.def-123',
			'AQ0AQMoreSessionData',
			'hunter2',
			's3cr3t',
			'5Aep861',
			'"zzz"',
			'Y2xpZW50OnNlY3JldA',
		]) {
			expect(out).not.toContain(secret);
		}
		expect(out).toContain('username=a@b.c');
	});

	it('leaves ordinary text alone', () => {
		expect(scrubSecrets("INVALID_FIELD: No such column 'Foo' on entity 'User'")).toBe(
			"INVALID_FIELD: No such column 'Foo' on entity 'User'",
		);
	});
});
