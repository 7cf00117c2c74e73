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
function writeEverywhere(store: IncidentStore, tag: string): void {
  store.incidents.update(1, { summary: tag }, T0 + 1);
  store.incidents.assignRole(1, 'scribe', `U0${tag}`, 'U0ALICE', T0 + 1);
  store.timeline.add(note(1, tag), T0 + 1);
  store.users.put(user(`U0${tag}`), T0);
  store.inbound.record('slack', tag, '{}', T0);
  store.messages.addIfNew(
    { channelId: 'C0INC', ts: tag, threadTs: null, userId: null, text: tag, files: [] },
    T0,
  );
  store.pages.create(newPage(1, tag));
  store.outbox.add({ incidentNumber: 1, kind: 'pagerduty.trigger', payload: { pageId: 1 } }, T0);
  store.services.attach(1, tag, T0);
  store.reminders.claim(1, tag, T0);
}

/** What writeEverywhere left, read back through the port. */
function traces(store: IncidentStore, tag: string): unknown[] {
  return [
    store.incidents.get(1)!.summary === tag,
    store.incidents.holders(1).scribe === `U0${tag}`,
    store.timeline.bySourceKey(1, tag) !== null,
    store.users.get(`U0${tag}`) !== null,
    store.inbound.pending('slack').some((e) => e.eventId === tag),
    store.messages.get('C0INC', tag) !== null,
    store.pages.byDedupKey(tag) !== null,
    store.outbox.backlog().pending > 0,
    store.services.attached(1).some((s) => s.service === tag),
    store.reminders.keys(1).includes(tag),
  ].filter(Boolean);
}

export function unitOfWorkContract(use: UseStore): void {
  it('commits every write of a transaction, and returns what the function returned', () => {
    const store = use();
    declare(store);
    const done = store.tx(() => {
      writeEverywhere(store, 'KEPT');
      return 'done';
    });
    expect(done).toBe('done');
    expect(traces(store, 'KEPT')).toHaveLength(10);
  });

  it('undoes every write of a transaction that throws, and throws the same error', () => {
    const store = use();
    declare(store);
    const before = store.incidents.get(1);
    const error = new Error('undo');
    let caught: unknown;
    try {
      store.tx(() => {
        writeEverywhere(store, 'GONE');
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    expect(traces(store, 'GONE')).toEqual([]);
    expect(store.incidents.get(1)).toEqual(before);
    expect(store.timeline.list(1)).toEqual([]);
    // the numbering carries on as if the entry had never been
    expect(store.timeline.add(note(1, 'next'), T0)!.number).toBe(1);
  });

  it('treats a nested transaction as a savepoint: an inner failure caught outside undoes only the inner writes', () => {
    const store = use();
    declare(store);
    store.tx(() => {
      store.timeline.add(note(1, 'outer-before'), T0);
      expect(() =>
        store.tx(() => {
          store.timeline.add(note(1, 'inner'), T0);
          store.incidents.update(1, { title: 'inner title' }, T0 + 1);
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      store.timeline.add(note(1, 'outer-after'), T0);
    });
    expect(store.timeline.list(1).map((e) => [e.sourceKey, e.number])).toEqual([
      ['outer-before', 1],
      ['outer-after', 2],
    ]);
    expect(store.incidents.get(1)!.title).toBe('search is slow');
  });

  it('undoes a committed savepoint when its outer transaction fails', () => {
    const store = use();
    declare(store);
    expect(() =>
      store.tx(() => {
        store.tx(() => store.timeline.add(note(1, 'inner'), T0));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(store.timeline.list(1)).toEqual([]);
  });

  it('keeps the other writes of a transaction when one statement is refused and the refusal is caught', () => {
    const store = use();
    declare(store);
    store.pages.create(newPage(1, 'taken'));
    store.tx(() => {
      store.timeline.add(note(1, 'kept'), T0);
      expect(() => store.pages.create(newPage(1, 'taken'))).toThrow();
      store.pages.create(newPage(1, 'free'));
    });
    expect(store.timeline.list(1)).toHaveLength(1);
    expect(store.pages.list(1).map((p) => p.dedupKey)).toEqual(['taken', 'free']);
  });

  it('refuses a transaction function that returns a promise, and keeps none of its writes', () => {
    const store = use();
    declare(store);
    expect(() =>
      store.tx(() => {
        store.timeline.add(note(1, 'async'), T0);
        return Promise.resolve(1);
      }),
    ).toThrow(TypeError);
    expect(store.timeline.list(1)).toEqual([]);
  });

  it('commits a burst of batched writes together, each failing alone', async () => {
    const store = use();
    declare(store);
    const results = await Promise.allSettled([
      store.batched(() => store.timeline.add(note(1, 'a'), T0)!.number),
      store.batched(() => {
        store.timeline.add(note(1, 'b'), T0);
        store.users.put(user('U0FAILED'), T0);
        throw new Error('this write fails');
      }),
      store.batched(() => store.timeline.add(note(1, 'c'), T0)!.number),
      store.batched(() => Promise.resolve('async')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      1,
      'Error: this write fails',
      2,
      'TypeError: Transaction function cannot return a promise',
    ]);
    expect(store.timeline.list(1).map((e) => e.sourceKey)).toEqual(['a', 'c']);
    expect(store.users.get('U0FAILED')).toBeNull();
    // a later burst is its own transaction
    await expect(store.batched(() => store.timeline.add(note(1, 'd'), T0)!.number)).resolves.toBe(3);
  });

  it('answers ping, erases its log, and once closed answers no more', () => {
    const store = use();
    expect(store.ping()).toBe(true);
    expect(store.eraseLog()).toBe(true);
    expect(store.eraseLogIfPending()).toBe(true);
    store.close();
    expect(store.ping()).toBe(false);
    expect(() => store.incidents.get(1)).toThrow();
    expect(() => store.tx(() => 1)).toThrow();
    expect(() => store.close()).not.toThrow();
  });
}
