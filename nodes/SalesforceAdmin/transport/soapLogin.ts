/**
 * The partner SOAP API's login() over n8n's request helpers, for the password credential's
 * sign-in (node and preAuthentication alike, passwordGrant.ts). One POST of
 * the login envelope to `{login URL}/services/Soap/u/{SOAP_LOGIN_API_VERSION}`, never redirected
 * or retried; the answer's sessionId, serverUrl, userId and organizationId, or its fault as a
 * SalesforceApiError with Salesforce's exceptionCode (INVALID_LOGIN, ...), whose admin guidance
 * errors.ts holds.
 *
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 */
import { SOAP_LOGIN_API_VERSION } from './apiVersion';
import { SalesforceApiError } from './errors';
import { rememberSecrets } from './secrets';
import { postSignIn } from './tokenGrants';
import type { Wire } from './wire';

/** What a successful login() answer gives. */
export interface SoapLoginResult {
	sessionId: string;
	/** The partner endpoint of the org, e.g. https://acme.my.salesforce.com/services/Soap/u/62.0/00D… */
	serverUrl: string;
	userId: string;
	organizationId: string;
}

const XML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
};

export const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

const XML_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function xmlUnescape(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
		if (ref[0] !== '#') return XML_NAMED[ref.toLowerCase()] ?? whole;
		const code =
			ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
		return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
	});
}

/** Text of the first element with this local name, whatever its namespace prefix. */
export function xmlElement(xml: string, name: string): string | undefined {
	const match = new RegExp(
		`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`,
	).exec(xml);
	return match ? xmlUnescape(match[1]).trim() : undefined;
}

/** The login() request body, as jsforce sends it; both values XML-escaped. */
export function loginEnvelope(username: string, password: string): string {
	return (
		'<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body>' +
		'<login xmlns="urn:partner.soap.sforce.com">' +
		`<username>${xmlEscape(username)}</username><password>${xmlEscape(password)}</password>` +
		'</login></se:Body></se:Envelope>'
	);
}

/** Signs in with login(); `password` is the password with the security token appended. */
export async function soapLogin(
	loginUrl: string,
	username: string,
	password: string,
	wire: Wire,
): Promise<SoapLoginResult> {
	rememberSecrets(password, xmlEscape(password));
	const target = new URL(`/services/Soap/u/${SOAP_LOGIN_API_VERSION}`, loginUrl);
	const { status, text: xml } = await postSignIn(
		target,
		{ 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: '""' },
		loginEnvelope(username, password),
		wire,
	);
	if (status >= 400 || /<(?:[\w.-]+:)?Fault[\s>]/.test(xml)) throw soapFault(xml, status, target);

	const sessionId = xmlElement(xml, 'sessionId') ?? '';
	rememberSecrets(sessionId);
	// the API answers an expired password with a session that may only set a new one
	if (xmlElement(xml, 'passwordExpired') === 'true') {
		throw new SalesforceApiError("Salesforce signed in, but the user's password has expired", {
			code: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
			httpStatus: status,
			phase: 'signIn',
		});
	}
	const result: SoapLoginResult = {
		sessionId,
		serverUrl: xmlElement(xml, 'serverUrl') ?? '',
		userId: xmlElement(xml, 'userId') ?? '',
		organizationId: xmlElement(xml, 'organizationId') ?? '',
	};
	if (!result.sessionId || !result.serverUrl || !result.userId) {
		throw new SalesforceApiError(
			`Salesforce at ${target.origin} answered the SOAP login without a session (HTTP ${status})`,
			{ code: 'NO_ACCESS_TOKEN', httpStatus: status || undefined, phase: 'signIn' },
		);
	}
	return result;
}

/** A SOAP fault: Salesforce's exceptionCode (or faultcode) and its message, without the code prefix. */
function soapFault(xml: string, status: number, target: URL): SalesforceApiError {
	const faultCode = (xmlElement(xml, 'faultcode') ?? '').replace(/^[\w.-]+:/, '');
	const code =
		xmlElement(xml, 'exceptionCode') || faultCode || (status ? `ERROR_HTTP_${status}` : 'UNKNOWN');
	const faultString = xmlElement(xml, 'faultstring') ?? xmlElement(xml, 'exceptionMessage') ?? '';
	const message =
		(faultString.startsWith(`${code}:`)
			? faultString.slice(code.length + 1).trim()
			: faultString) ||
		`Salesforce at ${target.origin} answered the SOAP login with HTTP ${status}`;
	return new SalesforceApiError(message, {
		code,
		httpStatus: status || undefined,
		phase: 'signIn',
	});
}
