import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { timelinePage } from '../../src/domain/timeline-page.js';

const entries = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('timeline pages', () => {
  it.each([
    [0, 1, { entries: [], page: 1, pages: 1, total: 0, first: 0, last: 0 }],
    [5, 1, { entries: [1, 2, 3, 4, 5], page: 1, pages: 1, total: 5, first: 1, last: 5 }],
    [30, 1, { pages: 1, first: 1, last: 30 }],
    [31, 2, { entries: [31], pages: 2, first: 31, last: 31 }],
    [65, 3, { entries: [61, 62, 63, 64, 65], pages: 3, first: 61, last: 65 }],
  ])('%i entries, page %i', (n, page, expected) =>
    expect(timelinePage(entries(n), page, 30)).toMatchObject(expected),
  );

  it.each([
    [65, 4, 'The timeline has 3 pages (65 entries); there is no page 4.'],
    [1, 2, 'The timeline has one page (1 entry); there is no page 2.'],
    [10, 0, 'The timeline has one page (10 entries); there is no page 0.'],
  ])('%i entries has no page %i', (n, page, message) => {
    expect(() => timelinePage(entries(n), page, 30)).toThrow(DomainError);
    expect(() => timelinePage(entries(n), page, 30)).toThrow(message);
  });
});
