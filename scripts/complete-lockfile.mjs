// Adds lockfile entries for platform-specific optional packages (other operating systems and CPUs) that
// the registry mirror of this workplace does not serve, so `npm ci` finds the lockfile in sync. npm skips
// optional packages whose os/cpu do not match, so these entries are never downloaded here.
// Run after `npm install` changes package-lock.json: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const guess = (name) => {
  const os =
    [
      'android',
      'darwin',
      'freebsd',
      'linux',
      'netbsd',
      'openbsd',
      'openharmony',
      'sunos',
      'win32',
      'aix',
      'cygwin',
    ].find((o) => name.includes(o)) ??
    (name.includes('windows') ? 'win32' : name.includes('macos') ? 'darwin' : null);
  const cpu =
    ['arm64', 'arm', 'ia32', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'x64', 'wasm32'].find((c) =>
      name.includes(c),
    ) ?? null;
  return { os: os ? [os] : undefined, cpu: cpu ? [cpu] : undefined };
};
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[base] || packages[hoisted]) continue;
    const { os, cpu } = guess(dep);
    // Keys in the order npm writes them (version, then the rest by name), so that `npm install` leaves the
    // lockfile as it is: npm rewrites an entry whose keys are in another order, and the tree is dirty.
    packages[hoisted] = {
      version: version.replace(/^[~^]/, ''),
      cpu,
      dev: meta.dev || undefined,
      optional: true,
      os,
    };
    added++;
  }
}
// As npm orders the lockfile: by English collation (string_decoder before string-width), whatever this
// machine's locale, so that `npm install` finds nothing to reorder.
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} optional platform entries\n`);
