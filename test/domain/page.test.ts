/** Page rules: dedup keys, which pages are open, when an escalation prompt is due. */
import { describe, expect, it } from 'vitest';
import {
  dedupKeyFor,
  escalationPromptDue,
  isOpenPage,
  MAX_DEDUP_KEY,
  nthDedupKey,
  type Page,
} from '../../src/domain/page.js';

const MIN = 60_000;
const page = (over: Partial<Page> = {}): Page => ({
  id: 1,
  incidentNumber: 7,
  service: 'checkout',
  via: 'events',
  dedupKey: 'muster-inc-7-checkout',
  pdIncidentId: null,
  status: 'triggered',
  message: null,
  severity: 1,
  requestedBy: 'U1',
  requestedAt: 0,
  triggeredAt: 0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  escalationPromptedAt: null,
  escalationLevel: 1,
  escalatedAt: null,
  ...over,
});

describe('dedup keys', () => {
  it('are stable per incident and service, with a suffix from the second page on', () => {
    expect(dedupKeyFor(7, 'Checkout')).toBe('muster-inc-7-checkout');
    expect(nthDedupKey(7, 'Checkout', 1)).toBe('muster-inc-7-checkout');
    expect(nthDedupKey(7, 'Checkout', 2)).toBe('muster-inc-7-checkout-2');
  });

  it('keep the longest service names the catalog allows unchanged', () => {
    const name = 'n'.repeat(100);
    expect(nthDedupKey(123456789, name, 99999)).toBe(`muster-inc-123456789-${name}-99999`);
  });

  it('stay within PagerDuty\'s 255 characters for a longer name, and tell apart names sharing a prefix', () => {
    const a = `${'x'.repeat(400)}-a`;
    const b = `${'x'.repeat(400)}-b`;
    for (const n of [1, 2, 99999]) {
      expect(nthDedupKey(123456789, a, n).length).toBeLessThanOrEqual(MAX_DEDUP_KEY);
      expect(nthDedupKey(123456789, a, n)).not.toBe(nthDedupKey(123456789, b, n));
    }
    expect(dedupKeyFor(7, a)).toBe(dedupKeyFor(7, a.toUpperCase()));
    expect(dedupKeyFor(7, a)).toMatch(/^muster-inc-7-x+~[0-9a-z]+$/);
  });
});

describe('isOpenPage', () => {
  it.each([
    ['pending', true],
    ['triggered', true],
    ['acknowledged', true],
    ['resolved', false],
    ['failed', false],
  ] as const)('%s -> %s', (status, open) => expect(isOpenPage({ status })).toBe(open));
});

describe('escalationPromptDue', () => {
  it('is due for an unacknowledged sev1/sev2 page after the configured minutes, once', () => {
    expect(escalationPromptDue(page(), 1, 9 * MIN, 10)).toBe(false);
    expect(escalationPromptDue(page(), 1, 10 * MIN, 10)).toBe(true);
    expect(escalationPromptDue(page(), 2, 10 * MIN, 10)).toBe(true);
    expect(escalationPromptDue(page({ escalationPromptedAt: 10 * MIN }), 1, 30 * MIN, 10)).toBe(false);
  });

  it('is not due at sev3, when off, for a page not delivered, acknowledged or resolved', () => {
    expect(escalationPromptDue(page(), 3, 60 * MIN, 10)).toBe(false);
    expect(escalationPromptDue(page(), 1, 60 * MIN, 0)).toBe(false);
    expect(escalationPromptDue(page({ status: 'pending', triggeredAt: null }), 1, 60 * MIN, 10)).toBe(false);
    expect(escalationPromptDue(page({ status: 'acknowledged' }), 1, 60 * MIN, 10)).toBe(false);
    expect(escalationPromptDue(page({ status: 'resolved' }), 1, 60 * MIN, 10)).toBe(false);
  });

  it('counts again from the last escalation', () => {
    const escalated = page({ escalationPromptedAt: 10 * MIN, escalatedAt: 12 * MIN, escalationLevel: 2 });
    expect(escalationPromptDue(escalated, 1, 21 * MIN, 10)).toBe(false);
    expect(escalationPromptDue(escalated, 1, 22 * MIN, 10)).toBe(true);
  });
});
