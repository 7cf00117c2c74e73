/** The contract of what arrives from Slack and PagerDuty: the inbox, the message cache, timeline reactions. */
import { expect, it } from 'vitest';
import { declare, message, messageEvent, T0, type UseStore } from './fixtures.js';

/** As many failed attempts as make the inbox give up on a delivery. */
const GIVE_UP = 5;

export function inboxContract(use: UseStore): void {
  it('records a delivery once; the first body stands', () => {
    const store = use();
    expect(store.inbound.record('slack', 'Ev1', 'first', T0)).toBe(true);
    expect(store.inbound.record('slack', 'Ev1', 'again', T0 + 1)).toBe(false);
    // the same id from another source is another delivery
    expect(store.inbound.record('pagerduty', 'Ev1', 'pd', T0)).toBe(true);
    expect(store.inbound.pending('slack')).toEqual([
      { source: 'slack', eventId: 'Ev1', body: 'first', receivedAt: T0, attempts: 0 },
    ]);
  });

  it('lists what is still to process, oldest first, per source', () => {
    const store = use();
    store.inbound.record('slack', 'late', '{}', T0 + 20);
    store.inbound.record('slack', 'early', '{}', T0);
    store.inbound.record('slack', 'middle', '{}', T0 + 10);
    store.inbound.record('pagerduty', 'pd', '{}', T0 + 5);
    store.inbound.markProcessed('slack', 'middle', T0 + 30);
    expect(store.inbound.pending('slack').map((e) => e.eventId)).toEqual(['early', 'late']);
    expect(store.inbound.pending('pagerduty').map((e) => e.eventId)).toEqual(['pd']);
    expect(store.inbound.isProcessed('slack', 'middle')).toBe(true);
    expect(store.inbound.isProcessed('slack', 'early')).toBe(false);
    expect(store.inbound.isProcessed('slack', 'unknown')).toBe(false);
    expect(() => store.inbound.markProcessed('slack', 'unknown', T0)).not.toThrow();
  });

  it('counts failed attempts and gives up after five', () => {
    const store = use();
    store.inbound.record('slack', 'Ev1', '{}', T0);
    expect(store.inbound.markFailed('slack', 'unknown', 'boom')).toBe(0);
    for (let n = 1; n < GIVE_UP; n++)
      expect(store.inbound.markFailed('slack', 'Ev1', 'x'.repeat(900))).toBe(n);
    expect(store.inbound.pending('slack')).toEqual([
      { source: 'slack', eventId: 'Ev1', body: '{}', receivedAt: T0, attempts: GIVE_UP - 1 },
    ]);
    expect(store.inbound.markFailed('slack', 'Ev1', 'boom')).toBe(GIVE_UP);
    expect(store.inbound.pending('slack')).toEqual([]);
    expect(store.inbound.isProcessed('slack', 'Ev1')).toBe(false);
  });

  it('purges processed deliveries and given-up ones, never those still to do, at most `limit` at a time', () => {
    const store = use();
    for (const id of ['p1', 'p2', 'p3']) {
      store.inbound.record('slack', id, '{}', T0);
      store.inbound.markProcessed('slack', id, T0 + 10);
    }
    store.inbound.record('slack', 'processed-recently', '{}', T0);
    store.inbound.markProcessed('slack', 'processed-recently', T0 + 100);
    store.inbound.record('pagerduty', 'gave-up', '{}', T0);
    for (let n = 0; n < GIVE_UP; n++) store.inbound.markFailed('pagerduty', 'gave-up', 'boom');
    store.inbound.record('slack', 'retrying', '{}', T0);
    store.inbound.markFailed('slack', 'retrying', 'boom');
    store.inbound.record('slack', 'unprocessed', '{}', T0);
    expect(store.inbound.purge(T0 + 50, 0)).toBe(0);
    expect(store.inbound.purge(T0 + 50, 3)).toBe(3);
    expect(store.inbound.purge(T0 + 50, 3)).toBe(1);
    expect(store.inbound.purge(T0 + 50, 3)).toBe(0);
    // what is left: the recent one, and the two still to process (the given-up one is gone)
    expect(store.inbound.isProcessed('slack', 'processed-recently')).toBe(true);
    expect(store.inbound.pending('slack').map((e) => e.eventId)).toEqual(['retrying', 'unprocessed']);
    expect(store.inbound.record('pagerduty', 'gave-up', '{}', T0)).toBe(true);
    expect(store.inbound.record('slack', 'p1', '{}', T0)).toBe(true);
    expect(store.inbound.record('slack', 'processed-recently', '{}', T0)).toBe(false);
  });

  it('blanks a Slack message in every stored event that carries it, and nothing else', () => {
    const store = use();
    store.inbound.record('slack', 'Ev1', messageEvent('C0INC', '1.1', 'the password'), T0);
    store.inbound.record('slack', 'Ev2', messageEvent('C0INC', '1.2', 'another message'), T0);
    store.inbound.record('slack', 'Ev3', messageEvent('C0OTHER', '1.1', 'same ts, other channel'), T0);
    store.inbound.record('pagerduty', 'Pd1', messageEvent('C0INC', '1.1', 'not a slack delivery'), T0);
    store.inbound.record('slack', 'Ev4', 'not json "C0INC" "1.1"', T0);
    expect(store.inbound.blankSlackMessage('C0INC', '1.1')).toBe(1);
    const bodies = Object.fromEntries(
      [...store.inbound.pending('slack'), ...store.inbound.pending('pagerduty')].map((e) => [
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
    expect(store.inbound.blankSlackMessage('C0INC', '1.1')).toBe(0);
  });
}

export function messageContract(use: UseStore): void {
  it('tells who wrote in a channel: how many messages and the first, deleted ones counted', () => {
    const store = use();
    store.messages.addIfNew(message('1700000009.000100', { userId: 'U0ALICE' }), T0);
    store.messages.addIfNew(message('1700000010.000100'), T0);
    store.messages.addIfNew(message('1700000002.000100'), T0);
    store.messages.addIfNew(message('1700000011.000100', { userId: null }), T0);
    store.messages.addIfNew(message('1700000001.000100', { channelId: 'C0OTHER', userId: 'U0DAVE' }), T0);
    store.messages.markDeleted('C0INC', '1700000010.000100', T0 + 1, null);
    expect(store.messages.authors('C0INC')).toEqual([
      { userId: 'U0BOB', messages: 2, firstTs: '1700000002.000100' },
      { userId: 'U0ALICE', messages: 1, firstTs: '1700000009.000100' },
    ]);
    expect(store.messages.authors('C0NONE')).toEqual([]);
  });

  it('records a message once; the first record stands', () => {
    const store = use();
    expect(store.messages.addIfNew(message('1.1'), T0)).toBe(true);
    expect(store.messages.addIfNew(message('1.1', { text: 'other' }), T0 + 1)).toBe(false);
    expect(store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1'),
      editedAt: null,
      deletedAt: null,
      receivedAt: T0,
    });
    expect(store.messages.get('C0INC', '9.9')).toBeNull();
    expect(store.messages.get('C0OTHER', '1.1')).toBeNull();
  });

  it('stores edits, recording a message it did not know, and keeps a known thread', () => {
    const store = use();
    store.messages.addIfNew(message('1.1', { threadTs: '1.0' }), T0);
    store.messages.edit(
      message('1.1', { text: 'edited', files: [{ name: 'a.png', url: 'https://f/a' }] }),
      T0 + 5,
      T0 + 6,
    );
    expect(store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1', { text: 'edited', files: [{ name: 'a.png', url: 'https://f/a' }] }),
      threadTs: '1.0',
      editedAt: T0 + 5,
      deletedAt: null,
      receivedAt: T0,
    });
    store.messages.edit(message('1.3', { threadTs: '1.0', text: 'new' }), T0 + 7, T0 + 8);
    expect(store.messages.get('C0INC', '1.3')).toEqual({
      ...message('1.3', { threadTs: '1.0', text: 'new' }),
      editedAt: T0 + 7,
      deletedAt: null,
      receivedAt: T0 + 8,
    });
  });

  it('blanks a deleted message, records an unknown deleted one, and lets no late edit bring words back', () => {
    const store = use();
    store.messages.addIfNew(message('1.1', { files: [{ name: 'secret.txt', url: 'https://f/1' }] }), T0);
    store.messages.markDeleted('C0INC', '1.1', T0 + 9, null);
    store.messages.markDeleted('C0INC', '1.1', T0 + 20, null);
    store.messages.edit(message('1.1', { text: 'late edit' }), T0 + 5, T0 + 30);
    expect(store.messages.get('C0INC', '1.1')).toEqual({
      ...message('1.1', { text: '' }),
      editedAt: null,
      deletedAt: T0 + 9,
      receivedAt: T0,
    });
    store.messages.markDeleted('C0INC', '2.2', T0 + 40, { threadTs: '2.0', userId: 'U0CAROL' });
    expect(store.messages.get('C0INC', '2.2')).toEqual({
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

  it('blanks the text and files of a message that stays in Slack', () => {
    const store = use();
    store.messages.addIfNew(
      message('1.1', { files: [{ name: 'a', url: 'https://f/a', mimetype: 'text/plain' }] }),
      T0,
    );
    store.messages.blank('C0INC', '1.1');
    store.messages.blank('C0INC', '9.9');
    expect(store.messages.get('C0INC', '1.1')).toMatchObject({ text: '', files: [], deletedAt: null });
    expect(store.messages.get('C0INC', '9.9')).toBeNull();
  });

  it('purges old messages, at most `limit` at a time, sparing the channels of open incidents', () => {
    const store = use();
    declare(store);
    declare(store, { title: 'resolved' });
    store.incidents.update(1, { channelId: 'C0OPEN' }, T0);
    store.incidents.update(2, { channelId: 'C0DONE', status: 'resolved' }, T0);
    for (const ts of ['1.1', '1.2']) store.messages.addIfNew(message(ts, { channelId: 'C0OPEN' }), T0);
    for (const ts of ['2.1', '2.2', '2.3']) store.messages.addIfNew(message(ts, { channelId: 'C0DONE' }), T0);
    store.messages.addIfNew(message('3.1', { channelId: 'C0ELSEWHERE' }), T0);
    store.messages.addIfNew(message('3.2', { channelId: 'C0ELSEWHERE' }), T0 + 100);
    expect(store.messages.purge(T0 + 50, 3)).toBe(3);
    expect(store.messages.purge(T0 + 50, 3)).toBe(1);
    expect(store.messages.purge(T0 + 50, 3)).toBe(0);
    expect(store.messages.get('C0OPEN', '1.1')).not.toBeNull();
    expect(store.messages.get('C0OPEN', '1.2')).not.toBeNull();
    expect(store.messages.get('C0ELSEWHERE', '3.2')).not.toBeNull();
    for (const [c, ts] of [
      ['C0DONE', '2.1'],
      ['C0DONE', '2.3'],
      ['C0ELSEWHERE', '3.1'],
    ] as const)
      expect(store.messages.get(c, ts)).toBeNull();
  });

  it('returns copies: changing one changes nothing stored', () => {
    const store = use();
    const files = [{ name: 'a', url: 'https://f/a' }];
    store.messages.addIfNew(message('1.1', { files }), T0);
    files[0]!.name = 'changed by the caller';
    store.messages.get('C0INC', '1.1')!.files.push({ name: 'b', url: 'u' });
    expect(store.messages.get('C0INC', '1.1')!.files).toEqual([{ name: 'a', url: 'https://f/a' }]);
  });
}

export function reactionContract(use: UseStore): void {
  it('records each reaction once per user and emoji, counts them per message, and forgets them', () => {
    const store = use();
    const r = { channelId: 'C0INC', ts: '1.1', userId: 'U0BOB', emoji: 'pushpin' };
    expect(store.reactions.add(r, T0)).toBe(true);
    expect(store.reactions.add(r, T0 + 1)).toBe(false);
    expect(store.reactions.add({ ...r, emoji: 'pushpin::skin-tone-2' }, T0)).toBe(true);
    expect(store.reactions.add({ ...r, userId: 'U0CAROL' }, T0)).toBe(true);
    expect(store.reactions.add({ ...r, ts: '1.2' }, T0)).toBe(true);
    expect(store.reactions.count('C0INC', '1.1')).toBe(3);
    expect(store.reactions.count('C0INC', '9.9')).toBe(0);
    expect(store.reactions.remove(r)).toBe(true);
    expect(store.reactions.remove(r)).toBe(false);
    expect(store.reactions.count('C0INC', '1.1')).toBe(2);
  });
}
