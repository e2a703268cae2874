/**
 * The node's side of token reuse (storedToken.ts): reads the token n8n stores with a JWT bearer
 * or client credentials credential, and makes n8n sign in and store a new one with a probe call
 * through `helpers.httpRequestWithAuthentication` (n8n runs the credential's preAuthentication
 * when the stored token is empty or the call answers 401). n8n reads credentials from its
 * database on every getCredentials(), so the re-read sees what preAuthentication saved.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { isSalesforceApiError } from './errors';
import type { CredentialSettings, NodeContext, StoredTokenAccess } from './session';
import { probeUrl, requestServerToken, storedGrant } from './storedToken';
import type { ServerFlow, TokenGrant } from './tokenGrants';

type Helpers = {
	httpRequestWithAuthentication?: (
		this: NodeContext,
		type: string,
		options: IHttpRequestOptions,
	) => Promise<unknown>;
};

/** undefined outside n8n (credential test) or for other credentials: then every sign-in asks Salesforce. */
export function n8nStoredTokens(
	ctx: NodeContext,
	s: CredentialSettings,
): StoredTokenAccess | undefined {
	const flow = s.authentication;
	if (flow !== 'jwt' && flow !== 'clientCredentials') return undefined;
	const helpers = ctx.helpers as Helpers;
	if (typeof helpers.httpRequestWithAuthentication !== 'function') return undefined;
	const store = new N8nTokenStore(
		ctx,
		s.credentialType,
		flow,
		s.credentials,
		helpers.httpRequestWithAuthentication,
	);
	return {
		current: async () => await store.current(),
		renew: async (stale) => await store.renew(stale),
	};
}

class N8nTokenStore {
	constructor(
		private readonly ctx: NodeContext,
		private readonly type: string,
		private readonly flow: ServerFlow,
		private fields: ICredentialDataDecryptedObject,
		private readonly request: NonNullable<Helpers['httpRequestWithAuthentication']>,
	) {}

	async current(): Promise<TokenGrant> {
		return storedGrant(this.flow, this.fields) ?? (await this.throughN8n());
	}

	async renew(staleToken: string): Promise<TokenGrant> {
		// another execution (or worker) may have renewed it already
		await this.reread();
		const stored = storedGrant(this.flow, this.fields);
		if (stored && stored.accessToken !== staleToken) return stored;
		return await this.throughN8n(staleToken);
	}

	/** n8n signs in and stores the token; if it did not (an n8n without the store), we sign in ourselves. */
	private async throughN8n(staleToken?: string): Promise<TokenGrant> {
		const url = probeUrl(this.fields);
		if (url) {
			try {
				await this.request.call(this.ctx, this.type, { method: 'GET', url, json: true });
			} catch (error) {
				// preAuthentication's own error (bad key, invalid_grant…) is the one to show
				const ours = findOurError(error);
				if (ours) throw ours;
			}
			await this.reread();
			const fresh = storedGrant(this.flow, this.fields);
			if (fresh && fresh.accessToken !== staleToken) return fresh;
		}
		return await requestServerToken(this.flow, this.fields);
	}

	private async reread(): Promise<void> {
		this.fields = await this.ctx.getCredentials(this.type);
	}
}

/** n8n wraps what preAuthentication throws in a NodeApiError; ours is in its cause chain. */
function findOurError(error: unknown): Error | undefined {
	let current = error as { cause?: unknown; name?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (isSalesforceApiError(current) || current.name === 'CredentialSetupError')
			return current as unknown as Error;
		current = current.cause as typeof current;
	}
	return undefined;
}
