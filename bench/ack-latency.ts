/**
 * Slash-command ack latency, Muster against a bare Bolt app that only acks, with the same signed
 * `/incident note` requests at 1, 50 and 200 in flight. Muster runs as users run it, `npm start` (the built
 * server, npm's own start-up included); the bare app with plain `node`. Also: resident memory of each
 * server process after the load, and the cold start of `npm start` to the first 200 on /healthz. Muster runs
 * on a SQLite file by default, or on a fresh PostgreSQL database of the bench's cluster (`engine`).
 */
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type BenchEngine, freshDatabase, openReader, sqlite } from './bench-database.js';
import {
  freePort,
  percentile,
  processUnder,
  rssOf,
  runConcurrent,
  signedHeaders,
  spawnServer,
  startLocalSlack,
  stopServer,
} from './bench-support.js';

const SECRET = 'bench-signing-secret';

export interface LatencyRow {
  concurrency: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** answers other than the expected acknowledgement (for Muster: the note's in-channel confirmation) */
  errors: number;
}

export interface AckOptions {
  /** the database Muster runs on (default SQLite) */
  engine?: BenchEngine;
  /** cold starts of `npm start` to measure first, each on a fresh database (default 3) */
  coldStarts?: number;
}

export interface AckResult {
  engine: BenchEngine['name'];
  muster: LatencyRow[];
  bare: LatencyRow[];
  musterRssBytes: number;
  bareRssBytes: number;
  coldStartMs: number[];
  /** notes Muster was sent, and the note entries found in its database afterwards */
  notesSent: number;
  notesStored: number;
}

/** A plain keep-alive client: far lighter than fetch, so the load generator is not what is measured. */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/** Whether an answer is the acknowledgement expected: Muster confirms a note in the channel; bare Bolt answers empty. */
type Acknowledged = (body: string) => boolean;
const musterNoted: Acknowledged = (body) => body.includes('"response_type":"in_channel"');
const bareAcked: Acknowledged = () => true;

/** Latencies (ms) of one batch of notes, and how many were not acknowledged as expected. */
interface Batch {
  latencies: number[];
  errors: number;
}

async function measure(
  target: string,
  agent: Agent,
  channel: string,
  concurrency: number,
  requests: number,
  tag: string,
  acknowledged: Acknowledged,
): Promise<Batch> {
  const latencies: number[] = [];
  let errors = 0;
  const url = new URL(target);
  await runConcurrent(requests, concurrency, async (i) => {
    const body = new URLSearchParams({
      team_id: 'T0MUSTER',
      channel_id: channel,
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/incident',
      text: `note ${tag} load note ${i}`,
      response_url: 'http://127.0.0.1:9/unused',
      // unique per request: a repeated trigger_id is a repeated note, stored once
      trigger_id: `${tag}.${concurrency}.${i}.bench`,
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, body) };
    const t0 = performance.now();
    const answer = await post(agent, url, body, headers);
    latencies.push(performance.now() - t0);
    if (answer.status !== 200 || !acknowledged(answer.body)) errors++;
  });
  return { latencies, errors };
}

/** The row of all batches of one server at one level. */
function rowOf(concurrency: number, batches: Batch[]): LatencyRow {
  const latencies = batches.flatMap((b) => b.latencies).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    concurrency,
    requests: latencies.length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    errors: batches.reduce((n, b) => n + b.errors, 0),
  };
}

/**
 * Each level is measured in this many rounds, Muster and the bare app taking turns: on a shared machine a
 * passing stall then falls on both, rather than on whichever server happened to be measured at that moment.
 */
const ROUNDS = 6;

const LEVELS: [number, number][] = [
  [1, 1500],
  [50, 3000],
  [200, 6000],
];

