/**
 * The end-to-end tier runs Muster's processes as users run them, from the built files (`node dist/cli.js`,
 * what `npm start` runs, and `node dist/muster.cjs`, what `npm run muster` runs): this builds dist/ once before the tier when it is missing or older than a file it is
 * built from (src/, packages/, the build configuration, the postmortem templates). `npm ci` has built it
 * already (`prepare`), so CI finds it fresh; after an edit, the tier rebuilds it (a few seconds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();

/** The newest modification time under `path` (a file, or a folder walked whole). */
const newest = (path: string): number => {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

/** What dist/ is built from. */
const SOURCES = ['src', 'packages/sandbox/src', 'templates', 'scripts', 'tsup.config.ts', 'package.json'];
/** What a build leaves, every one of which the processes need. */
const OUTPUTS = [
  'dist/cli.js',
  'dist/muster.cjs',
  'dist/export.cjs',
  'dist/render-worker.js',
  'dist/postmortem-template.cjs',
];

export default function setup(): void {
  const sources = Math.max(...SOURCES.map((p) => newest(join(root, p))));
  const built = OUTPUTS.map((p) => join(root, p));
  if (built.every((p) => existsSync(p) && statSync(p).mtimeMs >= sources)) return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
}
