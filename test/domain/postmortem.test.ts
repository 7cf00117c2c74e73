import { describe, expect, it } from 'vitest';
import type { Incident, Status } from '../../src/domain/incident.js';
import { incidentRecord } from '../support/incident-record.js';
import { computeKeyTimes, formatDuration } from '../../src/domain/key-times.js';
import type { Page } from '../../src/domain/page.js';
import { pageRecord } from '../support/page-record.js';
import { type PostmortemInput, toPostmortemData } from '../../src/domain/postmortem.js';
import type { EntryKind, TimelineEntry } from '../../src/domain/timeline.js';

const T0 = Date.UTC(2025, 2, 14, 9, 0);
const at = (minutes: number): number => T0 + minutes * 60_000;
const utc = {
  timeZone: 'UTC',
  formatDate: (ms: number) => new Date(ms).toISOString().slice(0, 10),
  formatTime: (ms: number) => new Date(ms).toISOString().slice(11, 16),
};

const incident = (over: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 7,
    title: 'Checkout failing',
    severity: 2,
    status: 'resolved',
    teamId: 'T1',
    channelId: 'C7',
    channelName: 'inc-7-checkout',
    declaredBy: 'U1',
    declaredAt: at(0),
    updatedAt: at(0),
    ...over,
  });

let nextId = 1;
const entry = (minute: number, kind: EntryKind, over: Partial<TimelineEntry> = {}): TimelineEntry => {
  const id = nextId++;
  return {
    id,
    incidentNumber: 7,
    number: id,
    redactedBy: null,
    redactedAt: null,
    kind,
    text: `${kind} at ${minute}`,
    originalText: null,
    actor: 'U1',
    occurredAt: at(minute),
    recordedAt: at(minute),
    sourceKey: `k${id}`,
    state: 'active',
    meta: {},
    ...over,
  };
};
const change = (minute: number, from: Status, to: Status): TimelineEntry =>
  entry(minute, to === 'resolved' ? 'resolved' : from === 'resolved' ? 'reopened' : 'status', {
    meta: { from, to },
  });

const page = (over: Partial<Page> = {}): Page =>
  pageRecord({
    id: 1,
    incidentNumber: 7,
    service: 'payments',
    dedupKey: 'muster-inc-7-payments',
    status: 'triggered',
    severity: 2,
    requestedBy: 'U1',
    requestedAt: at(3),
    triggeredAt: at(3),
    escalationLevel: 0,
    ...over,
  });

const FULL = [
  change(10, 'investigating', 'identified'),
  change(30, 'identified', 'monitoring'),
  change(60, 'monitoring', 'resolved'),
];
const MIN = 60_000;

