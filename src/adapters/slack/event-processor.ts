/**
 * Slack Events API deliveries, exactly once: the receiver stores each event (keyed by event_id) before it
 * answers Slack; this processor then handles it, one at a time per channel so that a reaction and its
 * removal keep their order, and marks it processed. Events left unprocessed by a crash are picked up by
 * `recover()` at start. A handler that throws is retried by the next sweep, up to MAX_INBOUND_ATTEMPTS.
 */
import type { Logger } from '../log.js';
import type { Metrics } from '../http/metrics.js';
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

/** The key events are serialised on: the channel they concern. */
const orderKey = (e: SlackEvent): string => {
  const item = e.item as { channel?: string } | undefined;
  return e.channel ?? item?.channel ?? e.type;
};

export class EventProcessor {
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly queued = new Set<string>();

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

  /** Queues a stored event for processing; resolves when it has been handled. */
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
    return next;
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
      for (const h of this.handlers.get(event.type) ?? []) await h(event, ctx);
      this.store.inbound.markProcessed('slack', eventId, this.clock.now());
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'processed' });
    } catch (err) {
      ctx.log.error({ err }, 'event handling failed; it will be retried');
      this.metrics.eventsReceived.inc({ source: 'slack', outcome: 'failed' });
      try {
        this.store.inbound.markFailed('slack', eventId, err instanceof Error ? err.message : String(err));
      } catch (e) {
        ctx.log.error({ err: e }, 'could not record the failure');
      }
    }
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

  get busy(): boolean {
    return this.chains.size > 0;
  }

  /** Resolves when every queued event has been handled. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }
}
