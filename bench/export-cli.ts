/**
 * `npm run muster -- export INC-1` as a user runs it: spawned through npm (npm's own start-up included), on a
 * database holding one incident with a 2,000-entry timeline, writing the markdown to a file. Timed from the
 * spawn to the exit of npm; the written file is checked for the last entry. Target: under 0.5 s.
 *
 * Beside it, the floor under that figure on this machine: `npm run muster -- help`, the same command line
 * doing nothing (npm's start-up, the shell, Node's and the CLI's), timed the same way. What the export itself
 * costs is the difference.
 *
 * Run alone with `npx tsx bench/export-cli.ts` (after `npm run build`); `npm run bench` includes it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb } from '../src/adapters/store/db.js';
import { Store } from '../src/adapters/store/store.js';

const ENTRIES = 2_000;
const RUNS = 9;

export interface ExportBenchResult {
  entries: number;
  /** median wall time of the runs, spawn of npm to its exit */
  ms: number;
  runsMs: number[];
  /** median wall time of `npm run muster -- help`, timed the same way: the start-up under every run */
  floorMs: number;
  floorRunsMs: number[];
}

/** Seeds `entries` timeline entries (messages with mentions, links and emphasis) into a new incident. */
export async function seedIncident(
  file: string,
  entries: number,
  textOf: (i: number) => string = benchText,
): Promise<void> {
  const store = new Store(openDb(file));
  const start = Date.UTC(2026, 10, 3, 9, 0);
  await store.tx(async () => {
    const incident = await store.incidents.create({
      title: 'Checkout returns 502 for card payments',
      severity: 2,
      teamId: 'T0MUSTER',
      declaredBy: 'U0ALICE',
      declaredAt: start,
    });
    for (const [id, displayName] of [
      ['U0ALICE', 'Alice'],
      ['U0BOB', 'Bob'],
      ['U0CAROL', 'Carol'],
    ] as const) {
      await store.users.put(
        { id, name: displayName.toLowerCase(), displayName, isBot: false, deleted: false },
        start,
      );
    }
    for (let i = 0; i < entries; i++) {
      await store.timeline.add(
        {
          incidentNumber: incident.number,
          kind: i % 4 === 0 ? 'note' : 'message',
          text: textOf(i),
          actor: ['U0ALICE', 'U0BOB', 'U0CAROL'][i % 3]!,
          occurredAt: start + i * 4_000,
          sourceKey: `bench-${i}`,
          meta: {},
        },
        start + i * 4_000 + 500,
      );
    }
  });
  await store.close();
}

const benchText = (i: number): string =>
  `Step ${i}: <@U0BOB> checked <https://grafana.example/d/${i}|panel ${i}> | *p99* up _again_ &lt;${i}&gt; \`x_y\``;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(cmd, args, { env, cwd }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr}`));
      else resolve(performance.now() - t0);
    });
  });

/** Times `npm run muster -- export INC-1 --out FILE` RUNS times in the installation folder `root`. */
export async function benchExport(root: string): Promise<ExportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-export-'));
  try {
    const db = join(dir, 'muster.db');
    await seedIncident(db, ENTRIES);
    const out = join(dir, 'postmortem.md');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      DATABASE_URL: db,
      CATALOG_PATH: join(dir, 'none.yaml'),
    };
    const runsMs: number[] = [];
    const floorRunsMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      rmSync(out, { force: true });
      runsMs.push(
        Math.round(await run('npm', ['run', 'muster', '--', 'export', 'INC-1', '--out', out], env, root)),
      );
      if (!readFileSync(out, 'utf8').includes(`Step ${ENTRIES - 1}:`))
        throw new Error('the exported postmortem is missing its last entry');
      // taken in turns with the export, so a passing stall of the machine falls on both
      floorRunsMs.push(Math.round(await run('npm', ['run', 'muster', '--', 'help'], env, root)));
    }
    return { entries: ENTRIES, ms: median(runsMs), runsMs, floorMs: median(floorRunsMs), floorRunsMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchExport(join(import.meta.dirname, '..'));
  process.stdout.write(
    `npm run muster -- export: ${r.entries} entries in ${r.ms} ms (median of ${RUNS}: ${r.runsMs.join(', ')} ms; target < 500 ms)\n` +
      `npm run muster -- help, the start-up alone: ${r.floorMs} ms (${r.floorRunsMs.join(', ')} ms)\n`,
  );
}
