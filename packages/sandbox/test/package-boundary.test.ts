/**
 * The sandbox is a second program beside Muster: it reaches Muster only through the public entry (src/index.ts),
 * and Muster loads it only when asked (a dynamic import in sandbox mode and for `muster demo`), so the bot and
 * `muster export` never parse it. Read from the sources' static imports, the ones that stay in the built code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const packageSrc = join(root, 'packages/sandbox/src');

/**
 * The relative modules `file` imports or re-exports statically, resolved to .ts files; type-only ones are left
 * out unless `types` (they are erased from the built code).
 */
function staticImports(file: string, types = false): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const statement = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?['"](\.[^'"]+)['"]/g;
  for (const m of code.matchAll(statement)) {
    if (m[1] && !types) continue;
    const target = resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts'));
    if (existsSync(target)) found.push(target);
  }
  return found;
}

/** Every module reached from `entries` by static imports. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = entries.map((e) => join(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(file));
  }
  return seen;
}

const inPackage = (file: string) => relative(join(root, 'packages/sandbox'), file).startsWith('..') === false;

describe('the sandbox package', () => {
  it('is never loaded by the bot, `muster export` or the other commands until sandbox mode or the demo asks', () => {
    const loaded = [...reachable(['src/cli.ts', 'src/main.ts', 'src/index.ts'])].filter(inPackage);
    expect(loaded.map((f) => relative(root, f))).toEqual([]);
    // and it is loaded where it is asked for
    for (const file of ['src/main.ts', 'src/cli.ts']) {
      expect(readFileSync(join(root, file), 'utf8')).toContain(
        "await import('../packages/sandbox/src/index.js')",
      );
    }
  });

  it('uses Muster only through its public entry, src/index.ts', () => {
    const files = (readdirSync(packageSrc, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(packageSrc, f));
    const outside = files.flatMap((file) =>
      staticImports(file, true)
        .filter((target) => !inPackage(target))
        .map((target) => `${relative(root, file)} -> ${relative(root, target)}`),
    );
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((line) => !line.endsWith(' -> src/index.ts'))).toEqual([]);
  });
});
