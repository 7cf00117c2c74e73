/** PagerDuty paging's part in an incident's life: automatic pages on declare, pages resolved on resolve, the headline's pages line. */
import type { HeadlineExtras, ProvisionedHook, ResolveHook } from '../incident/hooks.js';
import { deliverSoon } from './page-service.js';
import { queuePageResolutions } from './resolve-pages.js';

/** Headline line: the latest page of each service and its status (the headline chooses the words). */
export const pagesHeadline: HeadlineExtras = (incidentNumber, deps) => {
  const latest = new Map<string, { service: string; status: string; acknowledgedBy: string | null }>();
  for (const p of deps.store.pages.list(incidentNumber)) {
    latest.set(p.service, {
      service: p.service,
      status: p.status,
      acknowledgedBy: p.status === 'acknowledged' ? p.acknowledgedBy : null,
    });
  }
  return latest.size ? { pages: [...latest.values()] } : {};
};

export const resolvePages: ResolveHook = (deps, incident) => {
  if (queuePageResolutions(deps, incident.number) > 0) deliverSoon(deps);
};

/** Pages queued on declare go out once the channel exists, so their confirmation has somewhere to go. */
export const deliverDeclaredPages: ProvisionedHook = async (deps, incident) => {
  if (deps.store.pages.list(incident.number).some((p) => p.status === 'pending'))
    await deps.pagerduty.outbox.run(deps);
};
