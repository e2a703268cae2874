/**
 * The host policy on its own (no network): which instance URLs a token may be sent to.
 */
import { checkInstanceUrl, isSalesforceHost } from '../../nodes/SalesforceAdmin/transport/hosts';
import { describeSalesforceError } from '../../nodes/SalesforceAdmin/transport';

const production = { loginUrl: 'https://login.salesforce.com' };
const myDomain = { loginUrl: 'https://login.acme-corp.example' };
const loopback = { loginUrl: 'http://127.0.0.1:8787' };

const refusal = (raw: unknown, policy = production) => {
	try {
		checkInstanceUrl(raw, policy, 'The test');
	} catch (error) {
		return describeSalesforceError(error);
	}
	throw new Error(`${String(raw)} was accepted`);
};

describe('checkInstanceUrl', () => {
	it.each([
		'https://acme.my.salesforce.com',
		'https://acme--uat.sandbox.my.salesforce.com',
		'https://na139.salesforce.com',
		'https://acme.lightning.force.com',
		'https://acme.cloudforce.com',
		'https://acme.database.com',
		'https://acme.my.salesforce.mil',
		'https://acme.my.salesforce-setup.com',
		'https://ACME.MY.SALESFORCE.COM/',
	])('accepts %s', (url) => {
		expect(checkInstanceUrl(url, production, 'The test')).toBe(new URL(url).origin);
	});

	it.each([
		['http on a Salesforce host', 'http://acme.my.salesforce.com'],
		['a look-alike suffix', 'https://acme.my.salesforce.com.attacker.example'],
		['a look-alike name', 'https://evilsalesforce.com'],
		['the bare registrable domain is no instance', 'https://salesforce.com.'],
		['another port', 'https://acme.my.salesforce.com:8443'],
		['user info', 'https://user:pw@acme.my.salesforce.com'],
		['another scheme', 'ftp://acme.my.salesforce.com'],
		['loopback with a real login URL', 'http://127.0.0.1:8787'],
		['localhost with a real login URL', 'https://localhost'],
		['not a URL', 'acme.my.salesforce.com'],
		['empty', ''],
		['missing', undefined],
	])('refuses %s', (_name, url) => {
		const info = refusal(url);
		expect(info.code).toBe('UNTRUSTED_INSTANCE_URL');
		expect(info.message).toMatch(/not a Salesforce address; the token is never sent there/);
		expect(info.description).toMatch(/My Domain URL/);
	});

	it('names only scheme and host of a refused URL, never its path or query', () => {
		const info = refusal('https://attacker.example/steal?token=00Dxx!secret');
		expect(info.message).toContain('https://attacker.example');
		expect(info.message).not.toMatch(/steal|token=/);
	});

	it('accepts exactly the configured My Domain origin, nothing around it', () => {
		expect(checkInstanceUrl('https://login.acme-corp.example/x', myDomain, 'The test')).toBe(
			'https://login.acme-corp.example',
		);
		expect(refusal('https://other.acme-corp.example', myDomain).code).toBe(
			'UNTRUSTED_INSTANCE_URL',
		);
		expect(refusal('http://login.acme-corp.example', myDomain).code).toBe('UNTRUSTED_INSTANCE_URL');
	});

	it('accepts loopback (http too) only when the login URL is loopback', () => {
		for (const url of [
			'http://127.0.0.1:9999',
			'http://localhost:1234',
			'http://[::1]:4000',
			'https://127.0.0.1:8443',
		]) {
			expect(checkInstanceUrl(url, loopback, 'The test')).toBe(new URL(url).origin);
		}
		expect(refusal('http://127.0.0.2:8787', loopback).code).toBe('UNTRUSTED_INSTANCE_URL');
	});
});

describe('isSalesforceHost', () => {
	it('matches whole labels only', () => {
		expect(isSalesforceHost('acme.my.salesforce.com')).toBe(true);
		expect(isSalesforceHost('salesforce.com')).toBe(false);
		expect(isSalesforceHost('acmesalesforce.com')).toBe(false);
		expect(isSalesforceHost('acme.salesforce.com.example')).toBe(false);
	});
});
