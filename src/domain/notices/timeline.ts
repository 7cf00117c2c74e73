/** What the timeline use cases tell people, as data; the notifier decides how it looks. */
export type TimelineNotice = never;
