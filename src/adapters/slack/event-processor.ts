/**
 * Slack Events API deliveries, exactly once: the receiver stores each event (keyed by event_id) before it
 * answers Slack; this processor then handles it, one at a time per channel so that a reaction and its
 * removal keep their order, and marks it processed. Events left unprocessed by a crash are picked up by
 * `recover()` at start. A handler that throws is retried by the next `retryFailed()` sweep (a periodic
 * job), up to MAX_INBOUND_ATTEMPTS; handlers must therefore be idempotent.
 */
import type { Logger } from '../log.js';
import type { Metrics } from '../http/metrics.js';
import { MAX_INBOUND_ATTEMPTS } from '../../domain/ports/store.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../../domain/ports.js';

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

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

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
   * Marks handled events processed in one transaction per turn of the event loop: a commit per event
   * would cost more than handling it. An event handled but not yet marked when the process dies is
   * handled again after the restart, which idempotent handlers make harmless.
   */
  private markProcessed(eventId: string): void {
    this.toMark.push(eventId);
    this.marking ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const ids = this.toMark.splice(0);
        this.marking = null;
        try {
          const at = this.clock.now();
          this.store.tx(() => {
            for (const id of ids) this.store.inbound.markProcessed('slack', id, at);
          });
        } catch (err) {
          this.log.error(
            { err, count: ids.length },
            'could not mark events processed; they will be handled again after a restart',
          );
        }
        resolve();
      }),
    );
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
      if (this.handled.has(eventId)) return;
      for (const h of this.handlers.get(event.type) ?? []) await h(event, ctx);
      this.remember(eventId);
      this.markProcessed(eventId);
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'processed' });
    } catch (err) {
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'failed' });
      try {
        const attempts = this.store.inbound.markFailed(
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

  /** Processes every stored, unprocessed event (after a restart, or retrying failures); resolves when done. */
  async recover(): Promise<number> {
    const pending = this.store.inbound.pending('slack');
    const runs: Promise<void>[] = [];
    for (const p of pending) {
      let envelope: EventEnvelope;
      try {
        envelope = JSON.parse(p.body) as EventEnvelope;
      } catch {
        this.store.inbound.markFailed('slack', p.eventId, 'stored body is not JSON');
        continue;
      }
      runs.push(this.enqueue(p.eventId, envelope));
    }
    await Promise.all(runs);
    if (pending.length) this.log.info({ count: pending.length }, 'processed events stored before a restart');
    return pending.length;
  }

  /** Retries events whose handling failed (not those queued now); the periodic jobs call it. Resolves when done. */
  async retryFailed(): Promise<number> {
    const failed = this.store.inbound
      .pending('slack')
      .filter((p) => p.attempts > 0 && !this.queued.has(p.eventId));
    const runs: Promise<void>[] = [];
    for (const p of failed) {
      try {
        runs.push(this.enqueue(p.eventId, JSON.parse(p.body) as EventEnvelope));
      } catch {
        this.store.inbound.markFailed('slack', p.eventId, 'stored body is not JSON');
      }
    }
    await Promise.all(runs);
    if (failed.length) this.log.info({ count: failed.length }, 'retried events whose handling had failed');
    return failed.length;
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
