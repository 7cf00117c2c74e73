/** What the postmortem use cases tell people, as data; the notifier decides how it looks. */
export type PostmortemNotice = never;
