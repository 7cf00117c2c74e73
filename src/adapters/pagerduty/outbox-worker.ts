/**
 * Delivers the PagerDuty outbox: triggers, resolves and escalations stored with the change behind them.
 * Rows of one page go out in order (a resolve never overtakes its trigger). A 429, 5xx, timeout or dropped
 * connection is retried with full-jitter backoff (never sooner than Retry-After); consecutive failures open
 * a circuit breaker so a PagerDuty outage is not hammered; a definite refusal (400, 401, 403, 404) fails the
 * row for good. Success is stored right after the call returns, so after a restart a row is sent again only
 * if the process died in that instant, and PagerDuty's dedup key makes even that harmless.
 */
import type { Ports } from '../../app/ports.js';
import type { Metrics } from '../http/metrics.js';
import {
  deliveryDelayed,
  deliveryFailed,
  escalationDelivered,
  type PagerDutyIncidentRef,
  resolutionDelivered,
  triggerDelivered,
} from '../../app/paging/page-delivery.js';
import { MUSTER_ACTOR } from '../../app/paging/page-service.js';
import type { Page } from '../../domain/page.js';
import type { CatalogService, Clock } from '../../domain/ports.js';
import type { OutboxRow } from '../store/outbox-repository.js';
import { type PagerDutyClient, PagerDutyError } from './client.js';
import { type PageContext, resolveEvent, restIncident, triggerEvent } from './page-payload.js';
import {
  type BackoffOptions,
  type BreakerOptions,
  CircuitBreaker,
  DEFAULT_BACKOFF,
  DEFAULT_BREAKER,
  retryDelay,
} from './retry-policy.js';

export interface OutboxWorkerOptions {
  /** the outbox backlog gauge and the retry counter */
  metrics: Metrics;
  client: PagerDutyClient;
  clock: Clock;
  /** [0, 1); Math.random in production, fixed in tests */
  random?: () => number;
  backoff?: BackoffOptions;
  breaker?: BreakerOptions;
}

/** A delivery that cannot succeed with the current catalog or configuration. */
class UndeliverableError extends Error {}

/** Why the channel should not retry by hand, per refusal. */
function hintFor(err: PagerDutyError | UndeliverableError, page: Page): string {
  if (err instanceof UndeliverableError) return 'Fix the catalog or the configuration, then page again.';
  switch (err.code) {
    case 'unauthorized':
      return 'Check PAGERDUTY_API_TOKEN.';
    case 'forbidden':
      return 'PAGERDUTY_API_TOKEN may not make this change (a read-only key?).';
    case 'not_found':
      return 'PagerDuty does not know that incident any more.';
    default:
      return page.via === 'events'
        ? `Check the routing key of ${page.service} in the catalog (pagerduty.routing_key), then page again.`
        : `Check the service and escalation policy ids of ${page.service} in the catalog and PAGERDUTY_FROM, then page again.`;
  }
}

/** The short reason shown in Slack: HTTP status and PagerDuty's own details, never a secret. */
function reasonOf(err: unknown): string {
  if (err instanceof PagerDutyError) {
    const what = err.status
      ? `HTTP ${err.status}`
      : err.code === 'timeout'
        ? 'no answer in time'
        : 'connection failed';
    return err.errors.length ? `${what}: ${err.errors.join('; ')}` : what;
  }
  return err instanceof Error ? err.message : String(err);
}

export class OutboxWorker {
  readonly breaker: CircuitBreaker;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.breaker = new CircuitBreaker(o.clock, o.breaker ?? DEFAULT_BREAKER);
    this.random = o.random ?? Math.random;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  /** Delivers every due row. A run already going is extended by one more pass instead of started twice. */
  run(deps: Ports): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass(deps);
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(deps: Ports): Promise<void> {
    // a page whose earlier row is still pending waits: its resolve must not overtake its trigger
    const blocked = new Set<number>();
    for (const row of deps.store.outbox.pending()) {
      const pageId = row.payload.pageId;
      if (blocked.has(pageId)) continue;
      blocked.add(pageId);
      if (row.nextAttemptAt > this.o.clock.now()) continue;
      const page = deps.store.pages.get(pageId);
      if (!page) {
        deps.store.outbox.cancel(row.id, `page ${pageId} does not exist`);
        continue;
      }
      if (row.kind === 'pagerduty.resolve' && (page.status === 'failed' || page.status === 'resolved')) {
        deps.store.outbox.cancel(row.id, `page is ${page.status}: nothing to resolve`);
        blocked.delete(pageId);
        continue;
      }
      if (!this.breaker.tryAcquire()) {
        deliveryDelayed(deps, row, page, 'PagerDuty keeps failing; Muster is waiting before trying again');
        continue;
      }
      if (await this.deliver(deps, row, page)) blocked.delete(pageId);
    }
    const { pending, oldestCreatedAt } = deps.store.outbox.backlog();
    this.o.metrics.outboxBacklog(
      pending,
      oldestCreatedAt === null ? 0 : (this.o.clock.now() - oldestCreatedAt) / 1000,
    );
  }

