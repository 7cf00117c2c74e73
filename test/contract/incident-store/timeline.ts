/** The contract of `store.timeline`: numbering, dedupe by source key, order, edits, blanking and redaction. */
import { expect, it } from 'vitest';
import { declare, note, T0, type UseStore } from './fixtures.js';

export function timelineContract(use: UseStore): void {
  it('adds an entry with its defaults, numbered within its incident', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const first = await store.timeline.add(note(1, 'a'), T0 + 1);
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
    expect((await store.timeline.add(note(1, 'b'), T0))!.number).toBe(2);
    expect((await store.timeline.add(note(2, 'a'), T0))!.number).toBe(1);
    expect((await store.timeline.add(note(1, 'c'), T0))!.number).toBe(3);
  });

  it('adds nothing for a repeated source key, and the repeat takes no number', async () => {
    const store = use();
    await declare(store);
    await store.timeline.add(note(1, 'a'), T0);
    expect(await store.timeline.add(note(1, 'a', { text: 'again' }), T0 + 1)).toBeNull();
    expect((await store.timeline.add(note(1, 'b'), T0))!.number).toBe(2);
    expect(await store.timeline.bySourceKey(1, 'a')).toMatchObject({ number: 1, text: 'note a' });
    expect(await store.timeline.bySourceKey(1, 'z')).toBeNull();
    expect(await store.timeline.bySourceKey(2, 'a')).toBeNull();
    expect(await store.timeline.list(1)).toHaveLength(2);
  });

  it('refuses an entry of an incident that does not exist', async () => {
    await expect(use().timeline.add(note(9, 'a'), T0)).rejects.toThrow();
  });

  it('stores meta as JSON: undefined members are dropped', async () => {
    const store = use();
    await declare(store);
    const added = (await store.timeline.add(
      note(1, 'a', { meta: { actionId: 3, due: undefined, ownerId: null } }),
      T0,
    ))!;
    expect(added.meta).toEqual({ actionId: 3, ownerId: null });
    expect('due' in (await store.timeline.byNumber(1, 1))!.meta).toBe(false);
  });

  it('lists in timeline order: by occurrence, then by recording, then as added', async () => {
    const store = use();
    await declare(store);
    await store.timeline.add(note(1, 'late', { occurredAt: T0 + 30 }), T0);
    await store.timeline.add(note(1, 'tie-recorded-later', { occurredAt: T0 + 10 }), T0 + 5);
    await store.timeline.add(note(1, 'tie-first', { occurredAt: T0 + 10 }), T0 + 1);
    await store.timeline.add(note(1, 'tie-second', { occurredAt: T0 + 10 }), T0 + 1);
    await store.timeline.add(note(1, 'early', { occurredAt: T0 }), T0 + 9);
    expect((await store.timeline.list(1)).map((e) => e.sourceKey)).toEqual([
      'early',
      'tie-first',
      'tie-second',
      'tie-recorded-later',
      'late',
    ]);
    expect(await store.timeline.list(2)).toEqual([]);
  });

  it('finds the latest entry of a kind in timeline order, leaving removed ones out', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    expect(await store.timeline.latest(1, 'update')).toBeNull();
    await store.timeline.add(note(1, 'u1', { kind: 'update', occurredAt: T0 + 2000 }), T0 + 2000);
    await store.timeline.add(note(1, 'u2', { kind: 'update', occurredAt: T0 + 1000 }), T0 + 3000);
    await store.timeline.add(note(1, 'n1', { occurredAt: T0 + 5000 }), T0 + 5000);
    await store.timeline.add(note(2, 'u3', { kind: 'update', occurredAt: T0 + 9000 }), T0 + 9000);
    expect(await store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u1' });
    // same occurrence: the later recording, then the later added
    const tie = (await store.timeline.add(
      note(1, 'u4', { kind: 'update', occurredAt: T0 + 2000 }),
      T0 + 2000,
    ))!;
    expect(await store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u4' });
    await store.timeline.setState(tie.id, 'removed');
    expect(await store.timeline.latest(1, 'update')).toMatchObject({ sourceKey: 'u1' });
    expect(await store.timeline.latest(1, 'note')).toMatchObject({ sourceKey: 'n1' });
  });

  it('leaves removed entries out unless asked, keeps deleted ones, and counts what is not removed', async () => {
    const store = use();
    await declare(store);
    const a = (await store.timeline.add(note(1, 'a'), T0))!;
    const b = (await store.timeline.add(note(1, 'b'), T0))!;
    await store.timeline.add(note(1, 'c'), T0);
    await store.timeline.setState(a.id, 'removed');
    await store.timeline.setState(b.id, 'deleted');
    expect((await store.timeline.list(1)).map((e) => [e.sourceKey, e.state])).toEqual([
      ['b', 'deleted'],
      ['c', 'active'],
    ]);
    expect((await store.timeline.list(1, { includeRemoved: true })).map((e) => e.sourceKey)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(await store.timeline.countActive(1)).toBe(2);
    expect(await store.timeline.countActive(2)).toBe(0);
    // a removed entry keeps its number and is still found by it
    expect(await store.timeline.byNumber(1, 1)).toMatchObject({ sourceKey: 'a', state: 'removed' });
    expect(await store.timeline.byNumber(1, 4)).toBeNull();
    await store.timeline.setState(a.id, 'active');
    expect(await store.timeline.countActive(1)).toBe(3);
  });

  it('edits: the first text is kept, meta is merged, and the same text changes nothing', async () => {
    const store = use();
    await declare(store);
    const e = (await store.timeline.add(
      note(1, 'a', { text: 'first', meta: { channelId: 'C0INC', editedAt: 1 } }),
      T0,
    ))!;
    await store.timeline.edit(e.id, 'second', { editedAt: 2 });
    await store.timeline.edit(e.id, 'third', { editedAt: 3 });
    expect(await store.timeline.byNumber(1, 1)).toMatchObject({
      text: 'third',
      originalText: 'first',
      meta: { channelId: 'C0INC', editedAt: 3 },
    });
    await store.timeline.edit(e.id, 'third', { editedAt: 4, extra: true });
    expect((await store.timeline.byNumber(1, 1))!.meta).toEqual({ channelId: 'C0INC', editedAt: 3 });
    await expect(store.timeline.edit(999, 'x', {})).resolves.toBeUndefined();
  });

  it('blanks what an entry said, and keeps that something was there', async () => {
    const store = use();
    await declare(store);
    const e = (await store.timeline.add(
      note(1, 'r', {
        kind: 'resolved',
        text: 'Resolved: the password is hunter2',
        meta: { summary: 'the password is hunter2', reason: 'x', files: [{ name: 'a', url: 'u' }], keep: 1 },
      }),
      T0 + 1,
    ))!;
    await store.timeline.edit(e.id, 'Resolved: edited', {});
    await store.timeline.blank(e.id, { deletedAt: T0 + 9 });
    expect(await store.timeline.byNumber(1, 1)).toEqual({
      ...e,
      text: '',
      originalText: null,
      meta: { keep: 1, files: [], deletedAt: T0 + 9 },
    });
    await expect(store.timeline.blank(999)).resolves.toBeUndefined();
  });

  it('redacts: blanks the entry and records who did it and when', async () => {
    const store = use();
    await declare(store);
    const e = (await store.timeline.add(note(1, 'a', { text: 'secret', meta: { messageTs: '1.2' } }), T0))!;
    await store.timeline.redact(e.id, 'U0ALICE', T0 + 60);
    expect(await store.timeline.byNumber(1, 1)).toEqual({
      ...e,
      text: '',
      meta: { messageTs: '1.2', files: [] },
      redactedBy: 'U0ALICE',
      redactedAt: T0 + 60,
    });
    await expect(store.timeline.redact(999, 'U0ALICE', T0)).resolves.toBeUndefined();
  });

  it('lists each entry exactly as it is read alone, whatever was done to it', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const plain = (await store.timeline.add(note(1, 'plain'), T0))!;
    const edited = (await store.timeline.add(
      note(1, 'edited', { meta: { files: [{ name: 'a&b', url: 'u' }] } }),
      T0 + 1,
    ))!;
    await store.timeline.edit(edited.id, 'second <@U0BOB> & 🚀', { editedAt: T0 + 2 });
    const redacted = (await store.timeline.add(
      note(1, 'redacted', { text: 'password', meta: { nested: { a: [1, null] } } }),
      T0 + 2,
    ))!;
    await store.timeline.redact(redacted.id, 'U0ALICE', T0 + 60);
    const removed = (await store.timeline.add(note(1, 'removed'), T0 + 3))!;
    await store.timeline.setState(removed.id, 'removed');
    const deleted = (await store.timeline.add(note(1, 'deleted'), T0 + 4))!;
    await store.timeline.setState(deleted.id, 'deleted');
    await store.timeline.blank(deleted.id, { deletedAt: T0 + 5 });
    await store.timeline.add(note(2, 'elsewhere'), T0);
    const alone = async (id: number) =>
      (await store.timeline.bySourceKey(
        1,
        [plain, edited, redacted, removed, deleted].find((e) => e.id === id)!.sourceKey,
      ))!;
    const all = await store.timeline.list(1, { includeRemoved: true });
    expect(all.map((e) => e.sourceKey)).toEqual(['plain', 'edited', 'redacted', 'removed', 'deleted']);
    for (const e of all) expect(e).toEqual(await alone(e.id));
    expect(all[1]).toMatchObject({ text: 'second <@U0BOB> & 🚀', originalText: 'note edited' });
    expect(all[2]).toMatchObject({ text: '', redactedBy: 'U0ALICE', redactedAt: T0 + 60 });
    expect((await store.timeline.list(1)).map((e) => e.sourceKey)).toEqual([
      'plain',
      'edited',
      'redacted',
      'deleted',
    ]);
    expect(await store.timeline.list(3)).toEqual([]);
  });

  it('merges meta', async () => {
    const store = use();
    await declare(store);
    const e = (await store.timeline.add(note(1, 'a', { meta: { a: 1, b: 2 } }), T0))!;
    await store.timeline.updateMeta(e.id, { b: 3, permalink: 'https://x' });
    expect((await store.timeline.byNumber(1, 1))!.meta).toEqual({ a: 1, b: 3, permalink: 'https://x' });
  });

  it('finds the entries of an action item by the number in their meta', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await store.timeline.add(note(1, 'recorded', { meta: { actionId: 3 } }), T0);
    await store.timeline.add(note(1, 'other', { meta: { actionId: 4 } }), T0);
    await store.timeline.add(note(1, 'as-text', { meta: { actionId: '3' } }), T0);
    await store.timeline.add(note(1, 'done', { meta: { actionId: 3, done: true } }), T0 + 1);
    await store.timeline.add(note(2, 'elsewhere', { meta: { actionId: 3 } }), T0);
    const keys = (await store.timeline.ofAction(1, 3)).map((e) => e.sourceKey);
    expect(keys.sort()).toEqual(['done', 'recorded']);
    expect(await store.timeline.ofAction(1, 99)).toEqual([]);
  });

  it('returns copies: changing one changes nothing stored', async () => {
    const store = use();
    await declare(store);
    const e = (await store.timeline.add(note(1, 'a', { meta: { files: [{ name: 'a', url: 'u' }] } }), T0))!;
    e.meta.files![0]!.name = 'changed';
    (await store.timeline.list(1))[0]!.text = 'changed';
    const input = { a: 1 };
    await store.timeline.add(note(1, 'b', { meta: input }), T0);
    input.a = 2;
    expect(await store.timeline.byNumber(1, 1)).toMatchObject({
      text: 'note a',
      meta: { files: [{ name: 'a' }] },
    });
    expect((await store.timeline.byNumber(1, 2))!.meta).toEqual({ a: 1 });
  });
}
