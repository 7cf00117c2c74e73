/**
 * Slack Events API deliveries, exactly once across instances: the receiver stores each event (keyed by
 * event_id) with this instance's lease (`lease()`) before it answers Slack; this processor then handles it, one
 * at a time per channel so that a reaction and its removal keep their order, and marks it processed (which
 * ends the lease). `recover()`, at start and as a periodic sweep, claims the stored events nobody holds: left
 * by an instance that stopped or died before handling them (their lease expired), or whose handling failed
 * (a failure lets go of the lease), and handles them, up to MAX_INBOUND_ATTEMPTS; handlers must therefore be
 * idempotent.
 */
import type { Logger } from '../log.js';
import type { Metrics } from '../http/metrics.js';
import { type Lease, MAX_INBOUND_ATTEMPTS } from '../../domain/ports/store.js';
import type { IncidentStore } from '../../domain/ports.js';
import type { Clock } from '../../domain/ports.js';
import { INBOX_LEASE_MS } from '../../runtime/instance.js';

/** The inner `event` of an `event_callback` envelope; handlers narrow it by `type`/`subtype`. */
export interface SlackEvent {
  type: string;
  subtype?: string;
  channel?: string;
  user?: string;
  ts?: string;
  event_ts?: string;
  [key: string]: unknown;
}

export interface EventEnvelope {
  event_id: string;
  team_id?: string;
  event_time?: number;
  event: SlackEvent;
}

export interface EventContext {
  envelope: EventEnvelope;
  eventId: string;
  teamId: string;
  log: Logger;
}

export type EventHandler = (event: SlackEvent, ctx: EventContext) => Promise<void> | void;

/** Handled event ids kept in memory to refuse a second run; far more than can be in flight at once. */
const REMEMBERED_EVENTS = 10_000;

/**
 * At most one write marking events processed per this many milliseconds. Events of one channel are handled one
 * after another, each a few round trips, so under load they end at different moments: marking once per turn of
 * the event loop wrote a statement for almost every event (on PostgreSQL, a round trip each), where this
 * gathers the events of a storm into a few writes. The first mark after a quiet spell is written at once.
 */
const MARK_INTERVAL_MS = 20;

/** Stored events claimed per round of a sweep: handled in well under a lease. */
const SWEEP_BATCH = 500;

/** The key events are serialised on: the channel they concern. */
const orderKey = (e: SlackEvent): string => {
  const item = e.item as { channel?: string } | undefined;
  return e.channel ?? item?.channel ?? e.type;
};

