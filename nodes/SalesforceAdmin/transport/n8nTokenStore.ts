/**
 * The node's side of token reuse (storedToken.ts): reads the token n8n stores with a JWT bearer
 * or client credentials credential, and makes n8n sign in and store a new one with a probe call
 * through `helpers.httpRequestWithAuthentication` (n8n runs the credential's preAuthentication
 * when the stored token is empty or the call answers 401). n8n reads credentials from its
 * database on every getCredentials(), so the re-read sees what preAuthentication saved.
 *
 * Executions that run at the same time in one n8n process (a queue-mode worker runs several)
 * and find no usable token share one sign-in: the first asks n8n, the others wait for its token
 * instead of each asking Salesforce. Shared only between runs of the same credential (n8n's
 * credential ID) made from the same sign-in fields (the token fingerprint), so it is that
 * credential's own token either way; and only while the sign-in is under way (nothing stays in
 * memory: the token lives where n8n stores it).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { isSalesforceApiError } from './errors';
import type { CredentialSettings, NodeContext, StoredTokenAccess } from './session';
import { probeUrl, requestServerToken, storedGrant, tokenFingerprint } from './storedToken';
import type { ServerFlow, TokenGrant } from './tokenGrants';
import type { Wire } from './wire';

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
	wire: Wire,
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
		wire,
	);
	return {
		current: async () => await store.current(),
		renew: async (stale) => await store.renew(stale),
	};
}

/** Sign-ins under way in this process, by credential, fields and the token they replace. */
const signInsUnderWay = new Map<string, Promise<TokenGrant>>();

class N8nTokenStore {
	constructor(
		private readonly ctx: NodeContext,
		private readonly type: string,
		private readonly flow: ServerFlow,
		private fields: ICredentialDataDecryptedObject,
		private readonly request: NonNullable<Helpers['httpRequestWithAuthentication']>,
		private readonly wire: Wire,
	) {}

	async current(): Promise<TokenGrant> {
		const stored = storedGrant(this.flow, this.fields);
		if (stored) return stored;
		return await this.once('', async () => {
			// another execution may have stored one since this one read the credential
			await this.reread();
			return storedGrant(this.flow, this.fields) ?? (await this.throughN8n());
		});
	}

	async renew(staleToken: string): Promise<TokenGrant> {
		return await this.once(staleToken, async () => {
			// another execution (or worker) may have renewed it already
			await this.reread();
			const stored = storedGrant(this.flow, this.fields);
			if (stored && stored.accessToken !== staleToken) return stored;
			return await this.throughN8n(staleToken);
		});
	}

	/** Joins the sign-in another run of this credential (same fields, same stale token) has under way. */
	private async once(staleToken: string, signIn: () => Promise<TokenGrant>): Promise<TokenGrant> {
		const credentialId = this.ctx.getNode().credentials?.[this.type]?.id ?? '';
		const key = [
			this.type,
			credentialId,
			tokenFingerprint(this.flow, this.fields),
			staleToken,
		].join('\n');
		const pending = signInsUnderWay.get(key);
		if (pending) return await pending;
		const started = signIn();
		signInsUnderWay.set(key, started);
		try {
			return await started;
		} finally {
			signInsUnderWay.delete(key);
		}
	}

	/** n8n signs in and stores the token; if it did not (an n8n without the store), we sign in ourselves. */
	private async throughN8n(staleToken?: string): Promise<TokenGrant> {
		const url = probeUrl(this.fields);
		if (url) {
			try {
				await this.request.call(this.ctx, this.type, {
					method: 'GET',
					url,
					json: true,
					disableFollowRedirect: true,
				});
			} catch (error) {
				// preAuthentication's own error (bad key, invalid_grant…) is the one to show
				const ours = findOurError(error);
				if (ours) throw ours;
			}
			await this.reread();
			const fresh = storedGrant(this.flow, this.fields);
			if (fresh && fresh.accessToken !== staleToken) return fresh;
		}
		return await requestServerToken(this.flow, this.fields, this.wire);
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
