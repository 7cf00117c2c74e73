/**
 * Wires `muster export`: the store (SQLite, or PostgreSQL loaded only then) and the postmortem template, nothing else. The CLI imports this
 * module only for that command, so the export never loads Bolt, the HTTP server or the catalog (the built
 * dist/ is split at the CLI's dynamic imports).
 */
import { writeFileSync } from 'node:fs';
import { loadPostmortemRenderer } from './adapters/render/postmortem-markdown.js';
import { openDb } from './adapters/store/db.js';
import { Store } from './adapters/store/store.js';
import { exportPostmortem as exportFromStore } from './app/postmortem/export-postmortem.js';
import { type Config, isPostgresUrl } from './config.js';
import { maskCredentials } from './config-value.js';
import type { Incident } from './domain/incident.js';
import type { IncidentStore } from './domain/ports.js';

/**
 * Opens the configured database for a one-off command: SQLite, or PostgreSQL through a single connection
 * without migrating it (the server's job). The caller closes it.
 */
export async function openCommandStore(config: Pick<Config, 'DATABASE_URL'>): Promise<IncidentStore> {
  return isPostgresUrl(config.DATABASE_URL)
    ? await (await import('./adapters/store/pg/pg-store.js')).openPgStore(config.DATABASE_URL, {
        poolSize: 1,
        migrate: false,
      })
    : new Store(openDb(config.DATABASE_URL));
}

/**
 * Opens the configured database (a PostgreSQL one through a single connection, without migrating it), renders
 * the postmortem of incident `ref` as of `now`, and closes it.
 * Throws TemplateError for a broken template, DomainError for an unknown incident.
 */
export async function exportPostmortem(
  config: Config,
  ref: string,
  now: number,
): Promise<{ markdown: string; incident: Incident }> {
  // The template first: a broken one is told before the database is opened.
  const renderer = await loadPostmortemRenderer(config);
  const store = await openCommandStore(config);
  try {
    // an unknown incident names the database it looked in, without its password
    const shown = { DATABASE_URL: maskCredentials(config.DATABASE_URL) };
    return await exportFromStore({ store, renderer, config: shown }, { ref, now });
  } finally {
    await store.close();
  }
}

/** Writes the markdown to `out`, or to standard output without one. */
export function writeExport(markdown: string, out: string | null): void {
  if (out) writeFileSync(out, markdown);
  else process.stdout.write(markdown);
}
