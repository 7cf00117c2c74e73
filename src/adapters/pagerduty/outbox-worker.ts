/**
 * Delivers the PagerDuty outbox: triggers, resolves and escalations stored with the change behind them.
 * Every instance runs a worker; each delivers only the rows it claimed (a lease per row, OUTBOX_LEASE_MS), so a
 * page goes out once although several instances run the outbox. Rows of one page go out in order (a resolve
 * never overtakes its trigger: it cannot be claimed while the trigger is pending). A 429, 5xx, timeout or dropped
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
  type PageContext,
  type PageOutbox,
  type Pager,
  PagerError,
  type PagerIncident,
} from '../../domain/ports.js';
import { CoalescedRun } from '../../runtime/coalesced-run.js';
import { OUTBOX_LEASE_MS } from '../../runtime/instance.js';
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
  /** how long one Pager call may take before it times out (the client's timeout) */
  callTimeoutMs: number;
  /** how long a claimed row is held (default OUTBOX_LEASE_MS); must exceed `callTimeoutMs` */
  leaseMs?: number;
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
  private readonly leaseMs: number;
  private readonly passes = new CoalescedRun(() => this.pass());

  /** Throws when the lease is not longer than a call: a hanging call could then be sent again by another instance. */
  constructor(private readonly o: OutboxWorkerOptions) {
    this.breaker = new CircuitBreaker(o.clock, o.breaker ?? DEFAULT_BREAKER);
    this.random = o.random ?? Math.random;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.leaseMs = o.leaseMs ?? OUTBOX_LEASE_MS;
    if (this.leaseMs <= o.callTimeoutMs)
      throw new Error(
        `the outbox lease (${this.leaseMs} ms) must exceed the PagerDuty call timeout (${o.callTimeoutMs} ms)`,
      );
  }

  /** Delivers every due row. A run already going is extended by one more pass instead of started twice. */
  run(): Promise<void> {
    return this.passes.run();
  }

  /** Stores an outcome through the core and tells what it changed. */
  private async report(outcome: DeliveryOutcome): Promise<void> {
    const notices = await this.o.outbox.report(outcome);
    if (notices.length) this.o.tell(TELLING[outcome.kind], notices);
  }

  /**
   * Claims the due rows and tries each; claims again while that finished some row, since finishing a page's row
   * lets its next row (a resolve after its trigger) be claimed.
   */
  private async pass(): Promise<void> {
    const { outbox } = this.o;
    for (;;) {
      const until = this.o.clock.now() + this.leaseMs;
      let finished = false;
      for (const row of await outbox.claim(until)) if (await this.attempt(row, until)) finished = true;
      if (!finished) break;
    }
    const { pending, oldestCreatedAt } = await outbox.backlog();
    this.o.metrics.outboxBacklog(
      pending,
      oldestCreatedAt === null ? 0 : (this.o.clock.now() - oldestCreatedAt) / 1000,
    );
  }

  /** One claimed row, held until `until`; true when it is done with (delivered, failed or cancelled). */
  private async attempt(row: OutboxRow, until: number): Promise<boolean> {
    const { outbox } = this.o;
    const pageId = row.payload.pageId;
    const page = await outbox.page(pageId);
    if (!page) {
      await this.report({ kind: 'cancelled', row, reason: `page ${pageId} does not exist` });
      return true;
    }
    if (row.kind === 'pagerduty.resolve' && (page.status === 'failed' || page.status === 'resolved')) {
      await this.report({ kind: 'cancelled', row, reason: `page is ${page.status}: nothing to resolve` });
      return true;
    }
    let context: PageContext | null = null;
    if (row.kind === 'pagerduty.trigger') {
      try {
        context = await outbox.context(page);
      } catch (err) {
        return this.failed(row, page, err);
      }
    }
    // A call may start only while the lease outlasts it: a call that hangs then times out before another
    // instance may claim the row, so the page is never sent twice at once. Too late: claimed again afresh.
    if (this.o.clock.now() + this.o.callTimeoutMs >= until) {
      await outbox.release(row);
      return false;
    }
    if (!this.breaker.tryAcquire()) {
      await this.report({
        kind: 'held',
        row,
        page,
        reason: 'PagerDuty keeps failing; Muster is waiting before trying again',
      });
      await outbox.release(row);
      return false;
    }
    return this.deliver(row, page, context);
  }

  /** One call to the Pager; true when the row is done with (delivered or failed). */
  private async deliver(row: OutboxRow, page: Page, context: PageContext | null): Promise<boolean> {
    const { pager, outbox } = this.o;
    let pagerIncident: PagerIncident | null = null;
    try {
      if (row.kind === 'pagerduty.trigger')
        pagerIncident = await pager.trigger(
          page,
          outbox.target(page),
          context ?? (await outbox.context(page)),
        );
      else if (row.kind === 'pagerduty.resolve') await pager.resolve(page, outbox.target(page));
      else await pager.escalate(page, outbox.target(page), row.payload.level ?? page.escalationLevel);
    } catch (err) {
      return this.failed(row, page, err);
    }
    this.breaker.success();
    await this.report({ kind: 'sent', row, page, pagerIncident });
    return true;
  }

  private async failed(row: OutboxRow, page: Page, err: unknown): Promise<boolean> {
    const reason = reasonOf(err);
    if (err instanceof PagerError && !err.retryable) {
      this.breaker.release();
      await this.report({ kind: 'refused', row, page, reason, code: err.code });
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
    await this.report({
      kind: 'retry',
      row,
      page,
      reason,
      nextAttemptAt: this.o.clock.now() + wait,
      maybeSent,
    });
    return false;
  }
}