describe('key times', () => {
  const cases: {
    name: string;
    incident: Partial<Incident>;
    timeline: TimelineEntry[];
    pages: Page[];
    now?: number;
    expect: Partial<ReturnType<typeof computeKeyTimes>>;
  }[] = [
    {
      name: 'a full story: page acknowledged, investigating -> identified -> monitoring -> resolved',
      incident: { resolvedAt: at(60), mitigatedAt: at(30) },
      timeline: FULL,
      pages: [page({ acknowledgedAt: at(7), acknowledgedBy: 'U3' })],
      expect: {
        firstPage: at(3),
        firstAck: at(7),
        mitigated: at(30),
        resolved: at(60),
        tta: 4 * MIN,
        ttm: 30 * MIN,
        ttr: 60 * MIN,
        duration: 60 * MIN,
        reopened: 0,
        statuses: [
          { status: 'investigating', ms: 10 * MIN, entered: 1, current: false },
          { status: 'identified', ms: 20 * MIN, entered: 1, current: false },
          { status: 'monitoring', ms: 30 * MIN, entered: 1, current: false },
        ],
      },
    },
    {
      name: 'no pages: no first page, no acknowledgement, no TTA',
      incident: { resolvedAt: at(60), mitigatedAt: at(30) },
      timeline: FULL,
      pages: [],
      expect: { firstPage: null, firstAck: null, tta: null, ttr: 60 * MIN },
    },
    {
      name: 'a failed page is not a first page',
      incident: { resolvedAt: at(60) },
      timeline: FULL,
      pages: [page({ status: 'failed', triggeredAt: null }), page({ id: 2, requestedAt: at(12) })],
      expect: { firstPage: at(12), firstAck: null, tta: null },
    },
    {
      name: 'TTA runs from the first page to the first acknowledgement of any page',
      incident: { resolvedAt: at(60) },
      timeline: FULL,
      pages: [page({ acknowledgedAt: at(20) }), page({ id: 2, requestedAt: at(8), acknowledgedAt: at(11) })],
      expect: { firstPage: at(3), firstAck: at(11), tta: 8 * MIN },
    },
    {
      name: 'no mitigation: resolved straight from identified',
      incident: { resolvedAt: at(45) },
      timeline: [change(10, 'investigating', 'identified'), change(45, 'identified', 'resolved')],
      pages: [],
      expect: { mitigated: null, ttm: null, ttr: 45 * MIN, duration: 45 * MIN },
    },
    {
      name: 'reopened: mitigation is the first entry into monitoring, resolution the last, the resolved spell counts',
      incident: { resolvedAt: at(120), mitigatedAt: at(20) },
      timeline: [
        change(20, 'investigating', 'monitoring'),
        change(40, 'monitoring', 'resolved'),
        change(50, 'resolved', 'investigating'),
        change(80, 'investigating', 'monitoring'),
        change(120, 'monitoring', 'resolved'),
      ],
      pages: [],
      expect: {
        mitigated: at(20),
        resolved: at(120),
        ttm: 20 * MIN,
        ttr: 120 * MIN,
        reopened: 1,
        statuses: [
          { status: 'investigating', ms: 50 * MIN, entered: 2, current: false },
          { status: 'monitoring', ms: 60 * MIN, entered: 2, current: false },
          { status: 'resolved', ms: 10 * MIN, entered: 2, current: false },
        ],
      },
    },
    {
      name: 'unresolved: no resolution, elapsed and the current status run to now',
      incident: { status: 'monitoring', mitigatedAt: at(30) },
      timeline: FULL.slice(0, 2),
      pages: [],
      now: at(100),
      expect: {
        resolved: null,
        ttr: null,
        duration: null,
        elapsed: 100 * MIN,
        statuses: [
          { status: 'investigating', ms: 10 * MIN, entered: 1, current: false },
          { status: 'identified', ms: 20 * MIN, entered: 1, current: false },
          { status: 'monitoring', ms: 70 * MIN, entered: 1, current: true },
        ],
      },
    },
    {
      name: 'reopened and still open: resolved is null even though it was resolved once',
      incident: { status: 'investigating', resolvedAt: null },
      timeline: [change(20, 'investigating', 'resolved'), change(30, 'resolved', 'investigating')],
      pages: [],
      now: at(45),
      expect: { resolved: null, ttr: null, reopened: 1, elapsed: 45 * MIN },
    },
    {
      name: 'the first entry before the declaration starts the duration, not TTR',
      incident: { resolvedAt: at(60) },
      timeline: [entry(-15, 'message'), ...FULL],
      pages: [],
      expect: { started: at(-15), ttr: 60 * MIN, duration: 75 * MIN },
    },
    {
      name: 'entries without meta: resolved and reopened still count, a bare status entry does not',
      incident: { resolvedAt: at(90) },
      timeline: [entry(10, 'status'), entry(30, 'resolved'), entry(40, 'reopened'), entry(90, 'resolved')],
      pages: [],
      expect: {
        reopened: 1,
        statuses: [
          { status: 'investigating', ms: 80 * MIN, entered: 2, current: false },
          { status: 'resolved', ms: 10 * MIN, entered: 2, current: false },
        ],
      },
    },
    {
      name: 'a removed entry does not change anything',
      incident: { resolvedAt: at(60) },
      timeline: [
        entry(-30, 'message', { state: 'removed' }),
        change(20, 'investigating', 'monitoring'),
        change(60, 'monitoring', 'resolved'),
      ],
      pages: [],
      expect: { started: at(0), mitigated: at(20), duration: 60 * MIN },
    },
    {
      name: 'an incident declared and never changed',
      incident: { status: 'investigating' },
      timeline: [],
      pages: [],
      now: at(5),
      expect: {
        started: at(0),
        elapsed: 5 * MIN,
        statuses: [{ status: 'investigating', ms: 5 * MIN, entered: 1, current: true }],
      },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const timeline = c.timeline.filter((e) => e.state !== 'removed');
      const k = computeKeyTimes(incident(c.incident), timeline, c.pages, c.now ?? at(200));
      expect(k).toMatchObject(c.expect);
    });
  }
});

