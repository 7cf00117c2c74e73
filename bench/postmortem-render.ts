/**
 * Time to write the postmortem of an incident with a 10,000-entry timeline: the view model, then
 * the shipped template. Target: well under 500 ms.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPostmortemRenderer } from '../src/adapters/render/postmortem-renderer.js';
import { samplePostmortemInput } from '../src/adapters/render/postmortem-sample.js';
import { makeTimeFormatters } from '../src/adapters/render/time-format.js';
import { toPostmortemData } from '../src/domain/postmortem.js';
import type { EntryKind, TimelineEntry } from '../src/domain/timeline.js';

const ENTRIES = 10_000;
const TEMPLATE = fileURLToPath(new URL('../templates/postmortem.md.hbs', import.meta.url));
const KINDS: EntryKind[] = ['message', 'note', 'update', 'status', 'page_event', 'role'];

const RUNS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * Builds a 10,000-entry incident and writes its postmortem (view model + shipped template) RUNS
 * times. `ms` is the median wall time; `firstMs` the first, cold run; `cpuMs` the median CPU time
 * of this process, which other load on the machine disturbs less. Throws if the document is incomplete.
 */
export function benchPostmortemRender(): { entries: number; ms: number; firstMs: number; cpuMs: number } {
  const input = samplePostmortemInput();
  const start = input.incident.declaredAt;
  const timeline: TimelineEntry[] = Array.from({ length: ENTRIES }, (_, i) => ({
    id: i + 1,
    incidentNumber: input.incident.number,
    number: i + 1,
    redactedBy: null,
    redactedAt: null,
    kind: KINDS[i % KINDS.length]!,
    // realistic Slack text: mentions, links, emphasis and characters that need escaping
    text: `Step ${i}: <@U${(i % 3) + 1}> checked <https://grafana.example/d/${i}|panel ${i}> | *p99* up _again_ &lt;${i}&gt; \`x_y\``,
    originalText: i % 50 === 0 ? 'first version' : null,
    actor: `U${(i % 3) + 1}`,
    occurredAt: start + i * 4_000,
    recordedAt: start + i * 4_000 + 500,
    sourceKey: `bench-${i}`,
    state: i % 97 === 0 ? 'deleted' : 'active',
    meta:
      i % 20 === 0
        ? {
            permalink: `https://example.slack.com/archives/C42/p${i}`,
            files: [{ name: `f${i}.png`, url: `https://files.example/${i}` }],
          }
        : {},
  }));
  const renderer = createPostmortemRenderer({ templatePath: TEMPLATE });
  const formatters = makeTimeFormatters('Europe/Berlin');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const data = toPostmortemData({ ...input, timeline }, { now: start + ENTRIES * 4_000, ...formatters });
    const markdown = renderer.render(data);
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
    if (!markdown.includes(`Step ${ENTRIES - 1}:`))
      throw new Error('the benchmark document is missing its last entry');
  }
  return { entries: ENTRIES, ms: round(median(wall)), firstMs: round(wall[0]!), cpuMs: round(median(cpu)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { entries, ms, firstMs, cpuMs } = benchPostmortemRender();
  console.log(
    `postmortem render: ${entries} timeline entries in ${ms} ms (median of ${RUNS}; first run ${firstMs} ms; CPU ${cpuMs} ms; target < 500 ms)`,
  );
}
