import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CredentialSetupError } from './errors';
import { isAllowedScheme } from './hosts';

export const LOGIN_URLS = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
} as const;

/**
 * The login URL a credential signs in at. A My Domain URL must be https, except on loopback
 * (the tests and the demo org), so a password never travels over plain HTTP. Checked before
 * anything is sent.
 */
export function resolveLoginUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment as string | undefined) || 'production';
	if (environment === 'production' || environment === 'sandbox') return LOGIN_URLS[environment];
	if (environment !== 'myDomain') {
		throw new CredentialSetupError(
			`Unknown Salesforce environment "${environment}": choose Production, Sandbox or My Domain`,
		);
	}
	return validateMyDomainUrl(credentials.myDomainUrl as string | undefined);
}

/** `https://acme.my.salesforce.com/anything` -> `https://acme.my.salesforce.com`; refuses plain http. */
export function validateMyDomainUrl(raw: string | undefined): string {
	const value = (raw ?? '').trim();
	if (!value) {
		throw new CredentialSetupError(
			"The credential's environment is My Domain but My Domain URL is empty; enter it like https://acme.my.salesforce.com",
			'INVALID_MY_DOMAIN_URL',
		);
	}
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url) {
		throw new CredentialSetupError(
			`My Domain URL "${value}" is not a URL; enter it like https://acme.my.salesforce.com`,
			'INVALID_MY_DOMAIN_URL',
		);
	}
	if (!isAllowedScheme(url)) {
		throw new CredentialSetupError(
			`My Domain URL must start with https:// (got "${url.protocol}//${url.host}"): the credential refuses to send a password over plain HTTP`,
			'INVALID_MY_DOMAIN_URL',
		);
	}
	if (url.username || url.password) {
		throw new CredentialSetupError(
			'My Domain URL must not contain a user name or password',
			'INVALID_MY_DOMAIN_URL',
		);
	}
	return url.origin;
}
