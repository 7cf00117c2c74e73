/** The contract of what arrives from Slack and PagerDuty: the inbox, the message cache, timeline reactions. */
import { expect, it } from 'vitest';
import { declare, message, messageEvent, T0, type UseStore } from './fixtures.js';

/** As many failed attempts as make the inbox give up on a delivery. */
const GIVE_UP = 5;

export function inboxContract(use: UseStore): void {
  it('records a delivery once; the first body stands', async () => {
    const store = use();
    expect(await store.inbound.record('slack', 'Ev1', 'first', T0)).toBe(true);
    expect(await store.inbound.record('slack', 'Ev1', 'again', T0 + 1)).toBe(false);
    // the same id from another source is another delivery
    expect(await store.inbound.record('pagerduty', 'Ev1', 'pd', T0)).toBe(true);
    expect(await store.inbound.pending('slack')).toEqual([
      { source: 'slack', eventId: 'Ev1', body: 'first', receivedAt: T0, attempts: 0 },
    ]);
  });

  it('lists what is still to process, oldest first, per source', async () => {
    const store = use();
    await store.inbound.record('slack', 'late', '{}', T0 + 20);
    await store.inbound.record('slack', 'early', '{}', T0);
    await store.inbound.record('slack', 'middle', '{}', T0 + 10);
    await store.inbound.record('pagerduty', 'pd', '{}', T0 + 5);
    await store.inbound.markProcessed('slack', 'middle', T0 + 30);
    expect((await store.inbound.pending('slack')).map((e) => e.eventId)).toEqual(['early', 'late']);
    expect((await store.inbound.pending('pagerduty')).map((e) => e.eventId)).toEqual(['pd']);
    expect(await store.inbound.isProcessed('slack', 'middle')).toBe(true);
    expect(await store.inbound.isProcessed('slack', 'early')).toBe(false);
    expect(await store.inbound.isProcessed('slack', 'unknown')).toBe(false);
    await expect(store.inbound.markProcessed('slack', 'unknown', T0)).resolves.toBeUndefined();
  });

  it('marks many deliveries processed at once, one source only, leaving the rest and unknown ids alone', async () => {
    const store = use();
    const ids = Array.from({ length: 1203 }, (_, i) => `Ev${i}`);
    for (const id of ids) await store.inbound.record('slack', id, '{}', T0, { owner: 'a', until: T0 + 100 });
    await store.inbound.record('pagerduty', 'Ev0', '{}', T0);
    await store.inbound.markAllProcessed('slack', [], T0 + 1);
    // over a thousand ids, an unknown one among them
    await store.inbound.markAllProcessed('slack', [...ids.slice(0, 1201), 'unknown'], T0 + 5);
    expect((await store.inbound.pending('slack')).map((e) => e.eventId)).toEqual(['Ev1201', 'Ev1202']);
    expect(await store.inbound.isProcessed('slack', 'Ev1200')).toBe(true);
    expect(await store.inbound.isProcessed('pagerduty', 'Ev0')).toBe(false);
    expect(await store.inbound.isProcessed('slack', 'unknown')).toBe(false);
    // their leases are let go: a sweep finds nothing of them to claim, even once the leases would have run out
    const stale = await store.inbound.claimStale('slack', {
      owner: 'b',
      until: T0 + 300,
      now: T0 + 200,
      receivedBefore: T0 + 1,
      limit: 2000,
    });
    expect(stale.map((e) => e.eventId).sort()).toEqual(['Ev1201', 'Ev1202']);
  });

  it('counts failed attempts and gives up after five', async () => {
    const store = use();
    await store.inbound.record('slack', 'Ev1', '{}', T0);
    expect(await store.inbound.markFailed('slack', 'unknown', 'boom')).toBe(0);
    for (let n = 1; n < GIVE_UP; n++)
      expect(await store.inbound.markFailed('slack', 'Ev1', 'x'.repeat(900))).toBe(n);
    expect(await store.inbound.pending('slack')).toEqual([
      { source: 'slack', eventId: 'Ev1', body: '{}', receivedAt: T0, attempts: GIVE_UP - 1 },
    ]);
    expect(await store.inbound.markFailed('slack', 'Ev1', 'boom')).toBe(GIVE_UP);
    expect(await store.inbound.pending('slack')).toEqual([]);
    expect(await store.inbound.isProcessed('slack', 'Ev1')).toBe(false);
  });

  it('purges processed deliveries and given-up ones, never those still to do, at most `limit` at a time', async () => {
    const store = use();
    for (const id of ['p1', 'p2', 'p3']) {
      await store.inbound.record('slack', id, '{}', T0);
      await store.inbound.markProcessed('slack', id, T0 + 10);
    }
    await store.inbound.record('slack', 'processed-recently', '{}', T0);
    await store.inbound.markProcessed('slack', 'processed-recently', T0 + 100);
    await store.inbound.record('pagerduty', 'gave-up', '{}', T0);
    for (let n = 0; n < GIVE_UP; n++) await store.inbound.markFailed('pagerduty', 'gave-up', 'boom');
    await store.inbound.record('slack', 'retrying', '{}', T0);
    await store.inbound.markFailed('slack', 'retrying', 'boom');
    await store.inbound.record('slack', 'unprocessed', '{}', T0);
    expect(await store.inbound.purge(T0 + 50, 0)).toBe(0);
    expect(await store.inbound.purge(T0 + 50, 3)).toBe(3);
    expect(await store.inbound.purge(T0 + 50, 3)).toBe(1);
    expect(await store.inbound.purge(T0 + 50, 3)).toBe(0);
    // what is left: the recent one, and the two still to process (the given-up one is gone)
    expect(await store.inbound.isProcessed('slack', 'processed-recently')).toBe(true);
    expect((await store.inbound.pending('slack')).map((e) => e.eventId)).toEqual(['retrying', 'unprocessed']);
    expect(await store.inbound.record('pagerduty', 'gave-up', '{}', T0)).toBe(true);
    expect(await store.inbound.record('slack', 'p1', '{}', T0)).toBe(true);
    expect(await store.inbound.record('slack', 'processed-recently', '{}', T0)).toBe(false);
  });

  it('claims the deliveries nobody holds, oldest first, received before the bound, at most `limit`', async () => {
    const store = use();
    const held = { owner: 'a', until: T0 + 20_000 };
    await store.inbound.record('slack', 'held', '{"n":1}', T0, held);
    await store.inbound.record('slack', 'late', '{}', T0 + 3);
    await store.inbound.record('slack', 'free', '{}', T0 + 1);
    await store.inbound.record('slack', 'free2', '{}', T0 + 2);
    await store.inbound.record('slack', 'recent', '{}', T0 + 10);
    await store.inbound.record('slack', 'done', '{}', T0);
    await store.inbound.markProcessed('slack', 'done', T0 + 1);
    await store.inbound.record('pagerduty', 'pd', '{}', T0);
    await store.inbound.record('slack', 'gave-up', '{}', T0);
    for (let n = 0; n < GIVE_UP; n++) await store.inbound.markFailed('slack', 'gave-up', 'boom');
    const claim = (owner: string, now: number, limit = 10) =>
      store.inbound.claimStale('slack', { owner, now, until: now + 20_000, receivedBefore: T0 + 10, limit });
    expect(await claim('b', T0 + 5, 2)).toEqual([
      { source: 'slack', eventId: 'free', body: '{}', receivedAt: T0 + 1, attempts: 0 },
      { source: 'slack', eventId: 'free2', body: '{}', receivedAt: T0 + 2, attempts: 0 },
    ]);
    // a live lease is not taken, whoever asks; what was claimed just now is held too
    expect((await claim('b', T0 + 5)).map((e) => e.eventId)).toEqual(['late']);
    expect(await claim('c', T0 + 19_999)).toEqual([]);
    // the receiver's lease has expired: another instance takes the delivery over
    expect((await claim('c', T0 + 20_000)).map((e) => e.eventId)).toEqual(['held']);
    expect((await claim('d', T0 + 20_005)).map((e) => e.eventId)).toEqual(['free', 'free2', 'late']);
    expect((await store.inbound.pending('slack')).map((e) => e.eventId)).toEqual([
      'held',
      'free',
      'free2',
      'late',
      'recent',
    ]);
  });

  it('hands a delivery to one of two instances claiming it at once', async () => {
    const store = use();
    const ids = Array.from({ length: 12 }, (_, i) => `Ev${String(i).padStart(2, '0')}`);
    for (const id of ids) await store.inbound.record('slack', id, '{}', T0);
    const claim = (owner: string) =>
      store.inbound.claimStale('slack', {
        owner,
        now: T0 + 1,
        until: T0 + 20_001,
        receivedBefore: T0 + 1,
        limit: 100,
      });
    const [a, b] = await Promise.all([claim('a'), claim('b')]);
    const taken = [...a!, ...b!].map((e) => e.eventId).sort();
    expect(taken).toEqual(ids);
    await store.inbound.record('slack', 'EvOne', '{}', T0 + 2);
    const [x, y] = await Promise.all([
      store.inbound.claimStale('slack', {
        owner: 'a',
        now: T0 + 3,
        until: T0 + 9,
        receivedBefore: T0 + 3,
        limit: 1,
      }),
      store.inbound.claimStale('slack', {
        owner: 'b',
        now: T0 + 3,
        until: T0 + 9,
        receivedBefore: T0 + 3,
        limit: 1,
      }),
    ]);
    expect([...x!, ...y!].map((e) => e.eventId)).toEqual(['EvOne']);
  });

  it('lets go of the lease when a delivery fails, so its retry can be claimed; a redelivery keeps the first lease', async () => {
    const store = use();
    await store.inbound.record('slack', 'Ev1', '{}', T0, { owner: 'a', until: T0 + 20_000 });
    expect(await store.inbound.record('slack', 'Ev1', '{}', T0 + 1, { owner: 'b', until: T0 + 30_000 })).toBe(
      false,
    );
    const claim = (now: number) =>
      store.inbound.claimStale('slack', {
        owner: 'b',
        now,
        until: now + 20_000,
        receivedBefore: now,
        limit: 10,
      });
    expect(await claim(T0 + 20_000)).toHaveLength(1);
    expect(await store.inbound.markFailed('slack', 'Ev1', 'boom')).toBe(1);
    expect(await claim(T0 + 20_001)).toEqual([
      { source: 'slack', eventId: 'Ev1', body: '{}', receivedAt: T0, attempts: 1 },
    ]);
    await store.inbound.markProcessed('slack', 'Ev1', T0 + 20_002);
    expect(await claim(T0 + 60_000)).toEqual([]);
  });

  it('blanks a Slack message in every stored event that carries it, and nothing else', async () => {
    const store = use();
    await store.inbound.record('slack', 'Ev1', messageEvent('C0INC', '1.1', 'the password'), T0);
    await store.inbound.record('slack', 'Ev2', messageEvent('C0INC', '1.2', 'another message'), T0);
    await store.inbound.record('slack', 'Ev3', messageEvent('C0OTHER', '1.1', 'same ts, other channel'), T0);
    await store.inbound.record('pagerduty', 'Pd1', messageEvent('C0INC', '1.1', 'not a slack delivery'), T0);
    await store.inbound.record('slack', 'Ev4', 'not json "C0INC" "1.1"', T0);
    expect(await store.inbound.blankSlackMessage('C0INC', '1.1')).toBe(1);
    const bodies = Object.fromEntries(
      [...(await store.inbound.pending('slack')), ...(await store.inbound.pending('pagerduty'))].map((e) => [
        e.eventId,
        e.body,
      ]),
    );
    expect(JSON.parse(bodies.Ev1!).event).toEqual({
      type: 'message',
      channel: 'C0INC',
      ts: '1.1',
      user: 'U0BOB',
      text: '',
    });
    expect(bodies.Ev2).toContain('another message');
    expect(bodies.Ev3).toContain('same ts, other channel');
    expect(bodies.Pd1).toContain('not a slack delivery');
    // blanked already: nothing changes
    expect(await store.inbound.blankSlackMessage('C0INC', '1.1')).toBe(0);
  });
}

