/**
 * The polling fallback: every linked issue of an open action item is asked about at most once every 15
 * minutes (`tracker.state`), and what it says goes through the same sync as a webhook (sync-issue.ts). It runs
 * whether or not the tracker's webhook is configured: it is the safety net for a delivery that was lost (the
 * tracker gave up, the secret was wrong for a while, Muster was down), and a change a webhook applied first
 * is not applied twice (the action already follows it). The poll sees the issue's state, not who changed it.
 *
 * Rate limits: each run makes at most MAX_CALLS_PER_RUN calls. When a tracker answers `rate_limited`, it is not
 * asked again until its Retry-After (or a minute when it gave none) has passed, by the clock; the pause is kept
 * in memory, per tracker, by the job (`followUpPollJob`). A tracker that fails otherwise (5xx, a timeout, the
 * network) is logged and its issue is asked again at the next run; one Muster has no credentials for is skipped.
 * Only open action items are polled: one done is followed again through its webhook (a reopened issue).
 */
import type { FollowUp } from '../../domain/follow-up.js';
import { TrackerError, type TrackerKind } from '../../domain/ports/tracker.js';
import type { Ports } from '../ports.js';
import { syncIssue } from './sync-issue.js';

/** How long after a check an issue is asked about again. */
export const POLL_EVERY_MS = 15 * 60_000;
/** Tracker calls per run, across trackers: the job runs every few seconds, so a backlog drains over runs. */
export const MAX_CALLS_PER_RUN = 20;
/** Follow-ups read per run: more than the calls, so that one tracker's paused issues do not hide the others'. */
const SCAN_LIMIT = 200;
/** The pause after a rate limit that said nothing of how long to wait. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

/** Until when (epoch ms) each tracker is not to be asked: the job's memory of rate limits. */
export type TrackerPauses = Map<TrackerKind, number>;

type PollPorts = Pick<Ports, 'store' | 'chat' | 'clock' | 'log' | 'notifier' | 'trackers'>;

/** Checks one issue and syncs its action; a rate limit pauses its tracker in `pauses`. */
async function check(ports: PollPorts, f: FollowUp, pauses: TrackerPauses): Promise<void> {
  const issue = f.issue!;
  const tracker = ports.trackers.get(issue.tracker)!;
  const log = ports.log.child({ tracker: issue.tracker, issue: issue.key, action: f.actionId });
  const now = ports.clock.now();
  try {
    const state = await tracker.state(issue);
    const notices = await syncIssue(
      ports,
      {
        followUp: f,
        report: { closed: state.closed, assignee: state.assignee, actorName: null, occurredAt: null },
        via: 'poll',
        reportKey: `poll:${f.actionId}:${now}`,
      },
      async () => {
        await ports.store.followUps.markChecked(f.actionId, now);
        return true;
      },
    );
    await ports.notifier.notify(notices);
  } catch (e) {
    if (!(e instanceof TrackerError)) throw e;
    if (e.code === 'rate_limited') {
      const wait =
        e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : DEFAULT_RATE_LIMIT_PAUSE_MS;
      pauses.set(issue.tracker, now + wait);
      log.warn({ retryAfterSeconds: wait / 1000 }, 'tracker rate limit: the poll leaves it alone until then');
    } else if (e.retryable) {
      log.warn({ code: e.code, error: e.message }, 'could not poll the issue; asking again at the next run');
    } else {
      // A refusal (the issue deleted, the token lost access) would be the same in a minute: checked again in 15.
      await ports.store.followUps.markChecked(f.actionId, now);
      log.warn({ code: e.code, error: e.message }, 'the tracker refused to tell the issue state');
    }
  }
}

/**
 * One run of the poll: checks the issues of open action items last checked POLL_EVERY_MS ago or never, at
 * most MAX_CALLS_PER_RUN of them, skipping trackers paused in `pauses` (which it updates). Throws only when
 * the store fails.
 */
export async function pollFollowUps(ports: PollPorts, pauses: TrackerPauses = new Map()): Promise<void> {
  const now = ports.clock.now();
  let calls = 0;
  for (const f of await ports.store.followUps.dueForCheck(SCAN_LIMIT)) {
    if (calls >= MAX_CALLS_PER_RUN) break;
    // least recently checked first: once one is fresh, so are the rest
    if (f.checkedAt !== null && now - f.checkedAt < POLL_EVERY_MS) break;
    if (!f.issue) continue;
    const until = pauses.get(f.issue.tracker);
    if (until !== undefined) {
      if (now < until) continue;
      pauses.delete(f.issue.tracker);
    }
    if (!ports.trackers.get(f.issue.tracker)) {
      // No credentials (the variable was removed): stamped so that the issues of trackers Muster can ask come first.
      await ports.store.followUps.markChecked(f.actionId, now);
      continue;
    }
    calls += 1;
    await check(ports, f, pauses);
  }
}

/** The periodic job: `pollFollowUps` with the rate-limit pauses it remembers from one run to the next. */
export function followUpPollJob(): (ports: PollPorts) => Promise<void> {
  const pauses: TrackerPauses = new Map();
  return (ports) => pollFollowUps(ports, pauses);
}
