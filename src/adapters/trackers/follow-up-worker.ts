/**
 * Delivers the tracker outbox: each due row becomes an issue in its tracker, exactly once. A row is leased
 * (claimDue counts the attempt), so two instances never work on the same one; when an earlier attempt may
 * have landed (a timeout, a crash, kill -9 after the tracker answered), the tracker is first asked for the
 * issue carrying the row's idempotency key, and only then asked to create one. Outages are retried with
 * jittered exponential backoff (a Retry-After is honoured); refusals fail the row and are told once.
 */
import type { Ports } from '../../app/ports.js';
import { issueCreated, issueDelayed, issueRefused } from '../../app/follow-ups/issue-outcome.js';
import type { FollowUp } from '../../domain/follow-up.js';
import type { Notice } from '../../domain/notices.js';
import {
  type Tracker,
  TrackerError,
  type TrackerIssueRef,
  type TrackerKind,
  type TrackerUser,
} from '../../domain/ports.js';
import { CoalescedRun } from '../../runtime/coalesced-run.js';
import { type BackoffOptions, retryDelay } from '../pagerduty/retry-policy.js';
import { issueDraft, mentionedUsers } from './issue-draft.js';

type WorkerPorts = Pick<Ports, 'store' | 'trackers' | 'chat' | 'users' | 'clock' | 'log'>;

/** The variables that give Muster each tracker's credentials, for the refusal a missing one gets. */
const CREDENTIALS: Record<TrackerKind, string> = {
  github: 'Muster has no GitHub token: set GITHUB_TOKEN',
  jira: 'Muster has no Jira credentials: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN',
  linear: 'Muster has no Linear API key: set LINEAR_API_KEY',
};

/** Trackers are slow to recover from an outage more often than PagerDuty: start at 5 s, never over 15 minutes. */
export const FOLLOW_UP_BACKOFF: BackoffOptions = { baseMs: 5_000, capMs: 15 * 60_000 };

/**
 * The shortest wait before a retry, whatever the jitter drew. The retry of an attempt that may have landed
 * starts with `find`, and trackers index new issues for search a little later (Jira's JQL search is eventually
 * consistent): half a minute lets the issue show up rather than be created twice. A follow-up issue is never
 * urgent.
 */
const MIN_WAIT_MS = 30_000;

export interface FollowUpWorkerOptions {
  ports: WorkerPorts;
  /** counts each attempt's outcome (muster_follow_up_issues_total) */
  count?(tracker: TrackerKind, outcome: 'created' | 'retry' | 'refused'): void;
  /** this instance: the owner of the leases it takes */
  owner: string;
  /** tells the notices of each outcome after the fact */
  tell(notices: Notice[]): void;
  /** random numbers in [0, 1) for the jitter; tests fix them */
  random?: () => number;
  /** how long a claimed row is held: at least twice the tracker timeout plus the Slack lookup (default 60 s) */
  leaseMs?: number;
  /** rows claimed per run */
  batch?: number;
}

/** What one attempt came to, for the metrics, and what to tell. */
interface Attempt {
  outcome: 'created' | 'retry' | 'refused';
  notices: Notice[];
}

export class FollowUpWorker {
  private readonly passes = new CoalescedRun(() => this.drain());

  constructor(private readonly o: FollowUpWorkerOptions) {}

  /** Delivers every due row; a run already going is asked to go round once more instead of starting another. */
  run(): Promise<void> {
    return this.passes.run();
  }

  /**
   * Claims one row at a time, so each is tried within its own lease; a run does at most `batch` rows and the
   * next periodic run does the rest.
   */
  private async drain(): Promise<void> {
    const { ports, owner } = this.o;
    const leaseMs = this.o.leaseMs ?? 60_000;
    for (let n = 0; n < (this.o.batch ?? 20); n++) {
      const now = ports.clock.now();
      const [row] = await ports.store.followUps.claimDue(now, { owner, until: now + leaseMs, limit: 1 });
      if (!row) return;
      const { outcome, notices } = await this.deliver(row, now + leaseMs / 2);
      this.o.count?.(row.target.tracker, outcome);
      if (notices.length) this.o.tell(notices);
    }
  }

