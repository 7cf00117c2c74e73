/**
 * PagerDuty paging's part in an incident's life: pages resolved on resolve, automatic pages delivered once
 * the channel exists, the headline's pages line. Delivery itself is the outbox worker's: these hooks say
 * which deliveries are due (notices), and the composition runs the worker.
 */
import type { Incident } from '../../domain/incident.js';
import type { PagingNotice } from '../../domain/notices.js';
import type { HeadlineExtras } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { queuePageResolutions } from './resolve-pages.js';

/** Headline line: the latest page of each service and its status (the headline chooses the words). */
export const pagesHeadline: HeadlineExtras = async (incidentNumber, ports) => {
  const latest = new Map<string, { service: string; status: string; acknowledgedBy: string | null }>();
  for (const p of await ports.store.pages.list(incidentNumber)) {
    latest.set(p.service, {
      service: p.service,
      status: p.status,
      acknowledgedBy: p.status === 'acknowledged' ? p.acknowledgedBy : null,
    });
  }
  return latest.size ? { pages: [...latest.values()] } : {};
};

/** The resolve hook: queues the resolve of every open page in the resolving transaction; returns them as due. */
export async function resolvePages(
  ports: Pick<Ports, 'store' | 'clock' | 'log'>,
  incident: Incident,
): Promise<PagingNotice[]> {
  return queuePageResolutions(ports, incident.number);
}

/** The pages queued on declare that are still waiting: due now that the channel exists to confirm them in. */
export async function declaredPagesDue(
  ports: Pick<Ports, 'store'>,
  incident: Incident,
): Promise<PagingNotice[]> {
  return (await ports.store.pages.list(incident.number))
    .filter((p) => p.status === 'pending')
    .map((page) => ({ kind: 'page_requested', page }));
}

/** The provisioned hook: pages queued on declare go out once the channel exists, so their confirmation has somewhere to go. */
export async function deliverDeclaredPages(
  ports: Pick<Ports, 'store' | 'notifier'>,
  incident: Incident,
): Promise<void> {
  const due = await declaredPagesDue(ports, incident);
  if (due.length) await ports.notifier.notify(due);
}
