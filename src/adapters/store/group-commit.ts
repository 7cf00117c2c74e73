/**
 * Group commit: writes queued in the same turn of the event loop run together after it, in one outer
 * transaction, each in its own savepoint, so one failing write fails alone and the others are kept. Each
 * promise resolves once the outer transaction is committed. Shared by the SQLite and in-memory stores, which
 * differ only in how they open a transaction and a savepoint.
 */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private pending: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    /** runs `fn` in the outer transaction */
    private readonly transaction: (fn: () => void) => void,
    /** runs `fn` in a savepoint inside it */
    private readonly savepoint: (fn: () => unknown) => unknown,
  ) {}

  add<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queue = this.pending;
    this.pending = [];
    const outcomes: Outcome[] = [];
    try {
      this.transaction(() => {
        for (const item of queue) {
          try {
            outcomes.push({ ok: true, value: this.savepoint(item.fn) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of queue) item.reject(error);
      return;
    }
    queue.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }
}
