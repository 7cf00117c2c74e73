/** `muster export <incident>`: the postmortem markdown from the store alone, names from its cache; no Slack needed. */
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { IncidentStore, PostmortemRenderer } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { cachedNames, postmortemFacts } from './postmortem-document.js';

/** Finds an incident by number (`42`), reference (`INC-42`) or channel name (`inc-42-db-down`, `#inc-42-db-down`). */
export async function findIncident(store: IncidentStore, ref: string): Promise<Incident | null> {
  const r = ref.trim().replace(/^#/, '');
  const m = /^(?:inc-?)?(\d+)$/i.exec(r);
  if (m) return store.incidents.get(Number(m[1]));
  return store.incidents.byChannelName(r.toLowerCase());
}

/**
 * Renders the postmortem of the incident `ref` names, as of `now`. Throws DomainError for an unknown
 * incident (naming the database the store reads).
 */
export async function exportPostmortem(
  ports: Pick<Ports, 'store'> & {
    renderer: PostmortemRenderer;
    config: Pick<Ports['config'], 'DATABASE_URL'>;
  },
  input: { ref: string; now: number },
): Promise<{ markdown: string; incident: Incident }> {
  const incident = await findIncident(ports.store, input.ref);
  if (!incident)
    throw new DomainError(
      'export.unknown_incident',
      `no incident "${input.ref}" in ${ports.config.DATABASE_URL}`,
    );
  const facts = (await postmortemFacts(ports.store, incident.number))!;
  const markdown = ports.renderer.render(facts, await cachedNames(ports.store, facts), input.now);
  return { markdown, incident };
}
