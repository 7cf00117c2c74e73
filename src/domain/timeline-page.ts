/** Paging a timeline for display: which entries a page holds and how many pages there are. */
import { DomainError } from './errors.js';

export interface TimelinePage<T> {
  entries: T[];
  page: number;
  pages: number;
  total: number;
  /** 1-based position of the first entry shown (0 when there is none) */
  first: number;
  /** 1-based position of the last entry shown */
  last: number;
}

/** Entries of page `page` (1-based); a page past the end is a DomainError naming how many pages there are. */
export function timelinePage<T>(entries: readonly T[], page: number, perPage: number): TimelinePage<T> {
  const total = entries.length;
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (!Number.isInteger(page) || page < 1 || page > pages) {
    throw new DomainError(
      'timeline.no_such_page',
      `The timeline has ${pages === 1 ? 'one page' : `${pages} pages`} (${total} ${total === 1 ? 'entry' : 'entries'}); there is no page ${page}.`,
      { pages, total },
    );
  }
  const start = (page - 1) * perPage;
  const shown = entries.slice(start, start + perPage);
  return {
    entries: shown,
    page,
    pages,
    total,
    first: shown.length ? start + 1 : 0,
    last: start + shown.length,
  };
}
