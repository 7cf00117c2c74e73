import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { type Incident, STATUSES, type Status, transition, TRANSITIONS } from '../../src/domain/incident.js';
import { incidentRecord } from '../support/incident-record.js';
import { statusChanges } from '../../src/domain/key-times.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';

const DECLARED = Date.UTC(2026, 10, 23, 9, 0, 0);
const NOW = DECLARED + 30 * 60_000;

const incident = (over: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 7,
    title: 'checkout returns 500s',
    severity: 2,
    teamId: 'T0MUSTER',
    channelId: 'C0INC7',
    channelName: 'inc-7-checkout',
    declaredBy: 'U0ALICE',
    declaredAt: DECLARED,
    headlineTs: '1.1',
    announceTs: '2.2',
    updatedAt: DECLARED,
    ...over,
  });

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

/** What the status machine allows, written out pair by pair (not derived from TRANSITIONS). */
const ALLOWED: [Status, Status, boolean][] = [
  ['investigating', 'investigating', false],
  ['investigating', 'identified', true],
  ['investigating', 'monitoring', true],
  ['investigating', 'resolved', true],
  ['identified', 'investigating', false],
  ['identified', 'identified', false],
  ['identified', 'monitoring', true],
  ['identified', 'resolved', true],
  ['monitoring', 'investigating', true],
  ['monitoring', 'identified', true],
  ['monitoring', 'monitoring', false],
  ['monitoring', 'resolved', true],
  ['resolved', 'investigating', false],
  ['resolved', 'identified', false],
  ['resolved', 'monitoring', false],
  ['resolved', 'resolved', false],
];

