/**
 * Max Users over the calls of an AI-agent tool in one execution (writeBatch.ts): an agent calls
 * a write tool once per user, so each call is checked against what earlier calls changed.
 * End to end: test/e2e/agent-tool.e2e.test.ts.
 */
import { toolCapExceededMessage } from '../../nodes/SalesforceAdmin/actions/shared/writeBatch';
import type { UserWrite } from '../../nodes/SalesforceAdmin/salesforce/writePlan';

const write = (userId: string) => ({ userId, patch: { IsFrozen: true } }) as unknown as UserWrite;
const earlier = (...ids: string[]) => new Map(ids.map((id) => [id, { IsFrozen: true }]));

describe('toolCapExceededMessage', () => {
	test('a first call is left to the per-run cap', () => {
		expect(
			toolCapExceededMessage(new Map(), [write('a'), write('b')], 1, 'Freeze user'),
		).toBeUndefined();
	});

	test('earlier calls count: the call that would pass Max Users is refused', () => {
		expect(toolCapExceededMessage(earlier('a'), [write('b')], 1, 'Freeze user')).toBe(
			'Freeze user would change 1 more user after 1 in earlier calls of this tool in this execution, more than the "Max Users" limit of 1; nothing was changed by this call',
		);
		expect(
			toolCapExceededMessage(earlier('a', 'b'), [write('c'), write('d')], 3, 'Deactivate user'),
		).toMatch(/^Deactivate user would change 2 more users after 2 in earlier calls/);
	});

	test('within the limit, or only users an earlier call already changed: allowed', () => {
		expect(toolCapExceededMessage(earlier('a'), [write('b')], 2, 'Freeze user')).toBeUndefined();
		expect(
			toolCapExceededMessage(earlier('a', 'b'), [write('a')], 1, 'Freeze user'),
		).toBeUndefined();
		expect(toolCapExceededMessage(earlier('a'), [], 1, 'Freeze user')).toBeUndefined();
	});
});
