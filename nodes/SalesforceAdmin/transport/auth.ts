/**
 * The token of a signed-in session and where it may go. Every new token (sign-in, renewed
 * sign-in, OAuth2 refresh) comes with an instance URL that is checked before the token is used.
 * Renewal is shared: requests that were refused with the same token wait for one renewal.
 */
import { SalesforceApiError } from './errors';
import type { HostPolicy } from './hosts';
import { checkInstanceUrl } from './hosts';
import { rememberSecrets } from './secrets';

/** What a sign-in or refresh hands back. */
export interface Grant {
	accessToken: string;
	/** Absent on a refresh answer that keeps the instance. */
	instanceUrl?: string;
}

export type Renewer = () => Promise<Grant>;

export class SessionAuth {
	private token = '';

	private origin = '';

	private renewing?: Promise<void>;

	constructor(
		grant: Grant,
		private readonly policy: HostPolicy,
		private readonly renewer: Renewer,
		source: string,
	) {
		this.adopt(grant, source);
	}

	/** The current access token (tests and diagnostics; requests use current()). */
	get accessToken(): string {
		return this.token;
	}

	/** The validated instance origin, e.g. https://acme.my.salesforce.com. */
	get instanceUrl(): string {
		return this.origin;
	}

	current(): { token: string; origin: string } {
		return { token: this.token, origin: this.origin };
	}

	/**
	 * A new token after Salesforce refused `staleToken`. If another request already renewed it,
	 * nothing is done; requests refused at the same time share one renewal.
	 */
	async renew(staleToken: string): Promise<void> {
		if (staleToken !== this.token) return;
		this.renewing ??= this.renewOnce().finally(() => {
			this.renewing = undefined;
		});
		await this.renewing;
	}

	private async renewOnce(): Promise<void> {
		const grant = await this.renewer();
		this.adopt(grant, 'Signing in again');
	}

	private adopt(grant: Grant, source: string): void {
		if (!grant.accessToken) {
			throw new SalesforceApiError(`${source} returned no access token`, {
				code: 'NO_ACCESS_TOKEN',
				phase: 'signIn',
			});
		}
		rememberSecrets(grant.accessToken);
		// checked before the token is ever sent there
		const origin =
			grant.instanceUrl || !this.origin
				? checkInstanceUrl(grant.instanceUrl, this.policy, source)
				: this.origin;
		this.origin = origin;
		this.token = grant.accessToken;
	}
}
