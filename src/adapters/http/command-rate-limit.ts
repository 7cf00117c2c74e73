/**
 * Slash-command limits, so one runaway script cannot starve an incident. Each person (team + user) has a
 * token bucket of `perUser` commands a minute, and the workspace as a whole a larger ceiling; both refill
 * evenly and allow bursts of half a minute's worth (at least 10).
 *
 * `declare`, `resolve` and `page` are what an incident cannot wait for: they never count against the
 * workspace ceiling, so another person's traffic can never refuse them. They count against their sender's
 * own bucket, and when that is empty (the sender's own script used it up) they still get a small reserve
 * of URGENT_PER_MINUTE a minute: a sev1 declare goes through, a script that loops on `declare` does not.
 *
 * Memory is bounded: a bucket that has had time to refill completely is the same as no bucket and is
 * dropped, and past `maxTracked` people the least recently seen are dropped first.
 */
import { parseCommand } from '../../domain/command.js';
import { isDomainError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';

/** Commands that never wait for the workspace: opening an incident, paging, and resolving it. */
const URGENT = new Set(['declare', 'resolve', 'page']);
/** What a person over their own limit still gets of the urgent commands, per minute. */
export const URGENT_PER_MINUTE = 10;
/** The workspace ceiling when none is configured, as a multiple of the per-person limit. */
export const WORKSPACE_MULTIPLE = 10;

export type CommandVerdict =
  | { allowed: true; urgent: boolean }
  /** `user`: this person is over their own limit; `workspace`: everyone together is over the ceiling */
  | {
      allowed: false;
      urgent: boolean;
      scope: 'user' | 'workspace';
      perMinute: number;
      retryAfterSeconds: number;
    };

/** True for `declare`, `resolve` (and `status resolved`) and `page`, even when their arguments are wrong. */
export function isUrgentCommand(text: string): boolean {
  try {
    const cmd = parseCommand(text);
    return URGENT.has(cmd.kind) || (cmd.kind === 'status' && cmd.status === 'resolved');
  } catch (e) {
    // A usage mistake in a declare still deserves its usage answer, not a refusal.
    const kind = isDomainError(e) ? e.details.command : undefined;
    return typeof kind === 'string' && URGENT.has(kind);
  }
}

class Buckets {
  private readonly map = new Map<string, { tokens: number; at: number }>();
  readonly capacity: number;
  private readonly perMs: number;
  private readonly fullAfterMs: number;

  constructor(
    readonly perMinute: number,
    private readonly maxTracked: number,
  ) {
    this.capacity = Math.max(10, Math.floor(perMinute / 2));
    this.perMs = perMinute / 60_000;
    this.fullAfterMs = this.capacity / this.perMs;
  }

  get size(): number {
    return this.map.size;
  }

  /** The tokens of `key` now (refilled); 'capacity' for one not tracked. */
  tokens(key: string, now: number): number {
    const b = this.map.get(key);
    if (!b) return this.capacity;
    return Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
  }

  take(key: string, now: number): void {
    const tokens = this.tokens(key, now) - 1;
    // Re-inserted, so the map stays ordered from the least recently used.
    this.map.delete(key);
    this.map.set(key, { tokens, at: now });
    this.evict(now);
  }

  /** Seconds until `key` has one token again. */
  retryAfterSeconds(key: string, now: number): number {
    return Math.max(1, Math.ceil((1 - this.tokens(key, now)) / this.perMs / 1000));
  }

  private evict(now: number): void {
    for (const [key, b] of this.map) {
      // In least-recently-used order: the first bucket not yet full again ends the sweep.
      if (now - b.at < this.fullAfterMs && this.map.size <= this.maxTracked) break;
      this.map.delete(key);
    }
  }
}

export class CommandRateLimit {
  private readonly users: Buckets;
  private readonly urgent: Buckets;
  private readonly workspaces: Buckets;

  constructor(
    limits: { perUser: number; perWorkspace?: number | undefined; maxTracked?: number },
    private readonly clock: Clock,
  ) {
    const maxTracked = limits.maxTracked ?? 50_000;
    this.users = new Buckets(limits.perUser, maxTracked);
    this.urgent = new Buckets(URGENT_PER_MINUTE, maxTracked);
    this.workspaces = new Buckets(limits.perWorkspace ?? limits.perUser * WORKSPACE_MULTIPLE, maxTracked);
  }

  /** How many people and workspaces are tracked now (bounded by `maxTracked` each). */
  get tracked(): { users: number; urgent: number; workspaces: number } {
    return { users: this.users.size, urgent: this.urgent.size, workspaces: this.workspaces.size };
  }

  /** Counts one command `text` from `userId` of `teamId`, or says why it is refused and when to retry. */
  take(teamId: string, userId: string, text: string): CommandVerdict {
    const now = this.clock.now();
    const user = `${teamId}:${userId}`;
    const urgent = isUrgentCommand(text);
    if (urgent) {
      if (this.users.tokens(user, now) >= 1) this.users.take(user, now);
      else if (this.urgent.tokens(user, now) >= 1) this.urgent.take(user, now);
      else return this.refuse(true, 'user', this.urgent, user, now);
      return { allowed: true, urgent };
    }
    if (this.users.tokens(user, now) < 1) return this.refuse(false, 'user', this.users, user, now);
    if (this.workspaces.tokens(teamId, now) < 1)
      return this.refuse(false, 'workspace', this.workspaces, teamId, now);
    this.users.take(user, now);
    this.workspaces.take(teamId, now);
    return { allowed: true, urgent };
  }

  private refuse(
    urgent: boolean,
    scope: 'user' | 'workspace',
    b: Buckets,
    key: string,
    now: number,
  ): CommandVerdict {
    return {
      allowed: false,
      urgent,
      scope,
      perMinute: b.perMinute,
      retryAfterSeconds: b.retryAfterSeconds(key, now),
    };
  }
}

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** The ephemeral answer to a refused command: what happened to this person, and when they may retry. */
export function refusalText(v: Extract<CommandVerdict, { allowed: false }>): string {
  const retry = `Try again in ${seconds(v.retryAfterSeconds)}.`;
  if (v.scope === 'workspace') {
    return (
      `:hourglass: Your command was not run: this workspace is sending Muster more than ${v.perMinute} commands a minute ` +
      `all together right now. ${retry} \`declare\`, \`resolve\` and \`page\` still go through.`
    );
  }
  if (v.urgent) {
    return (
      `:hourglass: Your command was not run: you have used up your own command limit, and the ${v.perMinute} ` +
      `\`declare\`, \`resolve\` and \`page\` commands a minute kept for you beyond it. ${retry}`
    );
  }
  return (
    `:hourglass: Your command was not run: you are sending commands faster than Muster accepts from one person ` +
    `(${v.perMinute} a minute). ${retry} \`declare\`, \`resolve\` and \`page\` still go through.`
  );
}
