/**
 * Where a token may go: the one place that decides which addresses count as Salesforce. The
 * login URL (loginUrl.ts) and every instance URL Salesforce hands back (SOAP serverUrl, OAuth
 * instance_url, refreshed tokens) are checked here before anything secret is sent to them.
 */
import { SalesforceApiError } from './errors';

/** Loopback hosts: the tests and the demo org run there, over plain http. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Domain suffixes Salesforce serves orgs from: instances (na1.salesforce.com), My Domains
 * (acme.my.salesforce.com, acme--uat.sandbox.my.salesforce.com), and the other org domains
 * Salesforce asks customers to allowlist. Sources: "My Domain URL Formats"
 * (https://help.salesforce.com/s/articleView?id=products.domain_name_app_url_changes.htm),
 * "Log In to Salesforce with Code"
 * (https://help.salesforce.com/s/articleView?id=xcloud.domain_name_login_code.htm) and
 * "Allow the Required Domains" (https://help.salesforce.com/s/articleView?id=sf.domain_name_allowlist.htm).
 * Government Cloud Plus uses salesforce.mil (my.salesforce.mil).
 */
export const SALESFORCE_DOMAIN_SUFFIXES = [
	'salesforce.com',
	'force.com',
	'cloudforce.com',
	'database.com',
	'salesforce.mil',
	'salesforce-setup.com',
] as const;

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** `acme.my.salesforce.com` yes; `salesforce.com.evil.example` and `evilsalesforce.com` no. */
export function isSalesforceHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return SALESFORCE_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`));
}

/**
 * Plain http only on loopback, so a password or token never crosses a network unencrypted.
 * Shared by the login URL check and the instance URL check.
 */
export function isAllowedScheme(url: URL): boolean {
	return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** What an instance URL is checked against: the credential's own login URL. */
export interface HostPolicy {
	/** The validated login origin (https://login.salesforce.com, a My Domain, or loopback). */
	loginUrl: string;
}

/**
 * The origin of an instance URL Salesforce handed back, if a token may be sent there:
 * https on a Salesforce domain, or exactly the configured login (My Domain) origin; loopback
 * only when the login URL is itself loopback. Anything else throws UNTRUSTED_INSTANCE_URL.
 */
export function checkInstanceUrl(raw: unknown, policy: HostPolicy, source: string): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url && isTrustedInstance(url, policy)) return url.origin;
	const shown = url ? `${url.protocol}//${url.host}` : JSON.stringify(text.slice(0, 80));
	throw new SalesforceApiError(
		`${source} names ${shown} as the org's address, which is not a Salesforce address; the token is never sent there`,
		{ code: 'UNTRUSTED_INSTANCE_URL', phase: 'signIn' },
	);
}

function isTrustedInstance(url: URL, policy: HostPolicy): boolean {
	if (url.username || url.password) return false;
	const login = new URL(policy.loginUrl);
	if (url.origin === login.origin) return true;
	if (isLoopbackHost(url.hostname)) return isLoopbackHost(login.hostname) && isAllowedScheme(url);
	// a Salesforce host on the default https port only: no http, no odd ports
	return url.protocol === 'https:' && url.port === '' && isSalesforceHost(url.hostname);
}
