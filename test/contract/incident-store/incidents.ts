/** The contract of `store.incidents`: numbering, changes, lookups, listings, provisioning, role history. */
import { expect, it } from 'vitest';
import { declare, T0, type UseStore } from './fixtures.js';

export function incidentContract(use: UseStore): void {
  it('creates an incident with its defaults, and reads it back', () => {
    const store = use();
    const incident = store.incidents.create({
      title: 'search is slow',
      severity: 2,
      teamId: 'T0TEAM',
      declaredBy: 'U0ALICE',
      declaredAt: T0,
    });
    expect(incident).toEqual({
      number: 1,
      title: 'search is slow',
      description: '',
      severity: 2,
      status: 'investigating',
      teamId: 'T0TEAM',
      channelId: null,
      channelName: null,
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      impactStartedAt: null,
      detectedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      summary: null,
      headlineTs: null,
      announceTs: null,
      lastUpdateAt: null,
      updatedAt: T0,
    });
    expect(store.incidents.get(1)).toEqual(incident);
    expect(store.incidents.get(2)).toBeNull();
  });

  it('keeps when impact began and when it was detected, and clears them again', () => {
    const store = use();
    const { number } = declare(store);
    store.incidents.update(number, { impactStartedAt: T0 - 11 * 60_000, detectedAt: T0 - 60_000 }, T0 + 1);
    expect(store.incidents.get(number)).toMatchObject({
      impactStartedAt: T0 - 11 * 60_000,
      detectedAt: T0 - 60_000,
      updatedAt: T0 + 1,
    });
    store.incidents.update(number, { impactStartedAt: null, detectedAt: null }, T0 + 2);
    expect(store.incidents.get(number)).toMatchObject({ impactStartedAt: null, detectedAt: null });
  });

  it('hands out increasing numbers, and none to an incident rolled back', () => {
    const store = use();
    const first = declare(store);
    expect(() =>
      store.tx(() => {
        declare(store, { title: 'rolled back' });
        throw new Error('undo');
      }),
    ).toThrow('undo');
    const next = declare(store, { title: 'kept' });
    expect(next.number).toBeGreaterThan(first.number);
    expect(store.incidents.all().map((i) => i.title)).toEqual(['kept', 'search is slow']);
  });

  it('applies a partial change, stamps updatedAt, skips undefined members, and refuses an unknown incident', () => {
    const store = use();
    declare(store);
    const changed = store.incidents.update(
      1,
      {
        status: 'monitoring',
        mitigatedAt: T0 + 5,
        title: undefined,
        channelId: 'C0INC',
        channelName: 'inc-1',
      },
      T0 + 6,
    );
    expect(changed).toMatchObject({
      number: 1,
      title: 'search is slow',
      status: 'monitoring',
      mitigatedAt: T0 + 5,
      channelId: 'C0INC',
      channelName: 'inc-1',
      updatedAt: T0 + 6,
    });
    expect(store.incidents.get(1)).toEqual(changed);
    expect(() => store.incidents.update(9, { title: 'x' }, T0)).toThrow();
  });

  it('keeps channels unique: a second incident cannot take a channel, and is left as it was', () => {
    const store = use();
    declare(store);
    const other = declare(store, { title: 'other' });
    store.incidents.update(1, { channelId: 'C0INC' }, T0 + 1);
    expect(() =>
      store.incidents.update(other.number, { channelId: 'C0INC', title: 'renamed' }, T0 + 2),
    ).toThrow(/UNIQUE/);
    expect(store.incidents.get(other.number)).toEqual(other);
    // an incident may set its own channel again
    expect(store.incidents.update(1, { channelId: 'C0INC' }, T0 + 3).channelId).toBe('C0INC');
  });

  it('finds an incident by channel and by channel name', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    store.incidents.update(2, { channelId: 'C0TWO', channelName: 'inc-2-other' }, T0);
    expect(store.incidents.byChannel('C0TWO')?.number).toBe(2);
    expect(store.incidents.byChannelName('inc-2-other')?.number).toBe(2);
    expect(store.incidents.byChannel('C0NONE')).toBeNull();
    expect(store.incidents.byChannelName('inc-9')).toBeNull();
  });

  it('lists every incident and the open ones, newest first', () => {
    const store = use();
    for (const title of ['one', 'two', 'three', 'four']) declare(store, { title });
    store.incidents.update(2, { status: 'resolved', resolvedAt: T0 }, T0);
    store.incidents.update(3, { status: 'monitoring' }, T0);
    expect(store.incidents.all().map((i) => i.number)).toEqual([4, 3, 2, 1]);
    expect(store.incidents.listOpen().map((i) => i.number)).toEqual([4, 3, 1]);
  });

  it('tracks provisioning: pending, then follow-ups, then done', () => {
    const store = use();
    store.incidents.create({
      title: 'search is slow',
      severity: 1,
      teamId: 'T0TEAM',
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      declareResponseUrl: 'https://hooks.slack.test/r/1',
      declareChannelId: 'C0GENERAL',
    });
    declare(store, { title: 'second' });
    const pending = store.incidents.pendingProvisioning().sort((a, b) => a.number - b.number);
    expect(pending.map((p) => [p.number, p.provisioning, p.declareResponseUrl, p.declareChannelId])).toEqual([
      [1, 'pending', 'https://hooks.slack.test/r/1', 'C0GENERAL'],
      [2, 'pending', null, null],
    ]);
    expect(pending[0]).toMatchObject({ title: 'search is slow', severity: 1, status: 'investigating' });
    store.incidents.markProvisioned(1, T0 + 1, 'followups');
    store.incidents.markProvisioned(2, T0 + 2);
    expect(store.incidents.pendingProvisioning().map((p) => [p.number, p.provisioning])).toEqual([
      [1, 'followups'],
    ]);
    expect(store.incidents.get(2)!.updatedAt).toBe(T0 + 2);
    store.incidents.markProvisioned(1, T0 + 3, 'done');
    expect(store.incidents.pendingProvisioning()).toEqual([]);
    // an unknown incident is nothing to mark
    expect(() => store.incidents.markProvisioned(9, T0)).not.toThrow();
  });

  it('hands a role over: the previous holder is returned, their term ended, the history kept in order', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    expect(store.incidents.assignRole(1, 'ic', 'U0ALICE', 'U0ALICE', T0)).toBeNull();
    expect(store.incidents.assignRole(1, 'scribe', 'U0CAROL', 'U0ALICE', T0)).toBeNull();
    expect(store.incidents.assignRole(1, 'ic', 'U0BOB', 'U0ALICE', T0 + 10)).toBe('U0ALICE');
    // the holder again: nothing changes, and they are returned as the previous holder
    expect(store.incidents.assignRole(1, 'ic', 'U0BOB', 'U0CAROL', T0 + 20)).toBe('U0BOB');
    store.incidents.assignRole(2, 'ic', 'U0DAN', 'U0DAN', T0);
    expect(store.incidents.holders(1)).toEqual({ ic: 'U0BOB', scribe: 'U0CAROL' });
    expect(store.incidents.holders(2)).toEqual({ ic: 'U0DAN' });
    expect(store.incidents.holders(3)).toEqual({});
    expect(store.incidents.roleHistory(1)).toEqual([
      { role: 'ic', userId: 'U0ALICE', assignedBy: 'U0ALICE', assignedAt: T0, endedAt: T0 + 10 },
      { role: 'scribe', userId: 'U0CAROL', assignedBy: 'U0ALICE', assignedAt: T0, endedAt: null },
      { role: 'ic', userId: 'U0BOB', assignedBy: 'U0ALICE', assignedAt: T0 + 10, endedAt: null },
    ]);
    expect(store.incidents.roleHistory(3)).toEqual([]);
  });

  it('orders role history by time, then by when it was recorded', () => {
    const store = use();
    declare(store);
    store.incidents.assignRole(1, 'comms', 'U0LATE', 'U0ALICE', T0 + 50);
    store.incidents.assignRole(1, 'tech', 'U0EARLY', 'U0ALICE', T0);
    store.incidents.assignRole(1, 'scribe', 'U0EARLY2', 'U0ALICE', T0);
    expect(store.incidents.roleHistory(1).map((r) => r.userId)).toEqual(['U0EARLY', 'U0EARLY2', 'U0LATE']);
  });

  it('refuses a role in an incident that does not exist', () => {
    expect(() => use().incidents.assignRole(9, 'ic', 'U0ALICE', 'U0ALICE', T0)).toThrow();
  });

  it('returns copies: changing one changes nothing stored', () => {
    const store = use();
    const incident = declare(store);
    incident.title = 'changed';
    store.incidents.get(1)!.status = 'resolved';
    store.incidents.all()[0]!.summary = 'x';
    expect(store.incidents.get(1)).toMatchObject({
      title: 'search is slow',
      status: 'investigating',
      summary: null,
    });
  });
}
