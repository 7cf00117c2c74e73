/**
 * kill -9 during a storm of reaction events: every event Muster acknowledged becomes a timeline entry
 * after the restart, and no message is on the timeline twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openIncident } from '../support/incident-channel.js';
import { SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs } from '../support/temp-dir.js';
import { startMusterProcess } from '../support/muster-process.js';

afterAll(() => removeTempDirs());

describe('a crash in a storm of reactions', () => {
  it('turns every acknowledged event into exactly one entry after kill -9 and a restart', async () => {
    const c = await openIncident({ at: Date.now() });
    const ws = c.h.slack.workspace;
    const messages: string[] = [];
    for (let i = 0; i < 150; i++) messages.push(await c.say('U0BOB', `storm message ${i}`));
    await c.h.app.stop();

    const { child, url, exited } = await startMusterProcess({ ...c.h.env, LOG_LEVEL: 'silent' }, c.h.dir);
    type Delivery = { eventId: string; ts: string; body: string; retry: boolean };
    const deliveries: Delivery[] = [];
    const envelope = (event: Record<string, unknown>, eventId: string) =>
      JSON.stringify({
        token: 'legacy-verification-token',
        team_id: 'T0MUSTER',
        api_app_id: 'A0MUSTER',
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          { team_id: 'T0MUSTER', user_id: 'U0MUSTERBOT', is_bot: true, is_enterprise_install: false },
        ],
      });
    messages.forEach((ts, i) => {
      const id = `EvStormBob${i}`;
      deliveries.push({
        eventId: id,
        ts,
        body: envelope(
          ws.userAddReaction({ user: 'U0BOB', channel: c.channel, ts, reaction: 'pushpin' }),
          id,
        ),
        retry: false,
      });
      if (i % 2 === 0) {
        const id2 = `EvStormCarol${i}`;
        deliveries.push({
          eventId: id2,
          ts,
          body: envelope(
            ws.userAddReaction({ user: 'U0CAROL', channel: c.channel, ts, reaction: 'pushpin' }),
            id2,
          ),
          retry: false,
        });
      }
      if (i % 5 === 0)
        deliveries.push({
          eventId: id,
          ts,
          body: deliveries.find((d) => d.eventId === id)!.body,
          retry: true,
        });
    });

    const acknowledged = new Set<string>();
    let killed = false;
    let next = 0;
    const send = async () => {
      while (next < deliveries.length && !killed) {
        const d = deliveries[next++]!;
        try {
          const r = await fetch(`${url}/slack/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...signedHeaders(SIGNING_SECRET, d.body),
              ...(d.retry ? { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } : {}),
            },
            body: d.body,
          });
          await r.arrayBuffer();
          if (r.status === 200) acknowledged.add(d.ts);
        } catch {
          // the process is gone: Slack would deliver this one again later
        }
        if (acknowledged.size >= 60 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, send));
    if (!killed) child.kill('SIGKILL');
    await exited;
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);

    // The restarted process is another instance: it takes over what the killed one acknowledged once that
    // one's leases (20 s from each event's arrival, on the real clock of the child) are over.
    c.h.clock.set(Date.now() + 20_000);
    const h = await startMuster({ clock: c.h.clock, slack: c.h.slack, dir: c.h.dir });
    try {
      await h.idle();
      const entries = (await h.app.deps.store.timeline.list(c.incident.number)).filter(
        (e) => e.kind === 'message',
      );
      const byTs = new Map<string, number>();
      for (const e of entries)
        byTs.set(String(e.meta.messageTs), (byTs.get(String(e.meta.messageTs)) ?? 0) + 1);
      for (const ts of acknowledged) expect({ ts, entries: byTs.get(ts) ?? 0 }).toEqual({ ts, entries: 1 });
      expect([...byTs.values()].every((n) => n === 1)).toBe(true);
      expect(await h.app.deps.store.inbound.pending('slack')).toHaveLength(0);
    } finally {
      await h.stop();
    }
  });
});
