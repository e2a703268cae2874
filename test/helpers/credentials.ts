/**
 * Credential data for a FakeOrg, shaped as n8n stores it: what a user types into the
 * "Salesforce Admin Username/Password API" credential, or what n8n keeps for the OAuth2 one
 * after "Connect my account" (client id/secret plus `oauthTokenData`).
 */
import type { IDataObject } from 'n8n-workflow';

import type { FakeOrg } from '../fake-org';
import { generateAppKeys } from '../fake-org';
import type { TestCredential } from './run-node';

interface Login {
	username: string;
	password: string;
	securityToken: string;
}

export interface PasswordCredentialOverrides {
	/** Another login than the admin (e.g. from org.addLoginUser). */
	login?: Login;
	username?: string;
	password?: string;
	securityToken?: string;
	/** 'oauth': send the org's connected-app client id/secret (OAuth username-password flow). */
	flow?: 'soap' | 'oauth';
	clientId?: string;
	clientSecret?: string;
	environment?: 'production' | 'sandbox' | 'myDomain';
	myDomainUrl?: string;
	accessMode?: 'readOnly' | 'readWrite';
}

/** Username/password credential signing in at the fake org (My Domain = org.url). */
export function passwordCredentials(
	org: FakeOrg,
	overrides: PasswordCredentialOverrides = {},
): TestCredential {
	const login = overrides.login ?? org.admin;
	const oauth = overrides.flow === 'oauth';
	return {
		type: 'salesforceAdminPasswordApi',
		data: {
			environment: overrides.environment ?? 'myDomain',
			myDomainUrl: overrides.myDomainUrl ?? org.url,
			username: overrides.username ?? login.username,
			password: overrides.password ?? login.password,
			securityToken: overrides.securityToken ?? login.securityToken,
			clientId: overrides.clientId ?? (oauth ? org.admin.clientId : ''),
			clientSecret: overrides.clientSecret ?? (oauth ? org.admin.clientSecret : ''),
			accessMode: overrides.accessMode ?? 'readOnly',
		},
	};
}

export interface OAuth2CredentialOverrides {
	/** Whose tokens n8n holds (default: the admin). */
	username?: string;
	/** Token data as n8n stored it (default: fresh tokens from org.issueOAuthTokens). */
	oauthTokenData?: IDataObject;
	clientId?: string;
	clientSecret?: string;
	environment?: 'production' | 'sandbox' | 'myDomain';
	myDomainUrl?: string;
	accessMode?: 'readOnly' | 'readWrite';
}

/** OAuth2 credential after "Connect my account" against the fake org. */
export function oauth2Credentials(
	org: FakeOrg,
	overrides: OAuth2CredentialOverrides = {},
): TestCredential {
	return {
		type: 'salesforceAdminOAuth2Api',
		data: {
			environment: overrides.environment ?? 'myDomain',
			myDomainUrl: overrides.myDomainUrl ?? org.url,
			clientId: overrides.clientId ?? org.admin.clientId,
			clientSecret: overrides.clientSecret ?? org.admin.clientSecret,
			accessMode: overrides.accessMode ?? 'readOnly',
			oauthTokenData:
				overrides.oauthTokenData ??
				({ ...org.issueOAuthTokens(overrides.username) } as IDataObject),
		},
	};
}

/** A JWT / client credentials app registered on the fake org for a test. */
export interface ServerApp {
	clientId: string;
	clientSecret: string;
	privateKey: string;
	certificate: string;
}

let appCount = 0;

/**
 * Registers an External Client App with a certificate (JWT bearer, admin-approved: System
 * Administrator pre-authorized) and a Run As user (client credentials: the admin by default).
 */
export function registerServerApp(
	org: FakeOrg,
	options: { runAs?: string; preAuthorizedProfiles?: string[] } = {},
): ServerApp {
	const keys = generateAppKeys();
	const clientId = `3MVG9ServerApp${++appCount}x${Date.now().toString(36)}`;
	const clientSecret = `S3cr3t-${clientId}-${Math.random().toString(36).slice(2)}`;
	org.controls.oauth.registerApp({
		clientId,
		clientSecret,
		certificate: keys.certificate,
		permittedUsers: 'adminApprovedPreAuthorized',
		preAuthorizedProfiles: options.preAuthorizedProfiles ?? ['System Administrator'],
		runAs: options.runAs ?? org.admin.username,
	});
	return { clientId, clientSecret, privateKey: keys.privateKey, certificate: keys.certificate };
}

export interface ServerCredentialOverrides {
	clientId?: string;
	clientSecret?: string;
	username?: string;
	privateKey?: string;
	environment?: 'production' | 'sandbox' | 'myDomain';
	myDomainUrl?: string;
	accessMode?: 'readOnly' | 'readWrite';
}

/** JWT bearer credential as the admin types it (My Domain = org.url). */
export function jwtCredentials(
	org: FakeOrg,
	app: ServerApp,
	overrides: ServerCredentialOverrides = {},
): TestCredential {
	return {
		type: 'salesforceAdminJwtApi',
		data: {
			environment: overrides.environment ?? 'myDomain',
			myDomainUrl: overrides.myDomainUrl ?? org.url,
			clientId: overrides.clientId ?? app.clientId,
			username: overrides.username ?? org.admin.username,
			privateKey: overrides.privateKey ?? app.privateKey,
			accessMode: overrides.accessMode ?? 'readOnly',
		},
	};
}

/** Client credentials credential as the admin types it (environment is always My Domain). */
export function clientCredentials(
	org: FakeOrg,
	app: ServerApp,
	overrides: ServerCredentialOverrides = {},
): TestCredential {
	return {
		type: 'salesforceAdminClientCredentialsApi',
		data: {
			myDomainUrl: overrides.myDomainUrl ?? org.url,
			clientId: overrides.clientId ?? app.clientId,
			clientSecret: overrides.clientSecret ?? app.clientSecret,
			accessMode: overrides.accessMode ?? 'readOnly',
		},
	};
}
