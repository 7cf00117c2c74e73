/**
 * Reaction events to stored timeline entries, end to end: Muster as users run it (`npm start`, the built
 * server, on a temp database, against the sandbox Slack served on 127.0.0.1) receives signed
 * `reaction_added` deliveries over HTTP with bounded concurrency, including second reactors on the same
 * message and Slack-style retries of the same event_id. Timed from the first request to the last event
 * processed (read from its database); then the entries are counted: every message reacted to must be
 * exactly one entry. Target: at least 1,000 events/s, 0 lost, 0 duplicated.
 *
 * With `instances` above one, that many Muster servers share one database (PostgreSQL, `engine`) and every
 * request goes to the next of them in turn, as a round-robin load balancer sends them: a Slack retry then
 * usually reaches another instance than its first delivery, and a second reactor's event another instance than
 * the first's. Target there: at least 500 events/s, 0 lost, 0 duplicated.
 *
 * Run alone with `npm run build && npx tsx bench/reaction-throughput.ts` (add `--postgres` for two instances on a
 * throwaway PostgreSQL server); `npm run bench` includes both.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { type BenchEngine, type DatabaseReader, freshDatabase, openReader, sqlite } from './bench-database.js';
import {
  freePort,
  processUnder,
  runConcurrent,
  signedHeaders,
  spawnServer,
  startLocalSlack,
  stopServer,
} from './bench-support.js';

const SECRET = 'bench-signing-secret';

export interface ReactionBenchOptions {
  /** reaction deliveries to send (default 6000) */
  events?: number;
  /** requests in flight at once (default 32) */
  concurrency?: number;
  /** incident channels the reactions spread over (default 4) */
  channels?: number;
  /** the database the servers share (default SQLite) */
  engine?: BenchEngine;
  /** Muster servers on that database, taking the requests in turn (default 1) */
  instances?: number;
}

export interface ReactionBenchResult {
  engine: BenchEngine['name'];
  instances: number;
  events: number;
  seconds: number;
  perSecond: number;
  /** messages reacted to that have no entry */
  lost: number;
  /** entries beyond one per message reacted to */
  duplicated: number;
}

interface Delivery {
  body: string;
  retryNum: number;
}

