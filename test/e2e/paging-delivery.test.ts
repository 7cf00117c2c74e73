/**
 * Delivering pages when PagerDuty misbehaves: an outage across a restart (and a kill -9), 429 with
 * Retry-After, 5xx and timeouts retried, the circuit breaker, 400/401/403 refused for good, metrics.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { SIGNING_SECRET } from '../support/muster-harness.js';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs } from '../support/temp-dir.js';
import { waitUntil } from '../adapters/catalog/wait-until.js';
import { startMusterProcess } from '../support/muster-process.js';

let w: PagingWorld | null = null;
afterEach(async () => {
  await w?.stop();
  w = null;
});
afterAll(() => removeTempDirs());

const start = async (o: Parameters<typeof startPagingWorld>[0] = {}) => {
  w = await startPagingWorld(o);
  return w;
};

const pending = (world: PagingWorld) => world.rows("select * from outbox where state = 'pending'");
const metric = async (world: PagingWorld, line: RegExp) => line.exec(await world.h.metrics())?.[1];

describe('a PagerDuty outage', () => {
  it('keeps pages across a restart and delivers each exactly once after recovery, telling the channel twice', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    world.pd.down(503);
    await world.inChannel(incident, 'page checkout');
    await world.inChannel(incident, 'page search');
    await world.h.idle();
    const checkoutKey = `muster-inc-${incident.number}-checkout`;
    const searchKey = `muster-inc-${incident.number}-search`;
    expect(world.pd.fake.eventRequests(checkoutKey)).toHaveLength(1);
    expect(world.pd.fake.requestsTo('createIncident')).toHaveLength(1);
    expect(pending(world)).toHaveLength(2);
    const delayed = () =>
      world.posted(incident.channelId!).filter((t) => t.includes('PagerDuty is not taking the page'));
    expect(delayed()).toHaveLength(2);
    expect(delayed()[0]).toContain('(HTTP 503)');
    expect(await metric(world, /^muster_pages_pending (\d+)/m)).toBe('2');

    for (let i = 0; i < 3; i++) {
      world.clock.advanceMinutes(2);
      await world.h.app.tick();
    }
    expect(delayed()).toHaveLength(2);
    expect(Number(await metric(world, /^muster_outbox_oldest_age_seconds (\S+)/m))).toBe(6 * 60);

    // Muster restarts in the middle of the outage; the new process tries again at start and fails too
    await world.restart();
    expect(pending(world)).toHaveLength(2);
    expect(world.pd.triggersFor(checkoutKey)).toBe(0);

    world.pd.up();
    world.clock.advanceMinutes(10);
    await world.h.app.tick();
    world.clock.advanceMinutes(10);
    await world.h.app.tick();

    expect(world.pd.triggersFor(checkoutKey)).toBe(1);
    expect(world.pd.incidentsFor(checkoutKey)).toHaveLength(1);
    expect(world.pd.fake.requestsTo('createIncident').filter((r) => r.status === 201)).toHaveLength(1);
    expect(world.pd.incidentsFor(searchKey)).toHaveLength(1);
    expect(pending(world)).toHaveLength(0);
    const through = world.posted(incident.channelId!).filter((t) => t.includes('went through after'));
    expect(through).toHaveLength(2);
    expect(through.join('\n')).toContain('The page to *checkout* went through after');
    expect(await metric(world, /^muster_pages_sent_total\{kind="trigger",via="events"\} (\d+)/m)).toBe('1');
    expect(await metric(world, /^muster_pages_pending (\d+)/m)).toBe('0');
  });

  it('resolves a page queued during the outage only after its trigger went through', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    world.pd.down(503);
    await world.inChannel(incident, 'page checkout');
    await world.inChannel(incident, 'resolve false alarm');
    await world.h.idle();
    world.pd.up();
    world.clock.advanceMinutes(10);
    await world.h.app.tick();
    const key = `muster-inc-${incident.number}-checkout`;
    const accepted = world.pd.fake.eventRequests(key).filter((r) => r.status === 202);
    expect(accepted.map((r) => (r.body as { event_action: string }).event_action)).toEqual([
      'trigger',
      'resolve',
    ]);
    expect(world.pd.incidentsFor(key)[0]!.status).toBe('resolved');
    expect(pending(world)).toHaveLength(0);
  });

  it('stops calling PagerDuty while it keeps failing (circuit breaker), then tries once after a minute', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    world.pd.down(502);
    await world.inChannel(incident, 'page checkout');
    await world.h.idle();
    for (let i = 0; i < 4; i++) {
      world.clock.advanceMinutes(5);
      await world.h.app.tick();
    }
    const calls = () => world.pd.fake.requestsTo('enqueue').length;
    expect(calls()).toBe(5);
    expect(world.h.app.outbox.breaker.state).toBe('open');
    // the row is due again (backoff at most 32 s), but the circuit is open for 60 s
    world.clock.advance(40_000);
    await world.h.app.tick();
    expect(calls()).toBe(5);
    world.pd.up();
    world.clock.advance(21_000);
    await world.h.app.tick();
    expect(calls()).toBe(6);
    expect(world.h.app.outbox.breaker.state).toBe('closed');
    expect(world.pd.triggersFor(`muster-inc-${incident.number}-checkout`)).toBe(1);
  });

  it('keeps a page acknowledged to Slack through a kill -9 in the middle of the outage', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    world.pd.down(503);
    await world.h.app.stop();

    const child = await startMusterProcess({ ...world.h.env, LOG_LEVEL: 'silent' }, world.h.dir);
    try {
      const body = new URLSearchParams({
        team_id: 'T0MUSTER',
        channel_id: incident.channelId!,
        user_id: 'U0ALICE',
        user_name: 'alice',
        command: '/incident',
        text: 'page checkout',
        response_url: world.h.slack.responseUrl(),
        trigger_id: '1.2.trigger',
      }).toString();
      const r = await fetch(`${child.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signedHeaders(SIGNING_SECRET, body),
        },
        body,
      });
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('Paging *checkout*');
      // killed mid-outage, once its first attempt has been refused and recorded
      await world.pd.waitFor((f) => f.requestsTo('enqueue').some((q) => q.status === 503));
      await waitUntil(
        () => Number(world.rows('select attempts from outbox')[0]?.attempts ?? 0) > 0,
        'the child recorded its attempt',
        15_000,
      );
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
    }

    world.pd.up();
    // the child used the wall clock: move past any retry it scheduled
    world.clock.set(Date.now() + 10 * 60_000);
    await world.restart();
    await world.h.app.tick();
    const key = `muster-inc-${incident.number}-checkout`;
    expect(world.pd.triggersFor(key)).toBe(1);
    expect(world.pd.incidentsFor(key)).toHaveLength(1);
  });
});

describe('retries', () => {
  it('honours Retry-After on a 429', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    // pdjs itself tries a 429 four times before giving up; all four are refused
    world.pd.failNext('enqueue', { status: 429, times: 4, retryAfter: 120 });
    await world.inChannel(incident, 'page checkout');
    await world.h.idle();
    const key = `muster-inc-${incident.number}-checkout`;
    expect(world.pd.triggersFor(key)).toBe(0);
    world.clock.advance(119_000);
    await world.h.app.tick();
    expect(world.pd.fake.eventRequests(key)).toHaveLength(4);
    world.clock.advance(1_000);
    await world.h.app.tick();
    expect(world.pd.triggersFor(key)).toBe(1);
  });

  it('retries a 5xx after a jittered backoff and a timeout after PagerDuty answers again', async () => {
    const world = await start({ pagerDutyTimeoutMs: 150 });
    const incident = await world.declare('sev2 checkout returns 500s');
    world.pd.failNext('enqueue', { status: 500 });
    await world.inChannel(incident, 'page checkout');
    await world.h.idle();
    const key = `muster-inc-${incident.number}-checkout`;
    // random 0.5 of the first ceiling (2 s)
    expect(pending(world)[0]!.next_attempt_at).toBe(world.clock.now() + 1000);
    world.pd.hang();
    world.clock.advance(1000);
    await world.h.app.tick();
    expect(pending(world)[0]).toMatchObject({ attempts: 2, last_error: 'no answer in time' });
    expect(JSON.parse(String(pending(world)[0]!.payload))).toMatchObject({ maybeSent: true });
    world.pd.up();
    world.clock.advance(2000);
    await world.h.app.tick();
    expect(world.pd.triggersFor(key)).toBe(1);
    expect(world.posted(incident.channelId!).filter((t) => t.includes('not taking the page'))).toHaveLength(
      1,
    );
    expect(world.posted(incident.channelId!).filter((t) => t.includes('went through'))).toHaveLength(1);
  });
});

describe('refusals are told and never retried', () => {
  const refusedOnce = async (world: PagingWorld, incident: Incident, route: 'enqueue' | 'createIncident') => {
    await world.h.idle();
    const before = world.pd.fake.requestsTo(route).length;
    world.clock.advanceMinutes(30);
    await world.h.app.tick();
    expect(world.pd.fake.requestsTo(route).length).toBe(before);
    expect(world.rows('select state from outbox')).toEqual([{ state: 'failed' }]);
    expect((await world.h.app.deps.store.pages.list(incident.number))[0]!.status).toBe('failed');
    return world.posted(incident.channelId!).filter((t) => t.startsWith(':x: PagerDuty refused'));
  };

  it('400 invalid routing key', async () => {
    const world = await start();
    const incident = await world.declare('sev2 ghost is haunted');
    await world.inChannel(incident, 'page ghost');
    const told = await refusedOnce(world, incident, 'enqueue');
    expect(told).toEqual([
      ':x: PagerDuty refused to page *ghost*: HTTP 400: Invalid routing key. Check the routing key of ghost in the catalog (pagerduty.routing_key), then page again. It will not be retried.',
    ]);
    const entry = (await world.h.app.deps.store.timeline.list(incident.number)).at(-1)!;
    expect(entry.text).toBe('PagerDuty refused to page ghost: HTTP 400: Invalid routing key');
    expect(await metric(world, /^muster_pages_failed_total\{kind="trigger",via="events"\} (\d+)/m)).toBe('1');
    // a failed page does not block a new one
    const again = await world.inChannel(incident, 'page ghost');
    expect(String(again.json?.text)).toContain('Paging *ghost*');
  });

  it('401 bad token', async () => {
    const world = await start({ token: 'u+wrong-token' });
    const incident = await world.declare('sev2 search is slow');
    await world.inChannel(incident, 'page search');
    const told = await refusedOnce(world, incident, 'createIncident');
    expect(told[0]).toContain('HTTP 401');
    expect(told[0]).toContain('Check PAGERDUTY_API_TOKEN.');
  });

  it('403 token without write access', async () => {
    const world = await start({ readOnlyToken: true });
    const incident = await world.declare('sev2 search is slow');
    await world.inChannel(incident, 'page search');
    const told = await refusedOnce(world, incident, 'createIncident');
    expect(told[0]).toContain('HTTP 403');
    expect(told[0]).toContain('may not make this change');
  });
});
