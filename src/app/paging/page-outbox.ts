/**
 * The paging outbox as the worker delivering it sees it (the PageOutbox port): the rows, their pages and
 * targets, what a trigger says about its incident, and the use case that applies each outcome. The worker
 * (adapters/pagerduty/outbox-worker.ts) owns the order, the retries and the circuit breaker; nothing here
 * calls PagerDuty.
 */
import { MUSTER_ACTOR, type Page } from '../../domain/page.js';
import { type PageContext, type PageOutbox, PagerError } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { applyDeliveryOutcome } from './page-delivery.js';

type OutboxPorts = Pick<Ports, 'store' | 'catalog' | 'users' | 'clock' | 'log' | 'metrics'>;

/** The commander, the requester and the owning team of a page, by name; `undeliverable` when its incident is gone. */
async function pageContext(ports: OutboxPorts, page: Page): Promise<PageContext> {
  const incident = await ports.store.incidents.get(page.incidentNumber);
  if (!incident) throw new PagerError('undeliverable', `incident ${page.incidentNumber} does not exist`);
  const name = async (id: string | undefined): Promise<string | null> => {
    if (!id) return null;
    if (id === MUSTER_ACTOR) return 'Muster';
    try {
      return await ports.users.name(id);
    } catch {
      return id;
    }
  };
  return {
    incident,
    commander: await name((await ports.store.incidents.holders(incident.number)).ic),
    requester: await name(page.requestedBy),
    team: ports.catalog.current?.find(page.service)?.owner ?? null,
  };
}

/** Rows claimed at once: each is tried within its lease, one after the other. */
const CLAIM_BATCH = 50;

/**
 * The outbox over the store and the catalog in force, claiming rows for the instance `owner`; outcomes are
 * applied by applyDeliveryOutcome.
 */
export function pageOutbox(ports: OutboxPorts, owner: string): PageOutbox {
  return {
    claim: async (until) =>
      ports.store.outbox.claimDue(ports.clock.now(), { owner, until, limit: CLAIM_BATCH }),
    release: async (row) => ports.store.outbox.release(row.id, owner),
    page: async (pageId) => ports.store.pages.get(pageId),
    target: (page) => ports.catalog.current?.find(page.service)?.pagerduty ?? null,
    context: (page) => pageContext(ports, page),
    report: async (outcome) => applyDeliveryOutcome(ports, outcome),
    backlog: async () => ports.store.outbox.backlog(),
  };
}
