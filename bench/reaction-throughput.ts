/**
 * Reaction events to stored timeline entries, end to end: the real app (built as in production, on a temp
 * database, against the sandbox Slack served on 127.0.0.1) receives signed `reaction_added` deliveries over
 * HTTP with bounded concurrency, including second reactors on the same message and Slack-style retries of
 * the same event_id. Timed from the first request to the last event processed; then the entries are counted:
 * every message reacted to must be exactly one entry. Target: at least 500 events/s, 0 lost, 0 duplicated.
 *
 * Run alone with `npx tsx bench/reaction-throughput.ts`; `npm run bench` includes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { runConcurrent, signedHeaders, startLocalSlack } from './bench-support.js';

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

/** Measures reaction throughput; throws when the app cannot be started or a delivery is refused. */
export async function benchReactions(opts: ReactionBenchOptions = {}): Promise<ReactionBenchResult> {
  const total = opts.events ?? 6000;
  const concurrency = opts.concurrency ?? 32;
  const channelCount = opts.channels ?? 4;
  const slack = await startLocalSlack();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-reactions-'));
  // Logged as in production (info), written nowhere.
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const app = buildApp(
    loadConfig({
      SLACK_BOT_TOKEN: slack.workspace.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: join(dir, 'muster.db'),
      CATALOG_PATH: join(dir, 'none.yaml'),
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
    }),
    { logDestination: sink, tickIntervalMs: 0 },
  );
  try {
    const url = `http://127.0.0.1:${await app.start(0)}/slack/events`;
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
    await app.idle();
    const channels = app.deps.store.incidents.listOpen().map((inc) => inc.channelId!);
    if (channels.length !== channelCount) throw new Error('the benchmark incidents were not provisioned');
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
    await app.idle();

    const started = performance.now();
    await runConcurrent(deliveries.length, concurrency, (i) => deliver(deliveries[i]!));
    await app.idle();
    const seconds = (performance.now() - started) / 1000;

    let entries = 0;
    const found = new Set<string>();
    for (const inc of app.deps.store.incidents.listOpen()) {
      for (const e of app.deps.store.timeline.list(inc.number, { includeRemoved: true })) {
        if (e.kind !== 'message') continue;
        entries++;
        found.add(`${e.meta.channelId}:${e.meta.messageTs}`);
      }
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
    await app.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchReactions();
  process.stdout.write(
    `reaction events → entries: ${r.events} events in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)} /s; ` +
      `${r.lost} lost, ${r.duplicated} duplicated (target ≥ 500 /s, 0, 0)\n`,
  );
}
