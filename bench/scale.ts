/** How big each case is: the sizes for `npm run bench`, a small set for `--quick`. */

/** Sizes use binary units throughout: 1 MB = 2^20 bytes, 1 GB = 2^30 bytes. */
export const MB = 2 ** 20;
export const GB = 2 ** 30;

export interface Scale {
	name: 'full' | 'quick';
	/** Users in the org; Get users returns all of them. */
	users: number;
	/** LoginHistory rows; Get login history returns all of them. */
	loginHistory: number;
	/** Login history rows in the last 90 days for Get license recommendations (seeded when it runs). */
	windowLogins: number;
	/** Users frozen by our node, and as many again by the one-call-per-user baseline. */
	freeze: number;
	/** Users whose managed-package seat each side removes. */
	packageSeats: number;
	/** Leavers each side offboards. */
	offboard: number;
	/** Event Log File sizes for the per-user summary (the second is double the first). */
	summaryBytes: [number, number];
	/** Event Log File size for one item per row. */
	rowsBytes: number;
	/** Distinct users the generated event log rows are spread over. */
	eventLogUsers: number;
	/**
	 * Runs per side for the API-call cases (ours and baseline alternate; the run with the median
	 * wall time is reported). The event log cases run once: each takes long enough to be steady.
	 */
	repeats: number;
}

export const FULL: Scale = {
	name: 'full',
	users: 50_000,
	loginHistory: 200_000,
	windowLogins: 1_000_000,
	freeze: 1_000,
	packageSeats: 10_000,
	offboard: 1_000,
	summaryBytes: [0.5 * GB, 1 * GB],
	rowsBytes: 100 * MB,
	eventLogUsers: 2_000,
	repeats: 3,
};

export const QUICK: Scale = {
	name: 'quick',
	users: 5_000,
	loginHistory: 10_000,
	windowLogins: 30_000,
	freeze: 1_000,
	packageSeats: 400,
	offboard: 1_000,
	summaryBytes: [10 * MB, 20 * MB],
	rowsBytes: 5 * MB,
	eventLogUsers: 500,
	repeats: 1,
};

export function formatBytes(bytes: number): string {
	if (bytes >= GB) return `${+(bytes / GB).toFixed(2)} GB`;
	return `${+(bytes / MB).toFixed(1)} MB`;
}
