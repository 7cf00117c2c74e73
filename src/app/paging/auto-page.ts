/**
 * Automatic paging on declare: each service attached to the new incident (incident_services, attached by the
 * catalog's declare hook, which runs first) whose catalog policy pages at the declared severity is paged in
 * the declaring transaction, the same way `page` would, with Muster as the actor. Its delivery is due once the
 * channel exists (deliverDeclaredPages), so the confirmation has somewhere to go. An attached service that
 * should be paged at that severity but cannot be is told in the channel (nobody is paged silently).
 */
import type { Incident } from '../../domain/incident.js';
import type { PagingNotice } from '../../domain/notices.js';
import { MUSTER_ACTOR, PRACTICE_PAGED_SEVERITIES } from '../../domain/page.js';
import type { CatalogService } from '../../domain/ports.js';
import type { ProvisionedHook } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { openPageOf, queuePage } from './page-service.js';
import { pageVia } from './page-target.js';

/** The declare hook; services PagerDuty cannot reach with this configuration are logged and skipped. */
export async function autoPageOnDeclare(
  ports: Pick<Ports, 'catalog' | 'config' | 'store' | 'clock' | 'log'>,
  incident: Incident,
): Promise<void> {
  const catalog = ports.catalog.current;
  if (!catalog) return;
  for (const { service: name } of await ports.store.services.attached(incident.number)) {
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
    if (await openPageOf(ports, incident.number, service.name)) continue;
    await queuePage(ports, { incident, service, via, message: null, by: MUSTER_ACTOR, auto: true });
  }
}

/**
 * Whether declaring at `severity` is meant to page the service: its own paging policy, or, for a service the
 * catalog cannot page and gives no policy, the practice's (SEV-1 and SEV-2 page every affected service).
 */
const meantToPage = (service: CatalogService, severity: Incident['severity']): boolean =>
  service.autoPage.length > 0
    ? service.autoPage.includes(severity)
    : !service.pagerduty && PRACTICE_PAGED_SEVERITIES.includes(severity);

/**
 * The attached services that declaring at the incident's severity is meant to page but that no page reaches
 * (no PagerDuty target, or a REST target PagerDuty is not configured for), as one notice; none when every
 * such service was paged.
 */
export async function unpagedServices(
  ports: Pick<Ports, 'catalog' | 'config' | 'store'>,
  incident: Incident,
): Promise<PagingNotice[]> {
  const catalog = ports.catalog.current;
  if (!catalog || !incident.channelId) return [];
  const services: { name: string; reason: 'no_target' | 'not_configured' }[] = [];
  for (const { service: name } of await ports.store.services.attached(incident.number)) {
    const service = catalog.find(name);
    if (!service || !meantToPage(service, incident.severity)) continue;
    if ((await ports.store.pages.list(incident.number)).some((p) => p.service === service.name)) continue;
    if (!service.pagerduty) services.push({ name: service.name, reason: 'no_target' });
    else if (!pageVia(ports.config, service.pagerduty))
      services.push({ name: service.name, reason: 'not_configured' });
  }
  if (services.length === 0) return [];
  const pageable = catalog.services
    .filter((s) => s.pagerduty && pageVia(ports.config, s.pagerduty))
    .map((s) => s.name);
  return [{ kind: 'nobody_paged', incident, services, pageable }];
}

/** The provisioning hook: tells the channel which attached services nobody was paged for. */
export const tellUnpagedServices: ProvisionedHook = async (ports, incident) =>
  ports.notifier.notify(await unpagedServices(ports, incident));
