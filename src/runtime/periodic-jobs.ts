/**
 * Work driven by stored times rather than timers: reminders, the PagerDuty outbox, escalation prompts,
 * the retention purge.
 * Each job derives what is due from the database and the clock, so a restart neither loses nor repeats
 * anything; production runs them every few seconds, tests call `tick()` after moving the clock.
 */
import type { Ports } from '../app/ports.js';

export type PeriodicJob = (deps: Ports) => Promise<void>;

export class PeriodicJobs {
  private readonly jobs = new Map<string, PeriodicJob>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: Ports) {}

  add(name: string, job: PeriodicJob): void {
    this.jobs.set(name, job);
  }

  /** Runs every job once (a tick already running is awaited instead of starting another). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const [name, job] of this.jobs) {
        try {
          await job(this.deps);
        } catch (err) {
          this.deps.log.error({ err, job: name }, 'periodic job failed');
        }
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
