/**
 * `page <service> [message]`: the page row, its timeline entry and its outbox row are stored in one
 * transaction before Slack is answered; the outbox worker delivers it (adapters/pagerduty/outbox-worker.ts).
 * A service already paged (and not resolved) is not paged twice: the answer says so and offers escalation.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident, severityLabel } from '../../domain/incident.js';
import { isOpenPage, nthDedupKey, type Page } from '../../domain/page.js';
import type { CatalogService } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from '../incident/lifecycle-change.js';
import { type PageVia, pageTarget } from './page-target.js';

/** The actor of pages Muster sends by itself (severity policy). */
export const MUSTER_ACTOR = 'muster';

export type PageRequestResult = { kind: 'queued'; page: Page } | { kind: 'already'; page: Page };

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
export function openPageOf(deps: Ports, incidentNumber: number, service: string): Page | null {
  return deps.store.pages.forService(incidentNumber, service).filter(isOpenPage).at(-1) ?? null;
}

/** Stores a page, its timeline entry and its outbox trigger. Call inside a transaction. */
export function queuePage(deps: Ports, input: QueuePageInput): Page {
  const now = deps.clock.now();
  const { incident, service } = input;
  const earlier = deps.store.pages.forService(incident.number, service.name).length;
  const page = deps.store.pages.create({
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
    ? deps.store.pages.update(page.id, { escalationLevel: input.escalationLevel })
    : page;
  const text = input.escalationLevel
    ? `Escalated ${service.name} with a new PagerDuty trigger${input.message ? `: ${input.message}` : ''}`
    : input.auto
      ? `Paged ${service.name} automatically (${severityLabel(incident.severity)} policy)`
      : `Paged ${service.name}${input.message ? `: ${input.message}` : ''}`;
  recordEntry(
    deps,
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
  deps.store.outbox.add(
    { incidentNumber: incident.number, kind: 'pagerduty.trigger', payload: { pageId: page.id } },
    now,
  );
  deps.log.info(
    { incident: incident.number, service: service.name, via: input.via, page: page.id },
    'page queued',
  );
  return stored;
}

/**
 * Pages a catalog service for an incident. Synchronous and stored before the answer; throws DomainError for an
 * unknown service (nearest names), a service without a PagerDuty target, PagerDuty not configured, or a
 * resolved incident. Returns `already` with the open page instead of paging twice.
 */
export function requestPage(
  deps: Ports,
  input: { incidentNumber: number; service: string; message: string | null; by: string },
): PageRequestResult {
  const { service, via } = pageTarget(deps, input.service);
  return deps.store.tx(() => {
    const incident = loadIncident(deps, input.incidentNumber);
    if (incident.status === 'resolved') {
      throw new DomainError(
        'page.incident_resolved',
        `${incidentRef(incident.number)} is resolved: reopen it before paging anyone.`,
      );
    }
    const open = openPageOf(deps, incident.number, service.name);
    if (open) return { kind: 'already', page: open };
    return {
      kind: 'queued',
      page: queuePage(deps, { incident, service, via, message: input.message, by: input.by }),
    };
  });
}

/**
 * Delivers queued pages now rather than at the next periodic run; failures are logged. It starts on the next
 * turn of the event loop, so called inside a transaction it only sees the rows once they are committed, and
 * called before an ack it lets the ack go first.
 */
export function deliverSoon(deps: Ports): void {
  deps.afterAck.run('deliver pages', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await deps.pagerduty.outbox.run(deps);
  });
}