  /** One attempt; true when the row is done with (delivered, failed or cancelled). */
  private async deliver(deps: Ports, row: OutboxRow, page: Page): Promise<boolean> {
    let pd: PagerDutyIncidentRef | null = null;
    try {
      if (row.kind === 'pagerduty.trigger') pd = await this.trigger(deps, page);
      else if (row.kind === 'pagerduty.resolve') await this.resolve(deps, page);
      else await this.escalate(deps, page, row.payload.level ?? page.escalationLevel);
    } catch (err) {
      return this.failed(deps, row, page, err);
    }
    this.breaker.success();
    if (row.kind === 'pagerduty.trigger') triggerDelivered(deps, row, page, pd);
    else if (row.kind === 'pagerduty.resolve') resolutionDelivered(deps, row, page);
    else escalationDelivered(deps, row, page);
    return true;
  }

  private failed(deps: Ports, row: OutboxRow, page: Page, err: unknown): boolean {
    const reason = reasonOf(err);
    if (err instanceof UndeliverableError || (err instanceof PagerDutyError && !err.retryable)) {
      this.breaker.release();
      deliveryFailed(deps, row, page, reason, hintFor(err, page));
      return true;
    }
    const pdTrouble = err instanceof PagerDutyError;
    if (pdTrouble) this.breaker.failure();
    else {
      this.breaker.release();
      deps.log.error({ err, row: row.id }, 'outbox delivery failed unexpectedly; retrying later');
    }
    const retryAfter = err instanceof PagerDutyError ? err.retryAfterSeconds : undefined;
    const wait = retryDelay(row.attempts + 1, this.random, retryAfter, this.backoff);
    const maybeSent = err instanceof PagerDutyError && (err.code === 'timeout' || err.code === 'network');
    const updated = deps.store.outbox.retryLater(row.id, {
      nextAttemptAt: this.o.clock.now() + wait,
      error: reason,
      ...(maybeSent ? { payload: { ...row.payload, maybeSent: true } } : {}),
    });
    this.o.metrics.pagerDutyRetries.inc({ reason: err instanceof PagerDutyError ? err.code : 'error' });
    deps.log.warn(
      {
        incident: page.incidentNumber,
        row: row.id,
        kind: row.kind,
        reason,
        retryInMs: wait,
        breaker: this.breaker.state,
      },
      'PagerDuty delivery failed; will retry',
    );
    deliveryDelayed(deps, updated, page, reason);
    return false;
  }

  private target(deps: Ports, page: Page): NonNullable<CatalogService['pagerduty']> {
    const target = deps.catalog.current?.find(page.service)?.pagerduty;
    if (!target)
      throw new UndeliverableError(`${page.service} has no PagerDuty target in the catalog any more`);
    return target;
  }

  private routingKey(deps: Ports, page: Page): string {
    const key = this.target(deps, page).routingKey;
    if (!key) throw new UndeliverableError(`${page.service} has no routing key in the catalog any more`);
    return key;
  }

  private rest(deps: Ports, page: Page): { serviceId: string; escalationPolicyId: string } {
    const rest = this.target(deps, page).rest;
    if (!rest)
      throw new UndeliverableError(`${page.service} has no PagerDuty service id in the catalog any more`);
    return rest;
  }

  private async context(deps: Ports, page: Page): Promise<PageContext> {
    const incident = deps.store.incidents.get(page.incidentNumber);
    if (!incident) throw new UndeliverableError(`incident ${page.incidentNumber} does not exist`);
    const name = async (id: string | undefined): Promise<string | null> => {
      if (!id) return null;
      if (id === MUSTER_ACTOR) return 'Muster';
      try {
        return await deps.users.name(id);
      } catch {
        return id;
      }
    };
    return {
      incident,
      commander: await name(deps.store.incidents.holders(incident.number).ic),
      requester: await name(page.requestedBy),
      team: deps.catalog.current?.find(page.service)?.owner ?? null,
    };
  }

  private async trigger(deps: Ports, page: Page): Promise<PagerDutyIncidentRef | null> {
    const ctx = await this.context(deps, page);
    if (page.via === 'events') {
      await this.o.client.sendEvent(triggerEvent(this.routingKey(deps, page), page, ctx));
      return null;
    }
    const created = await this.o.client.createIncident(restIncident(this.rest(deps, page), page, ctx));
    return { id: created.id, number: created.number, url: created.htmlUrl };
  }

  private async resolve(deps: Ports, page: Page): Promise<void> {
    if (page.via === 'events') {
      await this.o.client.sendEvent(resolveEvent(this.routingKey(deps, page), page));
      return;
    }
    const id =
      page.pdIncidentId ??
      (await this.o.client.findOpenIncident(page.dedupKey, this.rest(deps, page).serviceId))?.id;
    // Nothing open with that key: it was resolved in PagerDuty already.
    if (!id) return;
    await this.o.client.updateIncident(id, {
      status: 'resolved',
      resolution: `Resolved in Muster (${page.dedupKey})`,
    });
  }

  private async escalate(deps: Ports, page: Page, level: number): Promise<void> {
    const id =
      page.pdIncidentId ??
      (await this.o.client.findOpenIncident(page.dedupKey, this.rest(deps, page).serviceId))?.id;
    if (!id) throw new UndeliverableError(`PagerDuty has no open incident for ${page.service} to escalate`);
    await this.o.client.updateIncident(id, { escalationLevel: level });
  }
}
