import { Connection } from 'jsforce';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_VERSION } from './apiVersion';
import { resolveLoginUrl } from './loginUrl';

export type AccessMode = 'readOnly' | 'readWrite';
export type Authentication = 'oAuth2' | 'password';

export type NodeContext = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPES: Record<Authentication, string> = {
	oAuth2: 'salesforceAdminOAuth2Api',
	password: 'salesforceAdminPasswordApi',
};

export interface CredentialSettings {
	authentication: Authentication;
	credentialType: string;
	accessMode: AccessMode;
	loginUrl: string;
	credentials: ICredentialDataDecryptedObject;
}

/** A signed-in connection plus what the operations need to know about who is signed in. */
export interface SalesforceSession {
	conn: Connection;
	accessMode: AccessMode;
	/** 18-character ID of the connected user; write actions never touch it. */
	userId: string;
}

/** Reads the node's credential without any call to Salesforce. */
export async function readCredentialSettings(this: NodeContext): Promise<CredentialSettings> {
	const authentication = (this.getNodeParameter('authentication', 0, 'oAuth2') as Authentication) ?? 'oAuth2';
	const credentialType = CREDENTIAL_TYPES[authentication];
	const credentials = await this.getCredentials(credentialType);
	return {
		authentication,
		credentialType,
		accessMode: (credentials.accessMode as AccessMode) ?? 'readOnly',
		loginUrl: resolveLoginUrl(credentials),
		credentials,
	};
}

/** Write actions call this first: a Read-Only credential is refused before any call. */
export function assertWriteAllowed(this: NodeContext, settings: CredentialSettings, action: string): void {
	if (settings.accessMode !== 'readWrite') {
		throw new NodeOperationError(
			this.getNode(),
			`"${action}" changes users, but the credential is Read-Only`,
			{
				description:
					'Open the credential, set "Access Mode" to "Read/Take Action" and save it, or pick a credential that has it. Read-Only credentials can only read users, licenses, login history and event logs.',
			},
		);
	}
}

/** Signs in with the node's credential and returns the session. */
export async function connect(this: NodeContext, settings?: CredentialSettings): Promise<SalesforceSession> {
	const s = settings ?? (await readCredentialSettings.call(this));
	const conn =
		s.authentication === 'oAuth2' ? connectOAuth2(s) : await connectPassword(s);
	const userId = await connectedUserId(conn);
	return { conn, accessMode: s.accessMode, userId };
}

function connectOAuth2(s: CredentialSettings): Connection {
	const token = (s.credentials.oauthTokenData ?? {}) as Record<string, string>;
	return new Connection({
		version: API_VERSION,
		instanceUrl: token.instance_url,
		accessToken: token.access_token,
		refreshToken: token.refresh_token,
		oauth2: {
			loginUrl: s.loginUrl,
			clientId: s.credentials.clientId as string,
			clientSecret: s.credentials.clientSecret as string,
			redirectUri: '',
		},
	});
}

async function connectPassword(s: CredentialSettings): Promise<Connection> {
	const c = s.credentials;
	const conn = new Connection({
		version: API_VERSION,
		loginUrl: s.loginUrl,
		...(c.clientId
			? { oauth2: { loginUrl: s.loginUrl, clientId: c.clientId as string, clientSecret: c.clientSecret as string, redirectUri: '' } }
			: {}),
	});
	await conn.login(c.username as string, `${c.password as string}${(c.securityToken as string) ?? ''}`);
	return conn;
}

async function connectedUserId(conn: Connection): Promise<string> {
	if (conn.userInfo?.id) return conn.userInfo.id;
	const identity = await conn.identity();
	return identity.user_id;
}
