/**
 * The folder Muster is installed in (holding package.json and migrations/sqlite/), found from this module, bundled
 * or not. The migrations folder is looked for rather than only package.json, which packages/sandbox has too.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations', 'sqlite'))) {
      cached = dir;
      return dir;
    }
    const up = resolve(dir, '..');
    if (up === dir)
      throw new Error('cannot find the Muster installation folder (package.json and migrations/sqlite/)');
    dir = up;
  }
}
