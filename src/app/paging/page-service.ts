/**
 * `page <service> [message]`: the page row, its timeline entry and its outbox row are stored in one
 * transaction before Slack is answered; the outbox worker delivers it (the `page_requested` notice says it
 * is due). A service already paged (and not resolved) is not paged twice: the answer says so and offers
 * escalation.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident, severityLabel } from '../../domain/incident.js';
import type { PagingNotice } from '../../domain/notices.js';
import { isOpenPage, nthDedupKey, type Page, type PageVia } from '../../domain/page.js';
import type { CatalogService } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from '../incident/lifecycle-change.js';
import { checkResponder } from '../incident/responders.js';
import { pageTarget } from './page-target.js';

export type PageRequestResult =
  | { kind: 'queued'; page: Page; notices: PagingNotice[] }
  | { kind: 'already'; page: Page; notices: PagingNotice[] };

export interface QueuePageInput {
  incident: Incident;
  service: CatalogService;
  via: PageVia;
  message: string | null;
  by: string;
  /** sent by the severity policy on declare */
  auto?: boolean;
  /** an Events v2 escalation: a new trigger at this level */
  escalationLevel?: number;
}

/** The latest page of a service in an incident that is still open (pending, triggered or acknowledged), or null. */
export async function openPageOf(
  ports: Pick<Ports, 'store'>,
  incidentNumber: number,
  service: string,
): Promise<Page | null> {
  return (await ports.store.pages.forService(incidentNumber, service)).filter(isOpenPage).at(-1) ?? null;
}

/** Stores a page, its timeline entry and its outbox trigger. Call inside a transaction. */
export async function queuePage(
  ports: Pick<Ports, 'store' | 'clock' | 'log'>,
  input: QueuePageInput,
): Promise<Page> {
  const now = ports.clock.now();
  const { incident, service } = input;
  const earlier = (await ports.store.pages.forService(incident.number, service.name)).length;
  const page = await ports.store.pages.create({
    incidentNumber: incident.number,
    service: service.name,
    via: input.via,
    dedupKey: nthDedupKey(incident.number, service.name, earlier + 1),
    message: input.message,
    severity: incident.severity,
    requestedBy: input.by,
    requestedAt: now,
  });
  const stored = input.escalationLevel
    ? await ports.store.pages.update(page.id, { escalationLevel: input.escalationLevel })
    : page;
  const text = input.escalationLevel
    ? `Escalated ${service.name} with a new PagerDuty trigger${input.message ? `: ${input.message}` : ''}`
    : input.auto
      ? `Paged ${service.name} automatically (${severityLabel(incident.severity)} policy)`
      : `Paged ${service.name}${input.message ? `: ${input.message}` : ''}`;
  await recordEntry(
    ports,
    {
      incidentNumber: incident.number,
      kind: 'page',
      text,
      actor: input.by,
      occurredAt: now,
      sourceKey: `page:${page.id}`,
      meta: {
        service: service.name,
        pageId: page.id,
        via: input.via,
        dedupKey: page.dedupKey,
        auto: input.auto === true,
      },
    },
    now,
  );
  await ports.store.outbox.add(
    { incidentNumber: incident.number, kind: 'pagerduty.trigger', payload: { pageId: page.id } },
    now,
  );
  ports.log.info(
    { incident: incident.number, service: service.name, via: input.via, page: page.id },
    'page queued',
  );
  return stored;
}

/**
 * Pages a catalog service for an incident. Synchronous and stored before the answer; throws DomainError for an
 * unknown service (nearest names), a service without a PagerDuty target, PagerDuty not configured, a resolved
 * incident, or INCIDENT_POLICY keeping paging for the responders. Returns `already` with the open page instead
 * of paging twice.
 */
export async function requestPage(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'catalog' | 'config'>,
  input: { incidentNumber: number; service: string; message: string | null; by: string },
): Promise<PageRequestResult> {
  return ports.store.tx(async (): Promise<PageRequestResult> => {
    const incident = await loadIncident(ports, input.incidentNumber);
    // who may page comes first: someone refused learns that, not what is wrong with the service they named
    await checkResponder(ports, incident, 'page', input.by);
    const { service, via } = pageTarget(ports, input.service);
    if (incident.status === 'resolved') {
      throw new DomainError(
        'page.incident_resolved',
        `${incidentRef(incident.number)} is resolved: reopen it before paging anyone.`,
      );
    }
    const open = await openPageOf(ports, incident.number, service.name);
    if (open) return { kind: 'already', page: open, notices: [] };
    const page = await queuePage(ports, { incident, service, via, message: input.message, by: input.by });
    return { kind: 'queued', page, notices: [{ kind: 'page_requested', page }] };
  });
}
