/** The contract of `store.timeline`: numbering, dedupe by source key, order, edits, blanking and redaction. */
import { expect, it } from 'vitest';
import { declare, note, T0, type UseStore } from './fixtures.js';

export function timelineContract(use: UseStore): void {
  it('adds an entry with its defaults, numbered within its incident', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    const first = store.timeline.add(note(1, 'a'), T0 + 1);
    expect(first).toEqual({
      id: expect.any(Number),
      incidentNumber: 1,
      number: 1,
      kind: 'note',
      text: 'note a',
      originalText: null,
      actor: 'U0BOB',
      occurredAt: T0,
      recordedAt: T0 + 1,
      sourceKey: 'a',
      state: 'active',
      meta: {},
      redactedBy: null,
      redactedAt: null,
    });
    expect(store.timeline.add(note(1, 'b'), T0)!.number).toBe(2);
    expect(store.timeline.add(note(2, 'a'), T0)!.number).toBe(1);
    expect(store.timeline.add(note(1, 'c'), T0)!.number).toBe(3);
  });

  it('adds nothing for a repeated source key, and the repeat takes no number', () => {
    const store = use();
    declare(store);
    store.timeline.add(note(1, 'a'), T0);
    expect(store.timeline.add(note(1, 'a', { text: 'again' }), T0 + 1)).toBeNull();
    expect(store.timeline.add(note(1, 'b'), T0)!.number).toBe(2);
    expect(store.timeline.bySourceKey(1, 'a')).toMatchObject({ number: 1, text: 'note a' });
    expect(store.timeline.bySourceKey(1, 'z')).toBeNull();
    expect(store.timeline.bySourceKey(2, 'a')).toBeNull();
    expect(store.timeline.list(1)).toHaveLength(2);
  });

  it('refuses an entry of an incident that does not exist', () => {
    expect(() => use().timeline.add(note(9, 'a'), T0)).toThrow();
  });

  it('stores meta as JSON: undefined members are dropped', () => {
    const store = use();
    declare(store);
    const added = store.timeline.add(
      note(1, 'a', { meta: { actionId: 3, due: undefined, ownerId: null } }),
      T0,
    )!;
    expect(added.meta).toEqual({ actionId: 3, ownerId: null });
    expect('due' in store.timeline.byNumber(1, 1)!.meta).toBe(false);
  });

  it('lists in timeline order: by occurrence, then by recording, then as added', () => {
    const store = use();
    declare(store);
    store.timeline.add(note(1, 'late', { occurredAt: T0 + 30 }), T0);
    store.timeline.add(note(1, 'tie-recorded-later', { occurredAt: T0 + 10 }), T0 + 5);
    store.timeline.add(note(1, 'tie-first', { occurredAt: T0 + 10 }), T0 + 1);
    store.timeline.add(note(1, 'tie-second', { occurredAt: T0 + 10 }), T0 + 1);
    store.timeline.add(note(1, 'early', { occurredAt: T0 }), T0 + 9);
    expect(store.timeline.list(1).map((e) => e.sourceKey)).toEqual([
      'early',
      'tie-first',
      'tie-second',
      'tie-recorded-later',
      'late',
    ]);
    expect(store.timeline.list(2)).toEqual([]);
  });

  it('finds the latest entry of a kind in timeline order, leaving removed ones out', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    expect(store.timeline.latest(1, 'update')).toBeNull();
    store.timeline.add(note(1, 'u1', { kind: 'update', occurredAt: T0 + 2000 }), T0 + 2000);
    store.timeline.add(note(1, 'u2', { kind: 'update', occurredAt: T0 + 1000 }), T0 + 3000);
    store.timeline.add(note(1, 'n1', { occurredAt: T0 + 5000 }), T0 + 5000);
    store.timeline.add(note(2, 'u3', { kind: 'update', occurredAt: T0 + 9000 }), T0 + 9000);
    expect(store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u1' });
    // same occurrence: the later recording, then the later added
    const tie = store.timeline.add(note(1, 'u4', { kind: 'update', occurredAt: T0 + 2000 }), T0 + 2000)!;
    expect(store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u4' });
    store.timeline.setState(tie.id, 'removed');
    expect(store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u1' });
    expect(store.timeline.latest(1, 'note')).toMatchObject({ sourceKey: 'n1' });
  });

  it('leaves removed entries out unless asked, keeps deleted ones, and counts what is not removed', () => {
    const store = use();
    declare(store);
    const a = store.timeline.add(note(1, 'a'), T0)!;
    const b = store.timeline.add(note(1, 'b'), T0)!;
    store.timeline.add(note(1, 'c'), T0);
    store.timeline.setState(a.id, 'removed');
    store.timeline.setState(b.id, 'deleted');
    expect(store.timeline.list(1).map((e) => [e.sourceKey, e.state])).toEqual([
      ['b', 'deleted'],
      ['c', 'active'],
    ]);
    expect(store.timeline.list(1, { includeRemoved: true }).map((e) => e.sourceKey)).toEqual(['a', 'b', 'c']);
    expect(store.timeline.countActive(1)).toBe(2);
    expect(store.timeline.countActive(2)).toBe(0);
    // a removed entry keeps its number and is still found by it
    expect(store.timeline.byNumber(1, 1)).toMatchObject({ sourceKey: 'a', state: 'removed' });
    expect(store.timeline.byNumber(1, 4)).toBeNull();
    store.timeline.setState(a.id, 'active');
    expect(store.timeline.countActive(1)).toBe(3);
  });

  it('edits: the first text is kept, meta is merged, and the same text changes nothing', () => {
    const store = use();
    declare(store);
    const e = store.timeline.add(
      note(1, 'a', { text: 'first', meta: { channelId: 'C0INC', editedAt: 1 } }),
      T0,
    )!;
    store.timeline.edit(e.id, 'second', { editedAt: 2 });
    store.timeline.edit(e.id, 'third', { editedAt: 3 });
    expect(store.timeline.byNumber(1, 1)).toMatchObject({
      text: 'third',
      originalText: 'first',
      meta: { channelId: 'C0INC', editedAt: 3 },
    });
    store.timeline.edit(e.id, 'third', { editedAt: 4, extra: true });
    expect(store.timeline.byNumber(1, 1)!.meta).toEqual({ channelId: 'C0INC', editedAt: 3 });
    expect(() => store.timeline.edit(999, 'x', {})).not.toThrow();
  });

  it('blanks what an entry said, and keeps that something was there', () => {
    const store = use();
    declare(store);
    const e = store.timeline.add(
      note(1, 'r', {
        kind: 'resolved',
        text: 'Resolved: the password is hunter2',
        meta: { summary: 'the password is hunter2', reason: 'x', files: [{ name: 'a', url: 'u' }], keep: 1 },
      }),
      T0 + 1,
    )!;
    store.timeline.edit(e.id, 'Resolved: edited', {});
    store.timeline.blank(e.id, { deletedAt: T0 + 9 });
    expect(store.timeline.byNumber(1, 1)).toEqual({
      ...e,
      text: '',
      originalText: null,
      meta: { keep: 1, files: [], deletedAt: T0 + 9 },
    });
    expect(() => store.timeline.blank(999)).not.toThrow();
  });

  it('redacts: blanks the entry and records who did it and when', () => {
    const store = use();
    declare(store);
    const e = store.timeline.add(note(1, 'a', { text: 'secret', meta: { messageTs: '1.2' } }), T0)!;
    store.timeline.redact(e.id, 'U0ALICE', T0 + 60);
    expect(store.timeline.byNumber(1, 1)).toEqual({
      ...e,
      text: '',
      meta: { messageTs: '1.2', files: [] },
      redactedBy: 'U0ALICE',
      redactedAt: T0 + 60,
    });
    expect(() => store.timeline.redact(999, 'U0ALICE', T0)).not.toThrow();
  });

  it('merges meta', () => {
    const store = use();
    declare(store);
    const e = store.timeline.add(note(1, 'a', { meta: { a: 1, b: 2 } }), T0)!;
    store.timeline.updateMeta(e.id, { b: 3, permalink: 'https://x' });
    expect(store.timeline.byNumber(1, 1)!.meta).toEqual({ a: 1, b: 3, permalink: 'https://x' });
  });

  it('finds the entries of an action item by the number in their meta', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'other' });
    store.timeline.add(note(1, 'recorded', { meta: { actionId: 3 } }), T0);
    store.timeline.add(note(1, 'other', { meta: { actionId: 4 } }), T0);
    store.timeline.add(note(1, 'as-text', { meta: { actionId: '3' } }), T0);
    store.timeline.add(note(1, 'done', { meta: { actionId: 3, done: true } }), T0 + 1);
    store.timeline.add(note(2, 'elsewhere', { meta: { actionId: 3 } }), T0);
    const keys = store.timeline.ofAction(1, 3).map((e) => e.sourceKey);
    expect(keys.sort()).toEqual(['done', 'recorded']);
    expect(store.timeline.ofAction(1, 99)).toEqual([]);
  });

  it('returns copies: changing one changes nothing stored', () => {
    const store = use();
    declare(store);
    const e = store.timeline.add(note(1, 'a', { meta: { files: [{ name: 'a', url: 'u' }] } }), T0)!;
    e.meta.files![0]!.name = 'changed';
    store.timeline.list(1)[0]!.text = 'changed';
    const input = { a: 1 };
    store.timeline.add(note(1, 'b', { meta: input }), T0);
    input.a = 2;
    expect(store.timeline.byNumber(1, 1)).toMatchObject({ text: 'note a', meta: { files: [{ name: 'a' }] } });
    expect(store.timeline.byNumber(1, 2)!.meta).toEqual({ a: 1 });
  });
}
