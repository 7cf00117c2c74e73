/**
 * Who this process is among the instances sharing one database, and how long it holds the rows it claims.
 * Inbound deliveries and outbox rows carry a lease (`claimed_by`, `claimed_until`): while it runs, no other
 * instance takes the row; once it has expired (its holder died or hangs), the next sweep of any instance does.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A new instance id, `host:pid:random`: readable in the database, never shared by two processes, even a restart. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * How long an instance holds a delivery it received or claimed. The sweep of stored deliveries runs every few
 * seconds (5 s by default), so a delivery acknowledged by an instance that died before handling it is handled
 * by another within lease + interval (25 s), inside the 30 s promised. Handling takes milliseconds; an event
 * queued longer than this behind its channel's earlier events may be handled again by another instance, which
 * idempotent handlers make harmless.
 */
export const INBOX_LEASE_MS = 20_000;

/**
 * How long an instance holds an outbox row it claimed. It must exceed the PagerDuty call's timeout (10 s, the
 * `timeoutMs` of adapters/pagerduty/client.ts) with room to store the outcome: the worker calls PagerDuty only
 * while the lease has at least one call timeout left, so a call that hangs is over (timed out) before anyone
 * else may claim the row, and a page is never sent twice at once. The OutboxWorker refuses a shorter lease.
 */
export const OUTBOX_LEASE_MS = 20_000;
