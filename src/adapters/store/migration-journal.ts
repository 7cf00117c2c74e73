/** drizzle-kit's journal of a migrations folder (`meta/_journal.json`), read without the migrations themselves. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The time of the newest migration the journal lists (`when`, which drizzle records as `folderMillis`): a
 * database whose last applied migration is at least this is up to date, found without reading and hashing
 * every SQL file.
 */
export function newestInJournal(folder: string): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}
