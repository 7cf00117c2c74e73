/** What the catalog use cases tell people, as data; the notifier decides how it looks. */
export type CatalogNotice = never;
