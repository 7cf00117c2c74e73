/** Time, passed in: every use case takes a clock, so tests can say "ten minutes later" without sleeping. */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
