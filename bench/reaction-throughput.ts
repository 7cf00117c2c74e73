/**
 * Reaction events to stored timeline entries, end to end: Muster as users run it (`npm start`, the built
 * server, on a temp database, against the sandbox Slack served on 127.0.0.1) receives signed
 * `reaction_added` deliveries over HTTP with bounded concurrency, including second reactors on the same
 * message and Slack-style retries of the same event_id. Timed from the first request to the last event
 * processed (read from its database); then the entries are counted: every message reacted to must be
 * exactly one entry. Target: at least 1,000 events/s, 0 lost, 0 duplicated.
 *
 * Run alone with `npm run build && npx tsx bench/reaction-throughput.ts`; `npm run bench` includes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
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
}

export interface ReactionBenchResult {
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
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Measures reaction throughput; throws when the server cannot be started or a delivery is refused. */
export async function benchReactions(
  opts: ReactionBenchOptions = {},
  root = join(import.meta.dirname, '..'),
): Promise<ReactionBenchResult> {
  const total = opts.events ?? 6000;
  const concurrency = opts.concurrency ?? 32;
  const channelCount = opts.channels ?? 4;
  const slack = await startLocalSlack();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-reactions-'));
  const dbFile = join(dir, 'muster.db');
  const port = await freePort();
  // Logged as in production (info).
  const server = await spawnServer(
    'npm',
    ['start'],
    {
      SLACK_BOT_TOKEN: slack.workspace.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: dbFile,
      CATALOG_PATH: join(dir, 'none.yaml'),
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      COMMANDS_PER_MINUTE: '10000000',
      PORT: String(port),
    },
    port,
    '/healthz',
    root,
  );
  const serverPid = processUnder(server.child.pid!, 'dist/cli.js');
  // Read beside the server (WAL): what it stored, and whether every stored event is processed.
  const db = new Database(dbFile, { readonly: true });
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const allProcessed = () => count('select count(*) as n from inbound_events where processed_at is null') === 0;
  try {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const post = async (body: string, headers: Record<string, string>) => {
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
      () => count("select count(*) as n from incidents where channel_id is not null and provisioning = 'done'") === channelCount,
      'the benchmark incidents to be provisioned',
    );
    const channels = (db.prepare('select channel_id as c from incidents order by number').all() as { c: string }[]).map((r) => r.c);
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
    for (const e of db.prepare("select meta from timeline_entries where kind = 'message'").all() as { meta: string }[]) {
      const meta = JSON.parse(e.meta) as { channelId?: string; messageTs?: string };
      entries++;
      found.add(`${meta.channelId}:${meta.messageTs}`);
    }
    const lost = [...reacted].filter((k) => !found.has(k)).length;
    return {
      events: deliveries.length,
      seconds,
      perSecond: deliveries.length / seconds,
      lost,
      duplicated: entries - found.size,
    };
  } finally {
    db.close();
    await stopServer(server.child, serverPid);
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchReactions();
  process.stdout.write(
    `reaction events → entries: ${r.events} events in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)} /s; ` +
      `${r.lost} lost, ${r.duplicated} duplicated (target ≥ 1,000 /s, 0, 0)\n`,
  );
}
