/**
 * Semi-joins where Salesforce takes them: top-level conditions joined by AND. Nested in
 * parentheses or next to a top-level OR, Salesforce answers MALFORMED_QUERY (its own texts).
 */
import { Connection } from 'jsforce';

import { FakeOrg } from './index';

let org: FakeOrg;
let conn: Connection;

beforeAll(async () => {
	org = await FakeOrg.start({ seed: { users: 60, entitlements: true } });
	conn = new Connection({ loginUrl: org.url, version: '62.0' });
	await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
});
afterAll(async () => await org.stop());

const holders = 'Id IN (SELECT UserId FROM UserPackageLicense)';

it('a top-level semi-join next to AND and parenthesized ORs is answered', async () => {
	const result = await conn.query(
		`SELECT Id FROM User WHERE (IsActive = true OR IsActive = false) AND ${holders}`,
	);
	const seated = new Set(org.store.userPackageLicenses.map((r) => r.UserId));
	expect(result.records.map((r) => r.Id).sort()).toEqual([...seated].sort());
});

it.each([
	[
		`SELECT Id FROM User WHERE IsActive = true AND (${holders})`,
		'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
	],
	[
		`SELECT Id FROM User WHERE IsActive = true AND (IsActive = false OR ${holders})`,
		'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
	],
	[
		`SELECT Id FROM User WHERE IsActive = true OR ${holders}`,
		"Semi join sub-selects are not allowed with the 'OR' operator",
	],
])('%s: MALFORMED_QUERY', async (soql, message) => {
	await expect(conn.query(soql)).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY', message });
});
