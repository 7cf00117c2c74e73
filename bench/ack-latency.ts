/**
 * Slash-command ack latency, Muster against a bare Bolt app that only acks, both built and run with plain
 * `node` as child processes, with the same signed `/incident note` requests at 1, 50 and 200 in flight.
 * Also: resident memory of each after the load, and Muster's cold start to the first 200 on /healthz.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  freePort,
  percentile,
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
  errors: number;
}

export interface AckResult {
  muster: LatencyRow[];
  bare: LatencyRow[];
  musterRssBytes: number;
  bareRssBytes: number;
  coldStartMs: number[];
}

/** A plain keep-alive client: far lighter than fetch, so the load generator is not what is measured. */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function measure(target: string, channel: string, concurrency: number, requests: number, tag: string): Promise<LatencyRow> {
  const latencies: number[] = [];
  let errors = 0;
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  await runConcurrent(requests, concurrency, async (i) => {
    const body = new URLSearchParams({
      team_id: 'T0MUSTER',
      channel_id: channel,
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/incident',
      text: `note ${tag} load note ${i}`,
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: `${i}.bench`,
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, body) };
    const t0 = performance.now();
    const status = await post(agent, url, body, headers);
    latencies.push(performance.now() - t0);
    if (status !== 200) errors++;
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    concurrency,
    requests,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    errors,
  };
}

const LEVELS: [number, number][] = [
  [1, 1500],
  [50, 3000],
  [200, 6000],
];

export async function benchAck(root: string): Promise<AckResult> {
  const slack = await startLocalSlack();
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
  const baseEnv = { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'warn' };
  try {
    // Cold start: a fresh database each time (migrations included), three runs.
    const coldStartMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const { child, startMs } = await spawnServer(
        process.execPath,
        [join(root, 'dist/cli.js'), 'start'],
        { ...baseEnv, PORT: String(port), DATABASE_URL: join(dir, `cold-${i}.db`), CATALOG_PATH: join(dir, 'none.yaml') },
        port,
      );
      coldStartMs.push(Math.round(startMs));
      await stopServer(child);
    }

    const mPort = await freePort();
    const muster = await spawnServer(
      process.execPath,
      [join(root, 'dist/cli.js'), 'start'],
      { ...baseEnv, PORT: String(mPort), DATABASE_URL: join(dir, 'muster.db'), CATALOG_PATH: join(dir, 'none.yaml') },
      mPort,
    );
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
    const bUrl = `http://127.0.0.1:${bPort}/slack/events`;

    const musterRows: LatencyRow[] = [];
    const bareRows: LatencyRow[] = [];
    for (const [c, n] of LEVELS) {
      // Warm both, then measure them alternately at the same level.
      await measure(mUrl, channel, c, Math.min(200, n), 'warm');
      await measure(bUrl, channel, c, Math.min(200, n), 'warm');
      musterRows.push(await measure(mUrl, channel, c, n, 'm'));
      bareRows.push(await measure(bUrl, channel, c, n, 'b'));
    }
    // let after-ack work settle before reading memory
    await new Promise((r) => setTimeout(r, 1000));
    const musterRssBytes = rssOf(muster.child.pid!);
    const bareRssBytes = rssOf(bare.child.pid!);
    await stopServer(muster.child);
    await stopServer(bare.child);
    return { muster: musterRows, bare: bareRows, musterRssBytes, bareRssBytes, coldStartMs };
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
