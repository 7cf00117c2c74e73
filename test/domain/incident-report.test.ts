/**
 * The report's figures against numbers worked out by hand: every expected value below is written out, not
 * computed with the code under test.
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../src/domain/action-item.js';
import {
  type ReportCalendar,
  type ReportIncident,
  median,
  p90,
  pageEscalations,
  reportIncident,
  summarizeReport,
} from '../../src/domain/incident-report.js';
import type { Incident } from '../../src/domain/incident.js';
import type { Page } from '../../src/domain/page.js';
import type { EntryKind, TimelineEntry } from '../../src/domain/timeline.js';
import { incidentRecord } from '../support/incident-record.js';
import { pageRecord } from '../support/page-record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 9, 0);

describe('median and p90', () => {
  // [values, median, p90]: median = mean of the two middle values (rounded to the ms) for an even count;
  // p90 = nearest rank, the value at rank ceil(0.9 n)
  const cases: [number[], number | null, number | null][] = [
    [[], null, null],
    [[5], 5, 5],
    [[30, 10], 20, 30],
    [[1, 2], 2, 2],
    [[3, 1, 2], 2, 3],
    [[7, 1, 3, 5], 4, 7],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 6, 9],
    [[20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 11, 18],
    [[11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 6, 10],
  ];
  it.each(cases)('of %j: median %s, p90 %s', (values, m, p) => {
    expect(median(values)).toBe(m);
    expect(p90(values)).toBe(p);
  });
});

const incidentAt = (number: number, over: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number,
    title: 'checkout returns 500s',
    severity: 2,
    status: 'resolved',
    teamId: 'T1',
    channelId: `C${number}`,
    channelName: `inc-${number}-checkout`,
    declaredBy: 'U1',
    declaredAt: T0,
    updatedAt: T0,
    ...over,
  });

let entryId = 0;
const entry = (at: number, kind: EntryKind, meta: Record<string, unknown>): TimelineEntry => {
  entryId += 1;
  return {
    id: entryId,
    incidentNumber: 9,
    number: entryId,
    kind,
    text: kind,
    originalText: null,
    actor: 'U1',
    occurredAt: at,
    recordedAt: at,
    sourceKey: `k${entryId}`,
    state: 'active',
    meta,
    redactedBy: null,
    redactedAt: null,
  };
};

const page = (id: number, over: Partial<Page>): Page =>
  pageRecord({
    id,
    incidentNumber: 9,
    service: 'checkout',
    dedupKey: `k-${id}`,
    status: 'triggered',
    severity: 2,
    requestedBy: 'U1',
    requestedAt: T0,
    triggeredAt: T0,
    escalationLevel: 1,
    escalatedAt: null,
    ...over,
  });

const action = (id: number, due: string | null, doneAt: number | null): ActionItem => ({
  id,
  incidentNumber: 9,
  text: `action ${id}`,
  ownerId: null,
  priority: 'p2',
  due,
  createdBy: 'U1',
  createdAt: T0 + id * MIN,
  doneAt,
  doneBy: doneAt === null ? null : 'U1',
});

describe('pageEscalations', () => {
  it('counts each level a REST page was moved up, and an Events v2 page once when it was escalated', () => {
    expect(pageEscalations({ via: 'rest', escalationLevel: 1, escalatedAt: null })).toBe(0);
    expect(pageEscalations({ via: 'rest', escalationLevel: 3, escalatedAt: T0 })).toBe(2);
    expect(pageEscalations({ via: 'events', escalationLevel: 2, escalatedAt: T0 })).toBe(1);
    // the new trigger an Events v2 escalation sends: a raised level, not escalated itself
    expect(pageEscalations({ via: 'events', escalationLevel: 2, escalatedAt: null })).toBe(0);
    expect(pageEscalations({ via: 'events', escalationLevel: 1 })).toBe(0);
  });
});

describe('reportIncident', () => {
  const timeline = [
    entry(T0 + 20 * MIN, 'status', { from: 'investigating', to: 'monitoring' }),
    entry(T0 + 60 * MIN, 'resolved', { from: 'monitoring', to: 'resolved' }),
    entry(T0 + 90 * MIN, 'reopened', { from: 'resolved', to: 'investigating' }),
    entry(T0 + 150 * MIN, 'resolved', { from: 'investigating', to: 'resolved' }),
  ];
  const pages = [
    // failed: not a first page
    page(4, { status: 'failed', requestedAt: T0 + MIN, triggeredAt: null }),
    page(1, {
      via: 'rest',
      requestedAt: T0 + 2 * MIN,
      acknowledgedAt: T0 + 9 * MIN,
      status: 'acknowledged',
      escalationLevel: 3,
      escalatedAt: T0 + 8 * MIN,
    }),
    page(2, { requestedAt: T0 + 3 * MIN, escalationLevel: 2, escalatedAt: T0 + 13 * MIN }),
    page(3, { requestedAt: T0 + 13 * MIN, acknowledgedAt: T0 + 14 * MIN, escalationLevel: 2 }),
  ];
  const actions = [
    action(1, '2026-11-22', null),
    action(2, '2026-11-23', null),
    action(3, null, null),
    action(4, '2026-11-01', T0 + HOUR),
  ];

  it('takes the postmortem key times, counts pages, escalations and overdue items', () => {
    const incident = incidentAt(9, { mitigatedAt: T0 + 20 * MIN, resolvedAt: T0 + 150 * MIN });
    const r = reportIncident(
      { incident, timeline, pages, actions, services: ['checkout', 'search'] },
      T0 + 3 * HOUR,
      '2026-11-23',
    );
    expect(r).toMatchObject({
      number: 9,
      severity: 2,
      status: 'resolved',
      services: ['checkout', 'search'],
      declaredAt: T0,
      acknowledgedAt: T0 + 9 * MIN,
      mitigatedAt: T0 + 20 * MIN,
      resolvedAt: T0 + 150 * MIN,
      tta: 420_000,
      ttm: 1_200_000,
      ttr: 9_000_000,
      reopened: 1,
      pages: 4,
      pagesAcknowledged: 2,
      escalations: 3,
      actions: { opened: 4, closed: 1, overdue: 1 },
    });
    expect(r.actionItems.map((a) => a.id)).toEqual([1, 2, 3, 4]);
  });

  it('gives a reopened incident that is open again no resolution, and one never acknowledged no TTA', () => {
    const incident = incidentAt(9, { status: 'investigating', mitigatedAt: T0 + 20 * MIN, resolvedAt: null });
    const r = reportIncident(
      { incident, timeline: timeline.slice(0, 3), pages: [pages[0]!, pages[2]!], actions: [], services: [] },
      T0 + 3 * HOUR,
      '2026-11-23',
    );
    expect(r).toMatchObject({
      status: 'investigating',
      acknowledgedAt: null,
      resolvedAt: null,
      tta: null,
      ttm: 1_200_000,
      ttr: null,
      reopened: 1,
      pages: 2,
      pagesAcknowledged: 0,
      escalations: 1,
      actions: { opened: 0, closed: 0, overdue: 0 },
    });
  });
});

// Weeks of November 2026 (UTC here: the app's tests check a zone where the boundary moves).
const WEEKS = [
  { week: '2026-W45', start: Date.UTC(2026, 10, 2) },
  { week: '2026-W46', start: Date.UTC(2026, 10, 9) },
  { week: '2026-W47', start: Date.UTC(2026, 10, 16) },
  { week: '2026-W48', start: Date.UTC(2026, 10, 23) },
  { week: '2026-W49', start: Date.UTC(2026, 10, 30) },
];
const calendar: ReportCalendar = {
  since: Date.UTC(2026, 10, 4),
  until: Date.UTC(2026, 11, 2, 12),
  timeZone: 'UTC',
  weeks: WEEKS,
  weekOf: (ms) => [...WEEKS].reverse().find((w) => w.start <= ms)?.week ?? 'before',
  filters: { services: null, severities: null, includePrivate: true },
};

const day = (d: number, h = 10): number => Date.UTC(2026, 10, d, h);
const item = (id: number, createdAt: number, doneAt: number | null) => ({ id, createdAt, doneAt, due: null });
const line = (number: number, over: Partial<ReportIncident>): ReportIncident => ({
  number,
  title: `incident ${number}`,
  severity: 2,
  status: 'resolved',
  private: false,
  channelId: null,
  channelName: null,
  services: [],
  declaredAt: day(4),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  tta: null,
  ttm: null,
  ttr: null,
  reopened: 0,
  pages: 0,
  pagesAcknowledged: 0,
  escalations: 0,
  actions: { opened: 0, closed: 0, overdue: 0 },
  actionItems: [],
  ...over,
});

/** Seven incidents: six in the window (W45, W47, W49; none in W46 and W48), one declared before it. */
const STORY: ReportIncident[] = [
  line(6, {
    severity: 4,
    private: true,
    services: ['search'],
    declaredAt: Date.UTC(2026, 11, 1, 8),
    ttr: 1_800_000,
  }),
  line(1, {
    severity: 1,
    services: ['checkout'],
    declaredAt: day(4),
    tta: 300_000,
    ttm: 1_800_000,
    ttr: 7_200_000,
    pages: 2,
    pagesAcknowledged: 1,
    escalations: 1,
    actions: { opened: 2, closed: 1, overdue: 1 },
    actionItems: [item(1, day(4, 12), day(10, 9)), item(2, day(5), null)],
  }),
  line(2, {
    severity: 1,
    services: ['checkout', 'search'],
    declaredAt: day(5),
    tta: 900_000,
    ttm: 3_600_000,
    ttr: 14_400_000,
    pages: 1,
    pagesAcknowledged: 1,
  }),
  line(3, {
    services: ['search'],
    declaredAt: day(18),
    ttr: 3_600_000,
    pages: 1,
    escalations: 2,
    actions: { opened: 1, closed: 1, overdue: 0 },
    actionItems: [item(3, day(18, 11), day(19))],
  }),
  line(4, {
    status: 'investigating',
    declaredAt: day(19),
    reopened: 1,
    tta: 120_000,
    ttm: 600_000,
    pages: 1,
    pagesAcknowledged: 1,
    actions: { opened: 1, closed: 0, overdue: 0 },
    actionItems: [item(4, day(19, 12), null)],
  }),
  line(5, { severity: 3, services: ['checkout'], declaredAt: day(20), ttm: 1_200_000, ttr: 10_800_000 }),
  line(7, { severity: 1, services: ['checkout'], declaredAt: day(3), ttr: 60_000, pages: 9 }),
];

