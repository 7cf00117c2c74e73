/**
 * PagerDuty webhooks applied to pages: triggered, acknowledged, escalated, reassigned, resolved and annotated
 * for a PagerDuty incident one of our pages opened become timeline entries and page status (acknowledgedAt
 * feeds time to acknowledge), through the page status machine (domain/page.ts), and a notice each. A webhook
 * was stored before it was answered; here it is applied once: the changes and the "processed" mark share one
 * transaction.
 */
import type { PagingNotice } from '../../domain/notices.js';
import { type Page, type PagerReport, pageTransition } from '../../domain/page.js';
import type { PagerWebhook } from '../../domain/ports.js';
import type { NewEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';

type ReportPorts = Pick<Ports, 'store' | 'clock' | 'log'>;

/** Finds our page: by PagerDuty incident id, else by incident key (an Events v2 page learns its id here). */
async function pageFor(ports: ReportPorts, report: PagerReport): Promise<Page | null> {
  const inc = report.incident;
  return (
    (await ports.store.pages.byPdIncidentId(inc.id)) ??
    (inc.key ? await ports.store.pages.byDedupKey(inc.key) : null)
  );
}

/** What a report tells people about a page. */
function noticeOf(report: PagerReport, page: Page, entry: NewEntry | null): PagingNotice {
  switch (report.kind) {
    case 'triggered':
      return { kind: 'page_opened', page, entry };
    case 'acknowledged':
      return {
        kind: 'page_acknowledged',
        page,
        by: page.acknowledgedBy ?? 'someone',
        entry,
        ...(report.agentUser ? { user: report.agentUser } : {}),
      };
    case 'escalated':
      return { kind: 'page_escalated', page, entry };
    case 'reassigned':
      return { kind: 'page_reassigned', page, entry };
    case 'resolved':
      return { kind: 'page_resolved', page, in: 'pagerduty', entry };
    case 'annotated':
      return { kind: 'page_annotated', page, entry };
  }
}

/** Stores what one report changes; null when it concerns no page of ours. */
async function apply(ports: ReportPorts, report: PagerReport): Promise<PagingNotice | null> {
  const log = ports.log.child({ pagerDutyEvent: report.id, type: report.type });
  const page = await pageFor(ports, report);
  if (!page) {
    log.info(
      { pdIncident: report.incident.id },
      'PagerDuty event for an incident Muster did not page; ignored',
    );
    return null;
  }
  const t = pageTransition(page, report, ports.clock.now());
  const updated = Object.keys(t.change).length ? await ports.store.pages.update(page.id, t.change) : page;
  // A redelivered report has the same source key: the timeline keeps the first.
  for (const e of t.entries) await ports.store.timeline.add(e, ports.clock.now());
  log.info({ incident: page.incidentNumber, page: page.id }, 'PagerDuty event applied');
  return noticeOf(report, updated, t.entries[0] ?? null);
}

/**
 * Applies one stored webhook unless it was applied before, and returns what to tell. Throws when the
 * database fails: the webhook stays unprocessed for the next sweep.
 */
export async function applyPagerWebhook(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'metrics'>,
  eventId: string,
  webhook: PagerWebhook,
): Promise<PagingNotice[]> {
  let notices: PagingNotice[];
  try {
    notices = await ports.store.tx(async () => {
      if (await ports.store.inbound.isProcessed('pagerduty', eventId)) return [];
      let notice: PagingNotice | null = null;
      if (webhook.kind === 'report') notice = await apply(ports, webhook.report);
      else if (webhook.kind === 'ignored')
        ports.log
          .child({ pagerDutyEvent: webhook.id, type: webhook.type })
          .info('PagerDuty event of a type Muster does not handle; ignored');
      else
        ports.log.warn(
          { pagerDutyEvent: eventId, error: webhook.error },
          'stored PagerDuty webhook is unreadable; dropped',
        );
      await ports.store.inbound.markProcessed('pagerduty', eventId, ports.clock.now());
      return notice ? [notice] : [];
    });
  } catch (e) {
    ports.metrics.eventsReceived.inc({ source: 'pagerduty', outcome: 'failed' });
    await ports.store.inbound.markFailed('pagerduty', eventId, e instanceof Error ? e.message : String(e));
    throw e;
  }
  ports.metrics.eventsReceived.inc({ source: 'pagerduty', outcome: 'processed' });
  return notices;
}
