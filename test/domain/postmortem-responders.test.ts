import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/domain/page.js';
import { pageRecord } from '../support/page-record.js';
import { responders } from '../../src/domain/postmortem-responders.js';
import type { EntryMeta, TimelineEntry } from '../../src/domain/timeline.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0);
let n = 0;
const entry = (
  kind: TimelineEntry['kind'],
  actor: string,
  at: number,
  meta: EntryMeta = {},
): TimelineEntry => ({
  id: ++n,
  incidentNumber: 1,
  number: n,
  kind,
  text: '',
  originalText: null,
  actor,
  occurredAt: at,
  recordedAt: at,
  sourceKey: `k${n}`,
  state: 'active',
  meta,
  redactedBy: null,
  redactedAt: null,
});
const page = (over: Partial<Page>): Page =>
  pageRecord({
    id: 1,
    incidentNumber: 1,
    service: 'checkout',
    dedupKey: 'muster-inc-1-checkout',
    pdIncidentId: 'PD1',
    status: 'acknowledged',
    severity: 2,
    requestedBy: 'U0ALICE',
    requestedAt: T0 + 60_000,
    triggeredAt: T0 + 61_000,
    escalationLevel: 0,
    ...over,
  });

describe('the responders of a postmortem', () => {
  it('lists a PagerDuty user found in Slack once, under their Slack id, with what they did in both', () => {
    const list = responders({
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      roles: [],
      authors: [{ userId: 'U0BOB', messages: 2, firstAt: T0 + 30_000 }],
      timeline: [
        entry('page_event', 'pagerduty', T0 + 61_000, {
          service: 'checkout',
          assignees: ['Bob Martinez'],
        } as EntryMeta),
        entry('page_ack', 'pagerduty', T0 + 120_000, {
          service: 'checkout',
          agent: 'Bob Martinez',
          agentUser: 'U0BOB',
          assignees: ['Bob Martinez'],
        } as EntryMeta),
      ],
      pages: [page({ acknowledgedAt: T0 + 120_000, acknowledgedBy: 'U0BOB' })],
    });
    expect(list.map((r) => r.id)).toEqual(['U0ALICE', 'U0BOB']);
    expect(list[1]!.did).toBe('posted 2 messages; was paged for checkout; acknowledged the checkout page');
  });

  it('keeps a PagerDuty user not found in Slack under the name PagerDuty gives', () => {
    const list = responders({
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      roles: [],
      authors: [],
      timeline: [
        entry('page_ack', 'pagerduty', T0 + 120_000, {
          service: 'checkout',
          agent: 'Erin Oncall',
          assignees: ['Erin Oncall'],
        } as EntryMeta),
      ],
      pages: [page({ acknowledgedAt: T0 + 120_000, acknowledgedBy: 'Erin Oncall' })],
    });
    expect(list.map((r) => [r.id, r.did])).toEqual([
      ['U0ALICE', 'declared; paged checkout'],
      ['Erin Oncall', 'was paged for checkout; acknowledged the checkout page'],
    ]);
  });

  it('leaves out integrations posting as bots and Muster itself', () => {
    const list = responders({
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      roles: [],
      authors: [{ userId: 'B0GRAFANA', messages: 4, firstAt: T0 }],
      timeline: [entry('service', 'muster', T0), entry('message', 'B0GRAFANA', T0 + 5_000)],
      pages: [],
    });
    expect(list.map((r) => r.id)).toEqual(['U0ALICE']);
  });

  it('says who recorded the impact start and the detection time', () => {
    const list = responders({
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      roles: [],
      authors: [],
      timeline: [
        entry('impact', 'U0BOB', T0 + 60_000, { field: 'detected', at: T0 - 60_000 } as EntryMeta),
        entry('impact', 'U0BOB', T0 + 90_000, { field: 'impact', at: T0 - 120_000 } as EntryMeta),
        entry('impact', 'U0BOB', T0 + 95_000, { field: 'impact', at: T0 - 180_000 } as EntryMeta),
      ],
      pages: [],
    });
    expect(list[1]).toMatchObject({ id: 'U0BOB', did: 'recorded the detection time and the impact start' });
  });
});
