/** The contract of paging: pages (one per service paged) and the outbox that delivers them to PagerDuty. */
import { expect, it } from 'vitest';
import { declare, newPage, T0, type UseStore } from './fixtures.js';

export function pageContract(use: UseStore): void {
  it('creates a pending page with its defaults', async () => {
    const store = use();
    await declare(store);
    const page = await store.pages.create(newPage(1, 'muster-1-search'));
    expect(page).toEqual({
      id: expect.any(Number),
      incidentNumber: 1,
      service: 'search',
      via: 'events',
      dedupKey: 'muster-1-search',
      pdIncidentId: null,
      status: 'pending',
      message: 'the index is down',
      severity: 2,
      requestedBy: 'U0ALICE',
      requestedAt: T0,
      triggeredAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      escalationPromptedAt: null,
      escalationLevel: 1,
      escalatedAt: null,
    });
    expect(await store.pages.get(page.id)).toEqual(page);
    expect(await store.pages.get(page.id + 100)).toBeNull();
  });

  it('refuses a dedup key already taken, and a page of an incident that does not exist', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await store.pages.create(newPage(1, 'k'));
    await expect(store.pages.create(newPage(2, 'k', { service: 'db' }))).rejects.toThrow(/UNIQUE/);
    await expect(store.pages.create(newPage(9, 'k9'))).rejects.toThrow();
    expect(await store.pages.list(2)).toEqual([]);
    expect(await store.pages.byDedupKey('k9')).toBeNull();
  });

  it('lists pages oldest first: of an incident, of a service, in some statuses', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const a = await store.pages.create(newPage(1, 'a'));
    const b = await store.pages.create(newPage(1, 'b', { service: 'db' }));
    const c = await store.pages.create(newPage(2, 'c'));
    const d = await store.pages.create(newPage(1, 'd'));
    await store.pages.update(a.id, { status: 'triggered', triggeredAt: T0 + 1 });
    await store.pages.update(c.id, { status: 'acknowledged' });
    await store.pages.update(d.id, { status: 'triggered' });
    expect((await store.pages.list(1)).map((p) => p.dedupKey)).toEqual(['a', 'b', 'd']);
    expect((await store.pages.forService(1, 'search')).map((p) => p.dedupKey)).toEqual(['a', 'd']);
    expect(await store.pages.forService(1, 'web')).toEqual([]);
    expect((await store.pages.withStatus(['triggered', 'acknowledged'])).map((p) => p.id)).toEqual([
      a.id,
      c.id,
      d.id,
    ]);
    expect(await store.pages.withStatus(['pending'])).toEqual([await store.pages.get(b.id)]);
    expect(await store.pages.withStatus([])).toEqual([]);
  });

  it('finds a page by dedup key and by PagerDuty incident id', async () => {
    const store = use();
    await declare(store);
    const page = await store.pages.create(newPage(1, 'k'));
    expect(await store.pages.byPdIncidentId('PD1')).toBeNull();
    const updated = await store.pages.update(page.id, {
      pdIncidentId: 'PD1',
      status: 'triggered',
      triggeredAt: T0 + 1,
    });
    expect(updated).toEqual({ ...page, pdIncidentId: 'PD1', status: 'triggered', triggeredAt: T0 + 1 });
    expect(await store.pages.byPdIncidentId('PD1')).toEqual(updated);
    expect(await store.pages.byDedupKey('k')).toEqual(updated);
    expect(await store.pages.byDedupKey('other')).toBeNull();
  });

  it('updates only what the patch carries, and refuses an unknown page or an empty patch', async () => {
    const store = use();
    await declare(store);
    const page = await store.pages.create(newPage(1, 'k'));
    const acked = await store.pages.update(page.id, {
      status: 'acknowledged',
      acknowledgedAt: T0 + 5,
      acknowledgedBy: 'Dana',
      escalationLevel: 2,
      escalatedAt: T0 + 4,
      message: undefined,
    });
    expect(acked).toEqual({
      ...page,
      status: 'acknowledged',
      acknowledgedAt: T0 + 5,
      acknowledgedBy: 'Dana',
      escalationLevel: 2,
      escalatedAt: T0 + 4,
    });
    // a redacted page message
    expect((await store.pages.update(page.id, { message: null })).message).toBeNull();
    await expect(store.pages.update(page.id + 100, { status: 'resolved' })).rejects.toThrow();
    await expect(store.pages.update(page.id, {})).rejects.toThrow();
  });

  it('claims the escalation prompt of a triggered page only over the prompt time the claimer read', async () => {
    const store = use();
    await declare(store);
    const page = await store.pages.create(newPage(1, 'k'));
    // a page PagerDuty has not taken yet is never prompted about
    expect(await store.pages.claimEscalationPrompt(page.id, null, T0 + 10)).toBeNull();
    const triggered = await store.pages.update(page.id, { status: 'triggered', triggeredAt: T0 + 1 });
    const claimed = await store.pages.claimEscalationPrompt(page.id, null, T0 + 10);
    expect(claimed).toEqual({ ...triggered, escalationPromptedAt: T0 + 10 });
    // a second run that read the page before that claim finds it taken, and changes nothing
    expect(await store.pages.claimEscalationPrompt(page.id, null, T0 + 11)).toBeNull();
    expect(await store.pages.get(page.id)).toEqual(claimed);
    // the next prompt is claimed over the last one's time
    expect(await store.pages.claimEscalationPrompt(page.id, T0 + 5, T0 + 20)).toBeNull();
    expect((await store.pages.claimEscalationPrompt(page.id, T0 + 10, T0 + 20))?.escalationPromptedAt).toBe(
      T0 + 20,
    );
    await store.pages.update(page.id, { status: 'acknowledged' });
    expect(await store.pages.claimEscalationPrompt(page.id, T0 + 20, T0 + 30)).toBeNull();
    expect(await store.pages.claimEscalationPrompt(page.id + 100, null, T0 + 30)).toBeNull();
  });
}

