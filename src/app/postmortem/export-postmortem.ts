/** `muster export <incident> [--out FILE]`: the postmortem markdown from the database alone, no Slack needed. */
import { writeFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import { openDb } from '../../adapters/store/db.js';
import { Store } from '../../adapters/store/store.js';
import {
  cachedNames,
  loadPostmortemRenderer,
  postmortemFacts,
  renderWithNames,
} from './postmortem-document.js';

/** Finds an incident by number (`42`), reference (`INC-42`) or channel name (`inc-42-db-down`, `#inc-42-db-down`). */
export function findIncident(store: Store, ref: string): Incident | null {
  const r = ref.trim().replace(/^#/, '');
  const m = /^(?:inc-?)?(\d+)$/i.exec(r);
  if (m) return store.incidents.get(Number(m[1]));
  return store.incidents.byChannelName(r.toLowerCase());
}

/** Renders the incident's postmortem; writes it to `out` or returns it. Throws DomainError for an unknown incident. */
export function exportPostmortem(
  config: Config,
  ref: string,
  now: number,
): { markdown: string; incident: Incident } {
  // The template only: the blameless word list and the render worker are for `/incident postmortem`.
  const renderer = loadPostmortemRenderer(config);
  const store = new Store(openDb(config.DATABASE_URL));
  try {
    const incident = findIncident(store, ref);
    if (!incident)
      throw new DomainError('export.unknown_incident', `no incident "${ref}" in ${config.DATABASE_URL}`);
    const facts = postmortemFacts(store, incident.number)!;
    const rendered = renderWithNames(
      facts,
      cachedNames(store, facts),
      renderer,
      config.INCIDENT_TIMEZONE,
      now,
    );
    return { markdown: rendered.markdown, incident };
  } finally {
    store.close();
  }
}

export function writeExport(markdown: string, out: string | null): void {
  if (out) writeFileSync(out, markdown);
  else process.stdout.write(markdown);
}
