/** The durable event processor on a real database: order per channel, no double handling, retries, recovery. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/adapters/http/metrics.js';
import { createLogger } from '../../../src/adapters/log.js';
import {
  type EventEnvelope,
  EventProcessor,
  type SlackEvent,
} from '../../../src/adapters/slack/event-processor.js';
import { MAX_INBOUND_ATTEMPTS } from '../../../src/domain/ports/store.js';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { LogCapture } from '../../support/log-capture.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

let file: string;
let store: Store;
let logs: LogCapture;
let processor: EventProcessor;
const clock = new FixedClock();

beforeEach(() => {
  file = join(tempDir(), 'muster.db');
  store = new Store(openDb(file));
  logs = new LogCapture();
  processor = new EventProcessor(
    store,
    clock,
    createLogger({ level: 'info', destination: logs }),
    new Metrics({ defaults: false }),
    'host:1:this',
  );
});
afterAll(() => removeTempDirs());

const envelope = (id: string, event: SlackEvent): EventEnvelope => ({ event_id: id, team_id: 'T1', event });
/** Stores an envelope the way the receiver does (held by this instance), before handing it over. */
const stored = async (id: string, event: SlackEvent): Promise<EventEnvelope> => {
  const e = envelope(id, event);
  await store.inbound.record('slack', id, JSON.stringify(e), clock.now(), processor.lease());
  return e;
};
/** The next sweep, a few seconds later. */
const sweep = (): Promise<number> => {
  clock.advance(5_000);
  return processor.recover();
};

describe('EventProcessor', () => {
  it('handles the events of one channel one at a time, in order, while channels run side by side', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    processor.on('reaction_added', async (e) => {
      if (e.channel === 'C1' && e.ts === '1.000001') await gate;
      seen.push(`${e.channel}:${e.ts}`);
    });
    const runs = [
      processor.enqueue('E1', await stored('E1', { type: 'reaction_added', channel: 'C1', ts: '1.000001' })),
      processor.enqueue('E2', await stored('E2', { type: 'reaction_added', channel: 'C1', ts: '1.000002' })),
      processor.enqueue('E3', await stored('E3', { type: 'reaction_added', channel: 'C2', ts: '1.000003' })),
    ];
    await runs[2];
    expect(seen).toEqual(['C2:1.000003']);
    release();
    await Promise.all(runs);
    expect(seen).toEqual(['C2:1.000003', 'C1:1.000001', 'C1:1.000002']);
    for (const id of ['E1', 'E2', 'E3']) expect(await store.inbound.isProcessed('slack', id)).toBe(true);
  });

  it('never hands an event already processed to a handler again', async () => {
    let calls = 0;
    processor.on('message', () => void calls++);
    const e = await stored('E1', { type: 'message', channel: 'C1' });
    await processor.enqueue('E1', e);
    await processor.enqueue('E1', e);
    await sweep();
    clock.advance(60_000);
    await sweep();
    expect(calls).toBe(1);
  });

  it('retries a failed event on the sweep, and gives up after the last attempt keeping it stored', async () => {
    let failuresLeft = 2;
    let handled = 0;
    processor.on('message', (e) => {
      if (e.text === 'flaky' && failuresLeft-- > 0) throw new Error('database is locked');
      if (e.text === 'broken') throw new Error('always broken');
      handled++;
    });
    await processor.enqueue('E1', await stored('E1', { type: 'message', channel: 'C1', text: 'flaky' }));
    await processor.enqueue('E2', await stored('E2', { type: 'message', channel: 'C1', text: 'broken' }));
    expect(await store.inbound.isProcessed('slack', 'E1')).toBe(false);
    for (let i = 0; i < MAX_INBOUND_ATTEMPTS + 2; i++) await sweep();
    expect(await store.inbound.isProcessed('slack', 'E1')).toBe(true);
    expect(handled).toBe(1);
    expect(await store.inbound.isProcessed('slack', 'E2')).toBe(false);
    const last = logs.records().filter((r) => String(r.msg).includes('for the last time'));
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ level: 'error', eventId: 'E2', attempts: MAX_INBOUND_ATTEMPTS });
    expect(await store.inbound.pending('slack')).toEqual([]);
  });

  it('handles events another instance stored and left once its lease has expired, and skips a body that is not an event', async () => {
    const seen: string[] = [];
    processor.on('message', (e) => void seen.push(String(e.text)));
    const left = { owner: 'host:2:gone', until: clock.now() + 20_000 };
    const body = (id: string, text: string) =>
      JSON.stringify(envelope(id, { type: 'message', channel: 'C1', text }));
    await store.inbound.record('slack', 'E1', body('E1', 'one'), clock.now(), left);
    await store.inbound.record('slack', 'E2', body('E2', 'two'), clock.now(), left);
    await store.inbound.record('slack', 'E3', '{not json', clock.now(), left);
    await store.inbound.record('slack', 'E4', '{"event_id":"E4"}', clock.now(), left);
    // its holder may still be at work: not taken
    expect(await sweep()).toBe(0);
    clock.advance(15_000);
    expect(await processor.recover()).toBe(4);
    expect(seen).toEqual(['one', 'two']);
    expect(await store.inbound.isProcessed('slack', 'E3')).toBe(false);
    expect((await store.inbound.pending('slack')).map((e) => [e.eventId, e.attempts])).toEqual([
      ['E3', 1],
      ['E4', 1],
    ]);
    // the broken bodies are tried again (until the last attempt); the handled events are not
    expect(await sweep()).toBe(2);
    expect(seen).toEqual(['one', 'two']);
  });

  it('does not sweep up an event it holds while it is being handled', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    processor.on('message', async () => {
      calls++;
      await gate;
    });
    const run = processor.enqueue('E1', await stored('E1', { type: 'message', channel: 'C1' }));
    expect(await sweep()).toBe(0);
    release();
    await run;
    expect(calls).toBe(1);
  });

  it('marks a storm of events processed in a few writes, every event once', async () => {
    // Each write reads this clock once, so the distinct processed_at values count the writes.
    let t = clock.now();
    const ticking = { now: () => ++t };
    const storm = new EventProcessor(
      store,
      ticking,
      createLogger({ level: 'info', destination: logs }),
      new Metrics({ defaults: false }),
      'host:1:this',
    );
    // every event in a channel of its own, each ending in a turn of the event loop of its own, as under load
    storm.on('message', async (e) => {
      for (let i = Number(e.ts); i > 0; i--) await new Promise((r) => setImmediate(r));
    });
    const runs: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `E${i}`;
      runs.push(storm.enqueue(id, await stored(id, { type: 'message', channel: `C${i}`, ts: String(i) })));
    }
    await Promise.all(runs);
    await storm.idle();
    const db = new Database(file, { readonly: true });
    const marks = db
      .prepare('select count(*) as events, count(distinct processed_at) as writes from inbound_events')
      .get() as { events: number; writes: number };
    const unmarked = db.prepare('select count(*) as n from inbound_events where processed_at is null').get();
    db.close();
    expect(unmarked).toEqual({ n: 0 });
    expect(marks.events).toBe(60);
    // marked once per turn of the event loop, this storm took a write per event or so
    expect(marks.writes).toBeLessThanOrEqual(30);
  });
});
