/** The contract of `store.incidents`: numbering, changes, lookups, listings, provisioning, role history. */
import { expect, it } from 'vitest';
import { declare, T0, type UseStore } from './fixtures.js';

export function incidentContract(use: UseStore): void {
  it('creates an incident with its defaults, and reads it back', async () => {
    const store = use();
    const incident = await store.incidents.create({
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
      private: false,
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
    expect(await store.incidents.get(1)).toEqual(incident);
    expect(await store.incidents.get(2)).toBeNull();
  });

  it('keeps a private incident private, and lists private incidents only when asked', async () => {
    const store = use();
    await declare(store, { title: 'public one' });
    const secret = await store.incidents.create({
      title: 'acquisition leak',
      severity: 1,
      teamId: 'T0TEAM',
      declaredBy: 'U0ALICE',
      declaredAt: T0 + 1,
      private: true,
    });
    expect(secret.private).toBe(true);
    expect(await store.incidents.get(secret.number)).toMatchObject({ private: true });
    expect((await store.incidents.all({ includePrivate: false })).map((i) => i.title)).toEqual([
      'public one',
    ]);
    expect((await store.incidents.all({ includePrivate: true })).map((i) => i.title)).toEqual([
      'acquisition leak',
      'public one',
    ]);
    expect((await store.incidents.all()).map((i) => i.title)).toEqual(['acquisition leak', 'public one']);
    expect((await store.incidents.listOpen()).map((i) => i.private)).toEqual([true, false]);
  });

  it('keeps when impact began and when it was detected, and clears them again', async () => {
    const store = use();
    const { number } = await declare(store);
    await store.incidents.update(
      number,
      { impactStartedAt: T0 - 11 * 60_000, detectedAt: T0 - 60_000 },
      T0 + 1,
    );
    expect(await store.incidents.get(number)).toMatchObject({
      impactStartedAt: T0 - 11 * 60_000,
      detectedAt: T0 - 60_000,
      updatedAt: T0 + 1,
    });
    await store.incidents.update(number, { impactStartedAt: null, detectedAt: null }, T0 + 2);
    expect(await store.incidents.get(number)).toMatchObject({ impactStartedAt: null, detectedAt: null });
  });

  it('hands out increasing numbers, and none to an incident rolled back', async () => {
    const store = use();
    const first = await declare(store);
    await expect(
      store.tx(async () => {
        await declare(store, { title: 'rolled back' });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const next = await declare(store, { title: 'kept' });
    expect(next.number).toBeGreaterThan(first.number);
    expect((await store.incidents.all()).map((i) => i.title)).toEqual(['kept', 'search is slow']);
  });

  it('applies a partial change, stamps updatedAt, skips undefined members, and refuses an unknown incident', async () => {
    const store = use();
    await declare(store);
    const changed = await store.incidents.update(
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
    expect(await store.incidents.get(1)).toEqual(changed);
    await expect(store.incidents.update(9, { title: 'x' }, T0)).rejects.toThrow();
  });

  it('keeps channels unique: a second incident cannot take a channel, and is left as it was', async () => {
    const store = use();
    await declare(store);
    const other = await declare(store, { title: 'other' });
    await store.incidents.update(1, { channelId: 'C0INC' }, T0 + 1);
    await expect(
      store.incidents.update(other.number, { channelId: 'C0INC', title: 'renamed' }, T0 + 2),
    ).rejects.toThrow(/UNIQUE/);
    expect(await store.incidents.get(other.number)).toEqual(other);
    // an incident may set its own channel again
    expect((await store.incidents.update(1, { channelId: 'C0INC' }, T0 + 3)).channelId).toBe('C0INC');
  });

  it('finds an incident by channel and by channel name', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await store.incidents.update(2, { channelId: 'C0TWO', channelName: 'inc-2-other' }, T0);
    expect((await store.incidents.byChannel('C0TWO'))?.number).toBe(2);
    expect((await store.incidents.byChannelName('inc-2-other'))?.number).toBe(2);
    expect(await store.incidents.byChannel('C0NONE')).toBeNull();
    expect(await store.incidents.byChannelName('inc-9')).toBeNull();
  });

  it('lists every incident and the open ones, newest first', async () => {
    const store = use();
    for (const title of ['one', 'two', 'three', 'four']) await declare(store, { title });
    await store.incidents.update(2, { status: 'resolved', resolvedAt: T0 }, T0);
    await store.incidents.update(3, { status: 'monitoring' }, T0);
    expect((await store.incidents.all()).map((i) => i.number)).toEqual([4, 3, 2, 1]);
    expect((await store.incidents.listOpen()).map((i) => i.number)).toEqual([4, 3, 1]);
  });

  it('tracks provisioning: pending, then follow-ups, then done', async () => {
    const store = use();
    await store.incidents.create({
      title: 'search is slow',
      severity: 1,
      teamId: 'T0TEAM',
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      declareResponseUrl: 'https://hooks.slack.test/r/1',
      declareChannelId: 'C0GENERAL',
    });
    await declare(store, { title: 'second' });
    const pending = (await store.incidents.pendingProvisioning()).sort((a, b) => a.number - b.number);
    expect(pending.map((p) => [p.number, p.provisioning, p.declareResponseUrl, p.declareChannelId])).toEqual([
      [1, 'pending', 'https://hooks.slack.test/r/1', 'C0GENERAL'],
      [2, 'pending', null, null],
    ]);
    expect(pending[0]).toMatchObject({ title: 'search is slow', severity: 1, status: 'investigating' });
    await store.incidents.markProvisioned(1, T0 + 1, 'followups');
    await store.incidents.markProvisioned(2, T0 + 2);
    expect((await store.incidents.pendingProvisioning()).map((p) => [p.number, p.provisioning])).toEqual([
      [1, 'followups'],
    ]);
    expect((await store.incidents.get(2))!.updatedAt).toBe(T0 + 2);
    await store.incidents.markProvisioned(1, T0 + 3, 'done');
    expect(await store.incidents.pendingProvisioning()).toEqual([]);
    // an unknown incident is nothing to mark
    await expect(store.incidents.markProvisioned(9, T0)).resolves.toBeUndefined();
  });

  it('leases provisioning: held from the insert, renewed by its holder, claimed once it is abandoned or free', async () => {
    const store = use();
    const lease = { owner: 'instance-a', until: T0 + 20 };
    const held = { title: 'held', severity: 2 as const, teamId: 'T0', declaredBy: 'U0A', declaredAt: T0 };
    await store.incidents.create({ ...held, provisioningLease: lease }); // 1: held by a
    await declare(store, { title: 'free' }); // 2: nobody holds it (stored before leases, or failed)
    await store.incidents.create({ ...held, title: 'done', provisioningLease: lease }); // 3
    await store.incidents.markProvisioned(3, T0, 'done');
    const claim = (owner: string, now: number, which: 'abandoned' | 'all', limit = 10) =>
      store.incidents.claimProvisioning({ owner, until: now + 1000, now, limit, which });
    // a live lease is nobody else's to take; a free one is taken only when asked for all
    expect(await claim('instance-b', T0 + 5, 'abandoned')).toEqual([]);
    expect((await claim('instance-b', T0 + 5, 'all')).map((p) => p.number)).toEqual([2]);
    expect(await claim('instance-c', T0 + 5, 'all')).toEqual([]);
    // the holder renews; another instance cannot
    expect(await store.incidents.renewProvisioning(1, 'instance-a', T0 + 40)).toBe(true);
    expect(await store.incidents.renewProvisioning(1, 'instance-b', T0 + 90)).toBe(false);
    expect(await claim('instance-b', T0 + 30, 'abandoned')).toEqual([]);
    // once a's lease is over, it is abandoned: one claimer gets it, with what resuming needs
    const [taken] = await claim('instance-b', T0 + 40, 'abandoned');
    expect(taken).toMatchObject({
      number: 1,
      title: 'held',
      provisioning: 'pending',
      declareResponseUrl: null,
    });
    expect(await store.incidents.renewProvisioning(1, 'instance-a', T0 + 60)).toBe(false);
    expect(await store.incidents.renewProvisioning(1, 'instance-b', T0 + 60)).toBe(true);
    // a release by someone else changes nothing; by the holder, it frees the row for the next start only
    await store.incidents.releaseProvisioning(1, 'instance-a');
    expect(await claim('instance-c', T0 + 50, 'all')).toEqual([]);
    await store.incidents.releaseProvisioning(1, 'instance-b');
    expect(await claim('instance-c', T0 + 50, 'abandoned')).toEqual([]);
    expect((await claim('instance-c', T0 + 50, 'all', 1)).map((p) => p.number)).toEqual([1]);
    // follow-ups keep the lease; done lets go of it, and nothing done is ever claimed or renewed
    await store.incidents.markProvisioned(1, T0 + 51, 'followups');
    expect(await store.incidents.renewProvisioning(1, 'instance-c', T0 + 80)).toBe(true);
    await store.incidents.markProvisioned(1, T0 + 52, 'done');
    expect(await store.incidents.renewProvisioning(1, 'instance-c', T0 + 90)).toBe(false);
    expect((await claim('instance-d', T0 + 2000, 'all')).map((p) => p.number)).toEqual([2]);
    // two claimers at once never get the same incident
    await store.incidents.markProvisioned(2, T0 + 2000, 'followups');
    const both = await Promise.all([
      claim('instance-e', T0 + 4000, 'all'),
      claim('instance-f', T0 + 4000, 'all'),
    ]);
    expect(both.flat().map((p) => p.number)).toEqual([2]);
    expect(both.flat()[0]!.provisioning).toBe('followups');
  });

  it('hands a role over: the previous holder is returned, their term ended, the history kept in order', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    expect(await store.incidents.assignRole(1, 'ic', 'U0ALICE', 'U0ALICE', T0)).toBeNull();
    expect(await store.incidents.assignRole(1, 'scribe', 'U0CAROL', 'U0ALICE', T0)).toBeNull();
    expect(await store.incidents.assignRole(1, 'ic', 'U0BOB', 'U0ALICE', T0 + 10)).toBe('U0ALICE');
    // the holder again: nothing changes, and they are returned as the previous holder
    expect(await store.incidents.assignRole(1, 'ic', 'U0BOB', 'U0CAROL', T0 + 20)).toBe('U0BOB');
    await store.incidents.assignRole(2, 'ic', 'U0DAN', 'U0DAN', T0);
    expect(await store.incidents.holders(1)).toEqual({ ic: 'U0BOB', scribe: 'U0CAROL' });
    expect(await store.incidents.holders(2)).toEqual({ ic: 'U0DAN' });
    expect(await store.incidents.holders(3)).toEqual({});
    expect(await store.incidents.roleHistory(1)).toEqual([
      { role: 'ic', userId: 'U0ALICE', assignedBy: 'U0ALICE', assignedAt: T0, endedAt: T0 + 10 },
      { role: 'scribe', userId: 'U0CAROL', assignedBy: 'U0ALICE', assignedAt: T0, endedAt: null },
      { role: 'ic', userId: 'U0BOB', assignedBy: 'U0ALICE', assignedAt: T0 + 10, endedAt: null },
    ]);
    expect(await store.incidents.roleHistory(3)).toEqual([]);
  });

  it('orders role history by time, then by when it was recorded', async () => {
    const store = use();
    await declare(store);
    await store.incidents.assignRole(1, 'comms', 'U0LATE', 'U0ALICE', T0 + 50);
    await store.incidents.assignRole(1, 'tech', 'U0EARLY', 'U0ALICE', T0);
    await store.incidents.assignRole(1, 'scribe', 'U0EARLY2', 'U0ALICE', T0);
    expect((await store.incidents.roleHistory(1)).map((r) => r.userId)).toEqual([
      'U0EARLY',
      'U0EARLY2',
      'U0LATE',
    ]);
  });

  it('refuses a role in an incident that does not exist', async () => {
    await expect(use().incidents.assignRole(9, 'ic', 'U0ALICE', 'U0ALICE', T0)).rejects.toThrow();
  });

  it('returns copies: changing one changes nothing stored', async () => {
    const store = use();
    const incident = await declare(store);
    incident.title = 'changed';
    (await store.incidents.get(1))!.status = 'resolved';
    (await store.incidents.all())[0]!.summary = 'x';
    expect(await store.incidents.get(1)).toMatchObject({
      title: 'search is slow',
      status: 'investigating',
      summary: null,
    });
  });
}
