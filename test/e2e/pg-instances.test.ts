/**
 * Two Muster instances on one PostgreSQL database (a throwaway server started for this file), one clock and one
 * fake Slack and PagerDuty: work is claimed by row, so what one instance acknowledged and never handled is
 * handled by the other once its lease is over, exactly once, and a page queued during a PagerDuty outage goes
 * out once after it although both instances run the outbox. So are a declaration's provisioning and the upload
 * of a postmortem draft that an instance died before finishing. A reminder or an escalation prompt due at the
 * moment both instances run their periodic jobs is told once, and Socket Mode envelopes spread over both
 * instances' connections are handled once. Outcomes only: the clock is moved, never waited on.
 * (test/e2e/pg-fault.test.ts runs two real processes through a kill -9.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, type PgStore } from '../../src/adapters/store/pg/pg-store.js';
import { incidentRecord } from '../../src/app/web/incident-record.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../fakes/fake-pagerduty.js';
import { around } from '../support/incident-channel.js';
import { APP_TOKEN, eventCallback, slashCommand } from '../support/socket-envelopes.js';
import { FixedClock } from '../support/fixed-clock.js';
import { declareIncident } from '../../src/app/incident/declare-incident.js';
import { PROVISION_LEASE_MS } from '../../src/app/incident/provision-incident.js';
import { publishPostmortem } from '../../src/app/postmortem/publish-postmortem.js';
import { UPLOAD_LEASE_MS } from '../../src/app/postmortem/share-draft.js';
import { postmortemSummary } from '../../src/adapters/slack/blocks/postmortem.js';
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
  /** Starts another instance on the same database (as a restart of a dead one would). */
  start(instanceId: string): Promise<Harness>;
  stop(): Promise<void>;
}

let world: TwoInstances | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
});

/**
 * Instances `a` and `b` on a fresh database, with a catalog whose `checkout` pages the fake PagerDuty; `extra`
 * adds to their environment (Socket Mode's app-level token).
 */
