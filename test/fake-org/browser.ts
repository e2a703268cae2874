/**
 * The browser's part of the web server flow, with plain fetch: open an authorize URL (as n8n's
 * "Connect my account" would), sign in on the fake org's page, click Allow, and return where
 * the org redirects to (the callback with ?code=&state=, or ?error=). For tests that drive the
 * product's OAuth2 credential without Playwright.
 */

export interface BrowserSignIn {
	username: string;
	password: string;
	/** Click Deny instead of Allow on the consent page. */
	deny?: boolean;
	/** The fake org's session cookie from an earlier sign-in (skips the login form). */
	cookie?: string;
}

export interface BrowserResult {
	/** The redirect target: callback URL with code/state or error/error_description. */
	location: URL;
	/** The session cookie, for a later authorize without the login form. */
	cookie?: string;
}

const ridOf = (html: string) => html.match(/name="rid" value="([^"]+)"/)?.[1];

export async function authorizeInBrowser(
	authorizeUrl: string,
	signIn: BrowserSignIn,
): Promise<BrowserResult> {
	let cookie = signIn.cookie;
	const redirected = (res: Response): BrowserResult | undefined => {
		if (res.status !== 302) return undefined;
		return { location: new URL(res.headers.get('location')!), cookie };
	};
	const first = await fetch(authorizeUrl, {
		redirect: 'manual',
		headers: cookie ? { Cookie: cookie } : {},
	});
	const direct = redirected(first);
	if (direct) return direct;
	let html = await first.text();
	if (first.status !== 200) throw new Error(`authorize answered ${first.status}: ${html}`);
	const post = (fields: Record<string, string>) =>
		fetch(new URL('/services/oauth2/authorize', authorizeUrl), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				...(cookie ? { Cookie: cookie } : {}),
			},
			body: new URLSearchParams(fields).toString(),
		});
	const rid = ridOf(html);
	if (!rid) throw new Error('authorize page without a request id');
	if (html.includes('id="Login"')) {
		const login = await post({
			step: 'login',
			rid,
			username: signIn.username,
			pw: signIn.password,
		});
		cookie = login.headers.get('set-cookie')?.split(';')[0] ?? cookie;
		const done = redirected(login);
		if (done) return done;
		html = await login.text();
		if (html.includes('id="Login"')) throw new Error(`sign-in refused for ${signIn.username}`);
	}
	const consent = await post(
		signIn.deny
			? { step: 'approve', rid, oadeny: 'Deny' }
			: { step: 'approve', rid, oaapprove: 'Allow' },
	);
	const done = redirected(consent);
	if (!done) throw new Error(`consent answered ${consent.status}`);
	return done;
}
