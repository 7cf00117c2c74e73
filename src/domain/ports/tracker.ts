/**
 * Follow-up trackers, as the core uses them: the issue tracker (GitHub Issues, Jira Cloud or Linear) where an
 * action item becomes an issue, and what comes back from it (an issue closed, reopened or reassigned) through
 * a webhook or a poll. The wire formats and the clients (@octokit/rest, jira.js, @linear/sdk) stay in
 * adapters/trackers.
 */
import type { Priority } from '../command.js';

export type TrackerKind = 'github' | 'jira' | 'linear';

/** Where a service's follow-ups go, as the catalog names it (`follow_ups:`). */
export type FollowUpTarget =
  /** `follow_ups: { github: owner/repo }` */
  | { readonly tracker: 'github'; readonly repo: string }
  /** `follow_ups: { jira: { project: OPS, issue_type: Task } }` (issue type defaults to Task) */
  | { readonly tracker: 'jira'; readonly project: string; readonly issueType: string }
  /** `follow_ups: { linear: { team: ENG } }`: the team's key */
  | { readonly tracker: 'linear'; readonly team: string };

/** What an issue created for an action item carries. */
export interface TrackerIssueDraft {
  /**
   * Names the action item for ever (e.g. `muster-T0ABC-action-17`). The adapter stores it in the issue (a
   * hidden marker in the body, a label or an entity property), so `find` recognises an issue created by an
   * attempt whose answer was lost (a crash, a timeout).
   */
  readonly idempotencyKey: string;
  /** one line, the action text cut to the tracker's title limit */
  readonly title: string;
  /** the action text, owner, priority, due date and a link back to the incident, as markdown */
  readonly body: string;
  readonly priority: Priority;
  /** YYYY-MM-DD */
  readonly due: string | null;
  /** the tracker user id the owner maps to (from `findUser`), or null to leave it unassigned */
  readonly assignee: string | null;
  /** e.g. `INC-42` */
  readonly incidentRef: string;
  /** a link back to the incident (its Slack channel), when known */
  readonly incidentUrl: string | null;
}

/** An issue in a tracker, as stored beside its action item. */
export interface TrackerIssueRef {
  readonly tracker: TrackerKind;
  /** the tracker's own id: the GitHub issue number, the Jira issue id, the Linear issue UUID */
  readonly id: string;
  /** what people read: `acme/checkout#12`, `OPS-12`, `ENG-12` */
  readonly key: string;
  /** the issue's web page */
  readonly url: string;
}

/** A tracker user, as the owner of an action item maps to it. */
export interface TrackerUser {
  /** the tracker's id: a GitHub login, a Jira accountId, a Linear user id */
  readonly id: string;
  readonly name: string;
  /** when the tracker tells it; the way back to a Slack user */
  readonly email: string | null;
}

/** The state of an issue as the tracker tells it now (a poll) or as a webhook reported it. */
export interface TrackerIssueState {
  readonly ref: TrackerIssueRef;
  /** closed, done or cancelled in the tracker */
  readonly closed: boolean;
  /** null when unassigned */
  readonly assignee: TrackerUser | null;
}

/**
 * Why a tracker call failed: the tracker refused it (`unauthorized`, `forbidden`, `not_found` e.g. an unknown
 * project or repository, `invalid_request` e.g. a validation error), could not take it now (`rate_limited`,
 * `server_error`, `timeout`, `network`), or Muster has no credentials for it (`not_configured`).
 */
export type TrackerErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'not_configured';

const RETRYABLE: ReadonlySet<TrackerErrorCode> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'network',
]);

/** A failed tracker call; `retryable` when the same call may succeed later. Its message never holds a secret. */
export class TrackerError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: TrackerErrorCode,
    /** what a person reads in the channel, e.g. `GitHub refused the issue: Validation Failed (title is too long)` */
    message: string,
    /** the HTTP status the tracker answered with, when it answered */
    readonly status?: number,
    /** when the tracker said how long to wait (Retry-After, X-RateLimit-Reset) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TrackerError';
    this.retryable = RETRYABLE.has(code);
  }
}

/** One tracker behind its client. Every method throws TrackerError and nothing else. */
export interface Tracker {
  readonly kind: TrackerKind;
  /** Creates the issue; the caller has looked for it with `find` first when an earlier attempt may have landed. */
  create(target: FollowUpTarget, draft: TrackerIssueDraft): Promise<TrackerIssueRef>;
  /** The issue created earlier with this idempotency key, or null. */
  find(target: FollowUpTarget, idempotencyKey: string): Promise<TrackerIssueRef | null>;
  /** The issue's state now (for the polling fallback). */
  state(ref: TrackerIssueRef): Promise<TrackerIssueState>;
  /** The tracker user with this email, when the tracker lets us find one; null when none matches. */
  findUser(target: FollowUpTarget, email: string): Promise<TrackerUser | null>;
}

/** The trackers Muster has credentials for; `get` is null for one it has none for. */
export interface Trackers {
  get(kind: TrackerKind): Tracker | null;
}

/** What a tracker's webhook delivery says about one issue. */
export interface TrackerIssueChange {
  readonly tracker: TrackerKind;
  /** the tracker's delivery id (X-GitHub-Delivery, Jira's webhook identifier + timestamp, Linear's webhookId + createdAt) */
  readonly deliveryId: string;
  /** the issue as `TrackerIssueRef.id` names it, and its readable key */
  readonly issueId: string;
  readonly key: string;
  /** what changed: null where the delivery says nothing about it */
  readonly closed: boolean | null;
  /** the new assignee; undefined when the assignee did not change, null when it was removed */
  readonly assignee?: TrackerUser | null;
  /** who did it in the tracker, for the timeline */
  readonly actorName: string | null;
  /** their email, when the delivery tells it: who marked the action done, when Slack knows the address */
  readonly actorEmail?: string | null;
  /** when the tracker says it happened (ms) */
  readonly occurredAt: number | null;
}

/**
 * The webhook of one tracker: checks the signature of a delivery over its raw body, and reads what it says
 * about an issue. `parse` returns null for a delivery that is about something else (a comment, a pull request,
 * a ping), and throws TrackerWebhookError for a body that is not what the tracker sends.
 */
export interface TrackerWebhook {
  readonly kind: TrackerKind;
  /** true when the signature headers match the body under `secret`; false for a bad or missing one */
  verify(headers: Record<string, string | undefined>, rawBody: string, secret: string): Promise<boolean>;
  parse(headers: Record<string, string | undefined>, rawBody: string): TrackerIssueChange | null;
}

export class TrackerWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrackerWebhookError';
  }
}
