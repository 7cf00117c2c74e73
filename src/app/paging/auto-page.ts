/**
 * Automatic paging on declare: each service attached to the new incident (incident_services, attached by the
 * catalog's declare hook, which runs first) whose catalog policy pages at the declared severity is paged in
 * the declaring transaction, the same way `page` would, with Muster as the actor. Its delivery is due once the
 * channel exists (deliverDeclaredPages), so the confirmation has somewhere to go.
 */
import type { Incident } from '../../domain/incident.js';
import { MUSTER_ACTOR } from '../../domain/page.js';
import type { Ports } from '../ports.js';
import { openPageOf, queuePage } from './page-service.js';
import { pageVia } from './page-target.js';

/** The declare hook; services PagerDuty cannot reach with this configuration are logged and skipped. */
export function autoPageOnDeclare(
  ports: Pick<Ports, 'catalog' | 'config' | 'store' | 'clock' | 'log'>,
  incident: Incident,
): void {
  const catalog = ports.catalog.current;
  if (!catalog) return;
  for (const { service: name } of ports.store.services.attached(incident.number)) {
    const service = catalog.find(name);
    if (!service?.pagerduty || !catalog.autoPages(service, incident.severity)) continue;
    const via = pageVia(ports.config, service.pagerduty);
    if (!via) {
      ports.log.warn(
        { incident: incident.number, service: service.name },
        'not paged automatically: its target needs the REST API and PAGERDUTY_API_TOKEN or PAGERDUTY_FROM is not set',
      );
      continue;
    }
    if (openPageOf(ports, incident.number, service.name)) continue;
    queuePage(ports, { incident, service, via, message: null, by: MUSTER_ACTOR, auto: true });
  }
}
