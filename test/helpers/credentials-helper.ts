/**
 * A real ICredentialsHelper (n8n-workflow's abstract class) for the harness: it keeps the
 * credential data a test gives, hands it to n8n-core the way n8n's own CredentialsHelper does
 * (defaults of the credential's properties applied, `={{ }}` expressions resolved with `$self`,
 * `oauthTokenData` kept), and stores what n8n-core saves back (refreshed OAuth2 tokens), recording
 * every save so tests can assert on it.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { SalesforceAdminOAuth2Api } from '../../credentials/SalesforceAdminOAuth2Api.credentials';
import { SalesforceAdminPasswordApi } from '../../credentials/SalesforceAdminPasswordApi.credentials';
import { SalesforceAdminJwtApi } from '../../credentials/SalesforceAdminJwtApi.credentials';
import { SalesforceAdminClientCredentialsApi } from '../../credentials/SalesforceAdminClientCredentialsApi.credentials';
import { sourceNodeTypes } from './node-types';

/**
 * n8n's generic `oAuth2Api` credential (packages/nodes-base), reduced to the properties
 * n8n-core reads when it refreshes a token. Our OAuth2 credential extends it.
 */
class OAuth2Api implements ICredentialType {
	name = 'oAuth2Api';

	displayName = 'OAuth2 API';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Body', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'header',
		},
		{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
	];
}

export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[
		new OAuth2Api(),
		new SalesforceAdminOAuth2Api(),
		new SalesforceAdminPasswordApi(),
		new SalesforceAdminJwtApi(),
		new SalesforceAdminClientCredentialsApi(),
	].map((c) => [c.name, c]),
);

export interface CredentialSave {
	type: string;
	/** `oauthToken` when n8n-core saved refreshed OAuth2 token data, `full` for updateCredentials. */
	kind: 'oauthToken' | 'full';
	data: ICredentialDataDecryptedObject;
}

/** What a stored credential looks like to n8n-core: only its data matters here. */
class StoredCredential {
	constructor(
		readonly id: string,
		readonly name: string,
		readonly type: string,
		private data: ICredentialDataDecryptedObject,
	) {}

	getData(): ICredentialDataDecryptedObject {
		return structuredClone(this.data);
	}

	getDataToSave() {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.data) };
	}

	setData(data: ICredentialDataDecryptedObject): void {
		this.data = structuredClone(data);
	}

	updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []): void {
		const next = { ...this.data, ...toUpdate };
		for (const key of toDelete) delete next[key];
		this.data = next;
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every save n8n-core made, in order. */
	readonly saves: CredentialSave[] = [];

	private readonly stored = new Map<string, StoredCredential>();

	/** Stores (or replaces) the raw data of the credential of this type. */
	set(type: string, data: ICredentialDataDecryptedObject): void {
		if (!credentialTypes[type]) throw new Error(`Unknown credential type ${type}`);
		this.stored.set(type, new StoredCredential('1', `Test ${type}`, type, structuredClone(data)));
	}

	/** The raw stored data (after any saves). */
	get(type: string): ICredentialDataDecryptedObject | undefined {
		return this.stored.get(type)?.getData();
	}

	getParentTypes(name: string): string[] {
		const parents = credentialTypes[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = credentialTypes[type];
		if (!credentialType) throw new Error(`Unknown credential type ${type}`);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** Times n8n-core ran a credential's preAuthentication, per type. */
	readonly preAuthentications: Array<{ type: string; expired: boolean }> = [];

	/**
	 * As n8n 1.x's CredentialsHelper.preAuthentication: only for a credential type with a hidden
	 * `expirable` property and a preAuthentication method; runs it when that property is empty or
	 * the call was refused (401), and saves the merged data with updateCredentials.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = credentialTypes[typeName];
		const expirable = credentialType?.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthentications.push({ type: typeName, expired: credentialsExpired });
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;
		const merged = Object.assign(credentials, output);
		await this.updateCredentials(node.credentials[typeName], typeName, merged);
		return merged;
	}

	async getCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const stored = this.stored.get(type);
		if (!stored) throw new Error(`The test gave no credential of type ${type}`);
		return stored as unknown as ICredentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw) return original;
		return this.applyDefaults(type, original, mode, expressionResolveValues, executeData);
	}

	/** As n8n does: defaults of the credential's properties, then expressions with `$self`. */
	applyDefaults(
		type: string,
		original: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode = 'manual',
		resolve?: ICredentialsExpressionResolveValues,
		executeData?: IExecuteData,
	): ICredentialDataDecryptedObject {
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;

		if (resolve) {
			data = resolve.workflow.expression.getParameterValue(
				data as INodeParameters,
				resolve.runExecutionData,
				resolve.runIndex,
				resolve.itemIndex,
				resolve.node.name,
				resolve.connectionInputData,
				mode,
				{},
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		} else {
			const node: INode = {
				id: 'credential',
				name: 'Credential',
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
			data = workflow.expression.getComplexParameterValue(
				node,
				data as INodeParameters,
				mode,
				{},
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.saves.push({ type, kind: 'full', data: structuredClone(data) });
		this.stored.get(type)?.setData(data);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		// n8n saves only the token data, not the resolved rest of the credential
		this.saves.push({ type, kind: 'oauthToken', data: structuredClone(data) });
		this.stored.get(type)?.updateData({ oauthTokenData: data.oauthTokenData });
	}
}
