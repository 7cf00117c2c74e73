/**
 * Work done after Slack has been answered: tracked so that shutdown can finish it and tests can wait for
 * it (`idle()`) instead of sleeping. Failures are logged, never thrown into the request that started them.
 */
import type { Logger } from 'pino';

export class AfterAck {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly log: Logger) {}

  /** Runs `fn` in the background; its failure is logged with `label`. */
  run(label: string, fn: () => Promise<unknown>, log: Logger = this.log): void {
    const p = (async () => {
      try {
        await fn();
      } catch (err) {
        log.error({ err, work: label }, 'background work failed');
      }
    })();
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      if (this.inFlight.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Resolves when nothing is in flight, including work started by work in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      // let follow-up work scheduled in the same tick register
      await new Promise((r) => setImmediate(r));
    }
  }
}
