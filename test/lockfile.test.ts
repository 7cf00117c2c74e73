/**
 * `npm install` on a fresh clone leaves the tree clean (issue 15): npm finds package-lock.json exactly as it
 * would write it, so it rewrites nothing. The check runs npm itself on a copy of package.json and the lockfile
 * (`--package-lock-only`: no download, no node_modules, under a second), so a lockfile edited by hand or by
 * scripts/complete-lockfile.mjs in a shape npm does not keep fails here rather than in a newcomer's `git status`.
 * Every dependency with an install script is listed in package.json's allowScripts, so npm 11 does not warn
 * and a later npm, which skips scripts it was not told to allow, still builds better-sqlite3.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './support/temp-dir.js';

afterAll(() => removeTempDirs());

interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
  os?: string[];
  cpu?: string[];
  [key: string]: unknown;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
}

const lockText = readFileSync('package-lock.json', 'utf8');

/** The lockfile npm writes for this package.json when it starts from `lock`. */
function lockAfterNpmInstall(lock: string): string {
  const dir = tempDir();
  copyFileSync('package.json', join(dir, 'package.json'));
  writeFileSync(join(dir, 'package-lock.json'), lock);
  const npm = spawnSync(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } },
  );
  expect(npm.status, npm.stderr).toBe(0);
  return readFileSync(join(dir, 'package-lock.json'), 'utf8');
}

/** Where two texts first differ, as `line N: ours | npm's`; null when they are the same. */
function firstDifference(ours: string, npms: string): string | null {
  if (ours === npms) return null;
  const a = ours.split('\n');
  const b = npms.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: ${JSON.stringify(a[at])} | npm writes ${JSON.stringify(b[at])}`;
}

describe('package-lock.json', { timeout: 60_000 }, () => {
  it('is what npm install writes, so a fresh install leaves it unchanged', () => {
    expect(firstDifference(lockText, lockAfterNpmInstall(lockText))).toBeNull();
  });

  it('the check catches what dirtied the tree: an entry whose keys npm orders differently', () => {
    const lock = JSON.parse(lockText) as Lockfile;
    const [path, entry] = Object.entries(lock.packages).find(([, e]) => e.os && e.cpu)!;
    // os before cpu, as scripts/complete-lockfile.mjs once wrote it
    const { os, cpu, ...rest } = entry;
    lock.packages[path] = { ...rest, os, cpu };
    const reordered = `${JSON.stringify(lock, null, 2)}\n`;
    expect(reordered).not.toBe(lockText);
    expect(firstDifference(reordered, lockAfterNpmInstall(reordered))).toMatch(/^line \d+: /);
    expect(firstDifference(lockText, lockAfterNpmInstall(reordered))).toBeNull();
  });

  it('every dependency with an install script is allowed in package.json', () => {
    const lock = JSON.parse(lockText) as Lockfile;
    const allowed = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> }
    ).allowScripts;
    const withScripts = Object.entries(lock.packages)
      .filter(([, e]) => e.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts).toContain('better-sqlite3');
    expect(withScripts.filter((name) => allowed?.[name] !== true)).toEqual([]);
  });
});
