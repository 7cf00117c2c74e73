/**
 * What a long postmortem costs everyone else: the real app (on a temp database, against the sandbox Slack
 * on 127.0.0.1, on its own thread) holds an incident with a 10,000-entry timeline that includes ten
 * 40,000-character messages full of markup; `/incident postmortem` is sent while other users keep sending
 * `/incident note`, two in flight. Measured until the draft is uploaded: the longest the event loop was
 * blocked (perf_hooks.monitorEventLoopDelay, 5 ms resolution, in this process, which is the app's) and the
 * ack latency of the notes. Also, for reference, how long the same draft takes rendered synchronously,
 * which is what a render on the main thread would block. Target: longest block < 50 ms. On a machine with
 * more runnable threads than cores, the OS descheduling this thread also shows as a block.
 *
 * Run alone with `npx tsx bench/render-event-loop.ts`; `npm run bench` includes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { loadBlamelessRules } from '../src/adapters/render/blameless-check.js';
import { draftSources, writeDraft } from '../src/adapters/render/postmortem-draft.js';
import { loadPostmortemTemplate } from '../src/adapters/render/postmortem-renderer.js';
import { mentionedIds, postmortemFacts } from '../src/app/postmortem/postmortem-document.js';
import { buildApp } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { percentile, runConcurrent, signedHeaders } from './bench-support.js';
import { startLocalSlackThread } from './local-slack-thread.js';

const SECRET = 'bench-signing-secret';
const ENTRIES = 10_000;
const LONG_MESSAGES = 10;
const LONG = 40_000;
// Two notes in flight: enough to see every stall, light enough that the load itself does not fill the loop.
const CONCURRENCY = 2;
const DEADLINE_MS = 60_000;

export interface RenderBlockResult {
  entries: number;
  longMessages: number;
  /** longest event-loop block from the command to the upload, ms */
  maxBlockMs: number;
  /** notes acknowledged while the postmortem was written, and their ack latencies */
  acks: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** command to upload, ms */
  renderMs: number;
  /** the same draft rendered synchronously on this thread, ms (what the loop would be blocked without the worker) */
  syncRenderMs: number;
  markdownBytes: number;
  /** longest garbage-collection pause in the measured window, ms */
  gcMaxMs: number;
}

/** A 40,000-character Slack message of hostile markup: emphasis opened and never closed (the costly case), mentions, links, entities. */
const longMessage = (i: number): string => {
  const unit = `${'*a _b ~c '.repeat(6)}<@U0BOB> <https://grafana.example/d/${i}|panel> &amp;lt; \`a_b\` | [x] `;
  return unit.repeat(Math.ceil(LONG / unit.length)).slice(0, LONG);
};