  /**
   * One row: found or created, put off, or refused. `createBy` is the last moment a create may start and still
   * end (a call takes at most the tracker timeout) before the lease does, when another instance could take the
   * row: past it, the row is put off rather than risk a second issue.
   */
  private async deliver(row: FollowUp, createBy: number): Promise<Attempt> {
    const { ports, owner } = this.o;
    const created = async (issue: TrackerIssueRef): Promise<Attempt> => ({
      outcome: 'created',
      notices: await issueCreated(ports, row, owner, issue),
    });
    const refused = async (reason: string): Promise<Attempt> => ({
      outcome: 'refused',
      notices: await issueRefused(ports, row, owner, reason),
    });
    const retry = async (reason: string, at: number): Promise<Attempt> => ({
      outcome: 'retry',
      notices: await issueDelayed(ports, row, owner, reason, at),
    });
    /** When the next attempt is due: the jittered backoff, a Retry-After honoured, never sooner than MIN_WAIT_MS. */
    const backoff = (retryAfterSeconds?: number): number =>
      ports.clock.now() +
      Math.max(
        MIN_WAIT_MS,
        retryDelay(row.attempts, this.o.random ?? Math.random, retryAfterSeconds, FOLLOW_UP_BACKOFF),
      );
    const tracker = ports.trackers.get(row.target.tracker);
    if (!tracker) return refused(CREDENTIALS[row.target.tracker]);
    try {
      const item = await ports.store.actions.get(row.actionId);
      const incident = await ports.store.incidents.get(row.incidentNumber);
      if (!item || !incident) return refused('the action item no longer exists');
      // attempts counts this one: more than one means an earlier attempt may have created the issue
      if (row.attempts > 1) {
        const found = await tracker.find(row.target, row.idempotencyKey);
        if (found) return created(found);
      }
      const ids = [...(item.ownerId ? [item.ownerId] : []), ...mentionedUsers(item.text)];
      const names = ids.length ? await ports.users.names(ids) : {};
      const assignee = item.ownerId ? await this.trackerUser(tracker, row, item.ownerId) : null;
      if (ports.clock.now() > createBy) return retry('the attempt ran out of time', ports.clock.now());
      const draft = issueDraft({
        item,
        incident,
        idempotencyKey: row.idempotencyKey,
        names,
        assignee: assignee?.id ?? null,
      });
      return created(await tracker.create(row.target, draft));
    } catch (e) {
      if (e instanceof TrackerError) {
        return e.retryable ? retry(e.message, backoff(e.retryAfterSeconds)) : refused(e.message);
      }
      // not the tracker's doing (the database, a bug): logged, and tried again after a short wait
      ports.log.error(
        { err: e, incident: row.incidentNumber, action: row.actionId },
        'follow-up issue attempt failed',
      );
      return retry('Muster could not finish the attempt', backoff()).catch(() => ({
        outcome: 'retry' as const,
        notices: [],
      }));
    }
  }

  /**
   * The tracker user the Slack owner maps to, by the email of their Slack profile (users.info, with the
   * users:read.email scope); null when Slack does not tell it or the tracker has no such user. A tracker that
   * cannot answer now puts the whole attempt off (TrackerError, retryable); one that refuses the lookup leaves
   * the issue unassigned.
   */
  private async trackerUser(tracker: Tracker, row: FollowUp, ownerId: string): Promise<TrackerUser | null> {
    const { ports } = this.o;
    let email: string | undefined;
    try {
      email = (await ports.chat.userInfo(ownerId)).email;
    } catch (err) {
      ports.log.warn(
        { err, incident: row.incidentNumber, action: row.actionId },
        'could not read the owner from Slack',
      );
      return null;
    }
    if (!email) return null;
    try {
      return await tracker.findUser(row.target, email);
    } catch (e) {
      if (e instanceof TrackerError && e.retryable) throw e;
      ports.log.warn(
        { err: e, incident: row.incidentNumber, action: row.actionId, tracker: tracker.kind },
        'could not map the owner to a tracker user; the issue is left unassigned',
      );
      return null;
    }
  }
}