describe('formatDuration', () => {
  const table: [number, string][] = [
    [-5_000, '0 s'],
    [0, '0 s'],
    [42_999, '42 s'],
    [60_000, '1 min'],
    [59 * MIN + 59_000, '59 min'],
    [65 * MIN, '1 h 05 min'],
    [10 * 60 * MIN + 30 * MIN, '10 h 30 min'],
    [26 * 60 * MIN + 5 * MIN, '1 d 2 h 05 min'],
  ];
  for (const [ms, text] of table) it(`${ms} ms is "${text}"`, () => expect(formatDuration(ms)).toBe(text));
});

describe('toPostmortemData', () => {
  const input = (over: Partial<PostmortemInput> = {}): PostmortemInput => ({
    incident: incident({ resolvedAt: at(60), mitigatedAt: at(30), summary: 'Rolled back' }),
    timeline: FULL,
    roles: [],
    actions: [],
    pages: [],
    services: ['payments'],
    runbooks: [],
    authors: [],
    names: { U1: 'Ada Lovelace', U2: 'Grace Hopper' },
    ...over,
  });

  it('gives the title line: number, reference, date and window', () => {
    const d = toPostmortemData(input(), { now: at(200), ...utc });
    expect(d).toMatchObject({
      number: 7,
      ref: 'INC-7',
      title: 'Checkout failing',
      draft: false,
      timeZone: 'UTC',
    });
    expect(d.window).toMatchObject({ date: '2025-03-14', text: '2025-03-14 09:00–10:00' });
    expect(d.summary).toMatchObject({
      severity: { level: 2, label: 'SEV-2', name: 'high' },
      status: 'resolved',
      statusLabel: 'Resolved',
      duration: { ms: 60 * MIN, text: '1 h 00 min' },
      resolution: 'Rolled back',
    });
  });

  it('marks an open incident as a draft with an ongoing window', () => {
    const d = toPostmortemData(
      input({ incident: incident({ status: 'identified' }), timeline: FULL.slice(0, 1) }),
      { now: at(90), ...utc },
    );
    expect(d.draft).toBe(true);
    expect(d.window).toMatchObject({ end: null, text: '2025-03-14 09:00 – ongoing' });
    expect(d.summary.duration).toBeNull();
    expect(d.summary.elapsed.text).toBe('1 h 30 min');
  });

  it('spans days in the window and in short times', () => {
    const d = toPostmortemData(
      input({
        incident: incident({ resolvedAt: at(24 * 60 + 5) }),
        timeline: [change(24 * 60 + 5, 'investigating', 'resolved')],
      }),
      { now: at(3000), ...utc },
    );
    expect(d.window.text).toBe('2025-03-14 09:00 – 2025-03-15 09:05');
    expect(d.keyTimes.resolved).toMatchObject({ short: '2025-03-15 09:05', time: '09:05' });
    expect(d.keyTimes.declared.short).toBe('09:00');
  });

  it('lists every role in practice order with current and past holders', () => {
    const d = toPostmortemData(
      input({
        roles: [
          { role: 'ic', userId: 'U2', assignedAt: at(20), endedAt: null },
          { role: 'ic', userId: 'U1', assignedAt: at(0), endedAt: at(20) },
          { role: 'scribe', userId: 'U9', assignedAt: at(5), endedAt: null },
        ],
      }),
      { now: at(200), ...utc },
    );
    expect(d.summary.roles.map((r) => r.role)).toEqual(['ic', 'tech', 'comms', 'scribe']);
    const ic = d.summary.roles[0]!;
    expect(ic).toMatchObject({
      title: 'Incident Commander',
      handedOver: true,
      holder: { name: 'Grace Hopper', current: true },
    });
    expect(ic.holders.map((h) => [h.name, h.from.time, h.until?.time ?? null])).toEqual([
      ['Ada Lovelace', '09:00', '09:20'],
      ['Grace Hopper', '09:20', null],
    ]);
    expect(d.summary.roles[1]).toMatchObject({ holder: null, holders: [] });
    expect(d.summary.roles[3]!.holder?.name).toBe('U9');
  });

  it('keeps deleted entries (marked), drops removed ones and its own drafts, and orders by occurrence', () => {
    const d = toPostmortemData(
      input({
        timeline: [
          entry(5, 'note', { actor: 'U2', state: 'deleted', text: 'gone from Slack' }),
          entry(2, 'message', {
            text: 'edited <@U1>',
            originalText: 'first',
            meta: { permalink: 'https://x.slack.com/p1', files: [{ name: 'a.png', url: 'https://f/a.png' }] },
          }),
          entry(3, 'note', { state: 'removed' }),
          entry(4, 'page_ack', { actor: 'pagerduty' }),
          entry(6, 'postmortem', { text: 'Postmortem draft v1 written' }),
        ],
      }),
      { now: at(200), ...utc },
    );
    expect(d.timeline.map((e) => [e.at.time, e.kindLabel, e.actor])).toEqual([
      ['09:02', 'Message', 'Ada Lovelace'],
      ['09:04', 'Page acknowledged', 'PagerDuty'],
      ['09:05', 'Note', 'Grace Hopper'],
    ]);
    expect(d.timeline[0]).toMatchObject({
      text: 'edited <@U1>',
      edited: true,
      deleted: false,
      permalink: 'https://x.slack.com/p1',
      files: [{ name: 'a.png', url: 'https://f/a.png', mimetype: null }],
    });
    expect(d.timeline[2]).toMatchObject({ deleted: true, edited: false, permalink: null, files: [] });
  });

  it('orders action items by priority and names owners; pages carry acknowledgement', () => {
    const base = { incidentNumber: 7, createdBy: 'U1', due: null, doneAt: null, doneBy: null };
    const d = toPostmortemData(
      input({
        actions: [
          { ...base, id: 1, text: 'later', ownerId: null, priority: 'p3', createdAt: at(1) },
          {
            ...base,
            id: 2,
            text: 'first',
            ownerId: 'U2',
            priority: 'p0',
            createdAt: at(2),
            due: '2025-03-20',
            doneAt: at(70),
            doneBy: 'U2',
          },
        ],
        pages: [page({ acknowledgedAt: at(9), acknowledgedBy: 'U2', status: 'acknowledged' })],
      }),
      { now: at(200), ...utc },
    );
    expect(d.actions.map((a) => [a.priority, a.text, a.owner, a.due, a.done])).toEqual([
      ['P0', 'first', 'Grace Hopper', '2025-03-20', true],
      ['P3', 'later', null, null, false],
    ]);
    expect(d.actions[0]!.doneAt?.time).toBe('10:10');
    expect(d.pages[0]).toMatchObject({
      service: 'payments',
      statusLabel: 'Acknowledged',
      requestedBy: 'Ada Lovelace',
      acknowledged: true,
      acknowledgedBy: 'Grace Hopper',
      acknowledgedAt: { time: '09:09' },
      tta: { text: '6 min' },
    });
  });
});
