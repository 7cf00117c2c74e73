/** What the paging use cases tell people, as data; the notifier decides how it looks. */
export type PagingNotice = never;
