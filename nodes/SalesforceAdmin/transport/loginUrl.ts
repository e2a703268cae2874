import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

const LOGIN_URLS = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
} as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The login URL a credential signs in at. A My Domain URL must be https, except on loopback
 * (the tests and the demo org), so a password never travels over plain HTTP.
 */
export function resolveLoginUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment as string) ?? 'production';
	if (environment === 'production' || environment === 'sandbox') return LOGIN_URLS[environment];
	if (environment !== 'myDomain') {
		throw new ApplicationError(`Unknown Salesforce environment "${environment}"`);
	}
	return validateMyDomainUrl(credentials.myDomainUrl as string);
}

export function validateMyDomainUrl(raw: string | undefined): string {
	const value = (raw ?? '').trim();
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ApplicationError(
			`My Domain URL "${value}" is not a URL; use the form https://yourcompany.my.salesforce.com`,
		);
	}
	const loopback = LOOPBACK_HOSTS.has(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
		throw new ApplicationError(
			`My Domain URL must start with https:// (got "${url.protocol}//${url.host}"); Salesforce only accepts sign-ins over HTTPS`,
		);
	}
	return `${url.protocol}//${url.host}`;
}
