/**
 * A pass of work that never runs twice at once: a call while it runs asks it to go round once more and
 * waits for that, so work queued meanwhile is not left to the next periodic run.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  /** Runs the pass, or extends the one going by one more round; resolves when no round is left. */
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
}
