/**
 * Two Muster instances on one PostgreSQL database (a throwaway server started for this file), one clock and one
 * fake Slack and PagerDuty: work is claimed by row, so what one instance acknowledged and never handled is
 * handled by the other once its lease is over, exactly once, a page queued during a PagerDuty outage goes
 * out once after it although both instances run the outbox, and a reminder or an escalation prompt due at the
 * moment both instances run their periodic jobs is told once. Outcomes only: the clock is moved, never waited
 * on. (test/e2e/pg-fault.test.ts runs two real processes through a kill -9.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../src/adapters/store/pg/pg-store.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../fakes/fake-pagerduty.js';
import { around } from '../support/incident-channel.js';
import { FixedClock } from '../support/fixed-clock.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

/** The lease an instance takes on what it receives (runtime/instance.ts). */
const LEASE_MS = 20_000;

let cluster: PgCluster;
let admin: pg.Client;
let n = 0;

beforeAll(async () => {
  cluster = await startPgCluster();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database migrated');
  const store = await openPgStore(cluster.url.replace(/\/postgres$/, '/migrated'));
  await store.close();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await cluster?.stop();
  removeTempDirs();
});

interface TwoInstances {
  a: Harness;
  b: Harness;
  clock: FixedClock;
  slack: FakeSlack;
  pd: RunningFakePagerDuty;
  /** Stops one instance, as if its process died between two sweeps. */
  kill(h: Harness): Promise<void>;
  stop(): Promise<void>;
}

let world: TwoInstances | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
});

/** Instances `a` and `b` on a fresh database, with a catalog whose `checkout` pages the fake PagerDuty. */
async function twoInstances(): Promise<TwoInstances> {
  const name = `two${++n}`;
  await admin.query(`create database "${name}" template migrated`);
  const clock = new FixedClock();
  const slack = await startFakeSlack({ clock: () => clock.now() });
  const pd = await startFakePagerDuty({
    now: () => clock.now(),
    services: [{ id: 'PSVC001', name: 'Checkout', escalationPolicyId: 'PEP0001' }],
  });
  const env = {
    DATABASE_URL: cluster.url.replace(/\/postgres$/, `/${name}`),
    PAGERDUTY_EVENTS_URL: pd.eventsUrl,
    PAGERDUTY_API_URL: pd.apiUrl,
  };
  const start = (instanceId: string) => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'catalog.yaml'),
      `services:\n  - name: checkout\n    owner: Storefront\n    pagerduty:\n      routing_key: ${pd.routingKey}\n`,
    );
    return startMuster({
      env,
      clock,
      slack,
      dir,
      overrides: { instanceId, pagerDutyTimeoutMs: 2000, random: () => 0.5 },
    });
  };
  const a = await start('instance-a');
  const b = await start('instance-b');
  const stopped = new Set<Harness>();
  return {
    a,
    b,
    clock,
    slack,
    pd,
    async kill(h) {
      stopped.add(h);
      await h.app.stop();
    },
    async stop() {
      for (const h of [a, b]) if (!stopped.has(h)) await h.app.stop();
      await slack.close();
      await pd.close();
    },
  };
}

