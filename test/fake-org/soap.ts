/**
 * The partner SOAP API's login() and logout(), which jsforce's conn.login() uses when no
 * connected app is configured. Faults are HTTP 500 text/xml with a LoginFault detail;
 * jsforce turns them into an Error whose message is the faultstring ("INVALID_LOGIN: ...").
 */
import type { Exchange } from './http';
import type { LoginFailure } from './sessions';
import type { ProfileRecord } from './store';

const FAULT_MESSAGES: Record<LoginFailure | 'INVALID_SESSION_ID' | 'UNKNOWN_EXCEPTION', string> = {
	INVALID_LOGIN: 'Invalid username, password, security token; or user locked out.',
	LOGIN_MUST_USE_SECURITY_TOKEN:
		'Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company’s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.',
	API_CURRENTLY_DISABLED: 'API is disabled for this User',
	INVALID_SESSION_ID: 'Invalid Session ID found in SessionHeader: Illegal Session',
	UNKNOWN_EXCEPTION: 'The fake org only answers login and logout over SOAP',
};

export const xmlEscape = (text: string): string =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
	);

const xmlUnescape = (text: string): string =>
	text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
		const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
		if (e[0] !== '#') return named[e.toLowerCase()];
		return String.fromCodePoint(
			e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
		);
	});

/** Text of the first element with this local name (any namespace prefix). */
function element(xml: string, name: string): string | undefined {
	const match = xml.match(
		new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`),
	);
	return match ? xmlUnescape(match[1]) : undefined;
}

const ENVELOPE_OPEN =
	'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** `echoXml`: XML text appended to the message as it is (see Controls.echoPasswordInLoginFault). */
export function soapFault(
	ex: Exchange,
	code: keyof typeof FAULT_MESSAGES,
	faultType = 'LoginFault',
	echoXml = '',
): void {
	const message = FAULT_MESSAGES[code];
	const xml =
		'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>' +
		`<faultcode>sf:${code}</faultcode><faultstring>${xmlEscape(`${code}: ${message}`)}${echoXml}</faultstring>` +
		`<detail><sf:${faultType} xsi:type="sf:${faultType}"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${xmlEscape(message)}${echoXml}</sf:exceptionMessage></sf:${faultType}></detail>` +
		'</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
	ex.send(500, xml, 'text/xml;charset=UTF-8');
}

export async function handleSoap(ex: Exchange): Promise<void> {
	const body = await ex.body();
	const version = ex.path.split('/')[4];
	if (/<(?:\w+:)?login[\s>]/.test(body)) return login(ex, body, version);
	if (/<(?:\w+:)?logout[\s>/]/.test(body)) {
		ex.setKind('soapLogout');
		const session = ex.org.sessions.sessions.get(element(body, 'sessionId') ?? '');
		if (!session) return soapFault(ex, 'INVALID_SESSION_ID', 'UnexpectedErrorFault');
		session.expired = true;
		return ex.send(
			200,
			`${ENVELOPE_OPEN}<logoutResponse/>${ENVELOPE_CLOSE}`,
			'text/xml;charset=UTF-8',
		);
	}
	ex.setKind('soap');
	soapFault(ex, 'UNKNOWN_EXCEPTION', 'UnexpectedErrorFault');
}

function login(ex: Exchange, body: string, version: string): void {
	ex.setKind('soapLogin');
	const { sessions, store, controls, url } = ex.org;
	const injected = controls.takeFailure('soapLogin', false);
	if (injected)
		return soapFault(
			ex,
			(injected.errorCode in FAULT_MESSAGES ? injected.errorCode : 'INVALID_LOGIN') as LoginFailure,
		);

	const password = element(body, 'password') ?? '';
	const outcome = sessions.checkLogin(element(body, 'username') ?? '', password);
	if (!outcome.ok) {
		const echo = controls.echoPasswordInLoginFault;
		return soapFault(ex, outcome.code, 'LoginFault', echo ? ` ${echo(password)}` : '');
	}
	const { user, login: credentials } = outcome;
	if (!sessions.hasApiAccess(user.Id)) return soapFault(ex, 'API_CURRENTLY_DISABLED');

	const session = sessions.createSession(user.Id, { passwordExpired: credentials.passwordExpired });
	const profile = store.get<ProfileRecord>('Profile', user.ProfileId);
	const orgId = store.orgId;
	const serverUrl = `${controls.instanceUrl ?? url}/services/Soap/u/${version}/${orgId.slice(0, 15)}`;
	const info: Array<[string, string | null]> = [
		['accessibilityMode', 'false'],
		[
			'chatterExternal',
			String(user.UserType === 'CsnOnly' && profile?.Name === 'Chatter External User'),
		],
		['currencySymbol', '$'],
		['orgAttachmentFileSizeLimit', '5242880'],
		['orgDefaultCurrencyIsoCode', 'USD'],
		['orgDefaultCurrencyLocale', 'en_US'],
		['orgDisallowHtmlAttachments', 'false'],
		['orgHasPersonAccounts', 'false'],
		['organizationId', orgId],
		['organizationMultiCurrency', 'false'],
		['organizationName', store.orgName],
		['profileId', user.ProfileId],
		['roleId', null],
		['sessionSecondsValid', '7200'],
		['userDefaultCurrencyIsoCode', null],
		['userEmail', user.Email],
		['userFullName', user.Name],
		['userId', user.Id],
		['userLanguage', 'en_US'],
		['userLocale', 'en_US'],
		['userName', user.Username],
		['userTimeZone', user.TimeZoneSidKey],
		['userType', String(user.UserType)],
		['userUiSkin', 'Theme3'],
	];
	const userInfo = info
		.map(([name, value]) =>
			value === null ? `<${name} xsi:nil="true"/>` : `<${name}>${xmlEscape(value)}</${name}>`,
		)
		.join('');
	const xml =
		`${ENVELOPE_OPEN}<loginResponse><result>` +
		`<metadataServerUrl>${url}/services/Soap/m/${version}/${orgId.slice(0, 15)}</metadataServerUrl>` +
		`<passwordExpired>${credentials.passwordExpired}</passwordExpired>` +
		'<sandbox>false</sandbox>' +
		`<serverUrl>${serverUrl}</serverUrl>` +
		`<sessionId>${xmlEscape(session.token)}</sessionId>` +
		`<userId>${user.Id}</userId>` +
		`<userInfo>${userInfo}</userInfo>` +
		`</result></loginResponse>${ENVELOPE_CLOSE}`;
	ex.send(200, xml, 'text/xml;charset=UTF-8');
}
