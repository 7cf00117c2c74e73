/**
 * An issue's news from its tracker, applied to the action item it was created for: closed → done, reopened →
 * open again, assigned → a new owner (the tracker user found in Slack by email). Each change is stored with its
 * timeline entry in one transaction and told as a `follow_up_synced` notice; news that changes nothing stores
 * and tells nothing, so a delivery and the poll reporting the same close record it once. Webhooks
 * (apply-issue-change.ts) and the poll (poll-issues.ts) both come through here.
 */
import type { FollowUp } from '../../domain/follow-up.js';
import {
  type IssueReport,
  type IssueSyncStep,
  issueSyncSteps,
  type ReportVia,
} from '../../domain/issue-sync.js';
import type { FollowUpNotice } from '../../domain/notices.js';
import { MUSTER_ACTOR } from '../../domain/page.js';
import type { Ports } from '../ports.js';

export type { IssueReport, ReportVia };

export interface IssueSync {
  followUp: FollowUp;
  report: IssueReport & {
    /** the tracker user's email who made the change, when the tracker tells it: `doneBy` is then their Slack id */
    actorEmail?: string | null;
  };
  via: ReportVia;
  /**
   * Names this report for ever (a delivery id, or the poll's run), so that a report stored twice adds one
   * entry: the timeline keeps the first of each source key.
   */
  reportKey: string;
}

type SyncPorts = Pick<Ports, 'store' | 'chat' | 'clock' | 'log'>;

/** The Slack user with this email, or null: nobody has it, a deactivated account or a bot, or Slack failed. */
async function slackUserByEmail(ports: SyncPorts, email: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  try {
    const user = await ports.chat.userByEmail(email);
    return user && !user.deleted && !user.isBot ? user.id : null;
  } catch (e) {
    // A lookup never holds the news up: the item keeps its owner and the entry says so.
    ports.log.info({ err: e }, 'could not look a tracker user up in Slack by email');
    return null;
  }
}

/**
 * Applies the report to the follow-up's action item and returns what to tell. `inTransaction` runs first in
 * the same transaction (mark the delivery processed, stamp the poll); when it returns false nothing is
 * applied (the delivery was applied before). Throws when the store fails: nothing of it is kept.
 */
export async function syncIssue(
  ports: SyncPorts,
  sync: IssueSync,
  inTransaction: () => Promise<boolean> = async () => true,
): Promise<FollowUpNotice[]> {
  const { followUp, report, via } = sync;
  const issue = followUp.issue;
  const { store } = ports;
  if (!issue) {
    await store.tx(inTransaction);
    return [];
  }
  // Slack is asked before the transaction opens: a transaction waits on the store and nothing else.
  const assignee = report.assignee?.email ? await slackUserByEmail(ports, report.assignee.email) : null;
  const actor = report.closed === true ? await slackUserByEmail(ports, report.actorEmail) : null;
  const now = ports.clock.now();
  return store.tx(async () => {
    if (!(await inTransaction())) return [];
    const item = await store.actions.get(followUp.actionId);
    if (!item) return [];
    const steps = issueSyncSteps(item, issue, report, report.assignee === undefined ? {} : { assignee }, via);
    if (steps.length === 0) return [];
    const occurredAt = report.occurredAt ?? now;
    const applied: IssueSyncStep[] = [];
    for (const step of steps) {
      // The entry first: its source key names this report's change, so a report applied before changes
      // nothing again, even when the action moved on since (closed, reopened, then the close redelivered).
      const entry = await store.timeline.add(
        {
          incidentNumber: item.incidentNumber,
          kind: 'action',
          text: step.text,
          actor: MUSTER_ACTOR,
          occurredAt,
          sourceKey: `issue:${issue.tracker}:${sync.reportKey}:${step.change}`,
          meta: {
            actionId: item.id,
            ...(step.change === 'closed' ? { done: true } : {}),
            tracker: issue.tracker,
            issue: issue.key,
            change: step.change,
            via,
          },
        },
        now,
      );
      if (!entry) continue;
      if (step.change === 'closed') await store.actions.markDone(item.id, actor ?? MUSTER_ACTOR, occurredAt);
      else if (step.change === 'reopened') await store.actions.reopen(item.id);
      else if (step.ownerId !== undefined) await store.actions.setOwner(item.id, step.ownerId);
      applied.push(step);
    }
    if (applied.length === 0) return [];
    const incident = await store.incidents.get(item.incidentNumber);
    const after = await store.actions.get(item.id);
    ports.log.info(
      {
        incident: item.incidentNumber,
        action: item.id,
        issue: issue.key,
        changes: applied.map((s) => s.change),
        via,
      },
      'action item follows its issue',
    );
    if (!incident || !after) return [];
    // An owner that stays is said on the timeline; the channel hears of changes to the action only.
    return applied
      .filter((s) => s.change !== 'reassigned' || s.ownerId !== undefined)
      .map((s) => ({
        kind: 'follow_up_synced' as const,
        incident,
        item: after,
        issue,
        change: s.change,
        actorName: report.actorName,
      }));
  });
}
