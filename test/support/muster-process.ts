/**
 * How tests run the `muster` command line as a real process: one `node` process with tsx's loader, so a
 * signal (kill -9 included) reaches Muster itself and not a wrapper that would leave it running.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

/** The executable and arguments of `muster <args>`. */
export function musterCommand(...args: string[]): [string, string[]] {
  return [process.execPath, ['--import', loader, join(root, 'src/cli.ts'), ...args]];
}
