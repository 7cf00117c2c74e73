/**
 * Automatic paging on declare: each service attached to the new incident (incident_services, attached by the
 * catalog's declare hook, which runs first) whose catalog policy pages at the declared severity is paged in
 * the declaring transaction, the same way `page` would, with Muster as the actor.
 */
import type { DeclareHook } from '../incident/hooks.js';
import { MUSTER_ACTOR, openPageOf, queuePage } from './page-service.js';
import { pageVia } from './page-target.js';

/** The declare hook; services PagerDuty cannot reach with this configuration are logged and skipped. */
export const autoPageOnDeclare: DeclareHook = (deps, incident) => {
  const catalog = deps.catalog.current;
  if (!catalog) return;
  for (const { service: name } of deps.store.services.attached(incident.number)) {
    const service = catalog.find(name);
    if (!service?.pagerduty || !catalog.autoPages(service, incident.severity)) continue;
    const via = pageVia(deps.config, service.pagerduty);
    if (!via) {
      deps.log.warn(
        { incident: incident.number, service: service.name },
        'not paged automatically: its target needs the REST API and PAGERDUTY_API_TOKEN or PAGERDUTY_FROM is not set',
      );
      continue;
    }
    if (openPageOf(deps, incident.number, service.name)) continue;
    queuePage(deps, { incident, service, via, message: null, by: MUSTER_ACTOR, auto: true });
  }
};
