/**
 * The contract of the unit of work: `tx` commits all or nothing, nested transactions are savepoints, `batched`
 * shares one transaction among the writes of a turn of the event loop (each failing alone), and the store's
 * own life (ping, close, the log it erases).
 */
import { expect, it } from 'vitest';
import type { IncidentStore } from '../../../src/domain/ports.js';
import { declare, newPage, note, T0, type UseStore } from './fixtures.js';

const user = (id: string) => ({ id, name: id, displayName: id, isBot: false, deleted: false });

/** Writes one row in most repositories, so a rollback can be seen everywhere. */
async function writeEverywhere(store: IncidentStore, tag: string): Promise<void> {
  await store.incidents.update(1, { summary: tag }, T0 + 1);
  await store.incidents.assignRole(1, 'scribe', `U0${tag}`, 'U0ALICE', T0 + 1);
  await store.timeline.add(note(1, tag), T0 + 1);
  await store.users.put(user(`U0${tag}`), T0);
  await store.inbound.record('slack', tag, '{}', T0);
  await store.messages.addIfNew(
    { channelId: 'C0INC', ts: tag, threadTs: null, userId: null, text: tag, files: [] },
    T0,
  );
  await store.pages.create(newPage(1, tag));
  await store.outbox.add({ incidentNumber: 1, kind: 'pagerduty.trigger', payload: { pageId: 1 } }, T0);
  await store.services.attach(1, tag, T0);
  await store.reminders.claim(1, tag, T0);
}

/** What writeEverywhere left, read back through the port. */
async function traces(store: IncidentStore, tag: string): Promise<unknown[]> {
  return [
    (await store.incidents.get(1))!.summary === tag,
    (await store.incidents.holders(1)).scribe === `U0${tag}`,
    (await store.timeline.bySourceKey(1, tag)) !== null,
    (await store.users.get(`U0${tag}`)) !== null,
    (await store.inbound.pending('slack')).some((e) => e.eventId === tag),
    (await store.messages.get('C0INC', tag)) !== null,
    (await store.pages.byDedupKey(tag)) !== null,
    (await store.outbox.backlog()).pending > 0,
    (await store.services.attached(1)).some((s) => s.service === tag),
    (await store.reminders.keys(1)).includes(tag),
  ].filter(Boolean);
}

