/**
 * `npm run bench`: builds the server, measures every figure Muster claims in one run, prints a table with
 * each target and whether it was met, and writes bench/results.json. Muster is started with `npm start`
 * and the export run with `npm run muster -- export`, as users run them. The ack latency and the reaction
 * throughput are measured on SQLite and again on PostgreSQL: a throwaway server started for those rows (a
 * database of its own per measurement), stopped once they are measured or the bench fails. Talks to
 * 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { type AckResult, benchAck } from './ack-latency.js';
import { benchCatalogMatch } from './catalog-match.js';
import { benchExport } from './export-cli.js';
import { benchPostmortemRender } from './postmortem-render.js';
import { benchReactions } from './reaction-throughput.js';
import { benchRenderBlocking } from './render-event-loop.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * The rows of one ack run: per level Muster, the bare app, and the ratio of their p99 (at most `ratioMax`),
 * then the notes stored. `p99MaxAt200` is the absolute limit at 200 in flight, when there is one.
 */
function ackRows(ack: AckResult, ratioMax: number, p99MaxAt200?: number): Row[] {
  const on = ack.engine === 'SQLite' ? '' : ` on ${ack.engine}`;
  const rows: Row[] = [];
  for (let i = 0; i < ack.muster.length; i++) {
    const m = ack.muster[i]!;
    const b = ack.bare[i]!;
    const ratio = b.p99 > 0 ? m.p99 / b.p99 : 0;
    const limited = m.concurrency === 200 && p99MaxAt200 !== undefined;
    rows.push({
      figure: `ack /incident note${on}, ${m.concurrency} concurrent (${m.requests} requests): Muster p50/p99/max`,
      value: `${ms(m.p50)} / ${ms(m.p99)} / ${ms(m.max)}${m.errors ? `, ${m.errors} errors` : ''}`,
      target: limited ? `p99 < ${p99MaxAt200} ms, every note acknowledged` : 'every note acknowledged',
      met: (limited ? m.p99 < p99MaxAt200 : true) && m.errors === 0,
    });
    rows.push({
      figure: `  bare Bolt app, ${b.concurrency} concurrent: p50/p99/max`,
      value: `${ms(b.p50)} / ${ms(b.p99)} / ${ms(b.max)}`,
      target: '',
      met: null,
    });
    rows.push({
      figure: `  p99 ratio Muster${on} / bare Bolt at ${m.concurrency}`,
      value: ratio.toFixed(2),
      target: `≤ ${ratioMax}`,
      met: ratio <= ratioMax,
    });
  }
  rows.push({
    figure: `notes sent to Muster${on} during the ack load / note entries stored`,
    value: `${ack.notesSent} / ${ack.notesStored}`,
    target: 'all stored',
    met: ack.notesStored === ack.notesSent,
  });
  return rows;
}

