/**
 * Moves the clock of the trigger and the fake org together: Date.now() runs on, shifted by what
 * a test has "waited", so windows and overlaps can be crossed without waiting for real.
 */
let offsetMs = 0;
const realNow = Date.now.bind(Date);

/** Never goes back between tests, so rows an earlier test wrote stay in the past. */
export function installClock(): void {
	offsetMs += 60 * 60_000;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
}

export function advance(minutes: number): void {
	offsetMs += minutes * 60_000;
}

export const now = (): Date => new Date(Date.now());

export const minutesAgo = (minutes: number): Date => new Date(Date.now() - minutes * 60_000);