/** Polls `check` every 5 ms until it holds; throws naming `what` after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Measures reaction throughput; throws when a server cannot be started or a delivery is refused. */
export async function benchReactions(
  opts: ReactionBenchOptions = {},
  root = join(import.meta.dirname, '..'),
): Promise<ReactionBenchResult> {
  const total = opts.events ?? 6000;
  const concurrency = opts.concurrency ?? 32;
  const channelCount = opts.channels ?? 4;
  const engine = opts.engine ?? sqlite;
  const instances = opts.instances ?? 1;
  const slack = await startLocalSlack();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-reactions-'));
  const servers: { child: ChildProcess; pid: number | null }[] = [];
  let db: DatabaseReader | undefined;
  try {
    const databaseUrl = await freshDatabase(engine, dir, 'reactions');
    const ports: number[] = [];
    for (let i = 0; i < instances; i++) ports.push(await freePort());
    // Started together, as replicas are: they migrate the new database once, under its lock. Logged as in
    // production (info); metrics served, each instance on a free port of its own.
    const starts = await Promise.allSettled(
      ports.map((port) =>
        spawnServer(
          'npm',
          ['start'],
          {
            SLACK_BOT_TOKEN: slack.workspace.token,
            SLACK_SIGNING_SECRET: SECRET,
            SLACK_API_URL: slack.apiUrl,
            DATABASE_URL: databaseUrl,
            CATALOG_PATH: join(dir, 'none.yaml'),
            LOG_LEVEL: 'info',
            METRICS_PORT: '0',
            COMMANDS_PER_MINUTE: '10000000',
            PORT: String(port),
          },
          port,
          '/healthz',
          root,
        ),
      ),
    );
    for (const s of starts)
      if (s.status === 'fulfilled')
        servers.push({ child: s.value.child, pid: processUnder(s.value.child.pid!, 'dist/cli.js') });
    for (const s of starts) if (s.status === 'rejected') throw s.reason;
    // Read beside the servers (SQLite in WAL mode): what they stored, whether every stored event is processed.
    const reader = await openReader(databaseUrl);
    db = reader;
    const allProcessed = async () =>
      (await reader.count('select count(*) as n from inbound_events where processed_at is null')) === 0;
    const urls = ports.map((port) => `http://127.0.0.1:${port}/slack/events`);
    let turn = 0;
    const post = async (body: string, headers: Record<string, string>) => {
      const url = urls[turn++ % urls.length]!;
      const r = await fetch(url, { method: 'POST', headers: { ...headers, ...signedHeaders(SECRET, body) }, body });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`delivery refused with ${r.status}`);
    };
    const deliver = (d: Delivery) =>
      post(d.body, {
        'content-type': 'application/json',
        ...(d.retryNum
          ? { 'x-slack-retry-num': String(d.retryNum), 'x-slack-retry-reason': 'http_timeout' }
          : {}),
      });
    const envelope = (eventId: string, event: unknown) =>
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T0MUSTER',
        api_app_id: 'A0MUSTER',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event,
      });

    // Incidents, each with its channel.
    for (let i = 1; i <= channelCount; i++) {
      const form = new URLSearchParams({
        team_id: 'T0MUSTER',
        channel_id: 'C0GENERAL',
        user_id: 'U0ALICE',
        user_name: 'alice',
        command: '/incident',
        text: `declare sev2 bench incident ${i}`,
        trigger_id: `bench-declare-${i}`,
      });
      await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    }
    await until(
      async () =>
        (await reader.count(
          "select count(*) as n from incidents where channel_id is not null and provisioning = 'done'",
        )) === channelCount,
      'the benchmark incidents to be provisioned',
    );
    const channels = (await reader.rows<{ c: string }>('select channel_id as c from incidents order by number')).map(
      (r) => r.c,
    );
    for (const channel of channels) slack.workspace.joinChannel(channel, 'U0BOB');

    // The reactions to send: a first reaction per message, a second reactor on every 5th message, and every
    // 10th delivery sent again with the same event_id as Slack's retry. Messages are posted (and their
    // events delivered) beforehand, as they are in an incident: reactions resolve from the database.
    const deliveries: Delivery[] = [];
    const messageEvents: string[] = [];
    const reacted = new Set<string>();
    let n = 0;
    while (deliveries.length < total) {
      const channel = channels[n % channels.length]!;
      const msg = slack.workspace.userPostMessage({
        user: 'U0BOB',
        channel,
        text: `bench message ${n}: p99 at ${n % 900} ms`,
      });
      messageEvents.push(envelope(`EvBenchMsg${n}`, msg));
      reacted.add(`${channel}:${msg.ts}`);
      const reactors = n % 5 === 0 ? ['U0CAROL', 'U0ALICE'] : ['U0CAROL'];
      for (const user of reactors) {
        if (deliveries.length >= total) break;
        const event = slack.workspace.userAddReaction({
          user,
          channel,
          ts: msg.ts as string,
          reaction: 'pushpin',
        });
        const body = envelope(`EvBenchReact${deliveries.length}`, event);
        deliveries.push({ body, retryNum: 0 });
        if (deliveries.length % 10 === 0 && deliveries.length < total) deliveries.push({ body, retryNum: 1 });
      }
      n++;
    }
    await runConcurrent(messageEvents.length, concurrency, (i) =>
      post(messageEvents[i]!, { 'content-type': 'application/json' }),
    );
    await until(allProcessed, 'the message events to be processed');

    const started = performance.now();
    await runConcurrent(deliveries.length, concurrency, (i) => deliver(deliveries[i]!));
    await until(allProcessed, 'the reaction events to be processed');
    const seconds = (performance.now() - started) / 1000;

    let entries = 0;
    const found = new Set<string>();
    const stored = await reader.rows<{ channel: string | null; ts: string | null }>(
      "select meta->>'channelId' as channel, meta->>'messageTs' as ts from timeline_entries where kind = 'message'",
    );
    for (const e of stored) {
      entries++;
      found.add(`${e.channel}:${e.ts}`);
    }
    const lost = [...reacted].filter((k) => !found.has(k)).length;
    return {
      engine: engine.name,
      instances,
      events: deliveries.length,
      seconds,
      perSecond: deliveries.length / seconds,
      lost,
      duplicated: entries - found.size,
    };
  } finally {
    await db?.close();
    for (const server of servers) await stopServer(server.child, server.pid);
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--postgres`: two instances on a throwaway PostgreSQL server, as `npm run bench` measures them too
  const onPostgres = process.argv.includes('--postgres');
  const cluster = onPostgres ? await startPgCluster() : null;
  try {
    const r = await benchReactions(cluster ? { engine: { name: 'PostgreSQL', cluster }, instances: 2 } : {});
    process.stdout.write(
      `reaction events → entries on ${r.engine}, ${r.instances} instance(s): ${r.events} events in ` +
        `${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)} /s; ${r.lost} lost, ${r.duplicated} duplicated ` +
        `(target ≥ ${cluster ? '500' : '1,000'} /s, 0, 0)\n`,
    );
  } finally {
    await cluster?.stop();
  }
}
