import {
	LOGIN_URLS,
	resolveLoginUrl,
	validateMyDomainUrl,
} from '../../nodes/SalesforceAdmin/transport/loginUrl';

describe('resolveLoginUrl: where a credential signs in', () => {
	it('production -> login.salesforce.com (also the default)', () => {
		expect(resolveLoginUrl({ environment: 'production' })).toBe('https://login.salesforce.com');
		expect(resolveLoginUrl({})).toBe(LOGIN_URLS.production);
	});

	it('sandbox -> test.salesforce.com', () => {
		expect(resolveLoginUrl({ environment: 'sandbox' })).toBe('https://test.salesforce.com');
	});

	it('myDomain -> the My Domain origin, path and trailing slash dropped', () => {
		expect(
			resolveLoginUrl({
				environment: 'myDomain',
				myDomainUrl: ' https://acme.my.salesforce.com/ ',
			}),
		).toBe('https://acme.my.salesforce.com');
		expect(validateMyDomainUrl('https://acme.my.salesforce.com/lightning/page/home')).toBe(
			'https://acme.my.salesforce.com',
		);
	});

	it('myDomain over plain http is refused with a clear message', () => {
		expect(() =>
			resolveLoginUrl({ environment: 'myDomain', myDomainUrl: 'http://acme.my.salesforce.com' }),
		).toThrow(/must start with https:\/\/.*plain HTTP/);
	});

	it('loopback http is allowed (tests and the demo org)', () => {
		expect(validateMyDomainUrl('http://127.0.0.1:4321')).toBe('http://127.0.0.1:4321');
		expect(validateMyDomainUrl('http://localhost:8080/')).toBe('http://localhost:8080');
		expect(validateMyDomainUrl('http://[::1]:99')).toBe('http://[::1]:99');
	});

	it('look-alike hosts are not loopback', () => {
		expect(() => validateMyDomainUrl('http://localhost.evil.example')).toThrow(/https:\/\//);
		expect(() => validateMyDomainUrl('http://127.0.0.1.nip.io')).toThrow(/https:\/\//);
	});

	it('empty, unparsable, other schemes and embedded user info are refused', () => {
		expect(() => resolveLoginUrl({ environment: 'myDomain', myDomainUrl: '' })).toThrow(/empty/);
		expect(() => validateMyDomainUrl('acme.my.salesforce.com')).toThrow(/not a URL/);
		expect(() => validateMyDomainUrl('ftp://acme.my.salesforce.com')).toThrow(/https:\/\//);
		expect(() => validateMyDomainUrl('https://user:pw@acme.my.salesforce.com')).toThrow(
			/user name or password/,
		);
	});

	it('an unknown environment is refused', () => {
		expect(() => resolveLoginUrl({ environment: 'staging' })).toThrow(
			/Unknown Salesforce environment/,
		);
	});

	it('refusals carry the INVALID_MY_DOMAIN_URL code', () => {
		try {
			validateMyDomainUrl('http://acme.my.salesforce.com');
			throw new Error('not refused');
		} catch (error) {
			expect((error as { errorCode?: string }).errorCode).toBe('INVALID_MY_DOMAIN_URL');
		}
	});
});