async function main(): Promise<void> {
  const started = performance.now();
  process.stdout.write('building the server (npm run build)…\n');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

  process.stdout.write('slash-command ack latency, Muster and a bare Bolt app…\n');
  const ack = await benchAck(root);
  process.stdout.write('reaction events to timeline entries…\n');
  const reactions = await benchReactions({}, root);
  process.stdout.write('the same on PostgreSQL: ack latency, then reactions with two instances…\n');
  const cluster = await startPgCluster();
  let stopped: Promise<void> | undefined;
  const stopCluster = () => (stopped ??= cluster.stop());
  stopOnInterrupt = stopCluster;
  let ackPostgres: AckResult;
  let reactionsPostgres: Awaited<ReturnType<typeof benchReactions>>;
  try {
    const engine = { name: 'PostgreSQL', cluster } as const;
    // its cold start is not measured: the SQLite run measures what a fresh clone starts with
    ackPostgres = await benchAck(root, { engine, coldStarts: 0 });
    reactionsPostgres = await benchReactions({ engine, instances: 2 }, root);
  } finally {
    await stopCluster();
    stopOnInterrupt = null;
  }
  process.stdout.write('postmortem rendering…\n');
  const render = await benchPostmortemRender();
  process.stdout.write('the event loop while a long postmortem is written…\n');
  const blocking = await benchRenderBlocking();
  process.stdout.write('npm run muster -- export…\n');
  const exported = await benchExport(root);
  const catalog = benchCatalogMatch();

  const rows: Row[] = [...ackRows(ack, 1.2, 300), ...ackRows(ackPostgres, 1.5)];
  rows.push({
    figure: `reaction events → stored entries (${reactions.events} events, signed HTTP)`,
    value: `${reactions.perSecond.toFixed(0)} /s, ${reactions.lost} lost, ${reactions.duplicated} duplicated`,
    target: '≥ 1,000 /s, 0 lost, 0 duplicated',
    met: reactions.perSecond >= 1000 && reactions.lost === 0 && reactions.duplicated === 0,
  });
  const rp = reactionsPostgres;
  rows.push({
    figure: `  the same, ${rp.instances} instances on one PostgreSQL taking the requests in turn (${rp.events} events)`,
    value: `${rp.perSecond.toFixed(0)} /s, ${rp.lost} lost, ${rp.duplicated} duplicated`,
    target: '≥ 500 /s, 0 lost, 0 duplicated',
    met: rp.perSecond >= 500 && rp.lost === 0 && rp.duplicated === 0,
  });
  rows.push({
    figure: `render a ${render.entries}-entry postmortem`,
    value: ms(render.ms),
    target: '< 500 ms',
    met: render.ms < 500,
  });
  const memRatio = ack.bareRssBytes > 0 ? ack.musterRssBytes / ack.bareRssBytes : 0;
  rows.push({
    figure: 'resident memory after the load: Muster / bare Bolt',
    value: `${mb(ack.musterRssBytes)} / ${mb(ack.bareRssBytes)} (${memRatio.toFixed(2)}x)`,
    target: '≤ 1.3x',
    met: memRatio <= 1.3,
  });
  rows.push({
    figure: `longest event-loop block while a ${blocking.entries}-entry postmortem (${blocking.longMessages} messages of 40,000 characters) is written`,
    value: ms(blocking.maxBlockMs),
    target: '< 50 ms',
    met: blocking.maxBlockMs < 50,
  });
  rows.push({
    figure: `  /incident note acks meanwhile (2 in flight): count, p50/p99`,
    value: `${blocking.acks}, ${ms(blocking.ackP50Ms)} / ${ms(blocking.ackP99Ms)}`,
    target: 'every note acknowledged',
    met: blocking.acks > 0,
  });
  rows.push({
    figure: '  that postmortem, command to upload / rendered on the main thread instead',
    value: `${ms(blocking.renderMs)} / ${ms(blocking.syncRenderMs)}`,
    target: '',
    met: null,
  });
  rows.push({
    figure: `\`npm run muster -- export\` of a ${exported.entries}-entry postmortem, median of ${exported.runsMs.length}`,
    value: `${exported.ms} ms (${exported.runsMs.join(', ')})`,
    target: '< 500 ms',
    met: exported.ms < 500,
  });
  rows.push({
    figure:
      '  `npm run muster -- help` beside it: npm, the shell, Node and the CLI starting, the floor under that figure',
    value: `${exported.floorMs} ms (${exported.floorRunsMs.join(', ')})`,
    target: '',
    met: null,
  });
  const coldMax = Math.max(...ack.coldStartMs);
  rows.push({
    figure: 'cold start, `npm start` to first 200 on /healthz (3 runs)',
    value: ack.coldStartMs.map((n) => `${n} ms`).join(', '),
    target: '< 1 s',
    met: coldMax < 1000,
  });
  rows.push({
    figure: 'match an incident title against a 2,000-service catalog',
    value: `${catalog.perMatchMicros.toFixed(1)} µs`,
    target: '< 1 ms',
    met: catalog.perMatchMicros < 1000,
  });

  const w1 = Math.max(...rows.map((r) => r.figure.length));
  const w2 = Math.max(...rows.map((r) => r.value.length));
  const w3 = Math.max(...rows.map((r) => r.target.length));
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c.padEnd(w3)}  ${d}`;
  process.stdout.write(
    `\n${line('figure', 'measured', 'target', 'met')}\n${'-'.repeat(w1 + w2 + w3 + 10)}\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${line(r.figure, r.value, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO')}\n`,
    );
  const total = (performance.now() - started) / 1000;
  process.stdout.write(`\nbench took ${total.toFixed(0)} s on ${process.version}\n`);
  writeFileSync(
    join(root, 'bench/results.json'),
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds: total, rows, raw: { ack, ackPostgres, reactions, reactionsPostgres, render, blocking, exported, catalog } }, null, 2)}\n`,
  );
  process.exit(0);
}

/** What an interruption must stop before the bench exits: the PostgreSQL server, while it runs. */
let stopOnInterrupt: (() => Promise<void>) | null = null;
let interrupted: Promise<void> | null = null;

/**
 * Ctrl-C or a kill stops the PostgreSQL server and removes its folder, then exits. Asynchronously and once: tsx
 * passes the signal on to this process again and kills it outright when it does not answer within 30 ms (a
 * synchronous stop in an exit hook blocks that answer), and a second Ctrl-C must not cut the stop short.
 */
function interrupt(code: number): void {
  interrupted ??= (async () => {
    try {
      await stopOnInterrupt?.();
    } catch (e) {
      process.stderr.write(`could not stop the PostgreSQL server: ${String(e)}\n`);
    }
    process.exit(code);
  })();
}
process.on('SIGINT', () => interrupt(130));
process.on('SIGTERM', () => interrupt(143));

main().catch((e) => {
  // an interrupted measurement fails as its servers go: the interruption exits once the cluster is stopped
  if (interrupted) return;
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