export function outboxContract(use: UseStore): void {
  const trigger = (pageId: number) => ({
    incidentNumber: 1,
    kind: 'pagerduty.trigger' as const,
    payload: { pageId },
  });

  it('queues a row due at once, with no incident required', async () => {
    const store = use();
    const row = await store.outbox.add(
      { incidentNumber: null, kind: 'pagerduty.escalate', payload: { pageId: 3, level: 2 } },
      T0,
    );
    expect(row).toEqual({
      id: expect.any(Number),
      incidentNumber: null,
      kind: 'pagerduty.escalate',
      payload: { pageId: 3, level: 2 },
      state: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
      delayNotifiedAt: null,
      createdAt: T0,
      deliveredAt: null,
    });
    expect(await store.outbox.get(row.id)).toEqual(row);
    expect(await store.outbox.get(row.id + 100)).toBeNull();
    expect(await store.outbox.due(T0 - 1)).toEqual([]);
    expect(await store.outbox.due(T0)).toEqual([row]);
  });

  it('retries later: counts the attempt, keeps the error (cut to 500 characters), may change the payload', async () => {
    const store = use();
    const row = await store.outbox.add(trigger(1), T0);
    const retried = await store.outbox.retryLater(row.id, {
      nextAttemptAt: T0 + 60_000,
      error: 'e'.repeat(800),
    });
    expect(retried).toEqual({ ...row, attempts: 1, nextAttemptAt: T0 + 60_000, lastError: 'e'.repeat(500) });
    expect(await store.outbox.due(T0 + 59_999)).toEqual([]);
    expect((await store.outbox.due(T0 + 60_000)).map((r) => r.id)).toEqual([row.id]);
    expect((await store.outbox.pending()).map((r) => r.id)).toEqual([row.id]);
    const again = await store.outbox.retryLater(row.id, {
      nextAttemptAt: T0 + 120_000,
      error: 'timeout',
      payload: { pageId: 1, maybeSent: true },
    });
    expect(again).toMatchObject({
      attempts: 2,
      lastError: 'timeout',
      payload: { pageId: 1, maybeSent: true },
    });
    await expect(store.outbox.retryLater(row.id + 100, { nextAttemptAt: T0, error: 'x' })).rejects.toThrow();
  });

  it('delivers, fails for good or cancels a row; none of them is pending or due again', async () => {
    const store = use();
    const delivered = await store.outbox.add(trigger(1), T0);
    const failed = await store.outbox.add(trigger(2), T0);
    const cancelled = await store.outbox.add(trigger(3), T0);
    const waiting = await store.outbox.add(trigger(4), T0 + 1);
    await store.outbox.retryLater(failed.id, { nextAttemptAt: T0, error: 'first try' });
    await store.outbox.markDelivered(delivered.id, T0 + 10);
    await store.outbox.markFailed(failed.id, `refused ${'x'.repeat(600)}`);
    await store.outbox.cancel(cancelled.id, 'the page never reached PagerDuty');
    expect(await store.outbox.get(delivered.id)).toMatchObject({
      state: 'delivered',
      deliveredAt: T0 + 10,
      attempts: 1,
    });
    expect(await store.outbox.get(failed.id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      deliveredAt: null,
    });
    expect((await store.outbox.get(failed.id))!.lastError).toHaveLength(500);
    expect(await store.outbox.get(cancelled.id)).toMatchObject({
      state: 'cancelled',
      attempts: 0,
      lastError: 'the page never reached PagerDuty',
    });
    expect((await store.outbox.pending()).map((r) => r.id)).toEqual([waiting.id]);
    expect((await store.outbox.due(T0 + 100)).map((r) => r.id)).toEqual([waiting.id]);
    await expect(store.outbox.markDelivered(999, T0)).resolves.toBeUndefined();
  });

  it('lists pending and due rows oldest first', async () => {
    const store = use();
    const ids: number[] = [];
    for (const p of [1, 2, 3]) ids.push((await store.outbox.add(trigger(p), T0 + p)).id);
    await store.outbox.retryLater(ids[0]!, { nextAttemptAt: T0 + 50, error: 'x' });
    expect((await store.outbox.pending()).map((r) => r.id)).toEqual(ids);
    expect((await store.outbox.due(T0 + 10)).map((r) => r.id)).toEqual([ids[1], ids[2]]);
    expect((await store.outbox.due(T0 + 50)).map((r) => r.id)).toEqual(ids);
  });

  it('claims the due rows nobody holds, oldest first, at most `limit`; an expired lease is taken over', async () => {
    const store = use();
    const ids: number[] = [];
    for (const p of [1, 2, 3, 4]) ids.push((await store.outbox.add(trigger(p), T0 + p)).id);
    await store.outbox.retryLater(ids[3]!, { nextAttemptAt: T0 + 50, error: 'x' });
    const claim = (owner: string, now: number, limit = 10) =>
      store.outbox.claimDue(now, { owner, until: now + 20_000, limit });
    const first = await claim('a', T0 + 10, 2);
    expect(first.map((r) => r.id)).toEqual([ids[0], ids[1]]);
    expect(first[0]).toEqual(await store.outbox.get(ids[0]!));
    // live leases are not taken, not even by their owner; the row not due yet waits
    expect((await claim('b', T0 + 10)).map((r) => r.id)).toEqual([ids[2]]);
    expect((await claim('a', T0 + 20_009)).map((r) => r.id)).toEqual([ids[3]]);
    // the first leases have expired: another worker takes those rows over
    expect((await claim('b', T0 + 20_010)).map((r) => r.id)).toEqual([ids[0], ids[1], ids[2]]);
    // claiming reads: pending and due still list every row
    expect((await store.outbox.pending()).map((r) => r.id)).toEqual(ids);
  });

  it('claims a page’s row only once its earlier rows are done, so a resolve never overtakes its trigger', async () => {
    const store = use();
    const trig = await store.outbox.add(trigger(1), T0);
    const resolve = await store.outbox.add(
      { incidentNumber: 1, kind: 'pagerduty.resolve', payload: { pageId: 1 } },
      T0,
    );
    const other = await store.outbox.add(trigger(2), T0);
    await store.outbox.retryLater(trig.id, { nextAttemptAt: T0 + 100, error: 'HTTP 503' });
    const claim = (owner: string, now: number) =>
      store.outbox.claimDue(now, { owner, until: now + 20_000, limit: 10 });
    // the trigger is not due: its resolve waits for it
    expect((await claim('a', T0 + 1)).map((r) => r.id)).toEqual([other.id]);
    // the trigger is held by a: its resolve still waits
    expect((await claim('a', T0 + 100)).map((r) => r.id)).toEqual([trig.id]);
    expect(await claim('b', T0 + 101)).toEqual([]);
    await store.outbox.markDelivered(trig.id, T0 + 102);
    expect((await claim('b', T0 + 103)).map((r) => r.id)).toEqual([resolve.id]);
  });

  it('hands a row to one of two workers claiming it at once', async () => {
    const store = use();
    const ids: number[] = [];
    for (let p = 1; p <= 12; p++) ids.push((await store.outbox.add(trigger(p), T0)).id);
    const claim = (owner: string, limit: number) =>
      store.outbox.claimDue(T0, { owner, until: T0 + 20_000, limit });
    const [a, b] = await Promise.all([claim('a', 100), claim('b', 100)]);
    expect([...a!, ...b!].map((r) => r.id).sort((x, y) => x - y)).toEqual(ids);
    const one = (await store.outbox.add(trigger(99), T0 + 1)).id;
    const [x, y] = await Promise.all([
      store.outbox.claimDue(T0 + 1, { owner: 'a', until: T0 + 9, limit: 1 }),
      store.outbox.claimDue(T0 + 1, { owner: 'b', until: T0 + 9, limit: 1 }),
    ]);
    expect([...x!, ...y!].map((r) => r.id)).toEqual([one]);
  });

  it('lets go of a lease on release by its owner and on every outcome', async () => {
    const store = use();
    const held = await store.outbox.add(trigger(1), T0);
    const retried = await store.outbox.add(trigger(2), T0);
    const claim = (owner: string, now: number) =>
      store.outbox.claimDue(now, { owner, until: now + 20_000, limit: 10 });
    expect(await claim('a', T0)).toHaveLength(2);
    await store.outbox.release(held.id, 'b');
    expect(await claim('b', T0 + 1)).toEqual([]);
    await store.outbox.release(held.id, 'a');
    await store.outbox.retryLater(retried.id, { nextAttemptAt: T0 + 5, error: 'HTTP 503' });
    expect((await claim('b', T0 + 5)).map((r) => r.id)).toEqual([held.id, retried.id]);
    // delivered, refused or cancelled: no longer pending, so never claimed again
    await store.outbox.markDelivered(held.id, T0 + 6);
    await store.outbox.cancel(retried.id, 'page gone');
    expect(await claim('c', T0 + 60_000)).toEqual([]);
    await expect(store.outbox.release(999, 'a')).resolves.toBeUndefined();
  });

  it('claims the delay notice of a row once', async () => {
    const store = use();
    const row = await store.outbox.add(trigger(1), T0);
    expect(await store.outbox.claimDelayNotice(row.id, T0 + 5)).toBe(true);
    expect(await store.outbox.claimDelayNotice(row.id, T0 + 6)).toBe(false);
    expect((await store.outbox.get(row.id))!.delayNotifiedAt).toBe(T0 + 5);
    expect(await store.outbox.claimDelayNotice(row.id + 100, T0)).toBe(false);
  });

  it('reports the backlog: how many are pending, and when the oldest was queued', async () => {
    const store = use();
    expect(await store.outbox.backlog()).toEqual({ pending: 0, oldestCreatedAt: null });
    const first = await store.outbox.add(trigger(1), T0);
    await store.outbox.add(trigger(2), T0 + 5);
    await store.outbox.add(trigger(3), T0 + 9);
    expect(await store.outbox.backlog()).toEqual({ pending: 3, oldestCreatedAt: T0 });
    await store.outbox.markDelivered(first.id, T0 + 10);
    expect(await store.outbox.backlog()).toEqual({ pending: 2, oldestCreatedAt: T0 + 5 });
  });

  it('keeps the payload as JSON, apart from the caller’s object', async () => {
    const store = use();
    const payload = { pageId: 1, extra: { a: 1 }, gone: undefined };
    const row = await store.outbox.add({ incidentNumber: 1, kind: 'pagerduty.resolve', payload }, T0);
    payload.extra.a = 2;
    row.payload.pageId = 99;
    expect((await store.outbox.get(row.id))!.payload).toEqual({ pageId: 1, extra: { a: 1 } });
    expect('gone' in (await store.outbox.get(row.id))!.payload).toBe(false);
  });
}
