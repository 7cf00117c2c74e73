/** Page rules: dedup keys, which pages are open, when an escalation prompt is due, the status machine. */
import { describe, expect, it } from 'vitest';
import {
  dedupKeyFor,
  escalationPromptDue,
  isOpenPage,
  MAX_DEDUP_KEY,
  nthDedupKey,
  PAGE_STATUSES,
  PAGE_TRANSITIONS,
  type Page,
  type PageEvent,
  type PageEventKind,
  type PagerReport,
  pageTransition,
} from '../../src/domain/page.js';
import { pageRecord } from '../support/page-record.js';

const MIN = 60_000;
const page = (over: Partial<Page> = {}): Page =>
  pageRecord({
    id: 1,
    incidentNumber: 7,
    service: 'checkout',
    dedupKey: 'muster-inc-7-checkout',
    status: 'triggered',
    severity: 1,
    requestedBy: 'U1',
    requestedAt: 0,
    triggeredAt: 0,
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

  it("stay within PagerDuty's 255 characters for a longer name, and tell apart names sharing a prefix", () => {
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

describe('the page status machine', () => {
  const report = (kind: PagerReport['kind'], over: Partial<PagerReport> = {}): PagerReport => ({
    kind,
    id: 'EVT-1',
    type: `incident.${kind}`,
    at: 3 * MIN,
    incident: { id: 'PD1', number: 7, key: 'muster-inc-7-checkout', assignees: ['Jane Doe'] },
    agent: 'Sam Lee',
    note: kind === 'annotated' ? 'looking at the DB' : null,
    ...over,
  });
  const EVENTS: Record<PageEventKind, PageEvent> = {
    triggered: report('triggered'),
    acknowledged: report('acknowledged'),
    escalated: report('escalated'),
    reassigned: report('reassigned'),
    resolved: report('resolved'),
    annotated: report('annotated'),
    trigger_sent: { kind: 'trigger_sent', pagerIncidentId: null },
    resolve_sent: { kind: 'resolve_sent' },
    trigger_refused: { kind: 'trigger_refused', rowId: 4, reason: 'HTTP 400' },
    follow_up_refused: { kind: 'follow_up_refused', action: 'resolve', rowId: 4, reason: 'HTTP 404' },
    escalate: { kind: 'escalate', fromLevel: 1, by: 'U2' },
  };

  // Every pair written out by hand (not read from the table): the status each event leads to, or `refused`.
  it.each([
    ['pending', 'triggered', 'triggered'],
    ['pending', 'acknowledged', 'acknowledged'],
    ['pending', 'escalated', 'triggered'],
    ['pending', 'reassigned', 'pending'],
    ['pending', 'resolved', 'resolved'],
    ['pending', 'annotated', 'pending'],
    ['pending', 'trigger_sent', 'triggered'],
    ['pending', 'resolve_sent', 'resolved'],
    ['pending', 'trigger_refused', 'failed'],
    ['pending', 'follow_up_refused', 'pending'],
    ['pending', 'escalate', 'pending'],
    ['triggered', 'triggered', 'triggered'],
    ['triggered', 'acknowledged', 'acknowledged'],
    ['triggered', 'escalated', 'triggered'],
    ['triggered', 'reassigned', 'triggered'],
    ['triggered', 'resolved', 'resolved'],
    ['triggered', 'annotated', 'triggered'],
    ['triggered', 'trigger_sent', 'triggered'],
    ['triggered', 'resolve_sent', 'resolved'],
    ['triggered', 'trigger_refused', 'failed'],
    ['triggered', 'follow_up_refused', 'triggered'],
    ['triggered', 'escalate', 'triggered'],
    ['acknowledged', 'triggered', 'acknowledged'],
    ['acknowledged', 'acknowledged', 'acknowledged'],
    ['acknowledged', 'escalated', 'triggered'],
    ['acknowledged', 'reassigned', 'acknowledged'],
    ['acknowledged', 'resolved', 'resolved'],
    ['acknowledged', 'annotated', 'acknowledged'],
    ['acknowledged', 'trigger_sent', 'acknowledged'],
    ['acknowledged', 'resolve_sent', 'resolved'],
    ['acknowledged', 'trigger_refused', 'failed'],
    ['acknowledged', 'follow_up_refused', 'acknowledged'],
    ['acknowledged', 'escalate', 'acknowledged'],
    ['resolved', 'triggered', 'resolved'],
    ['resolved', 'acknowledged', 'resolved'],
    ['resolved', 'escalated', 'resolved'],
    ['resolved', 'reassigned', 'resolved'],
    ['resolved', 'resolved', 'resolved'],
    ['resolved', 'annotated', 'resolved'],
    ['resolved', 'trigger_sent', 'resolved'],
    ['resolved', 'resolve_sent', 'resolved'],
    ['resolved', 'trigger_refused', 'failed'],
    ['resolved', 'follow_up_refused', 'resolved'],
    ['resolved', 'escalate', 'refused'],
    ['failed', 'triggered', 'failed'],
    ['failed', 'acknowledged', 'acknowledged'],
    ['failed', 'escalated', 'triggered'],
    ['failed', 'reassigned', 'failed'],
    ['failed', 'resolved', 'resolved'],
    ['failed', 'annotated', 'failed'],
    ['failed', 'trigger_sent', 'failed'],
    ['failed', 'resolve_sent', 'resolved'],
    ['failed', 'trigger_refused', 'failed'],
    ['failed', 'follow_up_refused', 'failed'],
    ['failed', 'escalate', 'refused'],
  ] as const)('%s + %s -> %s', (status, event, expected) => {
    const run = () => pageTransition(page({ status }), EVENTS[event], 10 * MIN);
    if (expected === 'refused') {
      expect(run).toThrowError(expect.objectContaining({ code: 'page.closed' }));
      return;
    }
    const t = run();
    expect(t.page.status).toBe(expected);
    // the change names the status only when it moves
    expect(t.change.status).toBe(expected === status ? undefined : expected);
  });

  it('covers every status and event in the table', () => {
    expect(Object.keys(PAGE_TRANSITIONS).sort()).toEqual([...PAGE_STATUSES].sort());
    for (const row of Object.values(PAGE_TRANSITIONS))
      expect(Object.keys(row).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it('records a PagerDuty acknowledgement: who, when, after how long, once', () => {
    const t = pageTransition(page({ requestedAt: 0 }), report('acknowledged'), 10 * MIN);
    expect(t.change).toEqual({
      status: 'acknowledged',
      pdIncidentId: 'PD1',
      acknowledgedAt: 3 * MIN,
      acknowledgedBy: 'Sam Lee',
    });
    expect(t.entries).toEqual([
      {
        incidentNumber: 7,
        kind: 'page_ack',
        text: 'checkout page acknowledged by Sam Lee after 3 min',
        actor: 'pagerduty',
        occurredAt: 3 * MIN,
        sourceKey: 'pd:EVT-1',
        meta: {
          service: 'checkout',
          pageId: 1,
          event: 'incident.acknowledged',
          pdIncidentId: 'PD1',
          agent: 'Sam Lee',
          assignees: ['Jane Doe'],
        },
      },
    ]);
    const again = pageTransition(
      page({ status: 'acknowledged', acknowledgedAt: 3 * MIN, pdIncidentId: 'PD1' }),
      report('acknowledged', { id: 'EVT-2', agent: null }),
      10 * MIN,
    );
    expect(again.change).toEqual({ acknowledgedAt: 3 * MIN, acknowledgedBy: 'Jane Doe' });
    expect(again.entries[0]!.text).toBe('checkout page acknowledged by Jane Doe');
  });

  it('adds nothing when PagerDuty confirms a resolve Muster recorded', () => {
    const t = pageTransition(page({ status: 'resolved', pdIncidentId: 'PD1' }), report('resolved'), 10 * MIN);
    expect(t).toEqual({ page: page({ status: 'resolved', pdIncidentId: 'PD1' }), change: {}, entries: [] });
    const ours = pageTransition(page({ status: 'resolved' }), { kind: 'resolve_sent' }, 10 * MIN);
    expect(ours.entries).toEqual([]);
  });

  it('writes the entries of a refusal, a resolve delivered and an escalation asked for', () => {
    const refused = pageTransition(page(), EVENTS.trigger_refused, 10 * MIN);
    expect(refused.entries[0]).toMatchObject({
      actor: 'muster',
      text: 'PagerDuty refused to page checkout: HTTP 400',
      sourceKey: 'outbox-failed:4',
    });
    expect(pageTransition(page(), EVENTS.follow_up_refused, 10 * MIN).entries[0]!.text).toBe(
      'PagerDuty refused to resolve the page to checkout: HTTP 404',
    );
    expect(pageTransition(page(), { kind: 'resolve_sent' }, 10 * MIN)).toMatchObject({
      change: { status: 'resolved', resolvedAt: 10 * MIN },
      entries: [{ text: 'Resolved the PagerDuty page to checkout', sourceKey: 'page-resolved:1' }],
    });
    const rest = pageTransition(page({ via: 'rest' }), EVENTS.escalate, 10 * MIN);
    expect(rest.change).toEqual({ escalationLevel: 2, escalatedAt: 10 * MIN });
    expect(rest.entries[0]).toMatchObject({ actor: 'U2', text: 'Escalated the page to checkout to level 2' });
    const events = pageTransition(page(), EVENTS.escalate, 10 * MIN);
    expect(events).toMatchObject({
      change: { escalationLevel: 2, escalatedAt: 10 * MIN, escalationPromptedAt: 10 * MIN },
      entries: [],
    });
  });

  it('refuses a second press of one Escalate button', () => {
    expect(() => pageTransition(page({ escalationLevel: 2 }), EVENTS.escalate, 10 * MIN)).toThrowError(
      expect.objectContaining({ code: 'page.already_escalated' }),
    );
  });
});
