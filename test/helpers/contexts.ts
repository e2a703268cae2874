/**
 * Calls the node's `methods` with n8n-core's own contexts: LoadOptionsContext for
 * `methods.loadOptions.*` (as the editor does when it fills a dropdown) and CredentialTestContext
 * for `methods.credentialTest.*` (as n8n's CredentialsTester does for the credential's "Test").
 */
import { CredentialTestContext, ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialTestFunctions,
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeCredentialTestResult,
	INodeParameters,
	INodePropertyOptions,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { SALESFORCE_ADMIN_NODE_TYPE, createNodeTypes } from './node-types';
import type { TestCredential } from './run-node';
import { additionalDataFor, releaseProcessTimers, salesforceAdminNode } from './run-node';

export interface LoadOptionsRequest {
	credentials: TestCredential;
	/** The node's parameters as the editor currently holds them. */
	parameters?: INodeParameters | IDataObject;
	credentialsHelper?: TestCredentialsHelper;
}

/** A LoadOptionsContext for `method`, as the editor's dropdowns and lists get one. */
function loadOptionsContext(method: string, request: LoadOptionsRequest) {
	releaseProcessTimers();
	const credentialsHelper = request.credentialsHelper ?? new TestCredentialsHelper();
	credentialsHelper.set(request.credentials.type, request.credentials.data);
	const nodeTypes = createNodeTypes();
	const node = salesforceAdminNode({
		credentials: request.credentials,
		parameters: request.parameters,
	});
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	// n8n's editor sends the node's current parameters with defaults applied
	const withDefaults = workflow.getNode(node.name)!;
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {
		nodes: [withDefaults],
		connections: {},
	} as unknown as IWorkflowBase);
	const additionalData = additionalDataFor(credentialsHelper, hooks);
	additionalData.currentNodeParameters = withDefaults.parameters;

	const context = new LoadOptionsContext(
		workflow,
		withDefaults,
		additionalData,
		`parameters.${method}`,
	);
	const nodeType = nodeTypes.getByNameAndVersion(SALESFORCE_ADMIN_NODE_TYPE, 1);
	return { context: context as ILoadOptionsFunctions, methods: nodeType.methods };
}

/** Runs `methods.loadOptions[method]` in a LoadOptionsContext, like the editor's dropdowns. */
export async function loadOptions(
	method: string,
	request: LoadOptionsRequest,
): Promise<INodePropertyOptions[]> {
	const { context, methods } = loadOptionsContext(method, request);
	const loader = methods?.loadOptions?.[method];
	if (!loader) throw new Error(`The node has no loadOptions method ${method}`);
	return await loader.call(context);
}

/**
 * Runs `methods.listSearch[method]` as a resource locator's "From List" does: the text typed
 * into the search box, and the token of the page before when the list is scrolled on.
 */
export async function listSearch(
	method: string,
	request: LoadOptionsRequest & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const { context, methods } = loadOptionsContext(method, request);
	const search = methods?.listSearch?.[method];
	if (!search) throw new Error(`The node has no listSearch method ${method}`);
	return await search.call(context, request.filter, request.paginationToken);
}

/**
 * Runs the node's credential test (`testedBy: 'salesforceAdminCredentialTest'`) in a
 * CredentialTestContext with the credential data completed as n8n's CredentialsTester does
 * (defaults applied, expressions resolved).
 *
 * n8n itself only calls `testedBy` functions for non-OAuth2 credentials: for a credential that
 * extends oAuth2Api its CredentialsTester answers from the stored token alone. This helper calls
 * the function for both, so the OAuth2 branch of our test is exercised too.
 */
export async function testCredential(
	credentials: TestCredential,
	testName = 'salesforceAdminCredentialTest',
): Promise<INodeCredentialTestResult> {
	releaseProcessTimers();
	const helper = new TestCredentialsHelper();
	const data = helper.applyDefaults(credentials.type, credentials.data, 'internal');
	const nodeType = createNodeTypes().getByNameAndVersion(SALESFORCE_ADMIN_NODE_TYPE, 1);
	const test = nodeType.methods?.credentialTest?.[testName];
	if (!test) throw new Error(`The node has no credential test ${testName}`);
	const context = new CredentialTestContext();
	return await test.call(context as unknown as ICredentialTestFunctions, {
		id: '1',
		name: `Test ${credentials.type}`,
		type: credentials.type,
		data,
	});
}
