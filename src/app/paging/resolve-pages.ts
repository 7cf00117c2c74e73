/**
 * Resolving an incident resolves every PagerDuty page it opened, through the same outbox as the pages: Events
 * v2 `resolve` with the page's dedup key, or REST status `resolved`. The worker sends a resolve only after
 * its page's trigger, so a page still waiting out an outage is triggered and then resolved, in that order.
 */
import type { PagingNotice } from '../../domain/notices.js';
import { isOpenPage } from '../../domain/page.js';
import type { Ports } from '../ports.js';

/** Queues a resolve for each open page of the incident; one `page_resolve_requested` each. Call inside the resolving transaction. */
export async function queuePageResolutions(
  ports: Pick<Ports, 'store' | 'clock' | 'log'>,
  incidentNumber: number,
): Promise<PagingNotice[]> {
  const now = ports.clock.now();
  const open = (await ports.store.pages.list(incidentNumber)).filter(isOpenPage);
  for (const page of open) {
    await ports.store.outbox.add(
      { incidentNumber, kind: 'pagerduty.resolve', payload: { pageId: page.id } },
      now,
    );
  }
  if (open.length)
    ports.log.info({ incident: incidentNumber, pages: open.length }, 'page resolutions queued');
  return open.map((page) => ({ kind: 'page_resolve_requested', page }));
}
