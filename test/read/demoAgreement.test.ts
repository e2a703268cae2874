/**
 * The demo's two reclaim examples, run with their own parameters against the org `npm run demo`
 * starts, must agree on who is idle (issue 23: 74 to freeze in one, 31 in the other, because
 * the seeded LastLoginDate and LoginHistory disagreed). "Nightly license reclaim" lists users
 * by User.LastLoginDate; "License reclaim lifecycle" decides from logins and Event Log
 * activity, and may keep more people only for Event Log activity, saying so in the reason.
 */
import { readFileSync } from 'fs';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { join } from 'path';

import { DEMO_SEED, FakeOrg } from '../fake-org';
import { read } from './setup';

const PAID = ['Salesforce', 'Salesforce Platform'];

/** The parameters of one Salesforce Admin node of an example, without its credential choice. */
function exampleNode(file: string, nodeName: string): INodeParameters {
	const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as {
		nodes: Array<{ name: string; parameters: INodeParameters }>;
	};
	const node = workflow.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`${file} has no node "${nodeName}"`);
	const { authentication: _auth, resource: _r, operation: _o, ...parameters } = node.parameters;
	return parameters;
}

let org: FakeOrg;
beforeAll(async () => {
	org = await FakeOrg.start({ orgName: 'Acme Corporation (demo)', seed: DEMO_SEED });
});
afterAll(async () => {
	await org?.stop();
});

test('Nightly license reclaim and License reclaim lifecycle agree on who is idle in the demo org', async () => {
	const nightly = await read(
		org,
		'user',
		'getMany',
		exampleNode('nightly-license-reclaim.json', 'Get idle paid users'),
	);
	const lifecycle = await read(
		org,
		'license',
		'getRecommendations',
		exampleNode('license-reclaim-lifecycle.json', 'Get license recommendations'),
	);
	const freezeAfterDays = exampleNode(
		'license-reclaim-lifecycle.json',
		'Get license recommendations',
	).freezeAfterDays as number;

	const idleByLastLogin = new Set(nightly.json.map((u) => u.id as string));
	const paid = lifecycle.json.filter((u) => PAID.includes(u.license as string));
	const idleDaysOf = (u: IDataObject) => (u.evidence as IDataObject).idleDays as number;
	const idleByLifecycle = new Set(
		paid.filter((u) => idleDaysOf(u) >= freezeAfterDays).map((u) => u.id as string),
	);

	// A real comparison: the demo has idle paid users, and the lifecycle read the same people.
	expect(idleByLastLogin.size).toBeGreaterThan(20);
	// Everyone the lifecycle calls idle, Nightly lists too.
	expect([...idleByLifecycle].filter((id) => !idleByLastLogin.has(id))).toEqual([]);
	// Whom Nightly lists and the lifecycle keeps as active: only for Event Log activity, said so.
	const keptForEvents = paid.filter(
		(u) => idleByLastLogin.has(u.id as string) && !idleByLifecycle.has(u.id as string),
	);
	for (const u of keptForEvents)
		expect(u.reason).toMatch(
			/last Event Log activity .*so a list by last login counts this user idle/,
		);
	// In the demo org the Event Log activity comes from people who signed in lately: none.
	expect(keptForEvents.map((u) => `${u.username}: ${u.reason}`)).toEqual([]);
	// Both see the same last login: the lifecycle's newest login is User.LastLoginDate.
	let compared = 0;
	for (const u of paid) {
		const evidence = u.evidence as IDataObject;
		const newestLogin = [evidence.lastUiLogin, evidence.lastApiLogin]
			.filter((d): d is string => typeof d === 'string')
			.sort()
			.pop();
		if (newestLogin) {
			compared++;
			expect(newestLogin).toBe(u.lastLoginDate);
		}
	}
	expect(compared).toBeGreaterThan(20);
}, 120_000);
