/** What a page says to PagerDuty, by severity and channel state. */
import { describe, expect, it } from 'vitest';
import { pageSummary, restIncident, triggerEvent } from '../../../src/adapters/pagerduty/page-payload.js';
import type { Incident, Severity } from '../../../src/domain/incident.js';
import { incidentRecord } from '../../support/incident-record.js';
import type { Page } from '../../../src/domain/page.js';
import { pageRecord } from '../../support/page-record.js';

const incident = (over: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 12,
    title: 'checkout returns 500s',
    severity: 1,
    teamId: 'T1',
    channelId: 'C123',
    channelName: 'inc-12-checkout-returns-500s',
    declaredBy: 'U1',
    declaredAt: 0,
    updatedAt: 0,
    ...over,
  });

const page = (over: Partial<Page> = {}): Page =>
  pageRecord({
    id: 1,
    incidentNumber: 12,
    service: 'checkout',
    dedupKey: 'muster-inc-12-checkout',
    status: 'pending',
    message: 'db down',
    severity: 1,
    requestedBy: 'U1',
    requestedAt: Date.UTC(2026, 10, 23, 9),
    triggeredAt: null,
    escalationLevel: 1,
    ...over,
  });

const ctx = (i: Incident) => ({ incident: i, commander: 'Alice', requester: 'Bob', team: 'Storefront' });

describe('triggerEvent', () => {
  it.each([
    [1, 'critical'],
    [2, 'error'],
    [3, 'warning'],
    [4, 'info'],
  ] as const)('sev%i is %s', (sev, pd) => {
    const e = triggerEvent('K'.repeat(32), page(), ctx(incident({ severity: sev as Severity })));
    expect(e.payload?.severity).toBe(pd);
    expect(e.payload?.summary).toBe(`INC-12: checkout returns 500s (SEV-${sev})`);
  });

  it('carries the dedup key, a link to the channel and the custom details', () => {
    const e = triggerEvent('K'.repeat(32), page(), ctx(incident()));
    expect(e).toMatchObject({ action: 'trigger', dedupKey: 'muster-inc-12-checkout', client: 'Muster' });
    expect(e.links?.[0]).toEqual({
      href: 'https://slack.com/app_redirect?channel=C123&team=T1',
      text: 'Slack: #inc-12-checkout-returns-500s',
    });
    expect(e.payload).toMatchObject({
      source: 'muster:INC-12',
      component: 'checkout',
      group: 'Storefront',
      timestamp: '2026-11-23T09:00:00.000Z',
    });
    expect(e.payload?.customDetails).toEqual({
      incident: 'INC-12',
      severity: 'SEV-1',
      status: 'investigating',
      commander: 'Alice',
      channel: '#inc-12-checkout-returns-500s',
      channel_url: 'https://slack.com/app_redirect?channel=C123&team=T1',
      message: 'db down',
      paged_by: 'Bob',
    });
  });

  it('has no link while the channel does not exist, and marks escalations', () => {
    const e = triggerEvent(
      'K'.repeat(32),
      page({ escalationLevel: 2 }),
      ctx(incident({ channelId: null, channelName: null })),
    );
    expect(e.links).toBeUndefined();
    expect(e.payload?.summary.startsWith('[escalation] INC-12')).toBe(true);
  });

  it("keeps the summary within PagerDuty's 1024 characters", () => {
    expect(pageSummary(page(), incident({ title: 'x'.repeat(2000) }))).toHaveLength(1024);
  });
});

describe('restIncident', () => {
  it('is high urgency for sev1 and sev2, low below, with the dedup key as incident key', () => {
    const target = { serviceId: 'PSVC', escalationPolicyId: 'PEP' };
    expect(restIncident(target, page(), ctx(incident({ severity: 2 }))).urgency).toBe('high');
    const low = restIncident(target, page(), ctx(incident({ severity: 3 })));
    expect(low).toMatchObject({
      urgency: 'low',
      incidentKey: 'muster-inc-12-checkout',
      serviceId: 'PSVC',
      escalationPolicyId: 'PEP',
    });
    expect(low.body).toContain('message: db down');
  });
});

describe('a page of a private incident', () => {
  const secret = incident({ private: true, channelName: 'inc-12-private', title: 'Acme &amp; payroll leak' });

  it('says only its number and severity, first call or escalation, Events v2 or REST', () => {
    expect(pageSummary(page(), secret)).toBe('INC-12 (private): SEV-1');
    expect(pageSummary(page({ escalationLevel: 2 }), secret)).toBe('[escalation] INC-12 (private): SEV-1');
    const trigger = triggerEvent('R1', page({ message: 'payroll file is public' }), ctx(secret));
    const rest = restIncident(
      { serviceId: 'P1', escalationPolicyId: 'E1' },
      page({ message: 'payroll file is public' }),
      ctx(secret),
    );
    expect(rest.title).toBe('INC-12 (private): SEV-1');
    for (const sent of [JSON.stringify(trigger), JSON.stringify(rest)]) {
      expect(sent).not.toContain('payroll');
      expect(sent).not.toContain('Acme');
    }
    expect(trigger.dedupKey).toBe('muster-inc-12-checkout');
  });
});
