/**
 * The OAuth token requests of the sign-ins whose token n8n stores with the credential: the
 * OAuth 2.0 JWT bearer flow (an RS256 assertion signed with the credential's private key,
 * node:crypto only), the client credentials flow (the app's Run As user) and the password
 * credential's username-password flow (its SOAP login() is soapLogin.ts), and the refresh-token
 * grant. Each posts one form to `{login URL}/services/oauth2/token` over n8n's request helpers
 * (wire.ts), and the instance URL of the answer is checked (hosts.ts) before the token is
 * handed to anyone.
 */
import type { KeyObject } from 'crypto';
import { createPrivateKey, sign } from 'crypto';

import { CredentialSetupError, SalesforceApiError } from './errors';
import { checkInstanceUrl } from './hosts';
import { rememberSecrets } from './secrets';
import type { Wire } from './wire';
import { readLimited } from './wire';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce wants the assertion's exp "within 3 minutes"; we stay inside it. */
export const ASSERTION_LIFETIME_SECONDS = 170;

/** What a token answer gives a session. */
export interface TokenGrant {
	accessToken: string;
	/** Checked: a Salesforce host or the credential's own login origin. */
	instanceUrl: string;
	/** The identity URL (`…/id/00D…/005…`): names the user without a call. */
	identityUrl: string;
}

/**
 * The sign-ins without a browser, whose token n8n can store with the credential
 * (storedToken.ts): JWT bearer, client credentials, and the password credential (SOAP login()
 * or the OAuth username-password flow; passwordGrant.ts).
 */
export type ServerFlow = 'jwt' | 'clientCredentials' | 'password';

/** A credential field or answer value as text: '' for anything that is not a string. */
export const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A PEM private key as pasted into a one-line password field: literal "\n", spaces or CRLF
 * instead of line breaks are put back, so the key parses as the admin exported it.
 */
export function normalizePem(raw: string): string {
	const value = raw.replace(/\\n/g, '\n').replace(/\r/g, '').trim();
	const match = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/.exec(value);
	if (!match) return value;
	const [, label, inner] = match;
	// an encrypted PKCS#1 key has "Proc-Type:" headers: keep it as it is (it is refused anyway)
	if (inner.includes(':')) return value;
	const body = inner.replace(/\s+/g, '');
	const lines = body.match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The credential's private key, refused before any call when it cannot sign an RS256 assertion:
 * not PEM, encrypted (n8n cannot ask for a passphrase), a certificate or public key, or not RSA.
 */
export function readRsaPrivateKey(raw: unknown): KeyObject {
	const pem = normalizePem(text(raw));
	if (!pem)
		throw keyError(
			'Private Key is empty: paste the PEM private key whose certificate is uploaded to the app',
		);
	if (!/^-----BEGIN [A-Z0-9 ]+-----/.test(pem)) {
		throw keyError(
			'Private Key is not a PEM key: paste the whole file, from "-----BEGIN PRIVATE KEY-----" to "-----END PRIVATE KEY-----"',
		);
	}
	if (/ENCRYPTED/.test(pem)) {
		throw keyError(
			'Private Key is encrypted (protected by a passphrase). Store it unencrypted, e.g. `openssl pkey -in server.key -out server-plain.key`, and paste that',
		);
	}
	if (/-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY)-----/.test(pem)) {
		throw keyError(
			'Private Key holds a certificate or public key: the certificate goes into the app in Salesforce; paste the private key here',
		);
	}
	let key: KeyObject;
	try {
		key = createPrivateKey({ key: pem, format: 'pem' });
	} catch {
		throw keyError(
			'Private Key could not be read as a PEM private key: paste the whole file, including the BEGIN and END lines',
		);
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw keyError(
			`Private Key is a ${String(key.asymmetricKeyType).toUpperCase()} key; Salesforce signs JWT bearer assertions with RS256, which needs an RSA key (e.g. \`openssl req -x509 -newkey rsa:2048 …\`)`,
		);
	}
	return key;
}

const keyError = (message: string) => new CredentialSetupError(message, 'INVALID_PRIVATE_KEY');

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RS256 JWT bearer assertion: iss = consumer key, sub = username, aud = login host. */
export function signAssertion(
	key: KeyObject,
	claims: { iss: string; sub: string; aud: string },
	nowSeconds = Math.floor(Date.now() / 1000),
): string {
	const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
	const payload = base64url(
		JSON.stringify({ ...claims, exp: nowSeconds + ASSERTION_LIFETIME_SECONDS }),
	);
	const signature = base64url(sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key));
	return `${header}.${payload}.${signature}`;
}

