/** PagerDuty paging's part in an incident's life: automatic pages on declare, pages resolved on resolve, the headline's pages line. */
import { autoPageOnDeclare } from './auto-page.js';
import { onDeclare, onProvisioned, type ProvisionedHook } from '../incident/declare-incident.js';
import { addHeadlineExtras, type HeadlineExtras } from '../incident/headline.js';
import { deliverSoon } from './page-service.js';
import { onResolved, type ResolveHook } from '../incident/resolve-incident.js';
import { queuePageResolutions } from './resolve-pages.js';

const STATUS_WORDS: Record<string, string> = {
  pending: 'waiting for PagerDuty',
  triggered: 'paged',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  failed: 'page failed',
};

/** Headline line: the latest page of each service and where it stands. */
export const pagesHeadline: HeadlineExtras = (incidentNumber, deps) => {
  const latest = new Map<string, { service: string; status: string; acknowledgedBy: string | null }>();
  for (const p of deps.store.pages.list(incidentNumber)) {
    latest.set(p.service, {
      service: p.service,
      status: STATUS_WORDS[p.status] ?? p.status,
      acknowledgedBy: p.status === 'acknowledged' ? p.acknowledgedBy : null,
    });
  }
  return latest.size ? { pages: [...latest.values()] } : {};
};

const resolvePages: ResolveHook = (deps, incident) => {
  if (queuePageResolutions(deps, incident.number) > 0) deliverSoon(deps);
};

/** Pages queued on declare go out once the channel exists, so their confirmation has somewhere to go. */
const deliverDeclaredPages: ProvisionedHook = async (deps, incident) => {
  if (deps.store.pages.list(incident.number).some((p) => p.status === 'pending'))
    await deps.pagerduty.outbox.run(deps);
};

/**
 * Registers the declare hook (automatic paging; after the catalog's hook, which attaches the services it
 * reads), the resolve hook (pages resolved in the resolving transaction), delivery after provisioning and
 * the headline line. Idempotent.
 */
export function registerPaging(): void {
  onDeclare(autoPageOnDeclare);
  onProvisioned(deliverDeclaredPages);
  onResolved(resolvePages);
  addHeadlineExtras(pagesHeadline);
}
