/**
 * Two real `muster start` processes on one PostgreSQL database (a throwaway server), behind a small round-robin
 * proxy that stands for the load balancer in front of them; the test plays Slack. A page requested during a
 * PagerDuty outage reaches PagerDuty once after it, although both processes run the outbox. Then a storm of 📌
 * reactions and `/incident note`s, and one process killed with SIGKILL in the middle of it: Slack delivers
 * again what got no 200 (a 5xx or a dropped connection, with X-Slack-Retry-Num), the proxy sends it to the
 * survivor, and every acknowledged reaction and note is on the timeline exactly once. Before the kill, the
 * doomed process's link to Slack hangs, so it dies holding events it acknowledged and never handled: the
 * survivor takes them over once their lease (20 s of real time) is over. Outcomes are polled for, never timed.
 * Reminders count minutes: test/e2e/pg-instances.test.ts shows them told once, with a clock moved by hand.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../fakes/fake-pagerduty.js';
import { SIGNING_SECRET } from '../support/muster-harness.js';
import {
  killRunning,
  type MusterProcess,
  musterProcessEnv,
  processCommand,
  startMusterProcess,
} from '../support/muster-process.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

/** How long each wait for an outcome may last: the lease (20 s) and a sweep (5 s), with room for a slow machine. */
const DEADLINE_MS = 90_000;

let cluster: PgCluster;
let db: pg.Client;
let databaseUrl: string;
const running: MusterProcess[] = [];
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cluster = await startPgCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database muster');
  await admin.end();
  databaseUrl = cluster.url.replace(/\/postgres$/, '/muster');
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
}, 60_000);

afterAll(async () => {
  killRunning(running);
  for (const close of closing.splice(0).reverse()) await close();
  await db?.end();
  await cluster?.stop();
  removeTempDirs();
});

interface Proxy {
  url: string;
  /** 2xx answers each upstream gave, by its index */
  acknowledged: number[];
  /** From now on, requests are held unanswered: a link that hangs. */
  hold(): void;
  close(): Promise<void>;
}

/** Headers that belong to one connection, not to the request or answer passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);
const passOn = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));

/**
 * A small HTTP proxy on 127.0.0.1: each request goes to the next upstream in turn. An upstream whose connection
 * fails (refused, reset) is left out from then on, as a load balancer's passive health check does, and the
 * request is answered 502, so that Slack delivers it again (to an upstream that is up).
 */