describe('two instances on one PostgreSQL database', () => {
  it('hands an event one instance acknowledged and never handled to the other once its lease is over, once', async () => {
    world = await twoInstances();
    const { a, b, clock } = world;
    await a.command('declare sev2 Checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const c = await around(b);
    const ts = await c.say('U0BOB', 'Rolled back the gateway config');
    const reaction = b.slack.workspace.userAddReaction({
      user: 'U0CAROL',
      channel: c.channel,
      ts,
      reaction: 'pushpin',
    });
    // What instance a's receiver stored before answering Slack: the event, held by a's lease from the insert.
    // a is about to handle it (it is not queued here: a stands for an instance that then dies).
    const now = clock.now();
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0MUSTER',
      event_id: 'Ev0ACKED',
      event: reaction,
    });
    await a.app.deps.store.inbound.record('slack', 'Ev0ACKED', body, now, {
      owner: a.app.instanceId,
      until: now + LEASE_MS,
    });

    // a's lease is live: b's sweep leaves the event to a
    clock.advance(5_000);
    await b.app.tick();
    expect(await c.entryOf(ts)).toBeUndefined();

    // a dies; its lease runs out and b's next sweep takes the event over
    await world.kill(a);
    clock.advance(LEASE_MS);
    await b.app.tick();
    expect(await c.entryOf(ts)).toMatchObject({ text: 'Rolled back the gateway config', state: 'active' });
    expect(await b.app.deps.store.inbound.isProcessed('slack', 'Ev0ACKED')).toBe(true);

    // handled once: later sweeps and Slack's retry add nothing
    for (let i = 0; i < 3; i++) {
      clock.advance(LEASE_MS);
      await b.app.tick();
    }
    await b.event(reaction, { eventId: 'Ev0ACKED', retryNum: 1 });
    await b.idle();
    expect((await c.entries()).filter((e) => e.meta.messageTs === ts)).toHaveLength(1);
  });

  it('delivers a page queued during a PagerDuty outage exactly once after it, both instances running the outbox', async () => {
    world = await twoInstances();
    const { a, b, clock, pd } = world;
    pd.down();
    await a.command('declare sev1 Checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const incident = (await a.app.deps.store.incidents.listOpen())[0]!;
    const paged = await a.command('page checkout', { channel: incident.channelId! });
    expect(paged.status).toBe(200);
    await a.idle();
    const dedupKey = `muster-inc-${incident.number}-checkout`;
    for (let i = 0; i < 3; i++) {
      clock.advanceMinutes(3);
      await Promise.all([a.app.tick(), b.app.tick()]);
    }
    expect(pd.triggersFor(dedupKey)).toBe(0);

    pd.up();
    for (let i = 0; i < 4; i++) {
      clock.advanceMinutes(10);
      // both workers sweep the outbox at the same moment
      await Promise.all([a.app.tick(), b.app.tick()]);
    }
    expect(pd.triggersFor(dedupKey)).toBe(1);
    expect((await b.app.deps.store.pages.list(incident.number)).map((p) => p.status)).toEqual(['triggered']);
    expect(await b.app.deps.store.outbox.pending()).toEqual([]);
  });

  it('tells a due reminder and an escalation prompt once, both instances running the periodic jobs at the same moment', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev1 Checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const incident = (await a.app.deps.store.incidents.listOpen())[0]!;
    const channel = incident.channelId!;
    const posted = (pattern: RegExp) =>
      slack.workspace
        .messages(channel)
        .map((m) => m.text)
        .filter((t) => pattern.test(t));
    const bothTick = async (times: number) => {
      for (let i = 0; i < times; i++) {
        clock.advance(1_000);
        await Promise.all([a.app.tick(), b.app.tick()]);
      }
    };
    expect((await a.command('page checkout', { channel })).status).toBe(200);
    await a.idle();
    expect((await a.app.deps.store.pages.list(incident.number)).map((p) => p.status)).toEqual(['triggered']);

    // ten minutes in: three roles are unfilled and the page nobody acknowledged wants escalating
    clock.set(incident.declaredAt + 10 * 60_000);
    await bothTick(4);
    expect(posted(/ min in, nobody is /)).toHaveLength(1);
    expect(posted(/Nobody has acknowledged the page to \*checkout\*/)).toHaveLength(1);

    // fifteen minutes without an update on a SEV-1: the comms lead is reminded once
    await a.command('role comms <@U0BOB>', { channel });
    await a.idle();
    clock.set(incident.declaredAt + 15 * 60_000);
    await bothTick(4);
    expect(posted(/^:alarm_clock: <@U0BOB> no update for 15 min/)).toHaveLength(1);
    expect(await b.app.deps.store.reminders.keys(incident.number)).toEqual([
      'role:comms',
      'role:scribe',
      'role:tech',
      `update:${incident.declaredAt}:15:1`,
    ]);
  });
});
