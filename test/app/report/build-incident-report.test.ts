/**
 * The report use cases on the in-memory store, in America/Los_Angeles: an incident declared on Sunday evening
 * there is in that week, though UTC is already on Monday. Expected figures are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { buildIncidentReport, summarizeIncidents } from '../../../src/app/report/build-incident-report.js';
import { loadReportIncidents } from '../../../src/app/report/load-report-incidents.js';
import { isoWeekOf, weeksBetween } from '../../../src/app/report/report-calendar.js';
import { loadConfig } from '../../../src/config.js';
import type { Severity } from '../../../src/domain/incident.js';
import { unitPorts } from '../../support/unit-ports.js';

const MIN = 60_000;
const ZONE = 'America/Los_Angeles';
// Wednesday 2026-12-02 12:00 in Los Angeles (PST, UTC-8)
const NOW = Date.UTC(2026, 11, 2, 20, 0);
// Monday 2026-11-16 00:00 in Los Angeles
const SINCE = Date.UTC(2026, 10, 16, 8, 0);

/** The story: A (Sunday evening, SEV-1, checkout, paged), B (Monday, SEV-2, search), C (private), D (too early). */
async function story() {
  const base = unitPorts({ now: NOW });
  const ports = {
    ...base,
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-unit',
      SLACK_SIGNING_SECRET: 'secret',
      INCIDENT_TIMEZONE: ZONE,
    }),
  };
  const { store } = ports;
  const declare = async (
    title: string,
    severity: Severity,
    at: number,
    service: string | null,
    priv = false,
  ) => {
    const i = await store.incidents.create({
      title,
      severity,
      teamId: 'T1',
      declaredBy: 'U1',
      declaredAt: at,
      private: priv,
    });
    if (service) await store.services.attach(i.number, service, at);
    return i;
  };
  const resolve = async (number: number, at: number) => {
    await store.incidents.update(number, { status: 'resolved', resolvedAt: at }, at);
    await store.timeline.add(
      {
        incidentNumber: number,
        kind: 'resolved',
        text: 'Resolved',
        actor: 'U1',
        occurredAt: at,
        sourceKey: `resolved:${at}`,
        meta: { from: 'monitoring', to: 'resolved' },
      },
      at,
    );
  };

  // Sunday 2026-11-22 20:00 in Los Angeles: 2026-11-23 04:00 UTC, a Monday in UTC
  const a0 = Date.UTC(2026, 10, 23, 4, 0);
  const a = await declare('checkout returns 500s', 1, a0, 'checkout');
  const p = await store.pages.create({
    incidentNumber: a.number,
    service: 'checkout',
    via: 'rest',
    dedupKey: 'muster-inc-1-checkout',
    message: null,
    severity: 1,
    requestedBy: 'U1',
    requestedAt: a0 + 5 * MIN,
  });
  await store.pages.update(p.id, {
    status: 'acknowledged',
    triggeredAt: a0 + 5 * MIN,
    acknowledgedAt: a0 + 12 * MIN,
    escalationLevel: 2,
    escalatedAt: a0 + 10 * MIN,
  });
  await store.incidents.update(a.number, { status: 'monitoring', mitigatedAt: a0 + 30 * MIN }, a0 + 30 * MIN);
  await store.timeline.add(
    {
      incidentNumber: a.number,
      kind: 'status',
      text: 'Status changed from investigating to monitoring',
      actor: 'U1',
      occurredAt: a0 + 30 * MIN,
      sourceKey: 'status:1',
      meta: { from: 'investigating', to: 'monitoring' },
    },
    a0 + 30 * MIN,
  );
  await resolve(a.number, a0 + 90 * MIN);
  const action = (incidentNumber: number, due: string | null, createdAt: number) =>
    store.actions.add({
      incidentNumber,
      text: 'fix it',
      ownerId: null,
      priority: 'p2',
      due,
      createdBy: 'U1',
      createdAt,
    });
  await action(a.number, '2026-12-01', a0 + 100 * MIN);
  await action(a.number, '2026-12-02', a0 + 101 * MIN);

  // Monday 2026-11-23 01:00 in Los Angeles
  const b0 = Date.UTC(2026, 10, 23, 9, 0);
  const b = await declare('search is slow', 2, b0, 'search');
  await resolve(b.number, b0 + 45 * MIN);
  const done = await action(b.number, null, b0 + 50 * MIN);
  // Tuesday 2026-12-01 in Los Angeles: week 49
  await store.actions.markDone(done.id, 'U1', Date.UTC(2026, 11, 1, 18, 0));

  await declare('payroll export leaks', 1, Date.UTC(2026, 10, 24, 18, 0), 'checkout', true);
  await declare('before the window', 3, Date.UTC(2026, 10, 15, 12, 0), 'checkout');
  return ports;
}

