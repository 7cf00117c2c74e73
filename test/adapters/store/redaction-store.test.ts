/**
 * The store's part of "deleted means deleted", on real SQLite files: secure_delete, blanking a message in
 * stored event bodies, entry numbers, the retention purge, and the migration of an existing database.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { blankSlackMessage } from '../../../src/domain/slack-message-blanking.js';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';
import { databaseMigratedThrough } from '../../support/older-database.js';

afterAll(() => removeTempDirs());

const TS = '1795424400.000500';

describe('blankSlackMessage', () => {
  const envelope = (event: Record<string, unknown>) =>
    JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event });

  it('blanks the message event itself: text, blocks, attachments and files; ids and times stay', () => {
    const long = `${'🔑'.repeat(10_000)}&amp;${'x'.repeat(20_000)}`;
    const body = envelope({
      type: 'message',
      channel: 'C1',
      user: 'U1',
      ts: TS,
      text: long,
      blocks: [{ type: 'rich_text', elements: [{ type: 'text', text: long }] }],
      attachments: [{ text: long, fallback: long }],
      files: [{ id: 'F1', name: 'secret.txt', title: 'secret' }],
    });
    const out = JSON.parse(blankSlackMessage(body, 'C1', TS)!);
    expect(out).toEqual({
      type: 'event_callback',
      event_id: 'Ev1',
      event: { type: 'message', channel: 'C1', user: 'U1', ts: TS, text: '' },
    });
  });

  it('blanks the message inside an edit and a deletion, not the other messages they name', () => {
    const edit = envelope({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1795424500.000100',
      message: {
        type: 'message',
        ts: TS,
        text: 'new words',
        root: { ts: '1795424000.000100', text: 'the parent' },
      },
      previous_message: { type: 'message', ts: TS, text: 'old words', files: [{ name: 'a.png' }] },
    });
    const out = JSON.parse(blankSlackMessage(edit, 'C1', TS)!);
    expect(out.event.message).toEqual({
      type: 'message',
      ts: TS,
      text: '',
      root: { ts: '1795424000.000100', text: 'the parent' },
    });
    expect(out.event.previous_message).toEqual({ type: 'message', ts: TS, text: '' });
    expect(out.event.ts).toBe('1795424500.000100');
  });

  it('leaves alone another channel, another message, a body without the message, and a body that is not JSON', () => {
    const body = envelope({ type: 'message', channel: 'C2', ts: TS, text: 'in another channel' });
    expect(blankSlackMessage(body, 'C1', TS)).toBeNull();
    expect(
      blankSlackMessage(
        envelope({ type: 'message', channel: 'C1', ts: '1795424400.000501', text: 'x' }),
        'C1',
        TS,
      ),
    ).toBeNull();
    expect(
      blankSlackMessage(
        envelope({ type: 'reaction_added', item: { type: 'message', channel: 'C1', ts: TS } }),
        'C1',
        TS,
      ),
    ).toBeNull();
    expect(blankSlackMessage('{not json', 'C1', TS)).toBeNull();
    expect(blankSlackMessage('null', 'C1', TS)).toBeNull();
  });
});

describe('the store', () => {
  let store: Store;
  let file: string;
  beforeEach(() => {
    file = join(tempDir(), 'muster.db');
    store = new Store(openDb(file));
  });

  it('opens with secure_delete on, and empties the write-ahead log on request', async () => {
    expect(store.db.$client.pragma('secure_delete', { simple: true })).toBe(1);
    await store.inbound.record('slack', 'Ev1', '{"event":{}}', 1);
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    expect(await store.eraseLog()).toBe(true);
    expect(readFileSync(`${file}-wal`).length).toBe(0);
    expect(await store.eraseLogIfPending()).toBe(true);
    await store.close();
  });

  it('empties the log later when a reader on an older snapshot keeps it busy, without waiting for it', async () => {
    await store.inbound.record('slack', 'Ev1', '{"text":"first"}', 1);
    const reader = new Database(file);
    reader.exec('begin');
    reader.prepare('select count(*) from inbound_events').get();
    await store.inbound.record('slack', 'Ev2', '{"text":"second"}', 2);
    expect(await store.eraseLog()).toBe(false);
    // it waited with its own short timeout, and left the ordinary one as it was
    expect(store.db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    reader.exec('commit');
    reader.close();
    expect(await store.eraseLogIfPending()).toBe(true);
    expect(readFileSync(`${file}-wal`).length).toBe(0);
    await store.close();
  });

  it('blanks a message in every stored Slack event that carries it, and in no PagerDuty one', async () => {
    const ev = async (id: string, event: Record<string, unknown>) =>
      store.inbound.record('slack', id, JSON.stringify({ event_id: id, event }), 1);
    await ev('Ev1', { type: 'message', channel: 'C1', ts: TS, text: 'pw hunter2' });
    await ev('Ev2', {
      type: 'message',
      subtype: 'message_deleted',
      channel: 'C1',
      deleted_ts: TS,
      previous_message: { ts: TS, text: 'pw hunter2' },
    });
    await ev('Ev3', { type: 'message', channel: 'C1', ts: '1795424400.000600', text: 'keep me' });
    await store.inbound.record(
      'pagerduty',
      'Pd1',
      JSON.stringify({ channel: 'C1', ts: TS, text: 'pagerduty' }),
      1,
    );
    expect(await store.inbound.blankSlackMessage('C1', TS)).toBe(2);
    expect(await store.inbound.blankSlackMessage('C1', TS)).toBe(0);
    const bodies = store.db.$client.prepare('select event_id, body from inbound_events').all() as {
      event_id: string;
      body: string;
    }[];
    expect(bodies.filter((b) => b.body.includes('hunter2'))).toEqual([]);
    expect(bodies.find((b) => b.event_id === 'Ev3')!.body).toContain('keep me');
    expect(bodies.find((b) => b.event_id === 'Pd1')!.body).toContain('pagerduty');
    await store.close();
  });

  it('purges processed deliveries and given-up ones before the cut, never one still to process', async () => {
    await store.inbound.record('slack', 'old-done', '{}', 1);
    await store.inbound.markProcessed('slack', 'old-done', 10);
    await store.inbound.record('slack', 'new-done', '{}', 1);
    await store.inbound.markProcessed('slack', 'new-done', 100);
    await store.inbound.record('slack', 'old-pending', '{}', 1);
    await store.inbound.record('slack', 'old-retrying', '{}', 1);
    await store.inbound.markFailed('slack', 'old-retrying', 'boom');
    await store.inbound.record('pagerduty', 'old-gave-up', '{}', 1);
    for (let i = 0; i < 5; i++) await store.inbound.markFailed('pagerduty', 'old-gave-up', 'boom');
    expect(await store.inbound.purge(50, 1)).toBe(1);
    expect(await store.inbound.purge(50, 10)).toBe(1);
    expect(await store.inbound.purge(50, 10)).toBe(0);
    const left = (
      store.db.$client.prepare('select event_id from inbound_events order by event_id').all() as {
        event_id: string;
      }[]
    ).map((r) => r.event_id);
    expect(left).toEqual(['new-done', 'old-pending', 'old-retrying']);
    await store.close();
  });

  it("purges cached messages before the cut, in batches, except an open incident's", async () => {
    const [open, resolved] = await store.tx(async () => [
      await store.incidents.create({
        title: 'open',
        severity: 3,
        teamId: 'T',
        declaredBy: 'U',
        declaredAt: 1,
      }),
      await store.incidents.create({
        title: 'done',
        severity: 3,
        teamId: 'T',
        declaredBy: 'U',
        declaredAt: 1,
      }),
    ]);
    await store.incidents.update(open!.number, { channelId: 'COPEN' }, 1);
    await store.incidents.update(
      resolved!.number,
      { channelId: 'CDONE', status: 'resolved', resolvedAt: 2 },
      2,
    );
    const msg = async (channelId: string, n: number, at: number) =>
      store.messages.addIfNew(
        { channelId, ts: `1795424400.00000${n}`, threadTs: null, userId: 'U', text: 'hi', files: [] },
        at,
      );
    await msg('COPEN', 1, 10);
    await msg('CDONE', 1, 10);
    await msg('CDONE', 2, 10);
    await msg('CDONE', 3, 90);
    await msg('CELSEWHERE', 1, 10);
    expect(await store.messages.purge(50, 2)).toBe(2);
    expect(await store.messages.purge(50, 2)).toBe(1);
    expect(await store.messages.purge(50, 2)).toBe(0);
    const left = store.db.$client
      .prepare('select channel_id, received_at from slack_messages order by channel_id')
      .all();
    expect(left).toEqual([
      { channel_id: 'CDONE', received_at: 90 },
      { channel_id: 'COPEN', received_at: 10 },
    ]);
    await store.close();
  });

  it('numbers entries per incident, once per source key, and finds them by number', async () => {
    const [a, b] = await store.tx(async () => [
      await store.incidents.create({ title: 'a', severity: 3, teamId: 'T', declaredBy: 'U', declaredAt: 1 }),
      await store.incidents.create({ title: 'b', severity: 3, teamId: 'T', declaredBy: 'U', declaredAt: 1 }),
    ]);
    const add = async (incidentNumber: number, key: string) =>
      store.timeline.add(
        { incidentNumber, kind: 'note', text: key, actor: 'U', occurredAt: 5, sourceKey: key },
        5,
      );
    expect((await add(a!.number, 'x'))!.number).toBe(1);
    expect(await add(a!.number, 'x')).toBeNull();
    expect((await add(b!.number, 'y'))!.number).toBe(1);
    expect((await add(a!.number, 'z'))!.number).toBe(2);
    expect((await store.timeline.byNumber(a!.number, 2))!.text).toBe('z');
    expect(await store.timeline.byNumber(a!.number, 3)).toBeNull();
    await store.close();
  });
});

describe('the migration to entry numbers and blank deletions', () => {
  it('numbers existing entries in timeline order and blanks messages deleted before it', async () => {
    const file = join(tempDir(), 'old.db');
    // the migrations as they were before: 0000 to 0002
    const client = databaseMigratedThrough(file, '0002_sandbox');
    client.exec(`
      insert into incidents (number, title, severity, status, team_id, declared_by, declared_at, updated_at) values
        (1, 'one', 2, 'investigating', 'T', 'U', 1, 1), (2, 'two', 2, 'investigating', 'T', 'U', 1, 1);
      insert into timeline_entries (id, incident_number, kind, text, actor, occurred_at, recorded_at, source_key, state, meta) values
        (1, 1, 'note', 'later', 'U', 300, 300, 'k1', 'active', '{}'),
        (2, 2, 'note', 'other incident', 'U', 100, 100, 'k2', 'active', '{}'),
        (3, 1, 'message', 'pw hunter2', 'U', 100, 400, 'k3', 'deleted', '{"files":[{"name":"pw.txt","url":"u"}],"messageTs":"1.2"}'),
        (4, 1, 'note', 'first', 'U', 100, 100, 'k4', 'active', '{}');
      insert into slack_messages (channel_id, ts, text, files, deleted_at, received_at) values
        ('C1', '1.2', 'pw hunter2', '[{"name":"pw.txt","url":"u"}]', 5, 1), ('C1', '1.3', 'still here', '[]', null, 1);
    `);
    client.close();

    const store = new Store(openDb(file));
    try {
      const one = (await store.timeline.list(1)).map((e) => [e.number, e.text, e.meta.files ?? null]);
      expect(one).toEqual([
        [1, 'first', null],
        [2, '', []],
        [3, 'later', null],
      ]);
      expect((await store.timeline.list(2)).map((e) => e.number)).toEqual([1]);
      expect(await store.messages.get('C1', '1.2')).toMatchObject({ text: '', files: [] });
      expect(await store.messages.get('C1', '1.3')).toMatchObject({ text: 'still here' });
      // and the next entry continues the numbering
      expect(
        (await store.timeline.add(
          { incidentNumber: 1, kind: 'note', text: 'n', actor: 'U', occurredAt: 1, sourceKey: 'k5' },
          1,
        ))!.number,
      ).toBe(4);
    } finally {
      await store.close();
    }
  });
});
