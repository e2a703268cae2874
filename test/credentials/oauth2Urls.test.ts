/**
 * The OAuth2 credential's authorize, token and connection-test URLs, as n8n resolves them: its
 * expressions evaluated by n8n-workflow's own expression engine (the sandbox n8n runs them in),
 * for a table of My Domain URLs. Only a plain https origin (or http on loopback) may come out;
 * anything else must lead nowhere, never to a host the URL smuggles in.
 */
import { readFileSync } from 'fs';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { join } from 'path';
import { Workflow } from 'n8n-workflow';

import {
	INVALID_MY_DOMAIN_BASE,
	SalesforceAdminOAuth2Api,
} from '../../credentials/SalesforceAdminOAuth2Api.credentials';
import { API_VERSION } from '../../nodes/SalesforceAdmin/transport/apiVersion';
import { TestCredentialsHelper } from '../helpers';
import { sourceNodeTypes } from '../helpers/node-types';

const helper = new TestCredentialsHelper();

/** authUrl / accessTokenUrl: defaults applied and `$self` expressions resolved, as n8n's CredentialsHelper does. */
function oauthUrls(data: ICredentialDataDecryptedObject): [string, string] {
	const resolved = helper.applyDefaults('salesforceAdminOAuth2Api', data);
	return [String(resolved.authUrl), String(resolved.accessTokenUrl)];
}

/** The connection test's URL, resolved with `$credentials` as n8n's credential tester does. */
function testUrl(data: ICredentialDataDecryptedObject): string {
	const node: INode = {
		id: 'n',
		name: 'Test',
		type: 'test.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: sourceNodeTypes,
	});
	const credentials = helper.applyDefaults('salesforceAdminOAuth2Api', data);
	const url = new SalesforceAdminOAuth2Api().test.request.url!;
	return String(
		workflow.expression.getParameterValue(url, null, 0, 0, node.name, [], 'manual', {
			$credentials: credentials,
		}),
	);
}

const myDomain = (myDomainUrl: string) => ({ environment: 'myDomain', myDomainUrl });
const INVALID = INVALID_MY_DOMAIN_BASE;

describe('OAuth2 credential URLs', () => {
	it('the sandbox has no URL class: the credential cannot rely on one', () => {
		const node: INode = {
			id: 'n',
			name: 'Test',
			type: 'test.source',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: sourceNodeTypes,
		});
		expect(
			workflow.expression.getParameterValue(
				'={{ typeof URL }}',
				null,
				0,
				0,
				node.name,
				[],
				'manual',
				{},
			),
		).toBe('undefined');
	});

	it.each([
		// environment, My Domain URL, base the URLs are built on
		['production', '', 'https://login.salesforce.com'],
		['sandbox', '', 'https://test.salesforce.com'],
		['production', 'http://evil.example.com', 'https://login.salesforce.com'], // My Domain URL ignored
		['myDomain', 'https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
		[
			'myDomain',
			'https://acme--uat.sandbox.my.salesforce.com',
			'https://acme--uat.sandbox.my.salesforce.com',
		],
		['myDomain', '  https://acme.my.salesforce.com//  ', 'https://acme.my.salesforce.com'],
		[
			'myDomain',
			'https://acme.my.salesforce.com/lightning/page/home',
			'https://acme.my.salesforce.com',
		],
		['myDomain', 'HTTPS://Acme.My.Salesforce.com', 'https://Acme.My.Salesforce.com'],
		['myDomain', 'https://acme.my.salesforce.com:8443', 'https://acme.my.salesforce.com:8443'],
		// typed with http://: upgraded, the host kept
		['myDomain', 'http://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
		['myDomain', 'HTTP://acme.my.salesforce.com/', 'https://acme.my.salesforce.com'],
		// loopback test orgs keep http
		['myDomain', 'http://127.0.0.1:4567', 'http://127.0.0.1:4567'],
		['myDomain', 'http://localhost:4567/', 'http://localhost:4567'],
		['myDomain', 'http://[::1]:4567', 'http://[::1]:4567'],
		['myDomain', 'http://localhost.evil.example.com', 'https://localhost.evil.example.com'],
		// the bypasses of the old prefix rewrite, and other junk: nowhere
		['myDomain', 'http:/evil.example.com', INVALID],
		['myDomain', 'http:\\\\evil.example.com', INVALID],
		['myDomain', 'http:\\evil.example.com', INVALID],
		['myDomain', 'https:/\\evil.example.com', INVALID],
		['myDomain', 'http://127.0.0.1:1@evil.example.com', INVALID],
		['myDomain', 'https://acme.my.salesforce.com@evil.example.com', INVALID],
		['myDomain', 'https://evil.example.com\\@acme.my.salesforce.com', INVALID],
		['myDomain', 'https://acme.my.salesforce.com#@evil.example.com', INVALID],
		['myDomain', 'https://acme.my.salesforce.com?x=@evil.example.com', INVALID],
		['myDomain', 'https://acme .my.salesforce.com', INVALID],
		['myDomain', 'acme.my.salesforce.com', INVALID],
		['myDomain', '//evil.example.com', INVALID],
		['myDomain', 'ftp://acme.my.salesforce.com', INVALID],
		['myDomain', 'javascript:alert(1)//', INVALID],
		['myDomain', '', INVALID],
	])('%s %j -> %s', (environment, myDomainUrl, base) => {
		const data = { environment, myDomainUrl };
		expect(oauthUrls(data)).toEqual([
			`${base}/services/oauth2/authorize`,
			`${base}/services/oauth2/token`,
		]);
		const expectedTest =
			environment === 'myDomain'
				? `${base}/services/data/v${API_VERSION}/`
				: `${base}/services/oauth2/userinfo`;
		expect(testUrl(data)).toBe(expectedTest);
	});

	it('the connection test uses the stored instance URL when token data is given', () => {
		const url = testUrl({
			...myDomain('https://acme.my.salesforce.com'),
			oauthTokenData: { instance_url: 'https://acme.my.salesforce.com/' },
		});
		expect(url).toBe(`https://acme.my.salesforce.com/services/data/v${API_VERSION}/`);
	});

	it('takes the API version from the transport constant, not a copy of it', () => {
		const source = readFileSync(
			join(__dirname, '../../credentials/SalesforceAdminOAuth2Api.credentials.ts'),
			'utf8',
		);
		expect(source).not.toMatch(/v\d+\.\d/);
		expect(source).toContain('${API_VERSION}');
	});
});
