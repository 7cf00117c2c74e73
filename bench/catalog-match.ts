/**
 * Matching an incident title against a 2,000-service catalog (issue 6: well under a millisecond).
 * `benchCatalogMatch()` is called by bench/run.ts; `tsx bench/catalog-match.ts` prints the figure alone.
 */
import { pathToFileURL } from 'node:url';
import { parseCatalog } from '../src/adapters/catalog/parse-catalog.js';

const WORDS = [
  'checkout',
  'payments',
  'search',
  'auth',
  'orders',
  'inventory',
  'shipping',
  'ledger',
  'email',
  'media',
];
const SUFFIXES = ['api', 'worker', 'db', 'gateway', 'web', 'cache', 'queue', 'sync', 'proxy', 'jobs'];

const nameOf = (i: number): { word: string; suffix: string } => ({
  word: WORDS[i % WORDS.length]!,
  suffix: SUFFIXES[Math.floor(i / WORDS.length) % SUFFIXES.length]!,
});

/** A catalog of `n` services with names like `orders-queue-17` and two aliases each, one of them multi-word. */
export function benchCatalogYaml(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    const { word, suffix } = nameOf(i);
    lines.push(
      `  - name: ${word}-${suffix}-${i}`,
      `    aliases: ["${word} ${suffix} ${i}", "${word}${i}"]`,
      `    owner: team-${i % 50}`,
      `    pagerduty: { routing_key: key${i} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const n = (i: number): string => `${nameOf(i).word}-${nameOf(i).suffix}-${i}`;
const spaced = (i: number): string => `${nameOf(i).word} ${nameOf(i).suffix} ${i}`;

/** Realistic titles: most name one or two services, one names none. */
const TITLES = [
  `Checkout returns 500s for some customers after the ${n(1230)} deploy`,
  `${n(1234)} backlog growing, shipping labels delayed`,
  `${spaced(77)} timeouts; ${nameOf(1999).word}${1999} also degraded`,
  'Elevated latency on the public API in eu-west-1, cause unknown so far',
  `login broken for SSO users (${nameOf(42).word}${42}) since certificate rotation`,
];

/** Microseconds per `matchTitle` call, averaged over many calls on five realistic titles. */
export function benchCatalogMatch(): { perMatchMicros: number } {
  const { catalog } = parseCatalog(benchCatalogYaml(2000), { file: 'bench-catalog.yaml', env: {} });
  let found = 0;
  for (let i = 0; i < 2000; i++) found += catalog.matchTitle(TITLES[i % TITLES.length]!).length; // warm-up
  const rounds = 50_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) found += catalog.matchTitle(TITLES[i % TITLES.length]!).length;
  const elapsedMs = performance.now() - start;
  if (found === 0) throw new Error('the bench titles matched nothing: the bench is broken');
  return { perMatchMicros: (elapsedMs * 1000) / rounds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { perMatchMicros } = benchCatalogMatch();
  console.log(`catalog match, 2,000 services: ${perMatchMicros.toFixed(2)} µs per title`);
}
