/**
 * Group commit on PostgreSQL: the writes of one kind asked outside a transaction in the same turn of the event
 * loop go to the server as one statement (in batches of at most `max`), a transaction of its own, and each
 * resolves once that statement has committed. A turn with a single write sends that write's own statement.
 * When the server refuses a shared statement, each of its writes is sent again alone, so only the one at fault
 * fails; when the server cannot be reached (or the connection is lost), every write of the batch fails at once
 * with the error, so no caller waits for a timeout per write. The timeline adds and the inbound deliveries use it.
 */
import { answeredByServer } from './errors.js';

export interface TurnBatchWrites<I, O> {
  /** one write, on a statement of its own */
  one(item: I): Promise<O>;
  /** several writes in one statement: a result per item, in the items' order */
  many(items: I[]): Promise<O[]>;
  /** writes per statement at most */
  max: number;
  /** after a refusal, each write alone in the batch's order (when numbers follow it), else side by side */
  retryInOrder: boolean;
}

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export class TurnBatches<I, O> {
  /** writes waiting for the next turn of the event loop, and whether that turn is due */
  private waiting: Waiting<I, O>[] = [];
  private due = false;
  /** the turns sent and not yet answered */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly writes: TurnBatchWrites<I, O>) {}

  /** Queues a write for this turn's statement; resolves with its result once committed. */
  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.due) return;
      this.due = true;
      const sending = new Promise<void>((done) =>
        setImmediate(() => {
          this.due = false;
          const turn = this.waiting;
          this.waiting = [];
          const sent: Promise<void>[] = [];
          for (let i = 0; i < turn.length; i += this.writes.max)
            sent.push(this.send(turn.slice(i, i + this.writes.max)));
          void Promise.all(sent).then(() => done());
        }),
      );
      this.running.add(sending);
      void sending.then(() => this.running.delete(sending));
    });
  }

  /** Resolves once every write queued so far has been answered (the store waits for it before closing). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async send(batch: Waiting<I, O>[]): Promise<void> {
    const alone = (w: Waiting<I, O>) => this.writes.one(w.item).then(w.resolve, w.reject);
    if (batch.length === 1) return alone(batch[0]!);
    let results: O[];
    try {
      results = await this.writes.many(batch.map((w) => w.item));
    } catch (e) {
      if (!answeredByServer(e)) for (const w of batch) w.reject(e);
      else if (this.writes.retryInOrder) for (const w of batch) await alone(w);
      else await Promise.all(batch.map(alone));
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
  }
}