describe('the status machine', () => {
  it('covers every pair of states', () => {
    expect(ALLOWED).toHaveLength(STATUSES.length ** 2);
  });

  it.each(ALLOWED)('%s -> %s allowed: %s', (from, to, allowed) => {
    const before = incident({ status: from, resolvedAt: from === 'resolved' ? NOW - 1000 : null });
    const run = () => transition(before, { kind: 'status', status: to, by: 'U0BOB' }, NOW);
    if (!allowed) {
      const e = refusal(run);
      expect(e.code).toBe(from === to ? 'incident.unchanged' : 'incident.invalid_transition');
      // the explanation names the allowed next states (or reopen, from resolved)
      for (const next of TRANSITIONS[from]) expect(e.message).toContain(`\`${next}\``);
      if (from === 'resolved') expect(e.message).toContain('/incident reopen');
      return;
    }
    const { incident: after, entries } = run();
    expect(after.status).toBe(to);
    expect(after.updatedAt).toBe(NOW);
    expect(before.status).toBe(from); // pure: the input is untouched
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      incidentNumber: 7,
      kind: to === 'resolved' ? 'resolved' : 'status',
      actor: 'U0BOB',
      occurredAt: NOW,
      meta: { from, to },
    });
    if (to === 'resolved') {
      expect(after.resolvedAt).toBe(NOW);
    } else {
      expect(entry!.meta).toEqual({ from, to });
      expect(after.resolvedAt).toBeNull();
    }
    expect(after.mitigatedAt).toBe(to === 'monitoring' ? NOW : null);
  });

  it('keeps the first mitigation time when monitoring is entered again', () => {
    const first = NOW - 10 * 60_000;
    const { incident: after } = transition(
      incident({ status: 'identified', mitigatedAt: first }),
      { kind: 'status', status: 'monitoring', by: 'U0BOB' },
      NOW,
    );
    expect(after.mitigatedAt).toBe(first);
  });

  it('resolve sets the time and the summary; without one it keeps the summary it had', () => {
    const { incident: after, entries } = transition(
      incident({ status: 'monitoring' }),
      { kind: 'resolve', summary: 'rolled back v42', by: 'U0ALICE' },
      NOW,
    );
    expect(after).toMatchObject({ status: 'resolved', resolvedAt: NOW, summary: 'rolled back v42' });
    expect(entries[0]).toMatchObject({
      kind: 'resolved',
      text: 'Resolved: rolled back v42',
      meta: { from: 'monitoring', to: 'resolved', summary: 'rolled back v42' },
    });
    const again = transition(
      incident({ status: 'identified', summary: 'earlier' }),
      { kind: 'resolve', summary: null, by: 'U0ALICE' },
      NOW,
    );
    expect(again.incident.summary).toBe('earlier');
    expect(again.entries[0]!.text).toBe('Resolved');
  });

  it('resolve of a resolved incident is refused with the way out', () => {
    const e = refusal(() =>
      transition(
        incident({ status: 'resolved', resolvedAt: NOW - 1 }),
        { kind: 'resolve', summary: null, by: 'U0ALICE' },
        NOW,
      ),
    );
    expect(e.code).toBe('incident.unchanged');
    expect(e.message).toContain('/incident reopen');
  });

  it('reopen returns to investigating and clears the resolution time', () => {
    const before = incident({
      status: 'resolved',
      resolvedAt: NOW - 60_000,
      summary: 'fixed',
      mitigatedAt: NOW - 120_000,
    });
    const { incident: after, entries } = transition(
      before,
      { kind: 'reopen', reason: 'errors are back', by: 'U0CAROL' },
      NOW,
    );
    expect(after).toMatchObject({ status: 'investigating', resolvedAt: null, mitigatedAt: NOW - 120_000 });
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'reopened',
        actor: 'U0CAROL',
        text: 'Reopened: errors are back',
        meta: { from: 'resolved', to: 'investigating', reason: 'errors are back' },
      }),
    ]);
  });

  it.each(['investigating', 'identified', 'monitoring'] as const)(
    'reopen of an incident that is %s is refused',
    (status) => {
      const e = refusal(() =>
        transition(incident({ status }), { kind: 'reopen', reason: null, by: 'U0CAROL' }, NOW),
      );
      expect(e.code).toBe('incident.not_resolved');
      expect(e.message).toContain(status);
    },
  );

  it.each([
    [2, 1, true],
    [2, 4, true],
    [2, 2, false],
  ] as const)('severity %i -> %i changes: %s', (from, to, changes) => {
    const run = () =>
      transition(incident({ severity: from }), { kind: 'severity', severity: to, by: 'U0BOB' }, NOW);
    if (!changes) {
      expect(refusal(run).code).toBe('incident.unchanged');
      return;
    }
    const { incident: after, entries } = run();
    expect(after.severity).toBe(to);
    expect(after.status).toBe('investigating');
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'severity',
        actor: 'U0BOB',
        occurredAt: NOW,
        text: `Severity changed from SEV-${from} to SEV-${to}`,
        meta: { from, to },
      }),
    ]);
  });

  it('writes entries the postmortem reads as status changes', () => {
    let current = incident();
    const entries: TimelineEntry[] = [];
    const steps = [
      { kind: 'status', status: 'identified' },
      { kind: 'status', status: 'monitoring' },
      { kind: 'resolve', summary: 'done' },
      { kind: 'reopen', reason: null },
      { kind: 'status', status: 'resolved' },
    ] as const;
    steps.forEach((step, i) => {
      const r = transition(current, { ...step, by: 'U0ALICE' }, NOW + i * 60_000);
      current = r.incident;
      for (const e of r.entries) {
        entries.push({
          ...e,
          id: entries.length + 1,
          number: entries.length + 1,
          redactedBy: null,
          redactedAt: null,
          recordedAt: e.occurredAt,
          state: 'active',
          originalText: null,
          meta: e.meta ?? {},
        });
      }
    });
    expect(statusChanges(entries).map((c) => `${c.from}>${c.to}`)).toEqual([
      'investigating>identified',
      'identified>monitoring',
      'monitoring>resolved',
      'resolved>investigating',
      'investigating>resolved',
    ]);
  });
});
