/**
 * Telling people about the services attached to an incident, once its channel exists: what `services_attached`
 * says is chosen here (the services with their owners, their runbook links and files still to share, the
 * owning teams' channels to tell); the notifier posts, uploads, bookmarks and refreshes the headline.
 */
import type { Incident } from '../../domain/incident.js';
import type { CatalogNotice, TeamToTell } from '../../domain/notices/catalog.js';
import { MUSTER_ACTOR } from '../../domain/page.js';
import type { CatalogService, RunbookFile } from '../../domain/ports.js';
import type { ProvisionedHook } from '../incident/hooks.js';
import { toldOutside } from '../incident/private-announce.js';
import type { Ports } from '../ports.js';
import { currentCatalog } from './find-service.js';
import { pendingRunbookFiles } from './link-runbooks.js';

/**
 * What to tell about the named services (default: every attached one) in the incident channel and to their
 * teams; nothing without a channel or a service. The shared files are linked by `by` (default: Muster, which
 * shares a catalog's runbook files by itself).
 */
export async function announceServices(
  ports: Pick<Ports, 'store' | 'catalog' | 'clock' | 'config'>,
  input: { incident: Incident; names?: readonly string[]; by?: string },
): Promise<CatalogNotice[]> {
  const { incident } = input;
  if (!incident.channelId) return [];
  const wanted = input.names ?? (await ports.store.services.attached(incident.number)).map((a) => a.service);
  if (wanted.length === 0) return [];
  const catalog = currentCatalog(ports);
  // A service attached before a reload that dropped it is still named; only its catalog details are gone.
  const services = wanted.map((name) => ({ name, service: catalog?.find(name) ?? null }));
  const links = (await ports.store.services.links(incident.number)).filter(
    (l) => l.service !== null && wanted.includes(l.service),
  );
  const files: RunbookFile[] = [];
  for (const { service } of services)
    if (service) files.push(...(await pendingRunbookFiles(ports, incident.number, service)));
  const known = services.flatMap(({ service }) => (service ? [service] : []));
  return [
    {
      kind: 'services_attached',
      incident,
      services: services.map(({ name, service }) => ({ name, owner: service?.owner ?? null })),
      links,
      files,
      // a private incident's teams hear of it redacted (PRIVATE_ANNOUNCE=redacted), or not at all (none)
      teams: toldOutside(ports.config, incident) ? teamsToTell(incident, known) : [],
      commander: (await ports.store.incidents.holders(incident.number)).ic ?? null,
      by: input.by ?? MUSTER_ACTOR,
      at: ports.clock.now(),
    },
  ];
}

/** One per owning team channel (several services of one team share it); never the incident channel itself. */
function teamsToTell(incident: Incident, services: readonly CatalogService[]): TeamToTell[] {
  const byChannel = new Map<string, { owner: string; services: string[] }>();
  for (const s of services) {
    if (!s.teamChannel || s.teamChannel === incident.channelId) continue;
    const entry = byChannel.get(s.teamChannel) ?? { owner: s.owner, services: [] };
    entry.services.push(s.name);
    byChannel.set(s.teamChannel, entry);
  }
  return [...byChannel].map(([channel, team]) => ({ channel, ...team }));
}

/** The provisioning hook: tells about the services attached on declare. */
export const announceDeclaredServices: ProvisionedHook = async (ports, incident) =>
  ports.notifier.notify(await announceServices(ports, { incident }));
