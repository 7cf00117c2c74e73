/**
 * Delivers the PagerDuty outbox: triggers, resolves and escalations stored with the change behind them.
 * Rows of one page go out in order (a resolve never overtakes its trigger). A 429, 5xx, timeout or dropped
 * connection is retried with full-jitter backoff (never sooner than Retry-After); consecutive failures open
 * a circuit breaker so a PagerDuty outage is not hammered; a definite refusal (400, 401, 403, 404) fails the
 * row for good. Success is stored right after the call returns, so after a restart a row is sent again only
 * if the process died in that instant, and PagerDuty's dedup key makes even that harmless.
 *
 * The worker calls the Pager and reports each outcome to the PageOutbox (the core's paging use cases store
 * it and say what to tell); it tells those notices in the background, as a Slack edge does after its ack.
 */
import type { Notice } from '../../domain/notices.js';
import type { Page } from '../../domain/page.js';
import {
  type Clock,
  type DeliveryOutcome,
  type Log,
  type OutboxRow,
  type PageOutbox,
  type Pager,
  PagerError,
  type PagerIncident,
} from '../../domain/ports.js';
import type { Metrics } from '../http/metrics.js';
import {
  type BackoffOptions,
  type BreakerOptions,
  CircuitBreaker,
  DEFAULT_BACKOFF,
  DEFAULT_BREAKER,
  retryDelay,
} from './retry-policy.js';

export interface OutboxWorkerOptions {
  pager: Pager;
  /** the rows, their pages, and where outcomes go */
  outbox: PageOutbox;
  /** tells what an outcome changed, in the background (`label` names the work in logs) */
  tell: (label: string, notices: readonly Notice[]) => void;
  /** the outbox backlog gauge and the retry counter */
  metrics: Pick<Metrics, 'outboxBacklog' | 'pagerDutyRetries'>;
  clock: Clock;
  log: Log;
  /** [0, 1); Math.random in production, fixed in tests */
  random?: () => number;
  backoff?: BackoffOptions;
  breaker?: BreakerOptions;
}

/** The short reason shown in Slack: HTTP status and PagerDuty's own details, never a secret. */
function reasonOf(err: unknown): string {
  if (err instanceof PagerError && err.code !== 'undeliverable') {
    const what = err.status
      ? `HTTP ${err.status}`
      : err.code === 'timeout'
        ? 'no answer in time'
        : 'connection failed';
    return err.errors.length ? `${what}: ${err.errors.join('; ')}` : what;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Names the background work that tells an outcome, for the log when it fails. */
const TELLING: Record<DeliveryOutcome['kind'], string> = {
  sent: 'announce delivered page',
  refused: 'announce failed page',
  retry: 'announce delayed page',
  held: 'announce delayed page',
  cancelled: 'announce cancelled delivery',
};

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
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stores an outcome through the core and tells what it changed. */
  private report(outcome: DeliveryOutcome): void {
    const notices = this.o.outbox.report(outcome);
    if (notices.length) this.o.tell(TELLING[outcome.kind], notices);
  }

  private async pass(): Promise<void> {
    const { outbox } = this.o;
    // a page whose earlier row is still pending waits: its resolve must not overtake its trigger
    const blocked = new Set<number>();
    for (const row of outbox.pending()) {
      const pageId = row.payload.pageId;
      if (blocked.has(pageId)) continue;
      blocked.add(pageId);
      if (row.nextAttemptAt > this.o.clock.now()) continue;
      const page = outbox.page(pageId);
      if (!page) {
        this.report({ kind: 'cancelled', row, reason: `page ${pageId} does not exist` });
        continue;
      }
      if (row.kind === 'pagerduty.resolve' && (page.status === 'failed' || page.status === 'resolved')) {
        this.report({ kind: 'cancelled', row, reason: `page is ${page.status}: nothing to resolve` });
        blocked.delete(pageId);
        continue;
      }
      if (!this.breaker.tryAcquire()) {
        this.report({
          kind: 'held',
          row,
          page,
          reason: 'PagerDuty keeps failing; Muster is waiting before trying again',
        });
        continue;
      }
      if (await this.deliver(row, page)) blocked.delete(pageId);
    }
    const { pending, oldestCreatedAt } = outbox.backlog();
    this.o.metrics.outboxBacklog(
      pending,
      oldestCreatedAt === null ? 0 : (this.o.clock.now() - oldestCreatedAt) / 1000,
    );
  }

  /** One attempt; true when the row is done with (delivered or failed). */
  private async deliver(row: OutboxRow, page: Page): Promise<boolean> {
    const { pager, outbox } = this.o;
    let pagerIncident: PagerIncident | null = null;
    try {
      if (row.kind === 'pagerduty.trigger')
        pagerIncident = await pager.trigger(page, outbox.target(page), await outbox.context(page));
      else if (row.kind === 'pagerduty.resolve') await pager.resolve(page, outbox.target(page));
      else await pager.escalate(page, outbox.target(page), row.payload.level ?? page.escalationLevel);
    } catch (err) {
      return this.failed(row, page, err);
    }
    this.breaker.success();
    this.report({ kind: 'sent', row, page, pagerIncident });
    return true;
  }

  private failed(row: OutboxRow, page: Page, err: unknown): boolean {
    const reason = reasonOf(err);
    if (err instanceof PagerError && !err.retryable) {
      this.breaker.release();
      this.report({ kind: 'refused', row, page, reason, code: err.code });
      return true;
    }
    const pagerTrouble = err instanceof PagerError;
    if (pagerTrouble) this.breaker.failure();
    else {
      this.breaker.release();
      this.o.log.error({ err, row: row.id }, 'outbox delivery failed unexpectedly; retrying later');
    }
    const retryAfter = err instanceof PagerError ? err.retryAfterSeconds : undefined;
    const wait = retryDelay(row.attempts + 1, this.random, retryAfter, this.backoff);
    const maybeSent = err instanceof PagerError && (err.code === 'timeout' || err.code === 'network');
    this.o.metrics.pagerDutyRetries.inc({ reason: err instanceof PagerError ? err.code : 'error' });
    this.o.log.warn(
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
    this.report({ kind: 'retry', row, page, reason, nextAttemptAt: this.o.clock.now() + wait, maybeSent });
    return false;
  }
}
