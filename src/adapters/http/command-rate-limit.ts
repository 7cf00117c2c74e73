/**
 * A token bucket per workspace for slash commands, so one runaway script cannot starve an incident:
 * `perMinute` commands refill evenly, with bursts up to `perMinute / 2` (at least 10).
 */
import type { Clock } from '../../domain/ports.js';

export class CommandRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(10, Math.floor(perMinute / 2));
    this.perMs = perMinute / 60_000;
  }

  /** Takes one token for `teamId`; false when the bucket is empty. */
  take(teamId: string): boolean {
    const now = this.clock.now();
    const b = this.buckets.get(teamId) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(teamId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
