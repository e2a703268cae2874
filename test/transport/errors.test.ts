import { NodeApiError } from 'n8n-workflow';

import {
	asSalesforceApiError,
	describeSalesforceError,
	parseApiUsage,
	toNodeApiError,
} from '../../nodes/SalesforceAdmin/transport/errors';
import { salesforceAdminNode } from '../helpers/node-types';

const node = salesforceAdminNode();

/** What jsforce's HttpApi throws for a REST error answer `[{"message","errorCode"}]`. */
function restError(errorCode: string, message: string, extra: Record<string, unknown> = {}) {
	return Object.assign(new Error(message), {
		name: errorCode,
		errorCode,
		data: { message, errorCode },
		...extra,
	});
}

/** What jsforce's SOAP login throws: an Error holding the fault string. */
const soapFault = (faultstring: string) => new Error(faultstring);

/** What jsforce's OAuth2 client throws for a token endpoint error. */
function oauthError(error: string, description: string) {
	const e = new Error(description);
	e.name = error;
	return e;
}

/** A refresh-token grant the token endpoint refused, as transport/session.ts raises it. */
const refreshRefused = () =>
	asSalesforceApiError(oauthError('invalid_grant', 'expired access/refresh token'), 'tokenRefresh');

describe('describeSalesforceError: admin guidance per Salesforce code', () => {
	it('INVALID_LOGIN (SOAP fault): security token reset, lockout, API Enabled, IP ranges, login hours', () => {
		const info = describeSalesforceError(
			soapFault('INVALID_LOGIN: Invalid username, password, security token; or user locked out.'),
		);
		expect(info.code).toBe('INVALID_LOGIN');
		expect(info.message).toBe('Invalid username, password, security token; or user locked out.');
		expect(info.description).toMatch(/security token may have been reset/);
		expect(info.description).toMatch(/locked out/);
		expect(info.description).toMatch(/API Enabled/);
		expect(info.description).toMatch(/login IP ranges/);
		expect(info.description).toMatch(/login hours/);
	});

	it('LOGIN_MUST_USE_SECURITY_TOKEN: append the token or trust the IP', () => {
		const info = describeSalesforceError(
			soapFault(
				'LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company’s trusted networks, you must add a security token to your password to log in.',
			),
		);
		expect(info.code).toBe('LOGIN_MUST_USE_SECURITY_TOKEN');
		expect(info.description).toMatch(/security token/i);
		expect(info.description).toMatch(/trusted IP ranges/);
	});

	it('API_CURRENTLY_DISABLED: grant API Enabled', () => {
		const info = describeSalesforceError(
			soapFault('API_CURRENTLY_DISABLED: API is disabled for this User'),
		);
		expect(info.code).toBe('API_CURRENTLY_DISABLED');
		expect(info.description).toMatch(/"API Enabled"/);
	});

	it("expired password: the fault code and jsforce's own message for passwordExpired=true", () => {
		const fault = describeSalesforceError(
			soapFault(
				'INVALID_OPERATION_WITH_EXPIRED_PASSWORD: The users password has expired, you must call SetPassword before attempting any other API operations',
			),
		);
		expect(fault.code).toBe('INVALID_OPERATION_WITH_EXPIRED_PASSWORD');
		expect(fault.description).toMatch(/password has expired/);
		const jsforce = describeSalesforceError(
			new Error('Unable to login because the used password has expired.'),
		);
		expect(jsforce.code).toBe('INVALID_OPERATION_WITH_EXPIRED_PASSWORD');
		expect(jsforce.description).toMatch(/set a new password/);
	});

	it('INVALID_SESSION_ID (REST 401 after the retry)', () => {
		const info = describeSalesforceError(
			restError('INVALID_SESSION_ID', 'Session expired or invalid'),
		);
		expect(info).toMatchObject({ code: 'INVALID_SESSION_ID', httpCode: '401' });
		expect(info.description).toMatch(/session/i);
	});

	it('invalid_grant while refreshing the token: reconnect the credential', () => {
		const wrapped = refreshRefused();
		const info = describeSalesforceError(wrapped);
		expect(info.code).toBe('invalid_grant');
		expect(info.reconnect).toBe(true);
		expect(info.message).toMatch(/reconnect the credential/);
		expect(info.message).toMatch(/expired access\/refresh token/);
		expect(info.description).toMatch(/Reconnect/);
	});

	it("invalid_grant from n8n's OAuth client (AuthError with body) reads as a token problem", () => {
		const authError = Object.assign(new Error('The provided authorization grant is invalid'), {
			code: 'EAUTH',
			body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
		});
		// as transport/session.ts raises it when n8n's refreshOAuth2Token fails
		const info = describeSalesforceError(asSalesforceApiError(authError, 'tokenRefresh'));
		expect(info.reconnect).toBe(true);
		expect(describeSalesforceError(authError).reconnect).toBe(true);
	});

	it('invalid_grant in the username-password flow is a sign-in failure, not a reconnect', () => {
		const info = describeSalesforceError(oauthError('invalid_grant', 'authentication failure'));
		expect(info.code).toBe('invalid_grant');
		expect(info.reconnect).toBeUndefined();
		expect(info.description).toMatch(/security token may have been reset/);
		expect(info.description).toMatch(/connected app/);
	});

	it('unsupported_grant_type and invalid_client_id explain the connected-app side', () => {
		expect(
			describeSalesforceError(oauthError('unsupported_grant_type', 'grant type not supported'))
				.description,
		).toMatch(/Allow OAuth Username-Password Flows/);
		expect(
			describeSalesforceError(oauthError('invalid_client_id', 'client identifier invalid'))
				.description,
		).toMatch(/Client ID/);
	});

	it('REQUEST_LIMIT_EXCEEDED reports the usage from Sforce-Limit-Info', () => {
		const info = describeSalesforceError(
			restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', {
				apiUsage: { used: 15012, max: 15000 },
			}),
		);
		expect(info.code).toBe('REQUEST_LIMIT_EXCEEDED');
		expect(info.httpCode).toBe('403');
		expect(info.description).toMatch(/15,012 of its 15,000 daily API requests/);
	});

	it('INSUFFICIENT_ACCESS and INSUFFICIENT_ACCESS_OR_READONLY name the permissions to grant', () => {
		for (const code of ['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY']) {
			const info = describeSalesforceError(
				restError(code, 'insufficient access rights on object id'),
			);
			expect(info.code).toBe(code);
			expect(info.description).toMatch(/"Manage Users"/);
			expect(info.description).toMatch(/"View Event Log Files"/);
			expect(info.description).toMatch(/permission set/);
		}
	});

	it('MALFORMED_QUERY points at the node', () => {
		const info = describeSalesforceError(restError('MALFORMED_QUERY', "unexpected token: 'FROMM'"));
		expect(info).toMatchObject({ code: 'MALFORMED_QUERY', httpCode: '400' });
		expect(info.description).toMatch(/bug in the node/);
	});

	it('INVALID_FIELD explains field-level security and names the field', () => {
		const info = describeSalesforceError(
			restError(
				'INVALID_FIELD',
				"\nSELECT UserPermissionsSupportUser FROM User\n       ^\nERROR at Row:1:Column:8\nNo such column 'UserPermissionsSupportUser' on entity 'User'.",
			),
		);
		expect(info.code).toBe('INVALID_FIELD');
		expect(info.description).toMatch(/field-level security/);
		expect(info.description).toMatch(/UserPermissionsSupportUser/);
	});

	it('UNABLE_TO_LOCK_ROW says to run again', () => {
		const info = describeSalesforceError(
			restError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'),
		);
		expect(info.description).toMatch(/Run the node again/);
	});

	it('NOT_FOUND', () => {
		const info = describeSalesforceError(
			restError('NOT_FOUND', 'The requested resource does not exist'),
		);
		expect(info).toMatchObject({ code: 'NOT_FOUND', httpCode: '404' });
		expect(info.description).toMatch(/does not exist/);
	});

	it('ECONNREFUSED: check the URL, naming only the host', () => {
		const fetchError = Object.assign(
			new Error(
				'request to http://127.0.0.1:1/services/Soap/u/62.0 failed, reason: connect ECONNREFUSED 127.0.0.1:1',
			),
			{ name: 'FetchError', code: 'ECONNREFUSED', errno: 'ECONNREFUSED' },
		);
		const info = describeSalesforceError(fetchError);
		expect(info.code).toBe('ECONNREFUSED');
		expect(info.message).toBe('Could not reach Salesforce at http://127.0.0.1:1 (econnrefused)');
		expect(info.description).toMatch(/My Domain URL/);
	});

	it('ENOTFOUND: check the host name', () => {
		const info = describeSalesforceError(
			Object.assign(
				new Error(
					'request to https://acme.my.salesforce.comm/services/oauth2/token failed, reason: getaddrinfo ENOTFOUND acme.my.salesforce.comm',
				),
				{ code: 'ENOTFOUND' },
			),
		);
		expect(info.code).toBe('ENOTFOUND');
		expect(info.description).toMatch(/host name/);
	});

	it('an unknown error keeps its message and gets no invented code', () => {
		const info = describeSalesforceError(new Error('something odd'));
		expect(info).toMatchObject({ code: 'UNKNOWN_ERROR', message: 'something odd' });
	});
});

