/**
 * A read's answer: its data and the notices that go with it (what could not be read, and why).
 * The operations show the notices in n8n's output pane (actions/shared/notices.ts); the trigger,
 * which has no output pane, leaves them out.
 */
export interface WithNotices<T> {
	data: T;
	notices: string[];
}