export function unitOfWorkContract(use: UseStore): void {
  it('commits every write of a transaction, and returns what the function returned', async () => {
    const store = use();
    await declare(store);
    const done = await store.tx(async () => {
      await writeEverywhere(store, 'KEPT');
      return 'done';
    });
    expect(done).toBe('done');
    expect(await traces(store, 'KEPT')).toHaveLength(10);
  });

  it('undoes every write of a transaction that throws, and throws the same error', async () => {
    const store = use();
    await declare(store);
    const before = await store.incidents.get(1);
    const error = new Error('undo');
    let caught: unknown;
    try {
      await store.tx(async () => {
        await writeEverywhere(store, 'GONE');
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    expect(await traces(store, 'GONE')).toEqual([]);
    expect(await store.incidents.get(1)).toEqual(before);
    expect(await store.timeline.list(1)).toEqual([]);
    // the numbering carries on as if the entry had never been
    expect((await store.timeline.add(note(1, 'next'), T0))!.number).toBe(1);
  });

  it('treats a nested transaction as a savepoint: an inner failure caught outside undoes only the inner writes', async () => {
    const store = use();
    await declare(store);
    await store.tx(async () => {
      await store.timeline.add(note(1, 'outer-before'), T0);
      await expect(
        store.tx(async () => {
          await store.timeline.add(note(1, 'inner'), T0);
          await store.incidents.update(1, { title: 'inner title' }, T0 + 1);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await store.timeline.add(note(1, 'outer-after'), T0);
    });
    expect((await store.timeline.list(1)).map((e) => [e.sourceKey, e.number])).toEqual([
      ['outer-before', 1],
      ['outer-after', 2],
    ]);
    expect((await store.incidents.get(1))!.title).toBe('search is slow');
  });

  it('undoes a committed savepoint when its outer transaction fails', async () => {
    const store = use();
    await declare(store);
    await expect(
      store.tx(async () => {
        await store.tx(async () => store.timeline.add(note(1, 'inner'), T0));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await store.timeline.list(1)).toEqual([]);
  });

  it('keeps the other writes of a transaction when one statement is refused and the refusal is caught', async () => {
    const store = use();
    await declare(store);
    await store.pages.create(newPage(1, 'taken'));
    await store.tx(async () => {
      await store.timeline.add(note(1, 'kept'), T0);
      await expect(store.pages.create(newPage(1, 'taken'))).rejects.toThrow();
      await store.pages.create(newPage(1, 'free'));
    });
    expect(await store.timeline.list(1)).toHaveLength(1);
    expect((await store.pages.list(1)).map((p) => p.dedupKey)).toEqual(['taken', 'free']);
  });

  it('keeps a write made outside an open transaction out of it: its rollback does not undo that write', async () => {
    const store = use();
    await declare(store);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inside = store.tx(async () => {
      await store.timeline.add(note(1, 'inside'), T0);
      open();
      await gate;
      throw new Error('undo');
    });
    await opened;
    // while the transaction is open, somebody else writes
    const outside = store.users.put(user('U0OUTSIDE'), T0);
    release();
    await expect(inside).rejects.toThrow('undo');
    await outside;
    expect(await store.users.get('U0OUTSIDE')).not.toBeNull();
    expect(await store.timeline.list(1)).toEqual([]);
  });

  it('runs what waits for a commit once the transaction has committed, and forgets it on a rollback', async () => {
    const store = use();
    await declare(store);
    const seen: string[] = [];
    let read: Promise<unknown> | null = null;
    // outside a transaction: at once
    store.afterCommit(() => seen.push('outside'));
    expect(seen).toEqual(['outside']);
    await store.tx(async () => {
      await store.timeline.add(note(1, 'kept'), T0);
      store.afterCommit(() => {
        seen.push('committed');
        // what it starts sees the rows: another caller reads them
        read = store.timeline.bySourceKey(1, 'kept').then((e) => seen.push(e ? 'visible' : 'missing'));
      });
      // a savepoint that commits hands its callbacks to the transaction; one that rolls back drops them
      await store.tx(async () => store.afterCommit(() => seen.push('inner')));
      await store
        .tx(async () => {
          store.afterCommit(() => seen.push('undone'));
          throw new Error('inner fails');
        })
        .catch(() => undefined);
      expect(seen).toEqual(['outside']);
    });
    await expect(
      store.tx(async () => {
        store.afterCommit(() => seen.push('rolled back'));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    await read;
    expect(seen).toEqual(['outside', 'committed', 'inner', 'visible']);
  });

  it('commits a burst of batched writes together, each failing alone', async () => {
    const store = use();
    await declare(store);
    const results = await Promise.allSettled([
      store.batched(async () => (await store.timeline.add(note(1, 'a'), T0))!.number),
      // a write that fails before it reaches the store (each batched write is one repository call)
      store.batched(async () => {
        if (T0 > 0) throw new Error('this write fails');
        return store.users.put(user('U0FAILED'), T0);
      }),
      store.batched(async () => (await store.timeline.add(note(1, 'c'), T0))!.number),
      store.batched(async () => (await store.users.get('U0ALICE'))?.id ?? 'nobody'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      1,
      'Error: this write fails',
      2,
      'nobody',
    ]);
    expect((await store.timeline.list(1)).map((e) => e.sourceKey)).toEqual(['a', 'c']);
    expect(await store.users.get('U0FAILED')).toBeNull();
    // a later burst is its own transaction
    await expect(
      store.batched(async () => (await store.timeline.add(note(1, 'd'), T0))!.number),
    ).resolves.toBe(3);
    // a write the database itself refuses (a page of an incident that does not exist) fails alone too
    const refused = await Promise.allSettled([
      store.batched(async () => (await store.timeline.add(note(1, 'e'), T0))!.number),
      store.batched(async () => store.pages.create(newPage(99, 'no-such-incident'))),
      store.batched(async () => (await store.timeline.add(note(1, 'f'), T0))!.number),
    ]);
    expect(refused.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.timeline.list(1)).map((e) => [e.sourceKey, e.number])).toEqual([
      ['a', 1],
      ['c', 2],
      ['d', 3],
      ['e', 4],
      ['f', 5],
    ]);
  });

  it('answers ping, erases its log, and once closed answers no more', async () => {
    const store = use();
    expect(await store.ping()).toBe(true);
    expect(await store.eraseLog()).toBe(true);
    expect(await store.eraseLogIfPending()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
    await expect(store.incidents.get(1)).rejects.toThrow();
    await expect(store.tx(async () => 1)).rejects.toThrow();
    await expect(store.close()).resolves.toBeUndefined();
  });
}
