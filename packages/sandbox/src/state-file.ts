/**
 * Where the sandbox keeps its own state, its workspace (channels, messages, people, files): a SQLite file of its
 * own, never a table in Muster's database. SANDBOX_STATE_FILE names it; unset, it sits beside the sandbox's
 * Muster database, SANDBOX_DATABASE_URL, with `-workspace` before the extension (./data/sandbox.db keeps its
 * workspace in ./data/sandbox-workspace.db), so pointing SANDBOX_DATABASE_URL at another file (`muster demo
 * --db`) moves both together.
 */
import { extname, resolve } from 'node:path';
import type { Config } from '../../../src/index.js';

/** The state file of a sandbox running on `config`; throws when it names one of Muster's databases. */
export function stateFileOf(
  config: Pick<Config, 'DATABASE_URL' | 'SANDBOX_DATABASE_URL' | 'SANDBOX_STATE_FILE'>,
): string {
  const file = config.SANDBOX_STATE_FILE ?? stateFileBeside(config.SANDBOX_DATABASE_URL);
  for (const name of ['SANDBOX_DATABASE_URL', 'DATABASE_URL'] as const) {
    if (sqlitePath(file) !== ':memory:' && sameFile(file, config[name])) {
      throw new Error(`SANDBOX_STATE_FILE is ${name}: the sandbox keeps its workspace in a file of its own`);
    }
  }
  return file;
}

const sameFile = (a: string, b: string): boolean => resolve(sqlitePath(a)) === resolve(sqlitePath(b));

/** The default state file for the sandbox database `databaseFile`: in memory when it is, else beside it. */
export function stateFileBeside(databaseFile: string): string {
  if (sqlitePath(databaseFile) === ':memory:') return ':memory:';
  const ext = extname(databaseFile);
  return `${databaseFile.slice(0, databaseFile.length - ext.length)}-workspace${ext}`;
}

/** The file path of a SQLite setting, which may be written `sqlite:FILE` or `sqlite://FILE` (as Muster reads it). */
export const sqlitePath = (file: string): string => file.replace(/^sqlite:(\/\/)?/, '');