export async function benchRenderBlocking(): Promise<RenderBlockResult> {
  // On its own thread: the fake Slack's work (a 2 MB upload) is not the app's.
  const slack = await startLocalSlackThread();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-render-'));
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const app = buildApp(
    loadConfig({
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: join(dir, 'muster.db'),
      CATALOG_PATH: join(dir, 'none.yaml'),
      LOG_LEVEL: 'info',
      COMMANDS_PER_MINUTE: '10000000',
    }),
    { logDestination: sink, tickIntervalMs: 0 },
  );
  try {
    const url = `http://127.0.0.1:${await app.start(0)}/slack/events`;
    let sent = 0;
    const command = async (channel: string, text: string): Promise<number> => {
      const body = new URLSearchParams({
        team_id: 'T0MUSTER',
        channel_id: channel,
        user_id: 'U0ALICE',
        user_name: 'alice',
        command: '/incident',
        text,
        trigger_id: `bench-render-${sent++}`,
      }).toString();
      const t0 = performance.now();
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, body) },
        body,
      });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`/incident ${text.slice(0, 20)} answered ${r.status}`);
      return performance.now() - t0;
    };

    await command('C0GENERAL', 'declare sev2 bench render');
    await app.idle();
    const incident = (await app.deps.store.incidents.listOpen())[0]!;
    const channel = incident.channelId!;
    const store = app.deps.store;
    const start = incident.declaredAt;
    await store.tx(async () => {
      for (let i = 0; i < ENTRIES; i++) {
        const long = i % (ENTRIES / LONG_MESSAGES) === ENTRIES / LONG_MESSAGES / 2;
        await store.timeline.add(
          {
            incidentNumber: incident.number,
            kind: long || i % 3 === 0 ? 'message' : 'note',
            text: long
              ? longMessage(i)
              : `Step ${i}: <@U0BOB> checked <https://grafana.example/d/${i}|panel ${i}> | *p99* up _again_ &lt;${i}&gt;`,
            actor: i % 2 ? 'U0ALICE' : 'U0BOB',
            occurredAt: start + i * 1_000,
            sourceKey: `bench-render-${i}`,
            meta: {},
          },
          start + i * 1_000,
        );
      }
    });

    // Warm the note path and the worker (a first draft), as a running bot is warm.
    await runConcurrent(200, CONCURRENCY, async () => {
      await command(channel, 'note warming up');
    });
    await command(channel, 'postmortem');
    await app.idle();
    if (!(await store.postmortems.latestUploaded(incident.number)))
      throw new Error('the first postmortem draft was not uploaded');

    let gcMaxMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, e.duration);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const latencies: number[] = [];
    histogram.enable();
    const started = performance.now();
    await command(channel, 'postmortem');
    let done = false;
    // Bounded: a draft that is not uploaded within the deadline ends the bench with an error, not a loop.
    const deadline = started + DEADLINE_MS;
    const finished = (async () => {
      while (!done) {
        const latest = await store.postmortems.latestUploaded(incident.number);
        if (latest && latest.version >= 2) done = true;
        else if (performance.now() > deadline) {
          done = true;
          throw new Error(`the postmortem draft was not uploaded within ${DEADLINE_MS / 1000} s`);
        } else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all([
      finished,
      ...Array.from({ length: CONCURRENCY }, async () => {
        while (!done) latencies.push(await command(channel, 'note while the postmortem is written'));
      }),
    ]);
    const renderMs = performance.now() - started;
    histogram.disable();
    gcObserver.disconnect();
    await app.idle();

    // Reference: the same draft, synchronously on this thread (also warms the code the main thread runs).
    const facts = (await postmortemFacts(store, incident.number))!;
    const names = await app.deps.users.names(mentionedIds(facts));
    const template = loadPostmortemTemplate(app.config);
    const blameless = loadBlamelessRules(draftSources(app.config).blamelessPath);
    const t0 = performance.now();
    const reference = writeDraft({ facts, names, timeZone: 'UTC', now: Date.now() }, template, blameless);
    const syncRenderMs = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      entries: ENTRIES,
      longMessages: LONG_MESSAGES,
      maxBlockMs: round(histogram.max / 1e6),
      acks: latencies.length,
      ackP50Ms: round(percentile(latencies, 50)),
      ackP99Ms: round(percentile(latencies, 99)),
      renderMs: round(renderMs),
      syncRenderMs: round(syncRenderMs),
      markdownBytes: Buffer.byteLength(reference.markdown),
      gcMaxMs: round(gcMaxMs),
    };
  } finally {
    await app.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchRenderBlocking();
  process.stdout.write(
    `postmortem of ${r.entries} entries (${r.longMessages} of ${LONG} characters, ${(r.markdownBytes / 1e6).toFixed(1)} MB): ` +
      `written in ${r.renderMs} ms; longest event-loop block ${r.maxBlockMs} ms (target < 50 ms); ` +
      `${r.acks} notes acknowledged meanwhile, p50 ${r.ackP50Ms} ms, p99 ${r.ackP99Ms} ms; ` +
      `the same draft rendered on the main thread: ${r.syncRenderMs} ms; longest GC pause ${r.gcMaxMs} ms\n`,
  );
  process.exit(0);
}
