/**
 * Moves the clock of the trigger and the fake org together: Date.now() runs on, shifted by what
 * a test has "waited", so windows and overlaps can be crossed without waiting for real.
 *
 * The org's clock (`now`, `minutesAgo`: pass `now` to FakeOrg.start, write rows with
 * `minutesAgo`) and n8n's clock (Date.now() as the trigger sees it) are the same unless a test
 * skews n8n's clock with `skewN8n`, as a machine whose clock is off would be.
 */
let offsetMs = 0;
let n8nSkewMs = 0;
const realNow = Date.now.bind(Date);

/** Never goes back between tests, so rows an earlier test wrote stay in the past. */
export function installClock(): void {
	offsetMs += 60 * 60_000;
	n8nSkewMs = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs + n8nSkewMs);
}

export function advance(minutes: number): void {
	offsetMs += minutes * 60_000;
}

/** n8n's clock runs `minutes` ahead of the org's (negative: behind). */
export function skewN8n(minutes: number): void {
	n8nSkewMs = minutes * 60_000;
}

/** The org's clock. */
export const now = (): Date => new Date(realNow() + offsetMs);

export const minutesAgo = (minutes: number): Date => new Date(now().getTime() - minutes * 60_000);
