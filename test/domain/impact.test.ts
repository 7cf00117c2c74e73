/** Reading `<when>` and keeping impact, detection, declaration and resolution in order: pure, table by table. */
import { describe, expect, it } from 'vitest';
import { zoneRules } from '../../src/adapters/render/time-format.js';
import { detection, parseWhen, resolveWhen, setImpactTimes, wallTime } from '../../src/domain/impact.js';
import type { Incident } from '../../src/domain/incident.js';
import { incidentRecord } from '../support/incident-record.js';
import { DomainError } from '../../src/domain/errors.js';

const berlin = zoneRules('Europe/Berlin');
/** 2026-11-23 in Berlin (UTC+1). */
const b = (hh: number, mm: number): number => Date.UTC(2026, 10, 23, hh - 1, mm);

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'none';
};

describe('parseWhen', () => {
  it.each([
    ['15:10', { kind: 'clock', hour: 15, minute: 10 }],
    ['9:05', { kind: 'clock', hour: 9, minute: 5 }],
    ['2026-11-23 15:10', { kind: 'date', year: 2026, month: 11, day: 23, hour: 15, minute: 10 }],
    ['2026-11-23T15:10', { kind: 'date', year: 2026, month: 11, day: 23, hour: 15, minute: 10 }],
    ['-25m', { kind: 'ago', minutes: 25 }],
    ['-2h', { kind: 'ago', minutes: 120 }],
    ['-1h30m', { kind: 'ago', minutes: 90 }],
  ])('reads %j', (text, spec) => {
    expect(parseWhen(text)).toEqual(spec);
  });

  it.each([
    ['', 'is not a time'],
    ['yesterday', 'is not a time'],
    ['25:00', 'is not a time of day'],
    ['15:60', 'is not a time of day'],
    ['2026-02-30 10:00', 'is not a date on the calendar'],
    ['+25m', 'is not a time'],
    ['-', 'is not a time'],
    ['-800h', 'more than 31 days ago'],
    ['x'.repeat(40_000), 'is not a time'],
  ])('refuses %j, naming the forms', (text, why) => {
    expect(() => parseWhen(text)).toThrow(why);
    expect(() => parseWhen(text)).toThrow('`HH:MM` or `YYYY-MM-DD HH:MM`');
  });
});

describe('resolveWhen', () => {
  const now = b(15, 21);
  it.each([
    ['15:10', b(15, 10)],
    ['00:00', b(0, 0)],
    ['2026-11-22 23:50', b(-1, 50) - 0],
    ['-11m', b(15, 10)],
    ['-2h', b(13, 21)],
    ['15:21', now],
  ])('places %j in Europe/Berlin', (text, at) => {
    expect(resolveWhen(parseWhen(text), now, berlin)).toBe(at);
  });

  it('refuses the future, suggesting the date form for an earlier day', () => {
    expect(() => resolveWhen(parseWhen('15:30'), now, berlin)).toThrow(
      '2026-11-23 15:30 is in the future: it is 2026-11-23 15:21 in Europe/Berlin. For an earlier day',
    );
    expect(code(() => resolveWhen(parseWhen('2026-11-24 01:00'), now, berlin))).toBe('impact.future');
  });

  it('refuses a wall time the clocks skipped, and takes the later of a repeated one', () => {
    // 2026-03-29 02:30 does not exist in Berlin; 2026-10-25 02:30 happens twice (CEST, then CET)
    expect(code(() => resolveWhen(parseWhen('2026-03-29 02:30'), now, berlin))).toBe('impact.invalid_time');
    expect(resolveWhen(parseWhen('2026-10-25 02:30'), now, berlin)).toBe(Date.UTC(2026, 9, 25, 1, 30));
    expect(wallTime(Date.UTC(2026, 9, 25, 1, 30), berlin)).toBe('2026-10-25 02:30');
  });
});

const incident = (o: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 7,
    title: 'Checkout 502s',
    severity: 1,
    teamId: 'T1',
    channelId: 'C1',
    channelName: 'inc-7',
    declaredBy: 'U1',
    declaredAt: b(15, 21),
    updatedAt: b(15, 21),
    ...o,
  });

describe('detection', () => {
  it.each([
    ['nothing recorded, no page: the declaration', {}, [], { at: b(15, 21), source: 'declared' }],
    [
      'a page triggered later: still the declaration',
      {},
      [{ triggeredAt: b(15, 25) }],
      { at: b(15, 21), source: 'declared' },
    ],
    [
      'a PagerDuty trigger before the declaration',
      {},
      [{ triggeredAt: null }, { triggeredAt: b(15, 14) }],
      { at: b(15, 14), source: 'paged' },
    ],
    [
      'recorded',
      { detectedAt: b(15, 12) },
      [{ triggeredAt: b(15, 14) }],
      { at: b(15, 12), source: 'recorded' },
    ],
  ] as const)('%s', (_name, over, pages, expected) => {
    expect(detection(incident(over), pages)).toEqual(expected);
  });
});

describe('setImpactTimes', () => {
  const now = b(15, 30);
  it('records the impact start with an entry in the zone', () => {
    const t = setImpactTimes(incident(), [], { impactStartedAt: b(15, 10) }, 'U2', now, berlin);
    expect(t.incident.impactStartedAt).toBe(b(15, 10));
    expect(t.entries).toEqual([
      expect.objectContaining({
        kind: 'impact',
        actor: 'U2',
        occurredAt: now,
        text: 'Impact start set to 2026-11-23 15:10 (Europe/Berlin)',
        meta: { field: 'impact', at: b(15, 10), previous: null },
      }),
    ]);
  });

  it('records a changed and a cleared time, saying what it was', () => {
    const i = incident({ impactStartedAt: b(15, 10), detectedAt: b(15, 12) });
    const t = setImpactTimes(i, [], { impactStartedAt: b(15, 8), detectedAt: null }, 'U2', now, berlin);
    expect(t.entries.map((e) => e.text)).toEqual([
      'Impact start set to 2026-11-23 15:08 (Europe/Berlin), was 2026-11-23 15:10 (Europe/Berlin)',
      'Detection time cleared (was 2026-11-23 15:12 (Europe/Berlin)): detection is the declaration again',
    ]);
  });

  it.each([
    [
      'impact after the declaration (the default detection)',
      {},
      { impactStartedAt: b(15, 25) },
      'impact.order',
      'after the declaration',
    ],
    [
      'impact after a recorded detection',
      { detectedAt: b(15, 12) },
      { impactStartedAt: b(15, 15) },
      'impact.order',
      'after detection',
    ],
    [
      'detection after the declaration',
      {},
      { detectedAt: b(15, 25) },
      'impact.order',
      'after the declaration',
    ],
    [
      'detection before a recorded impact',
      { impactStartedAt: b(15, 10) },
      { detectedAt: b(15, 5) },
      'impact.order',
      'Impact start',
    ],
    [
      'impact after the resolution',
      { status: 'resolved', resolvedAt: b(15, 22) },
      { impactStartedAt: b(15, 25) },
      'impact.order',
      'after the resolution',
    ],
    [
      'the same time again',
      { impactStartedAt: b(15, 10) },
      { impactStartedAt: b(15, 10) },
      'incident.unchanged',
      'already has',
    ],
  ] as const)('refuses %s', (_name, over, change, errorCode, words) => {
    const run = () => setImpactTimes(incident(over as Partial<Incident>), [], change, 'U2', now, berlin);
    expect(code(run)).toBe(errorCode);
    expect(run).toThrow(words);
  });
});
