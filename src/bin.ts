/**
 * The entry `npm run muster` starts, built as a small CommonJS file (dist/muster.cjs). Only the built file runs
 * this module.
 *
 * `muster export`, the command people and scripts run for each incident, runs from its own CommonJS bundle
 * (dist/export.cjs, from src/commands/export-command.ts): the export's whole code in one file, so Node never
 * starts its ES module loader, which resolves, reads and links a dozen chunks one by one. That file is compiled
 * with V8's code cache, as Python keeps compiled modules in `__pycache__`: after an export, the code V8
 * compiled for it is written beside the bundle (`export.<key>.cache`, per Node version and options), and the
 * next export starts from it. V8 refuses a cache that does not match the file, its own version or its options,
 * and compiles afresh; an installation folder that cannot be written to only means no cache. Measured on a
 * 2,000-entry export, the cache saves about 35 ms of the 35 ms spent compiling the file, and of the functions
 * compiled while it ran.
 *
 * Every other command loads the ES module CLI (dist/cli.js), as `npm start` does.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { failWith } from './cli-fail.js';

const [command, ...args] = process.argv.slice(2);

/** A short stable key of what a code cache depends on besides the source: Node's version and options. */
function cacheKey(): string {
  const text = [process.version, process.arch, ...process.execArgv].join(' ');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

type ExportCommand = typeof import('./commands/export-command.js');

/** Loads dist/export.cjs through its code cache; `keep` writes the cache when there was none or V8 refused it. */
function loadExportCommand(): { exports: ExportCommand; keep: () => void } {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'export.cjs');
  const cacheFile = join(dirname(file), `export.${cacheKey()}.cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // CommonJS's own wrapper, on the first line, so the file's line numbers stay as they are
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  const module = { exports: {} as ExportCommand };
  (script.runInThisContext() as (...a: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  const keep = (): void => {
    if (cachedData && !script.cachedDataRejected) return;
    const temp = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      rmSync(temp, { force: true });
    }
  };
  return { exports: module.exports, keep };
}

if (command === 'export') {
  try {
    const loaded = loadExportCommand();
    loaded.exports.runExportCommand(args).then(loaded.keep, failWith);
  } catch (e) {
    failWith(e);
  }
} else import('./cli.js').catch(failWith);