export class EventProcessor {
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly queued = new Set<string>();
  /** event ids handled by this process, most recent last (bounded) */
  private readonly handled = new Set<string>();
  /** handled events waiting to be marked processed, and the pending write that will mark them */
  private readonly toMark: string[] = [];
  private marking: Promise<void> | null = null;
  /** when the last mark was written (performance.now()) */
  private lastMarked = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: IncidentStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    /** this instance's id (runtime/instance.ts): the owner of the leases it takes */
    private readonly owner: string,
  ) {}

  /** The lease this instance takes on an event it stores or claims now. */
  lease(now = this.clock.now()): Lease {
    return { owner: this.owner, until: now + INBOX_LEASE_MS };
  }

  /** Registers a handler for an event type (`message`, `reaction_added`, ...). */
  on(type: string, handler: EventHandler): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler);
    this.handlers.set(type, list);
  }

  /** Queues a stored event for processing; resolves when it has been handled and marked processed. */
  enqueue(eventId: string, envelope: EventEnvelope, log: Logger = this.log): Promise<void> {
    if (this.queued.has(eventId)) return Promise.resolve();
    this.queued.add(eventId);
    const key = orderKey(envelope.event);
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.handle(eventId, envelope, log));
    this.chains.set(key, next);
    void next.finally(() => {
      this.queued.delete(eventId);
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    // The channel's next event need not wait for the mark to be written; the caller does.
    return next.then(() => this.marking ?? undefined);
  }

  /**
   * Marks handled events processed, many in one statement: at once after a quiet spell, else once
   * MARK_INTERVAL_MS has passed since the last write. A commit (or a round trip) per event would cost more than
   * handling it. An event handled but not yet marked when the process dies is handled again after the
   * restart, which idempotent handlers make harmless.
   */
  private markProcessed(eventId: string): void {
    this.toMark.push(eventId);
    if (this.marking) return;
    const wait = this.lastMarked + MARK_INTERVAL_MS - performance.now();
    this.marking = new Promise<void>((resolve) => {
      const write = async () => {
        const ids = this.toMark.splice(0);
        this.marking = null;
        this.lastMarked = performance.now();
        try {
          const at = this.clock.now();
          await this.store.inbound.markAllProcessed('slack', ids, at);
        } catch (err) {
          this.log.error(
            { err, count: ids.length },
            'could not mark events processed; they will be handled again after a restart',
          );
        }
        resolve();
      };
      if (wait > 0) setTimeout(write, wait);
      else setImmediate(write);
    });
  }

  private async handle(eventId: string, envelope: EventEnvelope, log: Logger): Promise<void> {
    const event = envelope.event;
    const ctx: EventContext = {
      envelope,
      eventId,
      teamId: envelope.team_id ?? '',
      log: log.child({ eventId, eventType: event.type }),
    };
    try {
      // A sweep may pick up an event whose live delivery was handled meanwhile (Socket Mode acks are slow):
      // it must not run twice. Memory is enough: after a restart, sweeps only see unprocessed rows.
      if (this.handled.has(eventId)) {
        // handled, but its mark may not have been written (the database was away): mark it again
        this.markProcessed(eventId);
        return;
      }
      for (const h of this.handlers.get(event.type) ?? []) await h(event, ctx);
      this.remember(eventId);
      this.markProcessed(eventId);
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'processed' });
    } catch (err) {
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'failed' });
      try {
        const attempts = await this.store.inbound.markFailed(
          'slack',
          eventId,
          err instanceof Error ? err.message : String(err),
        );
        if (attempts >= MAX_INBOUND_ATTEMPTS)
          ctx.log.error(
            { err, attempts },
            'event handling failed for the last time; the event stays stored with its error',
          );
        else ctx.log.error({ err, attempts }, 'event handling failed; it will be retried');
      } catch (e) {
        ctx.log.error({ err }, 'event handling failed');
        ctx.log.error({ err: e }, 'could not record the failure');
      }
    }
  }

  private remember(eventId: string): void {
    this.handled.add(eventId);
    if (this.handled.size > REMEMBERED_EVENTS)
      this.handled.delete(this.handled.values().next().value as string);
  }

  /**
   * Claims and handles the stored events nobody holds (left by a stopped instance, or failed before), in
   * rounds of SWEEP_BATCH, oldest first; resolves when they are handled. Returns how many it claimed.
   */
  async recover(): Promise<number> {
    let claimed = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.store.inbound.claimStale('slack', {
        ...this.lease(now),
        now,
        receivedBefore: now,
        limit: SWEEP_BATCH,
      });
      const runs: Promise<void>[] = [];
      for (const p of batch) {
        const envelope = parseEnvelope(p.body);
        if (envelope) runs.push(this.enqueue(p.eventId, envelope));
        else await this.store.inbound.markFailed('slack', p.eventId, 'stored body is not a Slack event');
      }
      await Promise.all(runs);
      claimed += batch.length;
      if (batch.length < SWEEP_BATCH) break;
    }
    if (claimed)
      this.log.info(
        { count: claimed },
        'handled stored events nobody held (left by a stopped instance, or failed)',
      );
    return claimed;
  }

  get busy(): boolean {
    return this.chains.size > 0 || this.marking !== null;
  }

  /** Resolves when every queued event has been handled and marked processed. */
  async idle(): Promise<void> {
    while (this.busy) {
      await Promise.all([...this.chains.values()]);
      await this.marking;
    }
  }
}

/** A stored body as an event envelope; null when it is not JSON or carries no event. */
function parseEnvelope(body: string): EventEnvelope | null {
  try {
    const envelope = JSON.parse(body) as EventEnvelope | null;
    return envelope && typeof envelope.event === 'object' && envelope.event !== null ? envelope : null;
  } catch {
    return null;
  }
}
