/**
 * The fake org's Composite resource (POST /services/data/vXX.X/composite), driven with jsforce
 * as a client independent of the node: Salesforce's request and response shapes, its limits
 * (25 subrequests, 5 of them sObject Collections or queries), subrequests run in order each
 * with its own status, and one API call for the whole request.
 */
import { Connection } from 'jsforce';

import { ENTITLEMENT_CATALOG } from './seed';
import { FakeOrg } from './index';

const VERSION = '62.0';
const data = (path: string) => `/services/data/v${VERSION}${path}`;

interface Subresponse {
	body: unknown;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string | null;
}

describe('fake org: Composite (POST /composite)', () => {
	let org: FakeOrg;
	let conn: Connection;
	const { packages } = ENTITLEMENT_CATALOG;

	beforeAll(async () => {
		org = await FakeOrg.start({ seed: { users: 50, seed: 7, entitlements: true } });
		conn = new Connection({ loginUrl: org.url, version: VERSION });
		await conn.login(org.admin.username, org.admin.password + org.admin.securityToken);
	});
	afterAll(() => org.stop());
	beforeEach(() => org.calls.reset());

	const store = () => org.store;
	let fresh = 0;
	/** `count` package seats (the site license: no allowance to run out), each on a new user. */
	const seats = (count: number) => {
		const license = store().packageLicenseByNamespace(packages.marketingCloud)!;
		return Array.from({ length: count }, () =>
			store().assignPackageLicense(store().addUser({ LastName: `Comp${++fresh}` }).Id, license.Id),
		);
	};
	const held = (ids: string[]) => ids.filter((id) => store().get('UserPackageLicense', id));
	const deleteSub = (ids: string[], referenceId: string) => ({
		method: 'DELETE',
		url: data(`/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`),
		referenceId,
	});
	const composite = (compositeRequest: object[], extra: object = {}) =>
		conn.request<{ compositeResponse: Subresponse[] }>({
			method: 'POST',
			url: data('/composite'),
			body: JSON.stringify({ allOrNone: false, compositeRequest, ...extra }),
			headers: { 'Content-Type': 'application/json' },
		});

	it('five Collections DELETE of 200: 1,000 records gone, one API call, a subresponse per subrequest', async () => {
		const ids = seats(1000).map((s) => s.Id);
		const usedBefore = org.controls.apiUsed;
		const chunks = [0, 1, 2, 3, 4].map((i) => ids.slice(i * 200, (i + 1) * 200));
		const { compositeResponse } = await composite(
			chunks.map((chunk, i) => deleteSub(chunk, `del${i}`)),
			{ collateSubrequests: false },
		);
		expect(compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual(
			chunks.map((_, i) => [`del${i}`, 200]),
		);
		expect(compositeResponse[0].httpHeaders).toEqual({});
		expect(compositeResponse[3].body).toEqual(
			chunks[3].map((id) => ({ id, success: true, errors: [] })),
		);
		expect(held(ids)).toEqual([]);
		expect(org.controls.apiUsed - usedBefore).toBe(1);
		expect(org.calls.total()).toBe(1);
		expect(org.calls.count('composite')).toBe(1);
		const subrequests = org.calls.log.filter((c) => c.inComposite);
		expect(subrequests.map((c) => [c.kind, c.records, c.status, c.counted])).toEqual(
			chunks.map(() => ['collectionsDelete', 200, 200, false]),
		);
	});

	it('the answer carries the API usage after the one call', async () => {
		const [seat] = seats(1);
		const res = await fetch(`${org.url}${data('/composite')}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ compositeRequest: [deleteSub([seat.Id], 'one')] }),
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('sforce-limit-info')).toBe(
			`api-usage=${org.controls.apiUsed}/${org.controls.apiMax}`,
		);
	});

	it('subrequests run in order: a later one deleting the same record finds it gone', async () => {
		const [a, b] = seats(2).map((s) => s.Id);
		const { compositeResponse } = await composite([
			deleteSub([a], 'first'),
			deleteSub([b, a], 'second'),
		]);
		expect(compositeResponse[0].body).toEqual([{ id: a, success: true, errors: [] }]);
		expect(compositeResponse[1].body).toEqual([
			{ id: b, success: true, errors: [] },
			{
				id: a,
				success: false,
				errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
			},
		]);
	});

	it('a subrequest refused whole answers its own status and error; the others still run (allOrNone false)', async () => {
		const ids = seats(3).map((s) => s.Id);
		const { compositeResponse } = await composite([
			deleteSub([ids[0]], 'before'),
			deleteSub(Array(201).fill(ids[1]), 'tooMany'),
			deleteSub([ids[2]], 'after'),
		]);
		expect(compositeResponse[1]).toEqual({
			body: [
				{
					errorCode: 'EXCEEDED_ID_LIMIT',
					message: 'record limit reached. cannot submit more than 200 records into this call',
				},
			],
			httpHeaders: {},
			httpStatusCode: 400,
			referenceId: 'tooMany',
		});
		expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 400, 200]);
		expect(held(ids)).toEqual([ids[1]]);
	});

	it('per-record refusals stay inside their subrequest (200, the record results)', async () => {
		const [seat] = seats(1);
		const user = store().addUser({ LastName: `Comp${++fresh}` });
		const profileRow = store().permissionSetAssignments.find(
			(a) =>
				a.AssigneeId === user.Id &&
				a.PermissionSetId === store().profileOwnedPermissionSet(user.ProfileId)!.Id,
		)!;
		const { compositeResponse } = await composite([deleteSub([profileRow.Id, seat.Id], 'mixed')]);
		expect(compositeResponse[0].httpStatusCode).toBe(200);
		expect(compositeResponse[0].body).toEqual([
			{
				id: profileRow.Id,
				success: false,
				errors: [
					{
						statusCode: 'FIELD_INTEGRITY_EXCEPTION',
						message: "You can't delete a permission set assignment that's owned by a profile.",
						fields: [],
					},
				],
			},
			{ id: seat.Id, success: true, errors: [] },
		]);
	});

	it('more than 25 subrequests: LIMIT_EXCEEDED as the one entry (referenceId null), nothing runs', async () => {
		const ids = seats(26).map((s) => s.Id);
		const usedBefore = org.controls.apiUsed;
		const { compositeResponse } = await composite(ids.map((id, i) => deleteSub([id], `r${i}`)));
		expect(compositeResponse).toEqual([
			{
				body: [
					{
						errorCode: 'LIMIT_EXCEEDED',
						message: 'The request can’t contain more than 25 operations.',
					},
				],
				httpHeaders: {},
				httpStatusCode: 400,
				referenceId: null,
			},
		]);
		expect(held(ids)).toEqual(ids);
		expect(org.controls.apiUsed - usedBefore).toBe(1);
	});

	it('more than 5 sObject Collections subrequests: LIMIT_EXCEEDED, nothing runs', async () => {
		const ids = seats(6).map((s) => s.Id);
		const { compositeResponse } = await composite(ids.map((id, i) => deleteSub([id], `r${i}`)));
		expect(compositeResponse).toHaveLength(1);
		expect(compositeResponse[0]).toMatchObject({ httpStatusCode: 400, referenceId: null });
		expect((compositeResponse[0].body as Array<{ errorCode: string }>)[0].errorCode).toBe(
			'LIMIT_EXCEEDED',
		);
		expect(held(ids)).toEqual(ids);
		expect(org.calls.log.filter((c) => c.inComposite)).toEqual([]);
	});

	it('a failure injected for Collections DELETE hits one subrequest, not the Composite call', async () => {
		const ids = seats(2).map((s) => s.Id);
		org.controls.failNext(1, 500, undefined, undefined, 'collectionsDelete');
		const { compositeResponse } = await composite([
			deleteSub([ids[0]], 'a'),
			deleteSub([ids[1]], 'b'),
		]);
		expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([500, 200]);
		expect((compositeResponse[0].body as Array<{ errorCode: string }>)[0].errorCode).toBe(
			'UNKNOWN_EXCEPTION',
		);
		expect(held(ids)).toEqual([ids[0]]);
	});

	it('a subrequest with the wrong method answers 405 METHOD_NOT_ALLOWED; a body without compositeRequest is a 400', async () => {
		const [seat] = seats(1);
		const { compositeResponse } = await composite([
			{ method: 'POST', url: data(`/composite/sobjects?ids=${seat.Id}`), referenceId: 'wrong' },
		]);
		expect(compositeResponse[0]).toMatchObject({ httpStatusCode: 405, referenceId: 'wrong' });
		await expect(
			conn.request({
				method: 'POST',
				url: data('/composite'),
				body: JSON.stringify({ allOrNone: false }),
				headers: { 'Content-Type': 'application/json' },
			}),
		).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
	});
});
