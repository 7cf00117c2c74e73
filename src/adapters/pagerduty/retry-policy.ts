/**
 * How the outbox retries PagerDuty: exponential backoff with full jitter (a random wait between zero and the
 * exponential ceiling, so many queued pages do not retry in lockstep after an outage), and a circuit breaker
 * that stops calling PagerDuty for a while after consecutive failures. Both read an injected clock and
 * random source, so tests are deterministic; cockatiel's breaker reads the wall clock, hence our own.
 */
import type { Clock } from '../../domain/ports.js';

export interface BackoffOptions {
  /** ceiling of the first retry's wait */
  baseMs: number;
  /** the ceiling never grows past this */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, capMs: 5 * 60_000 };

/** The wait before retry number `attempt` (1 = first retry): uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function fullJitterDelay(
  attempt: number,
  random: () => number,
  o: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling);
}

/** The wait before the next attempt: the jittered backoff, but never sooner than a Retry-After asked for. */
export function retryDelay(
  attempt: number,
  random: () => number,
  retryAfterSeconds: number | undefined,
  o: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const jittered = fullJitterDelay(attempt, random, o);
  return retryAfterSeconds === undefined ? jittered : Math.max(jittered, retryAfterSeconds * 1000);
}

export interface BreakerOptions {
  /** consecutive failures that open the circuit */
  threshold: number;
  /** how long it stays open before one trial call is let through */
  openMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, openMs: 60_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Closed: calls go through. Open: none until `openMs` passed. Half-open: one trial call decides. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly o: BreakerOptions = DEFAULT_BREAKER,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.clock.now() - this.openedAt >= this.o.openMs ? 'half-open' : 'open';
  }

  /** When an open circuit lets a trial call through; null when closed. */
  get reopensAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.o.openMs;
  }

  /** Whether a call may be made now; in half-open, only the first caller gets the trial. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  /** Counts a failure that says PagerDuty is unwell (5xx, 429, timeout); a failed trial reopens at once. */
  failure(): void {
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.o.threshold) this.openedAt = this.clock.now();
    this.trialInFlight = false;
  }

  /** A call that got a definite answer (e.g. 400) ends a trial without judging PagerDuty's health. */
  release(): void {
    if (this.trialInFlight) this.success();
  }
}