describe('summarizeReport', () => {
  const report = summarizeReport(STORY, calendar);

  it('keeps the incidents declared in the window, oldest first', () => {
    expect(report.incidents.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.window).toEqual({
      since: Date.UTC(2026, 10, 4),
      until: Date.UTC(2026, 11, 2, 12),
      timeZone: 'UTC',
    });
  });

  it('gives the median and p90 of TTA, TTM and TTR over the incidents that have them', () => {
    expect(report.overall).toEqual({
      incidents: 6,
      tta: { count: 3, median: 300_000, p90: 900_000 },
      ttm: { count: 4, median: 1_500_000, p90: 3_600_000 },
      ttr: { count: 5, median: 7_200_000, p90: 14_400_000 },
    });
  });

  it('by severity, every severity listed', () => {
    expect(report.bySeverity).toEqual([
      {
        severity: 1,
        incidents: 2,
        tta: { count: 2, median: 600_000, p90: 900_000 },
        ttm: { count: 2, median: 2_700_000, p90: 3_600_000 },
        ttr: { count: 2, median: 10_800_000, p90: 14_400_000 },
      },
      {
        severity: 2,
        incidents: 2,
        tta: { count: 1, median: 120_000, p90: 120_000 },
        ttm: { count: 1, median: 600_000, p90: 600_000 },
        ttr: { count: 1, median: 3_600_000, p90: 3_600_000 },
      },
      {
        severity: 3,
        incidents: 1,
        tta: { count: 0, median: null, p90: null },
        ttm: { count: 1, median: 1_200_000, p90: 1_200_000 },
        ttr: { count: 1, median: 10_800_000, p90: 10_800_000 },
      },
      {
        severity: 4,
        incidents: 1,
        tta: { count: 0, median: null, p90: null },
        ttm: { count: 0, median: null, p90: null },
        ttr: { count: 1, median: 1_800_000, p90: 1_800_000 },
      },
    ]);
  });

  it('by service: an incident counts for each of its services; most incidents first, none last', () => {
    expect(report.byService).toEqual([
      {
        service: 'checkout',
        incidents: 3,
        tta: { count: 2, median: 600_000, p90: 900_000 },
        ttm: { count: 3, median: 1_800_000, p90: 3_600_000 },
        ttr: { count: 3, median: 10_800_000, p90: 14_400_000 },
      },
      {
        service: 'search',
        incidents: 3,
        tta: { count: 1, median: 900_000, p90: 900_000 },
        ttm: { count: 1, median: 3_600_000, p90: 3_600_000 },
        ttr: { count: 3, median: 3_600_000, p90: 14_400_000 },
      },
      {
        service: null,
        incidents: 1,
        tta: { count: 1, median: 120_000, p90: 120_000 },
        ttm: { count: 1, median: 600_000, p90: 600_000 },
        ttr: { count: 0, median: null, p90: null },
      },
    ]);
  });

  it('lists every week, empty ones included, with incidents and action items opened and closed', () => {
    expect(
      report.weeks.map((w) => [
        w.week,
        w.start,
        w.incidents,
        w.bySeverity.map((s) => s.incidents),
        w.actionsOpened,
        w.actionsClosed,
      ]),
    ).toEqual([
      ['2026-W45', Date.UTC(2026, 10, 2), 2, [2, 0, 0, 0], 2, 0],
      ['2026-W46', Date.UTC(2026, 10, 9), 0, [0, 0, 0, 0], 0, 1],
      ['2026-W47', Date.UTC(2026, 10, 16), 3, [0, 2, 1, 0], 2, 1],
      ['2026-W48', Date.UTC(2026, 10, 23), 0, [0, 0, 0, 0], 0, 0],
      ['2026-W49', Date.UTC(2026, 10, 30), 1, [0, 0, 0, 1], 0, 0],
    ]);
    expect(report.weeks[0]!.bySeverity[0]!.tta).toEqual({ count: 2, median: 600_000, p90: 900_000 });
  });

  it('totals action items and pages', () => {
    expect(report.actions).toEqual({ opened: 4, closed: 2, overdue: 1, open: 2, completion: 0.5 });
    expect(report.pages).toEqual({ total: 5, acknowledged: 3, escalations: 3 });
  });

  it('says nothing is known rather than zero for a window without incidents', () => {
    const empty = summarizeReport([], calendar);
    expect(empty.overall).toEqual({
      incidents: 0,
      tta: { count: 0, median: null, p90: null },
      ttm: { count: 0, median: null, p90: null },
      ttr: { count: 0, median: null, p90: null },
    });
    expect(empty.byService).toEqual([]);
    expect(empty.bySeverity.map((s) => s.incidents)).toEqual([0, 0, 0, 0]);
    expect(empty.weeks).toHaveLength(5);
    expect(empty.actions).toEqual({ opened: 0, closed: 0, overdue: 0, open: 0, completion: null });
  });
});
