/** The contract of action items' follow-ups: the tracker outbox, its leases, the issue, and the poll's order. */
import { expect, it } from 'vitest';
import type { FollowUpTarget, TrackerIssueRef } from '../../../src/domain/ports/tracker.js';
import type { IncidentStore } from '../../../src/domain/ports.js';
import { declare, T0, type UseStore } from './fixtures.js';

const OPS: FollowUpTarget = { tracker: 'jira', project: 'OPS', issueType: 'Task' };
const REPO: FollowUpTarget = { tracker: 'github', repo: 'acme/checkout' };
const issue = (n: number): TrackerIssueRef => ({
  tracker: 'jira',
  id: `1000${n}`,
  key: `OPS-${n}`,
  url: `https://acme.atlassian.net/browse/OPS-${n}`,
});

async function action(store: IncidentStore, text = 'rotate the keys', incidentNumber = 1) {
  return store.actions.add({
    incidentNumber,
    text,
    ownerId: 'U0BOB',
    priority: 'p1',
    due: '2026-12-01',
    createdBy: 'U0ALICE',
    createdAt: T0,
  });
}

async function queued(store: IncidentStore, text?: string, target: FollowUpTarget = OPS) {
  const a = await action(store, text);
  expect(
    await store.followUps.queue({
      actionId: a.id,
      target,
      idempotencyKey: `muster-T0TEAM-action-${a.id}`,
      now: T0,
    }),
  ).toBe(true);
  return a;
}

const lease = (owner: string, until = T0 + 60_000, limit = 10) => ({ owner, until, limit });

export function actionFollowUpContract(use: UseStore): void {
  it('sets and clears an owner, and reopens a done item once', async () => {
    const store = use();
    await declare(store);
    const a = await action(store);
    expect(await store.actions.setOwner(a.id, 'U0CAROL')).toBe(true);
    expect((await store.actions.get(a.id))?.ownerId).toBe('U0CAROL');
    expect(await store.actions.setOwner(a.id, null)).toBe(true);
    expect((await store.actions.get(a.id))?.ownerId).toBeNull();
    expect(await store.actions.setOwner(a.id + 100, 'U0BOB')).toBe(false);
    expect(await store.actions.reopen(a.id)).toBe(false);
    await store.actions.markDone(a.id, 'U0BOB', T0 + 5);
    expect(await store.actions.reopen(a.id)).toBe(true);
    expect(await store.actions.reopen(a.id)).toBe(false);
    expect(await store.actions.get(a.id)).toEqual({ ...a, ownerId: null, doneAt: null, doneBy: null });
  });
}

export function openActionsContract(use: UseStore): void {
  const add = (
    incidentNumber: number,
    text: string,
    ownerId: string | null,
    due: string | null,
    priority = 'p1',
  ) =>
    use().actions.add({
      incidentNumber,
      text,
      ownerId,
      priority: priority as 'p1',
      due,
      createdBy: 'U0ALICE',
      createdAt: T0,
    });

  it('lists open items across incidents, by incident then priority, leaving private ones out when asked', async () => {
    const store = use();
    await declare(store);
    await store.incidents.create({
      title: 'secret',
      severity: 2,
      teamId: 'T0TEAM',
      declaredBy: 'U0ALICE',
      declaredAt: T0,
      private: true,
    });
    await declare(store, { title: 'third' });
    const done = await add(1, 'done already', 'U0BOB', null);
    await store.actions.markDone(done.id, 'U0BOB', T0);
    await add(3, 'third p1', null, null);
    await add(1, 'first p2', 'U0BOB', null, 'p2');
    await add(2, 'secret p0', 'U0BOB', null, 'p0');
    await add(1, 'first p0', 'U0BOB', null, 'p0');
    expect((await store.actions.listOpen({ includePrivate: true })).map((a) => a.text)).toEqual([
      'first p0',
      'first p2',
      'secret p0',
      'third p1',
    ]);
    expect((await store.actions.listOpen({ includePrivate: false })).map((a) => a.text)).toEqual([
      'first p0',
      'first p2',
      'third p1',
    ]);
  });

  it('groups open items past due per owner, leaving out the done, the unowned and the not yet due', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await add(2, 'carol late', 'U0CAROL', '2026-11-01');
    await add(1, 'bob late p2', 'U0BOB', '2026-11-20', 'p2');
    await add(1, 'bob due today', 'U0BOB', '2026-11-23');
    await add(1, 'nobody late', null, '2026-11-01');
    await add(1, 'bob no date', 'U0BOB', null);
    await add(2, 'bob late elsewhere', 'U0BOB', '2026-11-02', 'p0');
    await add(1, 'bob late p0', 'U0BOB', '2026-11-22', 'p0');
    const done = await add(1, 'bob done', 'U0BOB', '2026-11-01');
    await store.actions.markDone(done.id, 'U0BOB', T0);
    const groups = await store.actions.overdueByOwner('2026-11-23');
    expect(groups.map((g) => [g.ownerId, g.items.map((a) => a.text)])).toEqual([
      ['U0BOB', ['bob late p0', 'bob late p2', 'bob late elsewhere']],
      ['U0CAROL', ['carol late']],
    ]);
  });

  it('claims an owner’s weekly reminder once per week, and gives it back', async () => {
    const store = use();
    expect(await store.actions.claimOwnerReminder('U0BOB', '2026-W48', T0)).toBe(true);
    expect(await store.actions.claimOwnerReminder('U0BOB', '2026-W48', T0 + 1)).toBe(false);
    expect(await store.actions.claimOwnerReminder('U0CAROL', '2026-W48', T0)).toBe(true);
    expect(await store.actions.claimOwnerReminder('U0BOB', '2026-W49', T0)).toBe(true);
    await store.actions.releaseOwnerReminder('U0BOB', '2026-W48');
    expect(await store.actions.claimOwnerReminder('U0BOB', '2026-W48', T0 + 2)).toBe(true);
  });
}

