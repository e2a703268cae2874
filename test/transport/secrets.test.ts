import { rememberSecrets, scrubSecrets } from '../../nodes/SalesforceAdmin/transport/secrets';

describe('scrubSecrets', () => {
	it('removes values it was given and values remembered at sign-in, longest first', () => {
		rememberSecrets('Passw0rd!', 'Passw0rd!TOKEN123');
		expect(scrubSecrets('pw Passw0rd!TOKEN123 and Passw0rd! here')).toBe('pw [redacted] and [redacted] here');
		expect(scrubSecrets('secret x-client-secret-9 in text', ['x-client-secret-9'])).toBe(
			'secret [redacted] in text',
		);
	});

	it('removes URL-encoded copies too', () => {
		rememberSecrets('p@ss word&1');
		expect(scrubSecrets('password=p%40ss%20word%261')).not.toContain('p%40ss');
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
		for (const secret of ['abc.def-123', 'AQ0AQMoreSessionData', 'hunter2', 's3cr3t', '5Aep861', '"zzz"', 'Y2xpZW50OnNlY3JldA']) {
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
