/**
 * Attaching catalog services to an incident: an `incident_services` row, a 'service' timeline entry, and the
 * service's web runbooks linked, all in the caller's transaction. On declare, the services named in the
 * title and those chosen in the declare modal are attached inside the declaring transaction, so automatic
 * paging (which reads `incident_services`) sees them.
 */
import type { Incident } from '../../domain/incident.js';
import type { CatalogService } from '../../domain/ports.js';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import type { DeclareHook } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { currentCatalog } from './find-service.js';
import { recordServiceRunbooks } from './link-runbooks.js';

export interface AttachResult {
  /** services attached now (not those already attached) */
  attached: CatalogService[];
  /** names the catalog does not know, with the nearest names */
  unknown: { name: string; suggestions: string[] }[];
}

/** Attaches one service and links its web runbooks; false when it was already attached. Call inside a transaction. */
export function recordService(
  deps: Ports,
  incidentNumber: number,
  service: CatalogService,
  actor: string,
  at: number,
): boolean {
  if (!deps.store.services.attach(incidentNumber, service.name, at)) return false;
  deps.store.timeline.add(
    {
      incidentNumber,
      kind: 'service',
      text: `Service ${escapeMrkdwn(service.name)} attached (owner ${escapeMrkdwn(service.owner)})`,
      actor,
      occurredAt: at,
      sourceKey: `service:${service.name}`,
      meta: { service: service.name, owner: service.owner, teamChannel: service.teamChannel },
    },
    at,
  );
  recordServiceRunbooks(deps, incidentNumber, service, actor, at);
  return true;
}

/** Resolves names (or aliases) against the catalog and attaches those it knows, each once. Call inside a transaction. */
export function recordServices(
  deps: Ports,
  incident: Incident,
  names: readonly string[],
  actor: string,
  at: number,
): AttachResult {
  const catalog = currentCatalog(deps);
  const result: AttachResult = { attached: [], unknown: [] };
  for (const name of names) {
    const service = catalog?.find(name) ?? null;
    if (!service) {
      result.unknown.push({ name, suggestions: catalog?.suggest(name) ?? [] });
    } else if (recordService(deps, incident.number, service, actor, at)) {
      result.attached.push(service);
    }
  }
  return result;
}

/**
 * Attaches catalog services by name or alias to an incident, in its own transaction (nested in the caller's
 * when there is one). Names the catalog does not know are returned, not thrown. The Slack side (runbooks
 * message, bookmarks, team notices) is `announceServices`, after the ack.
 */
export function attachServices(
  deps: Ports,
  incident: Incident,
  serviceNames: readonly string[],
  actor: string,
): AttachResult {
  const now = deps.clock.now();
  return deps.store.tx(() => recordServices(deps, incident, serviceNames, actor, now));
}

/** The declare hook: services named in the title (whole words), then those chosen in the modal. */
export const attachDeclaredServices: DeclareHook = (deps, incident, input) => {
  const catalog = currentCatalog(deps);
  if (!catalog) return;
  const named = catalog.matchTitle(incident.title).map((s) => s.name);
  const names = [...new Set([...named, ...(input.services ?? [])])];
  if (names.length === 0) return;
  const r = recordServices(deps, incident, names, input.userId, incident.declaredAt);
  // A modal choice the catalog no longer has (reloaded between opening and submitting) is not worth failing for.
  if (r.unknown.length)
    deps.log.warn(
      { incident: incident.number, unknown: r.unknown.map((u) => u.name) },
      'unknown services not attached',
    );
  deps.log.info({ incident: incident.number, services: r.attached.map((s) => s.name) }, 'services attached');
};
