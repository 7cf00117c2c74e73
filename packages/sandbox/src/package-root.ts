/**
 * Where the sandbox's own files are (ui/, migrations/, demo-catalog/): this package's folder. From source that
 * is packages/sandbox; bundled into Muster's dist/, the modules sit in dist/ and the files stay in
 * packages/sandbox under the installation folder, as Muster's templates and migrations stay in its own.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The sandbox package's folder; throws when neither layout is found above this module. */
export function packageRoot(): string {
  cached ??= find(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

function find(from: string): string {
  let dir = from;
  for (;;) {
    // the installation folder, seen from dist/
    const installed = join(dir, 'packages', 'sandbox');
    if (existsSync(join(installed, 'package.json'))) return installed;
    // the package folder itself, seen from its src/
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'ui'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('cannot find the sandbox package folder (packages/sandbox)');
    dir = up;
  }
}
