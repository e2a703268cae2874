/**
 * The password credential's sign-in, one implementation for the node (session.ts) and the
 * credential's preAuthentication (storedToken.ts, which n8n runs for its HTTP Request node):
 * SOAP login() without a Client ID (soapLogin.ts), else the OAuth username-password flow
 * (tokenGrants.ts).
 */
import { CredentialSetupError } from './errors';
import { checkInstanceUrl } from './hosts';
import { rememberSecrets } from './secrets';
import { soapLogin } from './soapLogin';
import type { TokenGrant } from './tokenGrants';
import { requestPasswordToken, text } from './tokenGrants';
import type { Wire } from './wire';

export interface PasswordFields {
	username: string;
	password: string;
	securityToken: string;
	clientId: string;
	clientSecret: string;
	/** What Salesforce wants as the password: the security token appended. */
	passwordWithToken: string;
}

/**
 * The sign-in fields of a password credential, refused before any call when incomplete; every
 * secret among them is registered with the scrubber.
 */
export function readPasswordFields(c: Record<string, unknown>): PasswordFields {
	const username = text(c.username).trim();
	const password = text(c.password);
	const securityToken = text(c.securityToken).trim();
	const clientId = text(c.clientId).trim();
	const clientSecret = text(c.clientSecret).trim();
	if (!username || !password) {
		throw new CredentialSetupError('The credential needs a username and a password');
	}
	if (Boolean(clientId) !== Boolean(clientSecret)) {
		throw new CredentialSetupError(
			'Enter both Client ID and Client Secret (OAuth username-password flow), or neither (SOAP login)',
		);
	}
	// Salesforce wants the security token appended to the password
	const passwordWithToken = `${password}${securityToken}`;
	rememberSecrets(password, securityToken, passwordWithToken, clientSecret);
	return { username, password, securityToken, clientId, clientSecret, passwordWithToken };
}

/**
 * A session for the password credential at `loginUrl`: SOAP login() (session ID, the org from
 * serverUrl's origin) or, with a Client ID, the OAuth username-password flow (access token,
 * instance_url, identity URL). The instance is checked before the token goes anywhere.
 */
export async function requestPasswordGrant(
	loginUrl: string,
	c: Record<string, unknown>,
	wire: Wire,
): Promise<TokenGrant> {
	const f = readPasswordFields(c);
	if (f.clientId) {
		return await requestPasswordToken(
			loginUrl,
			{
				clientId: f.clientId,
				clientSecret: f.clientSecret,
				username: f.username,
				password: f.passwordWithToken,
			},
			wire,
		);
	}
	const login = await soapLogin(loginUrl, f.username, f.passwordWithToken, wire);
	const instanceUrl = checkInstanceUrl(
		login.serverUrl,
		{ loginUrl },
		"Salesforce's SOAP login answer (serverUrl)",
	);
	// as jsforce names the user of a SOAP session: {login URL}/id/{org ID}/{user ID}
	const identityUrl = login.organizationId
		? `${loginUrl}/id/${login.organizationId}/${login.userId}`
		: '';
	return { accessToken: login.sessionId, instanceUrl, identityUrl };
}
