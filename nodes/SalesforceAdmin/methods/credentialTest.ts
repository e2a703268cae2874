/**
 * The connection test of the Password, JWT Bearer and Client Credentials credentials: signs in
 * for real, refuses external (community, portal, guest) users, and says whether the user can read
 * usage data. The OAuth2 credential has its own `test` request (an authenticated call, in
 * SalesforceAdminOAuth2Api.credentials.ts), which n8n runs instead of this function.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { Authentication, RequestHelpers, SalesforceSession } from '../transport';
import {
	CREDENTIAL_TYPES,
	describeSalesforceError,
	settingsFromCredential,
	signIn,
	wireFrom,
} from '../transport';
import { readConnectedUser } from '../reads/connectedUser';

/**
 * The user types of the org's own staff; any other (partner and customer community, portal, guest
 * users, who administer nothing) is refused by the connection test.
 */
const INTERNAL_USER_TYPES = new Set(['Standard']);

const USER_TYPE_LABELS: Record<string, string> = {
	PowerPartner: 'Partner Community / Partner Portal',
	PowerCustomerSuccess: 'Customer Community Plus / Customer Portal Manager',
	CustomerSuccess: 'Customer Community / Customer Portal',
	CspLitePortal: 'High Volume Customer Portal',
	CSPLitePortal: 'High Volume Customer Portal',
	SelfService: 'Self-Service Portal',
	Guest: 'Guest',
	CsnOnly: 'Chatter Free',
};

/** Which credential the data belongs to: n8n passes its type name, older callers may not. */
function authenticationOf(credential: ICredentialsDecrypted): Authentication {
	const known = (Object.keys(CREDENTIAL_TYPES) as Authentication[]).find(
		(a) => CREDENTIAL_TYPES[a] === credential.type,
	);
	if (known) return known;
	return credential.data?.oauthTokenData ? 'oAuth2' : 'password';
}

const yesNo = (value: unknown) => (value === true ? 'yes' : 'no');

/** The connection-test message: who, and whether they can read usage data. */
export function describeConnectedUser(user: IDataObject, permissions: IDataObject): string {
	const apiEnabled = permissions.PermissionsApiEnabled === true;
	const eventLogs = permissions.PermissionsViewEventLogFiles === true;
	const viewAll = permissions.PermissionsViewAllData === true;
	const usage =
		apiEnabled && (eventLogs || viewAll)
			? 'Usage data (event log files) can be read.'
			: 'Usage data (event log files) cannot be read: it needs API Enabled and View Event Log Files (or View All Data).';
	return (
		`Connected as ${String(user.Name)} (${String(user.Username)}). ` +
		`API Enabled: ${yesNo(apiEnabled)}. View Event Log Files: ${yesNo(eventLogs)}. ` +
		`View All Data: ${yesNo(viewAll)}. ${usage}`
	);
}

function failure(error: unknown): INodeCredentialTestResult {
	const info = describeSalesforceError(error);
	const head =
		info.reconnect || info.code === 'UNKNOWN_ERROR'
			? info.message
			: `${info.code}: ${info.message}`;
	if (!info.description) return { status: 'Error', message: head };
	return {
		status: 'Error',
		message: `${head}${/[.!?]$/.test(head) ? '' : '.'} ${info.description}`,
	};
}

/**
 * The `testedBy: 'salesforceAdminCredentialTest'` of every credential the nodes offer. n8n calls
 * it for the credentials without a `test` of their own (Password, JWT Bearer, Client
 * Credentials); for OAuth2 it runs that credential's `test` request instead (and, without one,
 * would only check that a token is stored). The OAuth2 branch here serves callers that pass
 * OAuth2 data (`oauthTokenData`) explicitly.
 */
export async function salesforceAdminCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as ICredentialDataDecryptedObject;
	let session: SalesforceSession;
	try {
		session = await signIn(settingsFromCredential(authenticationOf(credential), data), {
			wire: wireFrom(this.helpers as RequestHelpers),
		});
	} catch (error) {
		return failure(error);
	}

	try {
		const { user, permissions } = await readConnectedUser(session);
		if (!user) {
			return {
				status: 'Error',
				message: `Signed in, but the user ${session.userId} cannot be read`,
			};
		}
		const userType = String(user.UserType ?? '');
		if (!INTERNAL_USER_TYPES.has(userType)) {
			return {
				status: 'Error',
				message: `${String(user.Username)} is a ${USER_TYPE_LABELS[userType] ?? userType} user. Customer Portal, community and other external users cannot administer users and licenses: use an internal Salesforce user (license "Salesforce" or "Salesforce Platform") with the permissions the node needs.`,
			};
		}
		return { status: 'OK', message: describeConnectedUser(user, permissions) };
	} catch (error) {
		return failure(error);
	}
}
