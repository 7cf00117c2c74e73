import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../src/domain/errors.js';
import { cutTitle, normalizeRunbookUrl, titleFromUrl } from '../../src/domain/runbook-url.js';

const refusal = (raw: string): DomainError => {
  try {
    normalizeRunbookUrl(raw);
  } catch (e) {
    return e as DomainError;
  }
  throw new Error(`${raw} was accepted`);
};

describe('normalizeRunbookUrl', () => {
  it.each([
    ['https://wiki.example.com/a', 'https://wiki.example.com/a'],
    ['  HTTPS://Wiki.Example.COM/a  ', 'https://wiki.example.com/a'],
    ['http://wiki.example.com', 'http://wiki.example.com/'],
    ['https://x.example.com/a|b', 'https://x.example.com/a%7Cb'],
    ['https://x.example.com/a<b>?q=<1>#<f>', 'https://x.example.com/a%3Cb%3E?q=%3C1%3E#%3Cf%3E'],
    [
      'https://grafana.example.com/d/x?from=now-1h&to=now',
      'https://grafana.example.com/d/x?from=now-1h&to=now',
    ],
  ])('keeps %s as %s', (raw, href) => {
    expect(normalizeRunbookUrl(raw)).toBe(href);
  });

  it.each([
    ['ftp://files.example.com/r.md', /"ftp:\/\/files.example.com\/r.md" is not an http\(s\) URL/],
    ['mailto:ops@example.com', /is not an http\(s\) URL/],
    ['wiki.example.com/a', /is not a valid URL/],
    ['https://exa%zzmple.com', /is not a valid URL/],
    ['https://u:p@wiki.example.com/', /holds a user name or password/],
    [`https://x.example.com/${'a'.repeat(2000)}`, /the limit is 2000/],
    ['https://<!channel>', /"https:\/\/&lt;!channel&gt;"/],
  ])('refuses %s', (raw, message) => {
    const e = refusal(raw);
    expect(e.code).toBe('runbook.bad_url');
    expect(e.message).toMatch(message);
  });
});

describe('runbook titles', () => {
  it('derives one from the host and path', () => {
    expect(titleFromUrl('https://www.example.org/ops/cache%20flush/')).toBe('example.org/ops/cache flush');
    expect(titleFromUrl('https://wiki.example.com/')).toBe('wiki.example.com');
    expect(titleFromUrl('https://wiki.example.com/%E0%A4%A')).toBe('wiki.example.com/%E0%A4%A');
  });

  it('cuts long titles by code point and squeezes spaces', () => {
    expect(cutTitle('  DB   failover ')).toBe('DB failover');
    const cut = cutTitle('🔥'.repeat(200));
    expect(Array.from(cut)).toHaveLength(150);
    expect(cut.endsWith('🔥…')).toBe(true);
  });
});