describe('parseApiUsage', () => {
	it('reads api-usage=N/M', () => {
		expect(parseApiUsage('api-usage=25/15000')).toEqual({ used: 25, max: 15000 });
		expect(parseApiUsage('per-app-api-usage=1/10(appName=x), api-usage=7/100')).toEqual({
			used: 7,
			max: 100,
		});
		expect(parseApiUsage(undefined)).toBeUndefined();
	});
});

describe('toNodeApiError', () => {
	it('is a NodeApiError with code, Salesforce message, guidance and item index', () => {
		const error = toNodeApiError(
			node,
			restError('INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id'),
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'INSUFFICIENT_ACCESS: insufficient access rights on cross-reference id',
		);
		expect(error.description).toMatch(/Manage Users/);
		expect(error.context.itemIndex).toBe(3);
		expect(error.httpCode).toBe('403');
	});

	it('keeps our message for network errors (n8n would swap it for a generic one)', () => {
		const error = toNodeApiError(
			node,
			Object.assign(
				new Error(
					'request to http://127.0.0.1:9/x failed, reason: connect ECONNREFUSED 127.0.0.1:9',
				),
				{
					code: 'ECONNREFUSED',
				},
			),
		);
		expect(error.message).toBe(
			'ECONNREFUSED: Could not reach Salesforce at http://127.0.0.1:9 (econnrefused)',
		);
		expect(error.description).toMatch(/Check the environment and the My Domain URL/);
	});

	it('the refresh-token message needs no code prefix', () => {
		const error = toNodeApiError(node, refreshRefused());
		expect(error.message).toMatch(
			/^Salesforce no longer accepts this credential's refresh token .*: reconnect the credential$/,
		);
	});

	it('passes a NodeApiError through unchanged', () => {
		const original = new NodeApiError(node, { message: 'x' });
		expect(toNodeApiError(node, original)).toBe(original);
	});

	it('carries only a sanitised copy, never the raw jsforce error (which can hold request bodies)', () => {
		const raw = restError('INVALID_FIELD', "No such column 'X' on entity 'User'.", {
			request: {
				body: 'password=hunter2secret',
				headers: { Authorization: 'Bearer 00D000000000001!AQ0secretsession' },
			},
		});
		const error = toNodeApiError(node, raw);
		const serialized = JSON.stringify({
			...error,
			json: error.toJSON?.(),
			cause: error.cause,
			errorResponse: error.errorResponse,
		});
		expect(serialized).not.toContain('hunter2secret');
		expect(serialized).not.toContain('AQ0secretsession');
		expect(error.errorResponse).toEqual({
			errorCode: 'INVALID_FIELD',
			message: "No such column 'X' on entity 'User'.",
		});
	});
});