/** The fields of a JWT bearer credential, checked before anything is signed or sent. */
export function readJwtFields(c: Record<string, unknown>): {
	clientId: string;
	username: string;
	key: KeyObject;
	privateKey: string;
} {
	const clientId = text(c.clientId).trim();
	const username = text(c.username).trim();
	const privateKey = text(c.privateKey);
	rememberSecrets(privateKey, normalizePem(privateKey));
	if (!clientId || !username) {
		throw new CredentialSetupError(
			"The JWT bearer credential needs the app's Client ID (consumer key) and the Username it signs in as",
		);
	}
	return { clientId, username, key: readRsaPrivateKey(privateKey), privateKey };
}

/** JWT bearer flow at `loginUrl` (also the assertion's audience). */
export async function requestJwtBearerToken(
	loginUrl: string,
	c: Record<string, unknown>,
	wire: Wire,
): Promise<TokenGrant> {
	const { clientId, username, key } = readJwtFields(c);
	const assertion = signAssertion(key, { iss: clientId, sub: username, aud: loginUrl });
	rememberSecrets(assertion);
	return await requestToken(loginUrl, { grant_type: JWT_BEARER_GRANT, assertion }, 'jwt', wire);
}

/** Client credentials flow at the My Domain `loginUrl`. */
export async function requestClientCredentialsToken(
	loginUrl: string,
	c: Record<string, unknown>,
	wire: Wire,
): Promise<TokenGrant> {
	const clientId = text(c.clientId).trim();
	const clientSecret = text(c.clientSecret).trim();
	rememberSecrets(clientSecret);
	if (!clientId || !clientSecret) {
		throw new CredentialSetupError(
			"The client credentials credential needs the app's Client ID (consumer key) and Client Secret (consumer secret)",
		);
	}
	return await requestToken(
		loginUrl,
		{ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
		'clientCredentials',
		wire,
	);
}

/**
 * The OAuth username-password flow at `loginUrl` with a connected app's consumer key and
 * secret; `password` has the security token appended.
 */
export async function requestPasswordToken(
	loginUrl: string,
	fields: { clientId: string; clientSecret: string; username: string; password: string },
	wire: Wire,
): Promise<TokenGrant> {
	return await requestToken(
		loginUrl,
		{
			grant_type: 'password',
			client_id: fields.clientId,
			client_secret: fields.clientSecret,
			username: fields.username,
			password: fields.password,
		},
		'password',
		wire,
	);
}

/**
 * The refresh-token grant at `loginUrl` (the OAuth2 credential where n8n's own refresh helper is
 * missing): the raw answer, as n8n stores token data; its instance_url checked when present.
 */
export async function requestRefreshedToken(
	loginUrl: string,
	fields: { clientId: string; clientSecret: string; refreshToken: string },
	wire: Wire,
): Promise<Record<string, unknown>> {
	const { body } = await postToken(
		loginUrl,
		{
			grant_type: 'refresh_token',
			refresh_token: fields.refreshToken,
			client_id: fields.clientId,
			...(fields.clientSecret ? { client_secret: fields.clientSecret } : {}),
		},
		'refresh',
		wire,
	);
	rememberSecrets(body.access_token, body.refresh_token);
	return body;
}

/** One token request; never redirected, never retried (each one counts at Salesforce). */
async function requestToken(
	loginUrl: string,
	form: Record<string, string>,
	flow: ServerFlow,
	wire: Wire,
): Promise<TokenGrant> {
	const { body } = await postToken(loginUrl, form, flow, wire);
	const accessToken = text(body.access_token);
	// checked before the token is ever used or stored
	const instanceUrl = checkInstanceUrl(
		body.instance_url,
		{ loginUrl },
		"Salesforce's token answer (instance_url)",
	);
	return { accessToken, instanceUrl, identityUrl: text(body.id) };
}

/** Posts a token request form; an answer without an access token is the flow's error. */
async function postToken(
	loginUrl: string,
	form: Record<string, string>,
	flow: ServerFlow | 'refresh',
	wire: Wire,
): Promise<{ body: Record<string, unknown> }> {
	const target = new URL('/services/oauth2/token', loginUrl);
	const answer = await postSignIn(
		target,
		{ 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		new URLSearchParams(form).toString(),
		wire,
	);
	const status = answer.status;
	const body = parseJson(answer.text);
	if (status >= 400 || !text(body.access_token)) throw tokenError(flow, status, body, target);
	rememberSecrets(text(body.access_token));
	return { body };
}

/**
 * One sign-in POST (OAuth token request or SOAP login()): never redirected, never retried, an
 * error answer read only up to the error-body limit; transport failures marked as the sign-in's.
 */
export async function postSignIn(
	target: URL,
	headers: Record<string, string>,
	body: string,
	wire: Wire,
): Promise<{ status: number; text: string }> {
	try {
		const answer = await wire({ method: 'POST', url: target.href, headers, body });
		const status = answer.status;
		if (status >= 300 && status < 400) {
			throw new SalesforceApiError(
				`Salesforce at ${target.origin} answered the sign-in with a redirect; it is never followed`,
				{ code: 'REDIRECT_REFUSED', httpStatus: status, phase: 'signIn' },
			);
		}
		const limit = status >= 400 ? wire.options.maxErrorBodyBytes : Infinity;
		return { status, text: await readLimited(answer, limit) };
	} catch (error) {
		throw asSignInError(error);
	}
}

/** A transport error of a sign-in request, marked as the sign-in's. */
export const asSignInError = (error: unknown) =>
	error instanceof SalesforceApiError
		? new SalesforceApiError(error.message, {
				code: error.code,
				httpStatus: error.httpStatus,
				retryable: error.retryable,
				phase: 'signIn',
			})
		: error;

function parseJson(raw: string): Record<string, unknown> {
	try {
		const value = JSON.parse(raw) as unknown;
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
	} catch {
		return { error_description: raw.slice(0, 200) };
	}
}

function tokenError(
	flow: ServerFlow | 'refresh',
	status: number,
	body: Record<string, unknown>,
	target: URL,
): SalesforceApiError {
	const code = text(body.error) || (status >= 400 ? `ERROR_HTTP_${status}` : 'NO_ACCESS_TOKEN');
	const description =
		text(body.error_description) || `Salesforce at ${target.origin} answered HTTP ${status}`;
	return new SalesforceApiError(description, {
		code,
		httpStatus: status || undefined,
		phase: flow === 'refresh' ? 'tokenRefresh' : 'signIn',
		guidance: flow === 'refresh' ? undefined : guidanceFor(flow, code, description),
	});
}

const APP = 'Setup > External Client App Manager > (the app)';

/** What the admin does about each answer of the token endpoint, per flow. */
export function guidanceFor(
	flow: ServerFlow,
	code: string,
	description: string,
): string | undefined {
	// the password credential's answers (a connected app's) are errors.ts's GUIDANCE, as for the node
	if (flow === 'password') return undefined;
	const d = description.toLowerCase();
	if (code === 'invalid_client_id') {
		return 'Salesforce does not know this Client ID: copy the Consumer Key again from the app (External Client App Manager > the app > Settings > OAuth Settings > Consumer Key and Secret). A new app can take up to 10 minutes to become active.';
	}
	if (code === 'invalid_client') {
		return 'The Client ID or Client Secret is wrong: copy the Consumer Key and Consumer Secret again from the app (OAuth Settings > Consumer Key and Secret).';
	}
	if (/approved this consumer|not admin approved|not approved/.test(d)) {
		return `The user has not been authorized for the app. In ${APP} > Policies > OAuth Policies set Permitted Users to "Admin approved users are pre-authorized", then add the user's profile or a permission set assigned to the user under "Select Profiles" / "Select Permission Sets". Check the Username too.`;
	}
	if (/invalid assertion/.test(d)) {
		return `Salesforce could not verify the signed assertion: the certificate uploaded to the app does not match this private key, or the app has no certificate. In ${APP} > Settings > OAuth Settings, enable "JWT Bearer Flow" and upload the certificate made from this key (e.g. \`openssl req -new -x509 -key server.key -out server.crt -days 365\`).`;
	}
	if (/audience/.test(d)) {
		return 'The assertion\'s audience does not match the org: a production org signs in at Production (login.salesforce.com), a sandbox at Sandbox (test.salesforce.com); an org that requires its own domain needs Environment "My Domain" with the My Domain URL (Setup > My Domain).';
	}
	if (/expired authorization code/.test(d) && flow === 'jwt') {
		return 'Salesforce found the assertion expired or too far in the future: check that the clock of the n8n server is right (NTP).';
	}
	if (/no client credentials user enabled/.test(d)) {
		return `The app has no Run As user. In ${APP} > Policies > OAuth Flows and External Client App Enhancements, enable "Client Credentials Flow" and choose the Run As user (an integration user with the permissions the node needs).`;
	}
	if (/not supported on this domain/.test(d)) {
		return 'The client credentials flow works only at the org\'s My Domain URL: choose Environment "My Domain" and enter the URL from Setup > My Domain.';
	}
	if (/inactive user/.test(d))
		return 'The Salesforce user this credential signs in as is inactive or frozen: activate it, or use another user.';
	if (/inactive org/.test(d)) return 'The Salesforce org is locked, deleted or suspended.';
	if (/ip restricted|login hours/.test(d)) {
		return "The user's profile limits where or when it may sign in: add n8n's IP address to the profile's login IP ranges (or relax IP restrictions on the app), or check its login hours.";
	}
	return undefined;
}