describe('the report calendar', () => {
  it('lists ISO weeks from Monday 00:00 in the zone, across the end of daylight saving time', () => {
    expect(weeksBetween(Date.UTC(2026, 9, 20), Date.UTC(2026, 10, 10), ZONE)).toEqual([
      { week: '2026-W43', start: Date.UTC(2026, 9, 19, 7, 0) },
      { week: '2026-W44', start: Date.UTC(2026, 9, 26, 7, 0) },
      { week: '2026-W45', start: Date.UTC(2026, 10, 2, 8, 0) },
      { week: '2026-W46', start: Date.UTC(2026, 10, 9, 8, 0) },
    ]);
  });

  it('names the ISO week of an instant in the zone (2027-01-01 is in 2026-W53)', () => {
    expect(isoWeekOf(Date.UTC(2026, 10, 23, 4, 0), ZONE)).toBe('2026-W47');
    expect(isoWeekOf(Date.UTC(2026, 10, 23, 4, 0), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(Date.UTC(2027, 0, 1, 12, 0), 'UTC')).toBe('2026-W53');
  });
});

describe('buildIncidentReport', () => {
  it('reports the public incidents of the window with weeks in INCIDENT_TIMEZONE', async () => {
    const ports = await story();
    const report = await buildIncidentReport(ports, { since: SINCE, includePrivate: false });
    expect(report.window).toEqual({ since: SINCE, until: NOW, timeZone: ZONE });
    expect(report.filters).toEqual({ services: null, severities: null, includePrivate: false });
    expect(report.incidents.map((i) => [i.number, i.title, i.tta, i.ttm, i.ttr, i.escalations])).toEqual([
      [1, 'checkout returns 500s', 7 * MIN, 30 * MIN, 90 * MIN, 1],
      [2, 'search is slow', null, null, 45 * MIN, 0],
    ]);
    expect(report.incidents[0]!.actions).toEqual({ opened: 2, closed: 0, overdue: 1 });
    expect(report.weeks.map((w) => [w.week, w.start, w.incidents, w.actionsOpened, w.actionsClosed])).toEqual(
      [
        ['2026-W47', Date.UTC(2026, 10, 16, 8, 0), 1, 2, 0],
        ['2026-W48', Date.UTC(2026, 10, 23, 8, 0), 1, 1, 0],
        ['2026-W49', Date.UTC(2026, 10, 30, 8, 0), 0, 0, 1],
      ],
    );
    expect(report.overall).toEqual({
      incidents: 2,
      tta: { count: 1, median: 7 * MIN, p90: 7 * MIN },
      ttm: { count: 1, median: 30 * MIN, p90: 30 * MIN },
      ttr: { count: 2, median: 4_050_000, p90: 90 * MIN },
    });
    expect(report.actions).toEqual({ opened: 3, closed: 1, overdue: 1, open: 2, completion: 1 / 3 });
    expect(report.pages).toEqual({ total: 1, acknowledged: 1, escalations: 1 });
  });

  it('includes private incidents only when asked', async () => {
    const ports = await story();
    const report = await buildIncidentReport(ports, { since: SINCE, includePrivate: true });
    expect(report.incidents.map((i) => [i.number, i.private])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(report.weeks[1]!.incidents).toBe(2);
  });

  it('filters by service (case-blind) and by severity', async () => {
    const ports = await story();
    const bySvc = await buildIncidentReport(ports, {
      since: SINCE,
      includePrivate: false,
      services: ['CHECKOUT'],
    });
    expect(bySvc.incidents.map((i) => i.number)).toEqual([1]);
    expect(bySvc.filters.services).toEqual(['checkout']);
    const bySev = await buildIncidentReport(ports, {
      since: SINCE,
      includePrivate: true,
      severities: [2, 2],
    });
    expect(bySev.incidents.map((i) => i.number)).toEqual([2]);
    expect(bySev.filters.severities).toEqual([2]);
    const none = await buildIncidentReport(ports, {
      since: SINCE,
      includePrivate: true,
      services: ['nowhere'],
    });
    expect(none.incidents).toEqual([]);
    expect(none.weeks).toHaveLength(3);
  });

  it('lets a caller load everything, drop what a viewer may not see, and summarise the rest', async () => {
    const ports = await story();
    const all = await loadReportIncidents(ports, {
      since: SINCE,
      until: NOW,
      includePrivate: true,
      today: '2026-12-02',
    });
    expect(all.map((i) => i.number)).toEqual([1, 2, 3]);
    const seen = all.filter((i) => !i.private);
    const report = summarizeIncidents(
      seen,
      { since: SINCE, until: NOW, timeZone: ZONE },
      { includePrivate: false },
    );
    expect(report.incidents.map((i) => i.number)).toEqual([1, 2]);
    expect(report.weeks.map((w) => w.incidents)).toEqual([1, 1, 0]);
  });
});
