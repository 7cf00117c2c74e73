/**
 * Paging, as the core uses it: the `Pager` (PagerDuty behind it) that sends, resolves and escalates pages and
 * says who is on call, and the `PageOutbox` through which the worker delivering the outbox reads what is due
 * and reports what became of each attempt. PagerDuty's wire formats and pdjs stay in adapters/pagerduty.
 */
import type { Incident } from '../incident.js';
import type { Notice } from '../notices.js';
import type { Page, PagerReport } from '../page.js';
import type { CatalogService } from './catalog.js';
import type { OutboxRow } from './store.js';

/** Where a service's pages go, as the catalog names it. */
export type PageTarget = NonNullable<CatalogService['pagerduty']>;

/** What a page tells the people paged about its incident, gathered when it is sent. */
export interface PageContext {
  incident: Incident;
  /** display name of the commander, when known */
  commander: string | null;
  /** display name of whoever asked for the page (`Muster` for automatic pages) */
  requester: string | null;
  /** the service's owning team, from the catalog */
  team: string | null;
}

/** The incident the pager opened for a page, when its API opens one (REST); the channel links it. */
export interface PagerIncident {
  id: string;
  number: number | null;
  url: string | null;
}

/** Someone on call at one level of an escalation policy. */
export interface OnCall {
  level: number;
  name: string;
}

/**
 * Why a pager call failed: the pager refused the request (`invalid_request`, `unauthorized`, `forbidden`,
 * `not_found`), could not take it now (`rate_limited`, `server_error`, `timeout`, `network`), or it could
 * never go through with this catalog and configuration (`undeliverable`).
 */
export type PagerErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'undeliverable';

const RETRYABLE: ReadonlySet<PagerErrorCode> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'network',
]);

/** A failed pager call; `retryable` when the same call may succeed later. Its message never holds a secret. */
export class PagerError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: PagerErrorCode,
    message: string,
    /** the HTTP status the pager answered with, when it answered */
    readonly status?: number,
    readonly retryAfterSeconds?: number,
    /** the pager's own details, e.g. `Length of 'routing_key' is incorrect (should be 32 characters)` */
    readonly errors: string[] = [],
  ) {
    super(message);
    this.name = 'PagerError';
    this.retryable = RETRYABLE.has(code);
  }
}

/**
 * The paging service. Each call rejects with PagerError. `target` is null when the catalog no longer names
 * one; a call that needs it then fails `undeliverable`.
 */
export interface Pager {
  /** Sends a page; returns the incident the pager opened when its API says (REST), else null. */
  trigger(page: Page, target: PageTarget | null, context: PageContext): Promise<PagerIncident | null>;
  /** Resolves what a page opened; nothing open any more counts as done. */
  resolve(page: Page, target: PageTarget | null): Promise<void>;
  /** Moves what a page opened to escalation level `level`. */
  escalate(page: Page, target: PageTarget | null, level: number): Promise<void>;
  /** Who is on call for an escalation policy, by level then name. */
  onCall(escalationPolicyId: string): Promise<OnCall[]>;
  /** The email address of one of the pager's users (who acknowledged a page, say); null when it has none. */
  userEmail(userId: string): Promise<string | null>;
}

/** A stored pager webhook, read: a report about a page's incident, a kind Muster ignores, or unreadable. */
export type PagerWebhook =
  | { kind: 'report'; report: PagerReport }
  | { kind: 'ignored'; id: string; type: string }
  | { kind: 'unreadable'; error: string };

/** What became of one attempt to deliver an outbox row, as the delivering worker reports it. */
export type DeliveryOutcome =
  /** the pager took it */
  | { kind: 'sent'; row: OutboxRow; page: Page; pagerIncident: PagerIncident | null }
  /** the pager refused it for good: it is never tried again */
  | { kind: 'refused'; row: OutboxRow; page: Page; reason: string; code: PagerErrorCode }
  /** it failed in a way that may pass: tried again at `nextAttemptAt`; `maybeSent` when the pager may have acted */
  | { kind: 'retry'; row: OutboxRow; page: Page; reason: string; nextAttemptAt: number; maybeSent: boolean }
  /** not tried now (the pager keeps failing and the worker waits before calling it again) */
  | { kind: 'held'; row: OutboxRow; page: Page; reason: string }
  /** nothing left to do (its page is gone, or a resolve of a page already over) */
  | { kind: 'cancelled'; row: OutboxRow; reason: string };

/** The paging outbox as the worker delivering it sees it; the core's paging use cases implement it. */
export interface PageOutbox {
  /**
   * Claims for this instance, until `until`, the rows due now that no instance holds and whose page has no
   * earlier pending row (a resolve never overtakes its trigger); oldest first. Two instances never get the same
   * row. Every outcome reported lets go of the row.
   */
  claim(until: number): Promise<OutboxRow[]>;
  /** Lets go of a claimed row that was not tried now (it stays pending), so any instance may claim it. */
  release(row: OutboxRow): Promise<void>;
  /** The page a row acts on as stored now (earlier outcomes of this pass included); null when it is gone. */
  page(pageId: number): Promise<Page | null>;
  /** Where the page goes, from the catalog in force; null when it names no target any more. */
  target(page: Page): PageTarget | null;
  /** What the trigger of a page says about its incident; rejects with PagerError `undeliverable` when it is gone. */
  context(page: Page): Promise<PageContext>;
  /** Stores an outcome (before the next row is read) and returns what to tell. */
  report(outcome: DeliveryOutcome): Promise<readonly Notice[]>;
  /** How many rows are pending and when the oldest was queued (null when none). */
  backlog(): Promise<{ pending: number; oldestCreatedAt: number | null }>;
}