/** Measures Muster's acks beside the bare app's; throws when a server does not start or the incident is not made. */
export async function benchAck(root: string, opts: AckOptions = {}): Promise<AckResult> {
  const engine = opts.engine ?? sqlite;
  const slack = await startLocalSlack();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
  // The command limit (COMMANDS_PER_MINUTE per person, 120 by default) would refuse almost all of this load,
  // which one user sends, and that is not the path measured here: it is lifted for the benchmark.
  const baseEnv = {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'warn',
    COMMANDS_PER_MINUTE: '10000000',
    // served as by default, on a free port so runs never collide
    METRICS_PORT: '0',
  };
  // the servers running, stopped at the end whether or not the measurement got through
  const running: { child: ChildProcess; pid?: number | null }[] = [];
  try {
    // Cold start of `npm start`: a fresh database each time (migrations included).
    const coldStartMs: number[] = [];
    for (let i = 0; i < (opts.coldStarts ?? 3); i++) {
      const port = await freePort();
      const { child, startMs } = await spawnServer(
        'npm',
        ['start'],
        {
          ...baseEnv,
          PORT: String(port),
          DATABASE_URL: await freshDatabase(engine, dir, `cold_${i}`),
          CATALOG_PATH: join(dir, 'none.yaml'),
        },
        port,
        '/healthz',
        root,
      );
      coldStartMs.push(Math.round(startMs));
      await stopServer(child, processUnder(child.pid!, 'dist/cli.js'));
    }

    const databaseUrl = await freshDatabase(engine, dir, 'ack');
    const mPort = await freePort();
    const muster = await spawnServer(
      'npm',
      ['start'],
      { ...baseEnv, PORT: String(mPort), DATABASE_URL: databaseUrl, CATALOG_PATH: join(dir, 'none.yaml') },
      mPort,
      '/healthz',
      root,
    );
    // The server npm started: its memory is what is compared, and it is what is stopped.
    const musterPid = processUnder(muster.child.pid!, 'dist/cli.js');
    running.push({ child: muster.child, pid: musterPid });
    if (!musterPid) throw new Error('npm start did not start node dist/cli.js');
    const mUrl = `http://127.0.0.1:${mPort}/slack/events`;
    const declare = new URLSearchParams({
      team_id: 'T0MUSTER', channel_id: 'C0GENERAL', user_id: 'U0ALICE', user_name: 'alice', command: '/incident',
      text: 'declare sev2 bench load', response_url: 'http://127.0.0.1:9/unused', trigger_id: 'x',
    }).toString();
    await fetch(mUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, declare) }, body: declare });
    let channel = '';
    for (let i = 0; i < 400 && !channel; i++) {
      channel = slack.workspace.channel('inc-1-bench-load')?.id ?? '';
      if (!channel) await new Promise((r) => setTimeout(r, 10));
    }
    if (!channel) throw new Error('the benchmark incident channel was not created');

    const bPort = await freePort();
    const bare = await spawnServer(process.execPath, [join(root, 'bench/bare-bolt.mjs')], { ...baseEnv, PORT: String(bPort) }, bPort, '/slack/events');
    running.push({ child: bare.child });
    const bUrl = `http://127.0.0.1:${bPort}/slack/events`;

    const musterRows: LatencyRow[] = [];
    const bareRows: LatencyRow[] = [];
    let notesSent = 0;
    for (const [c, n] of LEVELS) {
      // Warm both (code paths and `c` keep-alive connections, as Slack keeps its connections to an app),
      // then measure them in alternating rounds at the same level.
      const mAgent = new Agent({ keepAlive: true, maxSockets: c });
      const bAgent = new Agent({ keepAlive: true, maxSockets: c });
      const warm = Math.max(200, c * 2);
      await measure(mUrl, mAgent, channel, c, warm, 'warm', musterNoted);
      await measure(bUrl, bAgent, channel, c, warm, 'warm', bareAcked);
      const m: Batch[] = [];
      const b: Batch[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const share = Math.round(n / ROUNDS);
        // the order alternates too, so neither server always follows the other's load
        const musterFirst = round % 2 === 0;
        if (musterFirst) m.push(await measure(mUrl, mAgent, channel, c, share, `m${round}`, musterNoted));
        b.push(await measure(bUrl, bAgent, channel, c, share, `b${round}`, bareAcked));
        if (!musterFirst) m.push(await measure(mUrl, mAgent, channel, c, share, `m${round}`, musterNoted));
      }
      musterRows.push(rowOf(c, m));
      bareRows.push(rowOf(c, b));
      mAgent.destroy();
      bAgent.destroy();
      notesSent += warm + m.reduce((k, x) => k + x.latencies.length, 0);
    }
    // let after-ack work settle before reading memory
    await new Promise((r) => setTimeout(r, 1000));
    const musterRssBytes = rssOf(musterPid);
    const bareRssBytes = rssOf(bare.child.pid!);
    await stopServer(muster.child, musterPid);
    await stopServer(bare.child);
    const db = await openReader(databaseUrl);
    const notesStored = await db.count("select count(*) as n from timeline_entries where kind = 'note'");
    await db.close();
    return {
      engine: engine.name,
      muster: musterRows,
      bare: bareRows,
      musterRssBytes,
      bareRssBytes,
      coldStartMs,
      notesSent,
      notesStored,
    };
  } finally {
    for (const server of running) await stopServer(server.child, server.pid);
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
