/** Full-jitter backoff, Retry-After and the circuit breaker, on a clock moved by hand. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, fullJitterDelay, retryDelay } from '../../../src/adapters/pagerduty/retry-policy.js';
import { FixedClock } from '../../support/fixed-clock.js';

const o = { baseMs: 1000, capMs: 30_000 };

describe('fullJitterDelay', () => {
  it.each([
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 1, 4000],
    [5, 1, 16_000],
    [6, 1, 30_000],
    [40, 1, 30_000],
    [3, 0.5, 2000],
    [3, 0, 0],
  ])('attempt %i with random %f waits %i ms', (attempt, random, ms) => {
    expect(fullJitterDelay(attempt, () => random, o)).toBe(ms);
  });

  it('never leaves [0, ceiling] whatever the random source says', () => {
    expect(fullJitterDelay(2, () => 7, o)).toBe(2000);
    expect(fullJitterDelay(2, () => -1, o)).toBe(0);
  });
});

describe('retryDelay', () => {
  it('waits at least what Retry-After asks', () => {
    expect(retryDelay(1, () => 0.5, 120, o)).toBe(120_000);
    expect(retryDelay(6, () => 1, 1, o)).toBe(30_000);
    expect(retryDelay(1, () => 0.5, undefined, o)).toBe(500);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, lets one trial through after openMs, closes on success', () => {
    const clock = new FixedClock();
    const b = new CircuitBreaker(clock, { threshold: 3, openMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.failure();
    }
    expect(b.state).toBe('closed');
    b.tryAcquire();
    b.failure();
    expect(b.state).toBe('open');
    expect(b.reopensAt).toBe(clock.now() + 60_000);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(60_000);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('reopens at once when the trial fails, and a success in between resets the count', () => {
    const clock = new FixedClock();
    const b = new CircuitBreaker(clock, { threshold: 2, openMs: 1000 });
    b.failure();
    b.success();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(999);
    expect(b.tryAcquire()).toBe(false);
  });

  it('ends a trial without judging PagerDuty when the answer was a definite refusal', () => {
    const clock = new FixedClock();
    const b = new CircuitBreaker(clock, { threshold: 1, openMs: 1000 });
    b.failure();
    clock.advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(b.state).toBe('closed');
  });
});
