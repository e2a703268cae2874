/**
 * Event Log File activity as evidence for Get license recommendations (pure): which event types
 * count as using the org, which files to read, and one user's evidence entry. The read itself is
 * reads/eventLogActivity.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EventLogFile } from './records';

/**
 * Event types that mean someone used the org: pages (Lightning, Classic), API calls, and API
 * Total Usage, which orgs without Event Monitoring get too (kept 1 day).
 */
export const ACTIVITY_EVENT_TYPES = ['LightningPageView', 'URI', 'API', 'RestApi', 'ApiTotalUsage'];
/** How far back the evidence looks: the newest Daily file of each type within a week. */
export const LOOKBACK_DAYS = 7;

export interface EventActivity {
	lastEventTime: string | null;
	eventCount: number;
	eventTypes: string[];
}

export interface EventActivityRead {
	/** Per 18-char user ID; users without events are not in it. */
	byUser: Map<string, EventActivity>;
	/** The log dates read (ISO), empty when none was found. */
	logDates: string[];
	/** false when the credential may not read Event Log Files. */
	readable: boolean;
}

/** The newest file of each type: Salesforce lists them newest first. */
export function newestPerType(files: readonly EventLogFile[]): EventLogFile[] {
	const seen = new Set<string>();
	return files.filter((file) => {
		const type = String(file.EventType);
		if (seen.has(type)) return false;
		seen.add(type);
		return true;
	});
}

/** The evidence entry of one user: null when Event Log Files could not be read. */
export function eventEvidence(read: EventActivityRead, userId: string): IDataObject | null {
	if (!read.readable) return null;
	const activity = read.byUser.get(userId);
	return {
		lastEventTime: activity?.lastEventTime ?? null,
		eventCount: activity?.eventCount ?? 0,
		eventTypes: activity?.eventTypes ?? [],
		logDates: read.logDates,
	};
}
