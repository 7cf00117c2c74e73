/**
 * PostgreSQL goes away in the middle of a storm of 📌 reactions and comes back: nothing acknowledged is lost.
 * While the server is down every delivery is refused with a 5xx (so Slack delivers it again) and /readyz says
 * why; once it is back, the same instance answers again on new connections, the redeliveries are stored, and
 * every reaction is on the timeline exactly once. Its own throwaway server (test/support/pg-cluster.ts), as
 * the test stops and starts it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let c: IncidentChannel | null = null;

beforeAll(async () => {
  cluster = await startPgCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database muster');
  await admin.end();
}, 60_000);

afterAll(async () => {
  await c?.h.stop();
  await cluster?.stop();
});

describe('PostgreSQL restarted during a storm of reactions', () => {
  it('refuses what it cannot store with a 5xx, says so on /readyz, and keeps every acknowledged reaction once', async () => {
    c = await openIncident({ env: { DATABASE_URL: cluster.url.replace(/\/postgres$/, '/muster') } });
    const { h, channel } = c;
    const ws = h.slack.workspace;
    // the messages exist in Slack before the storm; their reactions are what is delivered
    const messages: string[] = [];
    for (let i = 0; i < 30; i++) messages.push(await c.say('U0BOB', `step ${i}`));
    const reaction = (ts: string) =>
      ws.userAddReaction({ user: 'U0CAROL', channel, ts, reaction: 'pushpin' });
    const events = messages.map((ts) => ({ ts, event: reaction(ts), eventId: `Ev${ts.replace('.', '')}` }));
    const deliver = (e: (typeof events)[number], retryNum?: number) =>
      h.event(e.event, { eventId: e.eventId, ...(retryNum ? { retryNum } : {}) });

    const before = await Promise.all(events.slice(0, 10).map((e) => deliver(e)));
    expect(before.map((r) => r.status)).toEqual(before.map(() => 200));

    await cluster.pause();
    const during = await Promise.all(events.slice(10, 20).map((e) => deliver(e)));
    // never a 200 for something that was not stored: Slack delivers each of these again
    expect(during.every((r) => r.status >= 500)).toBe(true);
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'not ready', reason: expect.any(String) });

    await cluster.resume();
    expect((await h.get('/readyz')).status).toBe(200);
    // Slack's redeliveries of the refused ones, a redelivery of one already stored, and the rest of the storm
    const again = await Promise.all(events.slice(10, 20).map((e) => deliver(e, 1)));
    expect(again.map((r) => r.status)).toEqual(again.map(() => 200));
    expect((await deliver(events[0]!, 1)).status).toBe(200);
    const after = await Promise.all(events.slice(20).map((e) => deliver(e)));
    expect(after.map((r) => r.status)).toEqual(after.map(() => 200));
    await h.idle();
    // what was acknowledged but could not be handled while the server was down is taken up by the periodic
    // sweep, once it is old enough that no live instance is still handling it
    h.clock.advanceMinutes(1);
    await h.app.tick();
    await h.idle();

    const pinned = (await c.entries()).filter((e) => e.kind === 'message');
    expect(pinned.map((e) => e.meta.messageTs).sort()).toEqual([...messages].sort());
    expect(await h.rows('select count(*)::int as n from inbound_events where processed_at is null')).toEqual([
      { n: 0 },
    ]);
  });
});
