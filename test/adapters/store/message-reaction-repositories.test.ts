/** Messages seen in incident channels and the timeline reactions on them, on a real SQLite file. */
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

let store: Store;
beforeEach(() => {
  store = new Store(openDb(join(tempDir(), 'muster.db')));
});
afterAll(() => removeTempDirs());

const msg = {
  channelId: 'C1',
  ts: '1700000000.000100',
  threadTs: null,
  userId: 'U1',
  text: 'hello',
  files: [],
};

describe('MessageRepository', () => {
  it('records a message once; the first record stands', async () => {
    expect(await store.messages.addIfNew(msg, 1)).toBe(true);
    expect(await store.messages.addIfNew({ ...msg, text: 'other' }, 2)).toBe(false);
    expect(await store.messages.get('C1', msg.ts)).toEqual({
      ...msg,
      editedAt: null,
      deletedAt: null,
      receivedAt: 1,
    });
    expect(await store.messages.get('C1', '1700000000.000200')).toBeNull();
  });

  it('stores edits, recording a message it did not know', async () => {
    await store.messages.addIfNew(msg, 1);
    await store.messages.edit(
      { ...msg, text: 'hello, edited', files: [{ name: 'a.png', url: 'https://x/a.png' }] },
      5,
      6,
    );
    expect(await store.messages.get('C1', msg.ts)).toMatchObject({
      text: 'hello, edited',
      editedAt: 5,
      receivedAt: 1,
      files: [{ name: 'a.png' }],
    });
    await store.messages.edit({ ...msg, ts: '1700000000.000300', text: 'new' }, 7, 8);
    expect(await store.messages.get('C1', '1700000000.000300')).toMatchObject({
      text: 'new',
      editedAt: 7,
      receivedAt: 8,
    });
  });

  it('blanks deleted messages, records unknown deleted ones as such, and lets no late edit bring text back', async () => {
    const long = 'x'.repeat(40_000);
    await store.messages.addIfNew(
      { ...msg, text: long, files: [{ name: 'secret.txt', url: 'https://f/1' }] },
      1,
    );
    await store.messages.markDeleted('C1', msg.ts, 9, null);
    expect(await store.messages.get('C1', msg.ts)).toMatchObject({ text: '', files: [], deletedAt: 9 });
    // a second delivery of the deletion keeps the first time
    await store.messages.markDeleted('C1', msg.ts, 12, null);
    expect((await store.messages.get('C1', msg.ts))!.deletedAt).toBe(9);
    await store.messages.edit({ ...msg, text: 'late edit' }, 13, 13);
    expect(await store.messages.get('C1', msg.ts)).toMatchObject({ text: '', deletedAt: 9 });
    await store.messages.markDeleted('C1', '1700000000.000400', 10, { threadTs: null, userId: 'U2' });
    expect(await store.messages.get('C1', '1700000000.000400')).toMatchObject({
      text: '',
      userId: 'U2',
      deletedAt: 10,
    });
    // the late-arriving original does not bring a deleted message back
    expect(await store.messages.addIfNew({ ...msg, ts: '1700000000.000400' }, 11)).toBe(false);
    expect((await store.messages.get('C1', '1700000000.000400'))!.text).toBe('');
  });
});

describe('ReactionRepository', () => {
  const r = { channelId: 'C1', ts: msg.ts, userId: 'U1', emoji: 'pushpin' };
  it('counts reactors; a repeat is a no-op and removing an unknown one does nothing', async () => {
    expect(await store.reactions.add(r, 1)).toBe(true);
    expect(await store.reactions.add(r, 2)).toBe(false);
    expect(await store.reactions.add({ ...r, userId: 'U2' }, 3)).toBe(true);
    expect(await store.reactions.add({ ...r, emoji: 'pushpin::skin-tone-2' }, 4)).toBe(true);
    expect(await store.reactions.count('C1', msg.ts)).toBe(3);
    expect(await store.reactions.remove({ ...r, userId: 'U9' })).toBe(false);
    expect(await store.reactions.remove(r)).toBe(true);
    expect(await store.reactions.count('C1', msg.ts)).toBe(2);
    expect(await store.reactions.count('C2', msg.ts)).toBe(0);
  });
});