export function messageContract(use: UseStore): void {
  it('tells who wrote in a channel: how many messages and the first, deleted ones counted', async () => {
    const store = use();
    await store.messages.addIfNew(message('1700000009.000100', { userId: 'U0ALICE' }), T0);
    await store.messages.addIfNew(message('1700000010.000100'), T0);
    await store.messages.addIfNew(message('1700000002.000100'), T0);
    await store.messages.addIfNew(message('1700000011.000100', { userId: null }), T0);
    await store.messages.addIfNew(
      message('1700000001.000100', { channelId: 'C0OTHER', userId: 'U0DAVE' }),
      T0,
    );
    await store.messages.markDeleted('C0INC', '1700000010.000100', T0 + 1, null);
    expect(await store.messages.authors('C0INC')).toEqual([
      { userId: 'U0BOB', messages: 2, firstTs: '1700000002.000100' },
      { userId: 'U0ALICE', messages: 1, firstTs: '1700000009.000100' },
    ]);
    expect(await store.messages.authors('C0NONE')).toEqual([]);
  });

  it('records a message once; the first record stands', async () => {
    const store = use();
    expect(await store.messages.addIfNew(message('1.1'), T0)).toBe(true);
    expect(await store.messages.addIfNew(message('1.1', { text: 'other' }), T0 + 1)).toBe(false);
    expect(await store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1'),
      editedAt: null,
      deletedAt: null,
      receivedAt: T0,
    });
    expect(await store.messages.get('C0INC', '9.9')).toBeNull();
    expect(await store.messages.get('C0OTHER', '1.1')).toBeNull();
    // its thread, author-less bot post and files come back as they were given
    const files = [
      { name: 'graph "p99" & more.png', url: 'https://f/a', mimetype: 'image/png' },
      { name: '[]', url: 'https://f/b' },
    ];
    const withFiles = message('2.2', { threadTs: '2.0', userId: null, text: 'see {"a": [1]}', files });
    expect(await store.messages.addIfNew(withFiles, T0 + 2)).toBe(true);
    expect(await store.messages.get('C0INC', '2.2')).toEqual({
      ...withFiles,
      editedAt: null,
      deletedAt: null,
      receivedAt: T0 + 2,
    });
  });

  it('stores edits, recording a message it did not know, and keeps a known thread', async () => {
    const store = use();
    await store.messages.addIfNew(message('1.1', { threadTs: '1.0' }), T0);
    await store.messages.edit(
      message('1.1', { text: 'edited', files: [{ name: 'a.png', url: 'https://f/a' }] }),
      T0 + 5,
      T0 + 6,
    );
    expect(await store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1', { text: 'edited', files: [{ name: 'a.png', url: 'https://f/a' }] }),
      threadTs: '1.0',
      editedAt: T0 + 5,
      deletedAt: null,
      receivedAt: T0,
    });
    await store.messages.edit(message('1.3', { threadTs: '1.0', text: 'new' }), T0 + 7, T0 + 8);
    expect(await store.messages.get('C0INC', '1.3')).toEqual({
      ...message('1.3', { threadTs: '1.0', text: 'new' }),
      editedAt: T0 + 7,
      deletedAt: null,
      receivedAt: T0 + 8,
    });
  });

  it('blanks a deleted message, records an unknown deleted one, and lets no late edit bring words back', async () => {
    const store = use();
    await store.messages.addIfNew(
      message('1.1', { files: [{ name: 'secret.txt', url: 'https://f/1' }] }),
      T0,
    );
    await store.messages.markDeleted('C0INC', '1.1', T0 + 9, null);
    await store.messages.markDeleted('C0INC', '1.1', T0 + 20, null);
    await store.messages.edit(message('1.1', { text: 'late edit' }), T0 + 5, T0 + 30);
    expect(await store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1', { text: '' }),
      editedAt: null,
      deletedAt: T0 + 9,
      receivedAt: T0,
    });
    await store.messages.markDeleted('C0INC', '2.2', T0 + 40, { threadTs: '2.0', userId: 'U0CAROL' });
    expect(await store.messages.get('C0INC', '2.2')).toEqual({
      channelId: 'C0INC',
      ts: '2.2',
      threadTs: '2.0',
      userId: 'U0CAROL',
      text: '',
      files: [],
      editedAt: null,
      deletedAt: T0 + 40,
      receivedAt: T0 + 40,
    });
  });

  it('blanks the text and files of a message that stays in Slack', async () => {
    const store = use();
    await store.messages.addIfNew(
      message('1.1', { files: [{ name: 'a', url: 'https://f/a', mimetype: 'text/plain' }] }),
      T0,
    );
    await store.messages.blank('C0INC', '1.1');
    await store.messages.blank('C0INC', '9.9');
    expect(await store.messages.get('C0INC', '1.1')).toMatchObject({ text: '', files: [], deletedAt: null });
    expect(await store.messages.get('C0INC', '9.9')).toBeNull();
  });

  it('purges old messages, at most `limit` at a time, sparing the channels of open incidents', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'resolved' });
    await store.incidents.update(1, { channelId: 'C0OPEN' }, T0);
    await store.incidents.update(2, { channelId: 'C0DONE', status: 'resolved' }, T0);
    for (const ts of ['1.1', '1.2']) await store.messages.addIfNew(message(ts, { channelId: 'C0OPEN' }), T0);
    for (const ts of ['2.1', '2.2', '2.3'])
      await store.messages.addIfNew(message(ts, { channelId: 'C0DONE' }), T0);
    await store.messages.addIfNew(message('3.1', { channelId: 'C0ELSEWHERE' }), T0);
    await store.messages.addIfNew(message('3.2', { channelId: 'C0ELSEWHERE' }), T0 + 100);
    expect(await store.messages.purge(T0 + 50, 3)).toBe(3);
    expect(await store.messages.purge(T0 + 50, 3)).toBe(1);
    expect(await store.messages.purge(T0 + 50, 3)).toBe(0);
    expect(await store.messages.get('C0OPEN', '1.1')).not.toBeNull();
    expect(await store.messages.get('C0OPEN', '1.2')).not.toBeNull();
    expect(await store.messages.get('C0ELSEWHERE', '3.2')).not.toBeNull();
    for (const [c, ts] of [
      ['C0DONE', '2.1'],
      ['C0DONE', '2.3'],
      ['C0ELSEWHERE', '3.1'],
    ] as const)
      expect(await store.messages.get(c, ts)).toBeNull();
  });

  it('returns copies: changing one changes nothing stored', async () => {
    const store = use();
    const files = [{ name: 'a', url: 'https://f/a' }];
    await store.messages.addIfNew(message('1.1', { files }), T0);
    files[0]!.name = 'changed by the caller';
    (await store.messages.get('C0INC', '1.1'))!.files.push({ name: 'b', url: 'u' });
    expect((await store.messages.get('C0INC', '1.1'))!.files).toEqual([{ name: 'a', url: 'https://f/a' }]);
  });
}

export function reactionContract(use: UseStore): void {
  it('records each reaction once per user and emoji, counts them per message, and forgets them', async () => {
    const store = use();
    const r = { channelId: 'C0INC', ts: '1.1', userId: 'U0BOB', emoji: 'pushpin' };
    expect(await store.reactions.add(r, T0)).toBe(true);
    expect(await store.reactions.add(r, T0 + 1)).toBe(false);
    expect(await store.reactions.add({ ...r, emoji: 'pushpin::skin-tone-2' }, T0)).toBe(true);
    expect(await store.reactions.add({ ...r, userId: 'U0CAROL' }, T0)).toBe(true);
    expect(await store.reactions.add({ ...r, ts: '1.2' }, T0)).toBe(true);
    expect(await store.reactions.count('C0INC', '1.1')).toBe(3);
    expect(await store.reactions.count('C0INC', '9.9')).toBe(0);
    expect(await store.reactions.remove(r)).toBe(true);
    expect(await store.reactions.remove(r)).toBe(false);
    expect(await store.reactions.count('C0INC', '1.1')).toBe(2);
  });
}