async function startProxy(upstreams: string[]): Promise<Proxy> {
  const down = new Set<number>();
  const acknowledged = upstreams.map(() => 0);
  let turn = 0;
  let held = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (held) return; // dropped when the proxy closes
      const live = upstreams.map((_, i) => i).filter((i) => !down.has(i));
      if (live.length === 0) {
        res.writeHead(503).end();
        return;
      }
      const i = live[turn++ % live.length]!;
      const fail = () => {
        down.add(i);
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      };
      const body = Buffer.concat(chunks);
      const target = new URL(req.url ?? '/', upstreams[i]);
      const out = request(
        target,
        {
          method: req.method,
          headers: { ...passOn(req.headers), 'content-length': String(body.length) },
          agent: false,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('error', fail);
          answer.on('end', () => {
            const status = answer.statusCode ?? 502;
            if (status < 300) acknowledged[i] = (acknowledged[i] ?? 0) + 1;
            const payload = Buffer.concat(parts);
            res
              .writeHead(status, { ...passOn(answer.headers), 'content-length': String(payload.length) })
              .end(payload);
          });
        },
      );
      out.on('error', fail);
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    acknowledged,
    hold: () => {
      held = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `probe` until it returns a value (not undefined); fails with `what` after DEADLINE_MS. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

/** One request Slack delivers until it gets a 200: an Events API event or a slash command. */
interface Delivery {
  kind: 'reaction' | 'note';
  /** the reacted message's ts, or the note's text */
  target: string;
  body: string;
  contentType: string;
  /** a redelivery of an event acknowledged before (Slack's http_timeout retry): it carries a retry number */
  repeat: boolean;
}

describe('two Muster processes on one PostgreSQL, one killed with SIGKILL', () => {
  it('pages once after an outage, and keeps every acknowledged reaction and note once through a kill -9', {
    timeout: 240_000,
  }, async () => {
    const slack: FakeSlack = await startFakeSlack();
    closing.push(() => slack.close());
    const pd: RunningFakePagerDuty = await startFakePagerDuty({
      services: [{ id: 'PSVC001', name: 'Checkout', escalationPolicyId: 'PEP0001' }],
    });
    closing.push(() => pd.close());
    // Process a reaches Slack through a link the test can make hang.
    const slackLink = await startProxy([slack.baseUrl]);
    closing.push(() => slackLink.close());
    const dir = tempDir();
    writeFileSync(
      join(dir, 'catalog.yaml'),
      `services:\n  - name: checkout\n    owner: Storefront\n    pagerduty:\n      routing_key: ${pd.routingKey}\n`,
    );
    const env = {
      ...musterProcessEnv(slack, databaseUrl, dir),
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
      PAGERDUTY_API_URL: pd.apiUrl,
      HOST: '127.0.0.1',
    };
    // started together on the empty database: one applies the migrations, the other waits for them
    const [a, b] = await Promise.all([
      startMusterProcess({ ...env, SLACK_API_URL: `${slackLink.url}/api/` }, dir),
      startMusterProcess(env, dir),
    ]);
    running.push(a, b);
    const lb = await startProxy([a.url, b.url]);
    closing.push(() => lb.close());

    expect((await processCommand(slack, lb.url, 'declare sev1 Checkout returns 500s')).status).toBe(200);
    const channel = await eventually('the incident channel', async () => {
      const [r] = await rows('select channel_id from incidents where number = 1 and channel_id is not null');
      return r?.channel_id as string | undefined;
    });
    const ws = slack.workspace;
    for (const user of ['U0BOB', 'U0CAROL']) ws.userJoinChannel({ user, channel });

    // A page requested while PagerDuty is down: one failed attempt, then PagerDuty is back.
    pd.down();
    const paged = await processCommand(slack, lb.url, 'page checkout', 'U0ALICE', channel);
    expect(paged.status).toBe(200);
    await eventually('a failed attempt to page', async () =>
      (await rows("select 1 from outbox where state = 'pending' and attempts >= 1")).length
        ? true
        : undefined,
    );
    pd.up();
    const dedupKey = 'muster-inc-1-checkout';
    await eventually('the page delivered', async () =>
      (await rows("select 1 from pages where dedup_key = $1 and status = 'triggered'", [dedupKey])).length
        ? true
        : undefined,
    );
    expect(pd.triggersFor(dedupKey)).toBe(1);

    // The storm: messages already in the channel, 📌 from Bob on each and from Carol on every third, a note
    // every fifth, and a redelivery of every seventh reaction after its first delivery.
    const messages: string[] = [];
    for (let i = 0; i < 90; i++)
      messages.push(ws.userPostMessage({ user: 'U0BOB', channel, text: `storm message ${i}` }).ts as string);
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
    const reaction = (user: string, ts: string, eventId: string): Delivery => ({
      kind: 'reaction',
      target: ts,
      body: envelope(ws.userAddReaction({ user, channel, ts, reaction: 'pushpin' }), eventId),
      contentType: 'application/json',
      repeat: false,
    });
    const note = (i: number): Delivery => {
      const text = `storm note ${i}`;
      return {
        kind: 'note',
        target: text,
        body: new URLSearchParams({
          team_id: 'T0MUSTER',
          channel_id: channel,
          user_id: 'U0CAROL',
          user_name: 'carol',
          command: '/incident',
          text: `note ${text}`,
          response_url: slack.responseUrl(),
          trigger_id: `${i}.storm.trigger`,
        }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        repeat: false,
      };
    };
    const deliveries: Delivery[] = [];
    messages.forEach((ts, i) => {
      const bob = reaction('U0BOB', ts, `EvStormBob${i}`);
      deliveries.push(bob);
      if (i % 3 === 0) deliveries.push(reaction('U0CAROL', ts, `EvStormCarol${i}`));
      if (i % 5 === 0) deliveries.push(note(i));
      if (i % 7 === 3) deliveries.push({ ...bob, repeat: true });
    });

    const acknowledged = { reaction: new Set<string>(), note: new Set<string>() };
    let redelivered = 0;
    /** Delivers as Slack does: again, with X-Slack-Retry-Num, until a 200; it gives up after 3 retries. */
    const deliver = async (d: Delivery) => {
      for (let retry = d.repeat ? 1 : 0; retry <= 3; retry++) {
        let status = 0;
        try {
          const r = await fetch(`${lb.url}/slack/events`, {
            method: 'POST',
            headers: {
              'content-type': d.contentType,
              ...signedHeaders(SIGNING_SECRET, d.body),
              ...(retry > 0
                ? {
                    'x-slack-retry-num': String(retry),
                    'x-slack-retry-reason': d.repeat ? 'http_timeout' : 'http_error',
                  }
                : {}),
            },
            body: d.body,
          });
          await r.arrayBuffer();
          status = r.status;
        } catch {
          // no answer at all: delivered again
        }
        if (status === 200) {
          acknowledged[d.kind].add(d.target);
          return;
        }
        redelivered += 1;
      }
      throw new Error(`Slack gave up on a ${d.kind} (${d.target})`);
    };

    // A quarter into the storm, a's link to Slack hangs: what a acknowledges from then on, it cannot handle.
    // Once a holds a few events it acknowledged and has not handled, it is killed.
    const aPid = a.child.pid!;
    const unhandledOfA = async () =>
      Number(
        (
          await rows(
            'select count(*)::int as n from inbound_events where processed_at is null and claimed_by like $1',
            [`%:${aPid}:%`],
          )
        )[0]!.n,
      );
    let killed = false;
    let heldAtKill = 0;
    let watching: Promise<void> | null = null;
    const watch = async () => {
      while (!killed) {
        heldAtKill = await unhandledOfA();
        if (heldAtKill >= 5) a.child.kill('SIGKILL');
        else await new Promise((r) => setTimeout(r, 20));
        killed ||= heldAtKill >= 5;
      }
    };
    let next = 0;
    const sender = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++]!;
        await deliver(d);
        if (!watching && next >= deliveries.length / 4) {
          slackLink.hold();
          watching = watch();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    const killedDuringStorm = killed;
    killed = true;
    await watching;
    if (!killedDuringStorm) a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    // a died in the storm, holding events it had acknowledged and not handled
    expect(killedDuringStorm).toBe(true);
    expect(heldAtKill).toBeGreaterThanOrEqual(5);
    // both answered Slack, and Slack had to deliver again what the killed one never answered
    expect(lb.acknowledged.every((n) => n > 0)).toBe(true);
    expect(redelivered).toBeGreaterThan(0);
    // every delivery ended with a 200 (from the survivor, after the kill)
    expect(acknowledged.reaction.size).toBe(messages.length);
    expect(acknowledged.note.size).toBe(deliveries.filter((d) => d.kind === 'note').length);

    // The survivor takes over a's events once their lease is over, and handles each once.
    await eventually('every stored event handled', async () =>
      (await rows('select 1 from inbound_events where processed_at is null')).length === 0 ? true : undefined,
    );
    const pinned = await rows(
      "select meta->>'messageTs' as ts, count(*)::int as n from timeline_entries where incident_number = 1 and kind = 'message' group by 1",
    );
    const notes = await rows(
      "select text, count(*)::int as n from timeline_entries where incident_number = 1 and kind = 'note' group by 1",
    );
    expect(new Map(pinned.map((r) => [r.ts as string, r.n as number]))).toEqual(
      new Map([...acknowledged.reaction].map((ts) => [ts, 1])),
    );
    expect(new Map(notes.map((r) => [r.text as string, r.n as number]))).toEqual(
      new Map([...acknowledged.note].map((text) => [text, 1])),
    );
    // the page went out once, whoever ran the outbox since
    expect(pd.triggersFor(dedupKey)).toBe(1);
    expect(pd.incidentsFor(dedupKey)).toHaveLength(1);
    expect(await rows("select state from outbox where state <> 'delivered'")).toEqual([]);
    expect(b.child.exitCode).toBeNull();
  });
});
