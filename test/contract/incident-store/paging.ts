/** The contract of paging: pages (one per service paged) and the outbox that delivers them to PagerDuty. */
import { expect, it } from 'vitest';
import { declare, newPage, T0, type UseStore } from './fixtures.js';

export function pageContract(use: UseStore): void {
  it('creates a pending page with its defaults', () => {
    const store = use();
    declare(store);
    const page = store.pages.create(newPage(1, 'muster-1-search'));
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
    expect(store.pages.get(page.id)).toEqual(page);
    expect(store.pages.get(page.id + 100)).toBeNull();
  });

  it('refuses a dedup key already taken, and a page of an incident that does not exist', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    store.pages.create(newPage(1, 'k'));
    expect(() => store.pages.create(newPage(2, 'k', { service: 'db' }))).toThrow(/UNIQUE/);
    expect(() => store.pages.create(newPage(9, 'k9'))).toThrow();
    expect(store.pages.list(2)).toEqual([]);
    expect(store.pages.byDedupKey('k9')).toBeNull();
  });

  it('lists pages oldest first: of an incident, of a service, in some statuses', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    const a = store.pages.create(newPage(1, 'a'));
    const b = store.pages.create(newPage(1, 'b', { service: 'db' }));
    const c = store.pages.create(newPage(2, 'c'));
    const d = store.pages.create(newPage(1, 'd'));
    store.pages.update(a.id, { status: 'triggered', triggeredAt: T0 + 1 });
    store.pages.update(c.id, { status: 'acknowledged' });
    store.pages.update(d.id, { status: 'triggered' });
    expect(store.pages.list(1).map((p) => p.dedupKey)).toEqual(['a', 'b', 'd']);
    expect(store.pages.forService(1, 'search').map((p) => p.dedupKey)).toEqual(['a', 'd']);
    expect(store.pages.forService(1, 'web')).toEqual([]);
    expect(store.pages.withStatus(['triggered', 'acknowledged']).map((p) => p.id)).toEqual([
      a.id,
      c.id,
      d.id,
    ]);
    expect(store.pages.withStatus(['pending'])).toEqual([store.pages.get(b.id)]);
    expect(store.pages.withStatus([])).toEqual([]);
  });

  it('finds a page by dedup key and by PagerDuty incident id', () => {
    const store = use();
    declare(store);
    const page = store.pages.create(newPage(1, 'k'));
    expect(store.pages.byPdIncidentId('PD1')).toBeNull();
    const updated = store.pages.update(page.id, {
      pdIncidentId: 'PD1',
      status: 'triggered',
      triggeredAt: T0 + 1,
    });
    expect(updated).toEqual({ ...page, pdIncidentId: 'PD1', status: 'triggered', triggeredAt: T0 + 1 });
    expect(store.pages.byPdIncidentId('PD1')).toEqual(updated);
    expect(store.pages.byDedupKey('k')).toEqual(updated);
    expect(store.pages.byDedupKey('other')).toBeNull();
  });

  it('updates only what the patch carries, and refuses an unknown page or an empty patch', () => {
    const store = use();
    declare(store);
    const page = store.pages.create(newPage(1, 'k'));
    const acked = store.pages.update(page.id, {
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
    expect(store.pages.update(page.id, { message: null }).message).toBeNull();
    expect(() => store.pages.update(page.id + 100, { status: 'resolved' })).toThrow();
    expect(() => store.pages.update(page.id, {})).toThrow();
  });
}

export function outboxContract(use: UseStore): void {
  const trigger = (pageId: number) => ({
    incidentNumber: 1,
    kind: 'pagerduty.trigger' as const,
    payload: { pageId },
  });

  it('queues a row due at once, with no incident required', () => {
    const store = use();
    const row = store.outbox.add(
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
    expect(store.outbox.get(row.id)).toEqual(row);
    expect(store.outbox.get(row.id + 100)).toBeNull();
    expect(store.outbox.due(T0 - 1)).toEqual([]);
    expect(store.outbox.due(T0)).toEqual([row]);
  });

  it('retries later: counts the attempt, keeps the error (cut to 500 characters), may change the payload', () => {
    const store = use();
    const row = store.outbox.add(trigger(1), T0);
    const retried = store.outbox.retryLater(row.id, { nextAttemptAt: T0 + 60_000, error: 'e'.repeat(800) });
    expect(retried).toEqual({ ...row, attempts: 1, nextAttemptAt: T0 + 60_000, lastError: 'e'.repeat(500) });
    expect(store.outbox.due(T0 + 59_999)).toEqual([]);
    expect(store.outbox.due(T0 + 60_000).map((r) => r.id)).toEqual([row.id]);
    expect(store.outbox.pending().map((r) => r.id)).toEqual([row.id]);
    const again = store.outbox.retryLater(row.id, {
      nextAttemptAt: T0 + 120_000,
      error: 'timeout',
      payload: { pageId: 1, maybeSent: true },
    });
    expect(again).toMatchObject({
      attempts: 2,
      lastError: 'timeout',
      payload: { pageId: 1, maybeSent: true },
    });
    expect(() => store.outbox.retryLater(row.id + 100, { nextAttemptAt: T0, error: 'x' })).toThrow();
  });

  it('delivers, fails for good or cancels a row; none of them is pending or due again', () => {
    const store = use();
    const delivered = store.outbox.add(trigger(1), T0);
    const failed = store.outbox.add(trigger(2), T0);
    const cancelled = store.outbox.add(trigger(3), T0);
    const waiting = store.outbox.add(trigger(4), T0 + 1);
    store.outbox.retryLater(failed.id, { nextAttemptAt: T0, error: 'first try' });
    store.outbox.markDelivered(delivered.id, T0 + 10);
    store.outbox.markFailed(failed.id, `refused ${'x'.repeat(600)}`);
    store.outbox.cancel(cancelled.id, 'the page never reached PagerDuty');
    expect(store.outbox.get(delivered.id)).toMatchObject({
      state: 'delivered',
      deliveredAt: T0 + 10,
      attempts: 1,
    });
    expect(store.outbox.get(failed.id)).toMatchObject({ state: 'failed', attempts: 2, deliveredAt: null });
    expect(store.outbox.get(failed.id)!.lastError).toHaveLength(500);
    expect(store.outbox.get(cancelled.id)).toMatchObject({
      state: 'cancelled',
      attempts: 0,
      lastError: 'the page never reached PagerDuty',
    });
    expect(store.outbox.pending().map((r) => r.id)).toEqual([waiting.id]);
    expect(store.outbox.due(T0 + 100).map((r) => r.id)).toEqual([waiting.id]);
    expect(() => store.outbox.markDelivered(999, T0)).not.toThrow();
  });

  it('lists pending and due rows oldest first', () => {
    const store = use();
    const ids = [1, 2, 3].map((p) => store.outbox.add(trigger(p), T0 + p).id);
    store.outbox.retryLater(ids[0]!, { nextAttemptAt: T0 + 50, error: 'x' });
    expect(store.outbox.pending().map((r) => r.id)).toEqual(ids);
    expect(store.outbox.due(T0 + 10).map((r) => r.id)).toEqual([ids[1], ids[2]]);
    expect(store.outbox.due(T0 + 50).map((r) => r.id)).toEqual(ids);
  });

  it('claims the delay notice of a row once', () => {
    const store = use();
    const row = store.outbox.add(trigger(1), T0);
    expect(store.outbox.claimDelayNotice(row.id, T0 + 5)).toBe(true);
    expect(store.outbox.claimDelayNotice(row.id, T0 + 6)).toBe(false);
    expect(store.outbox.get(row.id)!.delayNotifiedAt).toBe(T0 + 5);
    expect(store.outbox.claimDelayNotice(row.id + 100, T0)).toBe(false);
  });

  it('reports the backlog: how many are pending, and when the oldest was queued', () => {
    const store = use();
    expect(store.outbox.backlog()).toEqual({ pending: 0, oldestCreatedAt: null });
    const first = store.outbox.add(trigger(1), T0);
    store.outbox.add(trigger(2), T0 + 5);
    store.outbox.add(trigger(3), T0 + 9);
    expect(store.outbox.backlog()).toEqual({ pending: 3, oldestCreatedAt: T0 });
    store.outbox.markDelivered(first.id, T0 + 10);
    expect(store.outbox.backlog()).toEqual({ pending: 2, oldestCreatedAt: T0 + 5 });
  });

  it('keeps the payload as JSON, apart from the caller’s object', () => {
    const store = use();
    const payload = { pageId: 1, extra: { a: 1 }, gone: undefined };
    const row = store.outbox.add({ incidentNumber: 1, kind: 'pagerduty.resolve', payload }, T0);
    payload.extra.a = 2;
    row.payload.pageId = 99;
    expect(store.outbox.get(row.id)!.payload).toEqual({ pageId: 1, extra: { a: 1 } });
    expect('gone' in store.outbox.get(row.id)!.payload).toBe(false);
  });
}