async function twoInstances(extra: Record<string, string> = {}): Promise<TwoInstances> {
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
    ...extra,
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
  const started: Harness[] = [a, b];
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
    async start(instanceId) {
      const h = await start(instanceId);
      started.push(h);
      return h;
    },
    async stop() {
      for (const h of started) if (!stopped.has(h)) await h.app.stop();
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

  it('finishes the provisioning of an instance that died after declaring, once its lease ran out, once', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    const channelsCreated = () => slack.callsTo('conversations.create').length;
    // a stored the declaration (holding its provisioning from the insert) and answered Slack, then died
    const incident = await declareIncident(a.app.deps, {
      title: 'checkout returns 500s',
      severity: 2,
      teamId: 'T0MUSTER',
      userId: 'U0ALICE',
    });
    await world.kill(a);
    // b's sweeps leave it alone while a's lease runs
    clock.advance(PROVISION_LEASE_MS - 1);
    await b.app.tick();
    expect(channelsCreated()).toBe(0);

    clock.advance(1);
    await b.app.tick();
    expect(channelsCreated()).toBe(1);
    const provisioned = (await b.app.deps.store.incidents.get(incident.number))!;
    expect(provisioned).toMatchObject({ channelName: 'inc-1-checkout-returns-500s' });
    expect(provisioned.headlineTs).not.toBeNull();
    expect(await b.app.deps.store.incidents.pendingProvisioning()).toEqual([]);

    // done once: later sweeps, and an instance that starts, add nothing
    for (let i = 0; i < 3; i++) {
      clock.advance(PROVISION_LEASE_MS);
      await b.app.tick();
    }
    const posts = () =>
      slack.callsTo('chat.postMessage').filter((c) => c.args.channel === provisioned.channelId);
    const posted = posts().length;
    const c = await world.start('instance-c');
    await c.idle();
    expect(channelsCreated()).toBe(1);
    expect(posts()).toHaveLength(posted);
  });

  it('never takes provisioning over from a live instance: a declaration provisions once', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    clock.advance(PROVISION_LEASE_MS * 2);
    await Promise.all([a.app.tick(), b.app.tick()]);
    expect(slack.callsTo('conversations.create')).toHaveLength(1);
    expect((await a.rows('select provisioning from incidents'))[0]!.provisioning).toBe('done');
  });

  it('leaves a provisioning Slack refused to the next instance that starts, not to every sweep', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    slack.failNext('conversations.create', { error: 'restricted_action' });
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    clock.advance(PROVISION_LEASE_MS * 2);
    await Promise.all([a.app.tick(), b.app.tick()]);
    expect(slack.callsTo('conversations.create')).toHaveLength(1);

    const c = await world.start('instance-c');
    await c.idle();
    expect(slack.callsTo('conversations.create')).toHaveLength(2);
    expect(await c.app.deps.store.incidents.pendingProvisioning()).toEqual([]);
  });

  it('uploads the postmortem draft of an instance that died before sharing it, once its lease ran out, once', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const incident = (await a.app.deps.store.incidents.listOpen())[0]!;
    // a stored the draft (holding its upload from the insert) and died before uploading it
    const written = await publishPostmortem(a.app.deps, incident.number, 'U0ALICE');
    await world.kill(a);
    const uploads = () => slack.callsTo('files.completeUploadExternal');
    // b's sweeps leave it alone while a's lease runs
    clock.advance(UPLOAD_LEASE_MS - 1);
    await b.app.tick();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);

    clock.advance(1);
    await b.app.tick();
    expect(uploads()).toHaveLength(1);
    // what a would have shared: the stored markdown, and the summary of the figures stored with it
    const notice = written.notices[0]!;
    if (notice.kind !== 'postmortem_written') throw new Error(notice.kind);
    const done = uploads()[0]!;
    expect(done.args.channel_id).toBe(incident.channelId);
    expect(done.args.initial_comment).toBe(
      postmortemSummary(notice.incident, notice.postmortem, notice.draft),
    );
    const file = (done.args.files as { id: string }[])[0]!;
    expect(slack.workspace.fileContent(file.id)!.toString('utf8')).toBe(notice.draft.markdown);
    expect(notice.draft.markdown).toMatch(/^# INC-1: checkout returns 500s/);
    expect(await b.app.deps.store.postmortems.latestUploaded(incident.number)).toMatchObject({
      version: 1,
      fileId: file.id,
    });

    // done once: later sweeps, and an instance that starts, add nothing
    for (let i = 0; i < 3; i++) {
      clock.advance(UPLOAD_LEASE_MS);
      await b.app.tick();
    }
    const c = await world.start('instance-c');
    await c.idle();
    clock.advance(UPLOAD_LEASE_MS);
    await Promise.all([b.app.tick(), c.app.tick()]);
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(uploads()).toHaveLength(1);
  });

  it('never takes a postmortem upload over from a live instance: each draft is uploaded once', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const incident = (await a.app.deps.store.incidents.listOpen())[0]!;
    const uploads = () => slack.callsTo('files.completeUploadExternal');
    const written = await publishPostmortem(a.app.deps, incident.number, 'U0ALICE');
    // a is slow to upload, and renews its lease meanwhile (as it does every 5 s while an upload runs)
    clock.advance(UPLOAD_LEASE_MS - 1);
    const renewed = clock.now() + UPLOAD_LEASE_MS;
    expect(await a.app.deps.store.postmortems.renewUpload(written.postmortem.id, 'instance-a', renewed)).toBe(
      true,
    );
    clock.advance(UPLOAD_LEASE_MS - 1);
    await b.app.tick();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    await a.app.deps.notifier.notify(written.notices);
    await a.idle();
    expect(uploads()).toHaveLength(1);

    // through the command, both instances sweeping long after
    await a.command('postmortem', { user: 'U0ALICE', channel: incident.channelId! });
    await a.idle();
    clock.advance(UPLOAD_LEASE_MS * 2);
    await Promise.all([a.app.tick(), b.app.tick()]);
    expect(slack.callsTo('files.getUploadURLExternal').map((call) => call.args.filename)).toEqual([
      'postmortem-INC-1-v1.md',
      'postmortem-INC-1-v2.md',
    ]);
    expect(uploads()).toHaveLength(2);
  });

  it('does not try again an upload given up after its last try, on any instance', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const incident = (await a.app.deps.store.incidents.listOpen())[0]!;
    slack.failAlways('files.getUploadURLExternal', { error: 'internal_error' });
    await a.command('postmortem', { user: 'U0ALICE', channel: incident.channelId! });
    await a.idle();
    const tries = slack.callsTo('files.getUploadURLExternal').length;
    expect(tries).toBeGreaterThanOrEqual(3);
    const told = () =>
      slack
        .callsTo('chat.postMessage')
        .filter((m) => String(m.args.text).includes('uploading it to Slack failed'));
    expect(told()).toHaveLength(1);

    // Slack is back: neither instance, nor one that starts, uploads the draft given up
    slack.clearFailures();
    clock.advance(UPLOAD_LEASE_MS * 2);
    await Promise.all([a.app.tick(), b.app.tick()]);
    const c = await world.start('instance-c');
    await c.idle();
    clock.advance(UPLOAD_LEASE_MS * 2);
    await c.app.tick();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(tries);
    expect(told()).toHaveLength(1);
    expect(await c.app.deps.store.postmortems.latestUploaded(incident.number)).toBeNull();
  });

  it('gives up, never uploads, the draft of a dead instance that quoted an entry redacted since', async () => {
    world = await twoInstances();
    const { a, b, clock, slack } = world;
    await a.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const inA = await around(a);
    await inA.command('note the db password is hunter2');
    await a.idle();
    await publishPostmortem(a.app.deps, inA.incident.number, 'U0ALICE');
    await world.kill(a);
    // the note is redacted through b: the drafts written since forget their markdown
    const inB = await around(b);
    const note = (await inB.entries()).find((e) => e.kind === 'note')!;
    await inB.command(`redact ${note.number}`);
    await b.idle();

    clock.advance(UPLOAD_LEASE_MS);
    await b.app.tick();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(
      b.logs
        .records()
        .filter((r) => r.msg === 'postmortem draft left by a stopped instance given up, not shared'),
    ).toMatchObject([{ incident: inB.incident.number, postmortem: 1, reason: 'content_forgotten' }]);
    clock.advance(UPLOAD_LEASE_MS * 2);
    await b.app.tick();
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('takes Socket Mode envelopes on both instances: each delivery, and its retry on the other one, adds one entry', async () => {
    world = await twoInstances({ SLACK_APP_TOKEN: APP_TOKEN });
    const { a, b, slack } = world;
    const socket = slack.socketMode;
    // each instance holds a connection of its own; Slack spreads the envelopes over them
    expect(socket.connections).toBe(2);
    const declared = await socket.send(
      'slash_commands',
      slashCommand(a, 'declare sev2 checkout returns 500s'),
      {
        connection: 1,
      },
    );
    expect(String(declared.payload?.text)).toContain('INC-1: checkout returns 500s');
    await Promise.all([a.idle(), b.idle()]);
    const channel = slack.workspace.channel('inc-1-checkout-returns-500s')!;
    expect(slack.callsTo('conversations.create')).toHaveLength(1);

    const ws = slack.workspace;
    ws.userJoinChannel({ user: 'U0BOB', channel: channel.id });
    const said: string[] = [];
    for (let i = 0; i < 10; i++) {
      const message = ws.userPostMessage({ user: 'U0BOB', channel: channel.id, text: `step ${i} done` });
      said.push(String(message.ts));
      await socket.send('events_api', eventCallback(message, `EvSockMsg${i}`));
      const pin = eventCallback(
        ws.userAddReaction({
          user: 'U0BOB',
          channel: channel.id,
          ts: String(message.ts),
          reaction: 'pushpin',
        }),
        `EvSockPin${i}`,
      );
      // the delivery on one connection, Slack's retry of it on the other
      await socket.send('events_api', pin, { connection: i % 2 });
      await socket.send('events_api', pin, {
        connection: (i + 1) % 2,
        retryAttempt: 1,
        retryReason: 'timeout',
      });
    }
    await Promise.all([a.idle(), b.idle()]);
    const entries = (await b.app.deps.store.timeline.list(1)).filter((e) => e.kind === 'message');
    expect(entries.map((e) => e.text).sort()).toEqual(said.map((_, i) => `step ${i} done`).sort());
    const handled = await b.rows(
      "select count(*)::int as n from inbound_events where processed_at is not null and event_id like 'EvSock%'",
    );
    expect(handled[0]!.n).toBe(20);
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

  it("reads an incident's record once for its web page and the postmortem shown on it", async () => {
    world = await twoInstances();
    const { a } = world;
    await a.command('declare sev2 Checkout returns 500s', { user: 'U0ALICE' });
    await a.idle();
    const c = await around(a);
    await c.command('note rolled back the gateway config', 'U0ALICE');
    await a.idle();
    // every statement instance a sends from here on
    const store = a.app.deps.store as PgStore;
    const sent: string[] = [];
    const query = store.pool.query.bind(store.pool);
    store.pool.query = ((config: unknown, ...rest: unknown[]) => {
      sent.push(typeof config === 'string' ? config : ((config as { text?: string }).text ?? ''));
      return (query as (...args: unknown[]) => unknown)(config, ...rest);
    }) as typeof store.pool.query;
    const record = await incidentRecord(a.app.deps, 'U0ALICE', 1);
    expect(record?.postmortem).toContain('rolled back the gateway config');
    expect(sent.filter((q) => /from "timeline_entries"/.test(q))).toHaveLength(1);
  });
});