export function trackerOutboxContract(use: UseStore): void {
  it('queues one follow-up per action, pending and due at once, with its key and target', async () => {
    const store = use();
    await declare(store);
    const a = await queued(store, 'rotate the keys', REPO);
    expect(await store.followUps.get(a.id)).toEqual({
      actionId: a.id,
      incidentNumber: 1,
      target: REPO,
      idempotencyKey: `muster-T0TEAM-action-${a.id}`,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
      failureNotifiedAt: null,
      issue: null,
      checkedAt: null,
      createdAt: T0,
      claimedBy: null,
      claimedUntil: null,
    });
    expect(
      await store.followUps.queue({ actionId: a.id, target: OPS, idempotencyKey: 'other', now: T0 + 1 }),
    ).toBe(false);
    expect((await store.followUps.get(a.id))?.target).toEqual(REPO);
    expect(await store.followUps.get(a.id + 100)).toBeNull();
    await expect(
      store.followUps.queue({ actionId: a.id + 100, target: OPS, idempotencyKey: 'orphan', now: T0 }),
    ).rejects.toThrow();
  });

  it('lands with its action in one transaction, or not at all', async () => {
    const store = use();
    await declare(store);
    await expect(
      store.tx(async () => {
        await queued(store);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.followUps.ofIncident(1)).toEqual([]);
    expect(await store.actions.list(1)).toEqual([]);
  });

  it('leases due rows to one owner at a time, counting each attempt, until the lease expires', async () => {
    const store = use();
    await declare(store);
    const a = await queued(store, 'one');
    const b = await queued(store, 'two');
    const first = await store.followUps.claimDue(T0, lease('i-1', T0 + 60_000, 1));
    expect(first.map((f) => [f.actionId, f.attempts, f.claimedBy, f.claimedUntil])).toEqual([
      [a.id, 1, 'i-1', T0 + 60_000],
    ]);
    expect((await store.followUps.claimDue(T0, lease('i-2', T0 + 120_000))).map((f) => f.actionId)).toEqual([
      b.id,
    ]);
    expect(await store.followUps.claimDue(T0 + 1, lease('i-3'))).toEqual([]);
    // i-1 died: its lease runs out and another instance takes the row, a second attempt
    const again = await store.followUps.claimDue(T0 + 60_000, lease('i-3', T0 + 120_000));
    expect(again.map((f) => [f.actionId, f.attempts, f.claimedBy])).toEqual([[a.id, 2, 'i-3']]);
    // the old owner's answer no longer counts
    expect(await store.followUps.markCreated(a.id, 'i-1', issue(1), T0 + 60_001)).toBe(false);
  });

  it('stores the issue once created, and finds the follow-up by tracker and issue id', async () => {
    const store = use();
    await declare(store);
    const a = await queued(store);
    await store.followUps.claimDue(T0, lease('i-1'));
    expect(await store.followUps.markCreated(a.id, 'i-1', issue(12), T0 + 5)).toBe(true);
    const f = await store.followUps.get(a.id);
    expect(f).toMatchObject({
      status: 'created',
      issue: issue(12),
      claimedBy: null,
      claimedUntil: null,
      attempts: 1,
    });
    expect(await store.followUps.findByIssue({ tracker: 'jira', issueId: '100012' })).toEqual(f);
    expect(await store.followUps.findByIssue({ tracker: 'github', issueId: '100012' })).toBeNull();
    expect(await store.followUps.claimDue(T0 + 10 ** 9, lease('i-2', T0 + 2 * 10 ** 9))).toEqual([]);
    expect(await store.followUps.markCreated(a.id, 'i-1', issue(13), T0 + 6)).toBe(false);
  });

  it('backs off a retryable failure: pending again at the next attempt time, with the reason', async () => {
    const store = use();
    await declare(store);
    const a = await queued(store);
    await store.followUps.claimDue(T0, lease('i-1'));
    expect(await store.followUps.retryLater(a.id, 'i-1', 'Jira answered 503', T0 + 30_000)).toBe(true);
    expect(await store.followUps.claimDue(T0 + 29_999, lease('i-1', T0 + 90_000))).toEqual([]);
    const due = await store.followUps.claimDue(T0 + 30_000, lease('i-1', T0 + 90_000));
    expect(due.map((f) => [f.attempts, f.lastError, f.status])).toEqual([
      [2, 'Jira answered 503', 'pending'],
    ]);
  });

  it('marks a refusal failed, tells it once, and queues it again on retry', async () => {
    const store = use();
    await declare(store);
    const a = await queued(store);
    await store.followUps.claimDue(T0, lease('i-1'));
    const why = 'Jira refused the issue: project OPS does not exist <&> 🔥';
    expect(await store.followUps.markFailed(a.id, 'i-1', why)).toBe(true);
    expect(await store.followUps.claimDue(T0 + 10 ** 9, lease('i-2', T0 + 2 * 10 ** 9))).toEqual([]);
    expect(await store.followUps.get(a.id)).toMatchObject({
      status: 'failed',
      lastError: why,
      claimedBy: null,
    });
    expect(await store.followUps.markFailureNotified(a.id, T0 + 1)).toBe(true);
    expect(await store.followUps.markFailureNotified(a.id, T0 + 2)).toBe(false);
    expect(await store.followUps.retry(a.id, T0 + 100)).toBe(true);
    expect(await store.followUps.retry(a.id, T0 + 101)).toBe(false);
    expect(await store.followUps.get(a.id)).toMatchObject({
      status: 'pending',
      nextAttemptAt: T0 + 100,
      failureNotifiedAt: null,
      attempts: 1,
    });
    const due = await store.followUps.claimDue(T0 + 100, lease('i-2', T0 + 200));
    expect(due.map((f) => f.attempts)).toEqual([2]);
  });

  it('lists an incident’s follow-ups by action', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const a = await queued(store, 'one');
    await action(store, 'no target');
    const b = await queued(store, 'two');
    const elsewhere = await action(store, 'elsewhere', 2);
    await store.followUps.queue({ actionId: elsewhere.id, target: OPS, idempotencyKey: 'k-else', now: T0 });
    expect((await store.followUps.ofIncident(1)).map((f) => f.actionId)).toEqual([a.id, b.id]);
    expect((await store.followUps.ofIncident(2)).map((f) => f.actionId)).toEqual([elsewhere.id]);
  });

  it('hands the poll created issues of open actions, the least recently checked first', async () => {
    const store = use();
    await declare(store);
    const ids: number[] = [];
    for (const n of [1, 2, 3, 4]) {
      const a = await queued(store, `action ${n}`);
      ids.push(a.id);
    }
    await store.followUps.claimDue(T0, lease('i-1', T0 + 60_000, 3));
    for (const [i, id] of ids.slice(0, 3).entries())
      await store.followUps.markCreated(id, 'i-1', issue(i), T0);
    const [one, two, three, pending] = ids as [number, number, number, number];
    await store.followUps.markChecked(one, T0 + 20);
    await store.followUps.markChecked(two, T0 + 10);
    expect((await store.followUps.dueForCheck(10)).map((f) => f.actionId)).toEqual([three, two, one]);
    expect((await store.followUps.dueForCheck(1)).map((f) => f.actionId)).toEqual([three]);
    await store.actions.markDone(three, 'U0BOB', T0 + 30);
    expect((await store.followUps.dueForCheck(10)).map((f) => [f.actionId, f.checkedAt])).toEqual([
      [two, T0 + 10],
      [one, T0 + 20],
    ]);
    expect((await store.followUps.dueForCheck(10)).map((f) => f.actionId)).not.toContain(pending);
  });
}
