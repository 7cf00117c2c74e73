/** A clock tests move by hand: "ten minutes later" without sleeping. */
import type { Clock } from '../../src/domain/ports.js';

export class FixedClock implements Clock {
  constructor(private ms = Date.UTC(2026, 10, 23, 9, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  advanceMinutes(m: number): void {
    this.ms += m * 60_000;
  }
}
