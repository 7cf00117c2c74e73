/**
 * Pin acknowledgements (the bot's ✅, pin-acknowledgement.ts) go out at the rate Slack takes `reactions.add`
 * and `reactions.remove` (Tier 3: about 50 a minute), with a burst allowance: a person pinning a few messages
 * sees each ✅ at once, while a storm of pins is answered at Slack's pace instead of drawing `ratelimited`
 * answers and taking the CPU that storing the entries needs. Storing never waits for this: the entries are in
 * the database before any acknowledgement is queued.
 *
 * - Acknowledgements of one entry coalesce: the latest wins, since the ✅ must say whether the entry is on the
 *   timeline now (a pin taken off before its ✅ went out sends one removal, which Slack answers `no_reaction`,
 *   counted as done).
 * - One that waited longer than `maxWaitMs` is dropped: whoever pinned has long stopped looking, and the entry
 *   is on the timeline all the same. At most `maxQueued` wait; beyond that the oldest is dropped.
 * - Waiting acknowledgements live in memory only: a restart or a stop forgets them (and says how many).
 */
import type { Ports } from '../../../app/ports.js';
import type { TimelineNotice } from '../../../domain/notices.js';
import { acknowledgePin, withdrawPin } from './pin-acknowledgement.js';

export type PinNotice = Extract<TimelineNotice, { kind: 'entry_pinned' | 'entry_unpinned' }>;

export const isPinNotice = (n: { kind: string }): n is PinNotice =>
  n.kind === 'entry_pinned' || n.kind === 'entry_unpinned';

export interface PinPacing {
  /** acknowledgements that go out at once before pacing starts */
  burst: number;
  /** the sustained rate, per minute */
  perMinute: number;
  /** how long one may wait before it is dropped (ms) */
  maxWaitMs: number;
  /** how many may wait at once */
  maxQueued: number;
}

/** Slack's Tier 3 rate for reactions.add and reactions.remove. */
export const SLACK_PIN_PACING: PinPacing = {
  burst: 20,
  perMinute: 50,
  maxWaitMs: 10 * 60_000,
  maxQueued: 2000,
};

interface Waiting {
  notice: PinNotice;
  since: number;
}

export class PinAcknowledgements {
  private tokens: number;
  private refilledAt = performance.now();
  /** by entry id, oldest first */
  private readonly waiting = new Map<number, Waiting>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private dropped = 0;

  constructor(
    private readonly ports: () => Ports,
    private readonly pacing: PinPacing = SLACK_PIN_PACING,
  ) {
    this.tokens = pacing.burst;
  }

  /** Sends the acknowledgement now when the pace allows and none waits; else queues it. */
  async tell(notice: PinNotice): Promise<void> {
    if (this.closed) return;
    const queued = this.waiting.get(notice.entry.id);
    if (queued) {
      queued.notice = notice;
      return;
    }
    if (this.waiting.size === 0 && this.take()) return this.send(notice);
    if (this.waiting.size >= this.pacing.maxQueued) {
      const oldest = this.waiting.keys().next().value as number;
      this.waiting.delete(oldest);
      this.drop(1, 'too many pin acknowledgements waiting');
    }
    this.waiting.set(notice.entry.id, { notice, since: performance.now() });
    this.schedule();
  }

  /** How many acknowledgements wait for their turn. */
  get size(): number {
    return this.waiting.size;
  }

  /** Forgets what waits (saying how many) and sends nothing more. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.waiting.size) {
      this.ports().log.info(
        { dropped: this.waiting.size },
        'pin acknowledgements still waiting were not sent: Muster is stopping (the entries are stored)',
      );
    }
    this.waiting.clear();
  }

  private take(): boolean {
    const now = performance.now();
    const perMs = this.pacing.perMinute / 60_000;
    this.tokens = Math.min(this.pacing.burst, this.tokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private schedule(): void {
    if (this.timer || this.closed || this.waiting.size === 0) return;
    const perMs = this.pacing.perMinute / 60_000;
    const wait = Math.max(1, Math.ceil((1 - this.tokens) / perMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, wait);
    this.timer.unref();
  }

  private drain(): void {
    if (this.closed) return;
    const now = performance.now();
    for (const [id, w] of this.waiting) {
      if (now - w.since > this.pacing.maxWaitMs) {
        this.waiting.delete(id);
        this.drop(1, 'a pin acknowledgement waited too long for its turn');
        continue;
      }
      if (!this.take()) break;
      this.waiting.delete(id);
      // run as background work, so that a stop waits for a call under way (not for those still waiting)
      this.ports().afterAck.run('acknowledge a pin', () => this.send(w.notice));
    }
    this.schedule();
  }

  private async send(n: PinNotice): Promise<void> {
    const ports = this.ports();
    try {
      if (n.kind === 'entry_pinned') await acknowledgePin(n, ports);
      else await withdrawPin(n, ports);
    } catch (err) {
      ports.log.warn(
        { err, incident: n.incident.number, notice: n.kind },
        'could not tell a notice in Slack',
      );
    }
  }

  /** Counts a dropped acknowledgement; logs the first and every hundredth, not each one of a storm. */
  private drop(n: number, why: string): void {
    this.dropped += n;
    if (this.dropped === 1 || this.dropped % 100 === 0)
      this.ports().log.info({ dropped: this.dropped }, `${why}; dropped (the entry is stored)`);
  }
}
