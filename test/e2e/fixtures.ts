/**
 * Building blocks of the e2e workflows and of the demo: our node, core n8n nodes that exist in
 * both n8n 1.123 and 2.40, credentials pointing at a FakeOrg, and the example workflows from
 * examples/ made runnable by `n8n execute`.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { FakeOrg } from '../fake-org';
import { CredentialDefinition, linearWorkflow, REPO_ROOT, WorkflowDefinition, WorkflowNode } from './n8n';

export const NODE_TYPE = 'n8n-nodes-salesforce-admin.salesforceAdmin';
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export type CredentialType =
	| 'salesforceAdminPasswordApi'
	| 'salesforceAdminOAuth2Api'
	| 'salesforceAdminJwtApi'
	| 'salesforceAdminClientCredentialsApi';

/** The node's `authentication` value for each credential type. */
export const AUTHENTICATION: Record<CredentialType, string> = {
	salesforceAdminOAuth2Api: 'oAuth2',
	salesforceAdminPasswordApi: 'password',
	salesforceAdminJwtApi: 'jwt',
	salesforceAdminClientCredentialsApi: 'clientCredentials',
};

export interface CredentialRef {
	type: CredentialType;
	id: string;
	name: string;
}

/** A Salesforce Admin node signed in with `credential`. */
export function salesforceNode(name: string, parameters: Record<string, unknown>, credential: CredentialRef): WorkflowNode {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: {
			authentication: AUTHENTICATION[credential.type],
			...parameters,
		},
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/** n8n's Filter node (v2.2, in 1.x and 2.x) with one number condition. */
export function numberFilterNode(name: string, leftValue: string, operation: 'gte' | 'lt' | 'equals', rightValue: number): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [{ id: 'condition-1', leftValue, rightValue, operator: { type: 'number', operation } }],
				combinator: 'and',
			},
			options: {},
		},
	};
}

/** Username/password credential data for the org's admin (`securityToken` appended by the node). */
export function passwordCredential(
	org: FakeOrg,
	ref: Omit<CredentialRef, 'type'>,
	accessMode: 'readOnly' | 'readWrite',
	overrides: Record<string, unknown> = {},
): CredentialDefinition {
	return {
		...ref,
		type: 'salesforceAdminPasswordApi',
		data: {
			environment: 'myDomain',
			myDomainUrl: org.url,
			username: org.admin.username,
			password: org.admin.password,
			securityToken: org.admin.securityToken,
			clientId: '',
			clientSecret: '',
			accessMode,
			...overrides,
		},
	};
}

/** OAuth2 credential data as n8n stores it after "Connect": client, environment and the token. */
export function oauthCredential(
	org: FakeOrg,
	ref: Omit<CredentialRef, 'type'>,
	accessMode: 'readOnly' | 'readWrite',
	overrides: Record<string, unknown> = {},
): CredentialDefinition {
	return {
		...ref,
		type: 'salesforceAdminOAuth2Api',
		data: {
			environment: 'myDomain',
			myDomainUrl: org.url,
			clientId: org.admin.clientId,
			clientSecret: org.admin.clientSecret,
			accessMode,
			oauthTokenData: org.issueOAuthTokens(),
			...overrides,
		},
	};
}

/** The credentials example workflows are pointed at. */
export interface ExampleCredentials {
	readOnly: { id: string; name: string };
	readWrite: { id: string; name: string };
	oauth?: { id: string; name: string };
	/** A JWT bearer credential (Read/Take Action) for the examples that ask for one; without it they get `readWrite`. */
	jwt?: { id: string; name: string };
}

/** True when an example's credential reference asks for a Read/Take Action credential. */
function wantsReadWrite(ref: { id?: string; name?: string } | undefined): boolean {
	return /take action|read\s*\/?\s*write|readwrite/i.test(ref?.name ?? '');
}

/** The example workflow files (sorted), parsed. */
export function exampleFiles(dir = EXAMPLES_DIR): Array<{ file: string; workflow: WorkflowDefinition }> {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as WorkflowDefinition }));
}

/**
 * An example workflow ready to import: a stable id (from its file name unless it has one) and
 * every Salesforce Admin credential reference pointed at `credentials` (Read/Take Action where
 * the example names such a credential, else Read-Only; OAuth2 references at `oauth` and JWT bearer
 * references at `jwt` if given).
 */
export function prepareExample(file: string, workflow: WorkflowDefinition, credentials: ExampleCredentials): WorkflowDefinition {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowDefinition;
	copy.id = copy.id ?? exampleId(file);
	copy.active = false;
	for (const node of copy.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			if (type === 'salesforceAdminOAuth2Api' && credentials.oauth) {
				node.credentials![type] = { ...credentials.oauth };
			} else if (type === 'salesforceAdminJwtApi' && credentials.jwt) {
				node.credentials![type] = { ...credentials.jwt };
			} else if (type in AUTHENTICATION) {
				const target = wantsReadWrite(ref) ? credentials.readWrite : credentials.readOnly;
				node.credentials = { salesforceAdminPasswordApi: { ...target } };
				node.parameters = { ...node.parameters, authentication: 'password' };
			}
		}
	}
	return copy;
}

/** 16 characters, [A-Za-z0-9], derived from the file name: "nightly-license-reclaim.json" → "exNightlyLicense". */
export function exampleId(file: string): string {
	const words = path.basename(file, '.json').split(/[^A-Za-z0-9]+/).filter(Boolean);
	const id = 'ex' + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
	return (id + '0000000000000000').slice(0, 16);
}

const SCHEDULE_TRIGGER = 'n8n-nodes-base.scheduleTrigger';

/**
 * `n8n execute` starts only from a Manual Trigger (or an Execute Workflow Trigger): it refuses a
 * workflow whose only trigger is a Schedule Trigger ("Missing node to start execution"). This
 * swaps each Schedule Trigger for a Manual Trigger of the same name, so the rest of the example
 * runs exactly as committed.
 */
export function runnableByCli(workflow: WorkflowDefinition): WorkflowDefinition {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowDefinition;
	copy.nodes = copy.nodes.map((node) =>
		node.type === SCHEDULE_TRIGGER
			? { id: node.id, name: node.name, position: node.position, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
			: node,
	);
	return copy;
}

/** n8n's HTTP Request node with our credential ("Custom API Call"). */
export function httpWorkflow(id: string, credential: CredentialRef, url: string): WorkflowDefinition {
	return linearWorkflow(id, `HTTP Request ${id}`, [
		{
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: { method: 'GET', url, authentication: 'predefinedCredentialType', nodeCredentialType: credential.type, options: {} },
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		},
	]);
}
