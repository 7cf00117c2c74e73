/**
 * Attaching catalog services to an incident: an `incident_services` row, a 'service' timeline entry, and the
 * service's web runbooks linked, all in the caller's transaction. On declare, the services named in the
 * title and those chosen in the declare modal are attached inside the declaring transaction, so automatic
 * paging (which reads `incident_services`) sees them.
 */
import { serviceAttachedText } from '../../domain/catalog-text.js';
import type { Incident } from '../../domain/incident.js';
import type { CatalogNotice } from '../../domain/notices.js';
import { MUSTER_ACTOR } from '../../domain/page.js';
import type { CatalogService } from '../../domain/ports.js';
import type { DeclareHook } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { announceServices } from './announce-services.js';
import { currentCatalog } from './find-service.js';
import { recordServiceRunbooks } from './link-runbooks.js';

export interface AttachResult {
  /** services attached now (not those already attached) */
  attached: CatalogService[];
  /** names the catalog does not know, with the nearest names */
  unknown: { name: string; suggestions: string[] }[];
}

/**
 * Attaches one service and links its web runbooks; false when it was already attached. Call inside a transaction.
 * The runbook links are Muster's doing (the catalog lists them), whoever attached the service.
 */
export async function recordService(
  ports: Pick<Ports, 'store' | 'log'>,
  incidentNumber: number,
  service: CatalogService,
  actor: string,
  at: number,
): Promise<boolean> {
  if (!(await ports.store.services.attach(incidentNumber, service.name, at))) return false;
  await ports.store.timeline.add(
    {
      incidentNumber,
      kind: 'service',
      text: serviceAttachedText(service.name, service.owner),
      actor,
      occurredAt: at,
      sourceKey: `service:${service.name}`,
      meta: { service: service.name, owner: service.owner, teamChannel: service.teamChannel },
    },
    at,
  );
  await recordServiceRunbooks(ports, incidentNumber, service, MUSTER_ACTOR, at);
  return true;
}

/** Resolves names (or aliases) against the catalog and attaches those it knows, each once. Call inside a transaction. */
export async function recordServices(
  ports: Pick<Ports, 'store' | 'log' | 'catalog'>,
  incident: Incident,
  names: readonly string[],
  actor: string,
  at: number,
): Promise<AttachResult> {
  const catalog = currentCatalog(ports);
  const result: AttachResult = { attached: [], unknown: [] };
  for (const name of names) {
    const service = catalog?.find(name) ?? null;
    if (!service) {
      result.unknown.push({ name, suggestions: catalog?.suggest(name) ?? [] });
    } else if (await recordService(ports, incident.number, service, actor, at)) {
      result.attached.push(service);
    }
  }
  return result;
}

/**
 * Attaches catalog services by name or alias to an incident, in its own transaction (nested in the caller's
 * when there is one), and tells them (`services_attached`: runbooks, bookmarks, team channels) for the
 * services attached now. Names the catalog does not know are returned, not thrown.
 */
export async function attachServices(
  ports: Pick<Ports, 'store' | 'log' | 'catalog' | 'clock' | 'config'>,
  input: { incident: Incident; services: readonly string[]; by: string },
): Promise<AttachResult & { notices: CatalogNotice[] }> {
  const now = ports.clock.now();
  const r = await ports.store.tx(async () =>
    recordServices(ports, input.incident, input.services, input.by, now),
  );
  const names = r.attached.map((s) => s.name);
  return {
    ...r,
    notices: names.length ? await announceServices(ports, { incident: input.incident, names }) : [],
  };
}

/**
 * The declare hook: services named in the title (whole words), then those chosen in the modal. Muster found
 * the first in the title, so it is their actor; a service chosen in the modal is the declarer's.
 */
export const attachDeclaredServices: DeclareHook = async (ports, incident, input) => {
  const catalog = currentCatalog(ports);
  if (!catalog) return;
  const named = catalog.matchTitle(incident.title).map((s) => s.name);
  const chosen = new Set((input.services ?? []).map((n) => catalog.find(n)?.name ?? n));
  const names = [...new Set([...named, ...(input.services ?? [])])];
  if (names.length === 0) return;
  const r: AttachResult = { attached: [], unknown: [] };
  for (const name of names) {
    const actor = chosen.has(catalog.find(name)?.name ?? name) ? input.userId : MUSTER_ACTOR;
    const one = await recordServices(ports, incident, [name], actor, incident.declaredAt);
    r.attached.push(...one.attached);
    r.unknown.push(...one.unknown);
  }
  // A modal choice the catalog no longer has (reloaded between opening and submitting) is not worth failing for.
  if (r.unknown.length)
    ports.log.warn(
      { incident: incident.number, unknown: r.unknown.map((u) => u.name) },
      'unknown services not attached',
    );
  ports.log.info({ incident: incident.number, services: r.attached.map((s) => s.name) }, 'services attached');
};
