/**
 * What an issue's news from its tracker (a webhook, or the poll) does to the action item it was created for:
 * closed → done, reopened → open again, reassigned → a new owner, each with the words of its timeline entry.
 * Pure: the use case (app/follow-ups/sync-issue.ts) has looked the tracker users up in Slack, and stores the
 * result in one transaction.
 */
import type { ActionItem } from './action-item.js';
import type { TrackerIssueRef, TrackerKind, TrackerUser } from './ports/tracker.js';

/** What the tracker says about the issue now, or what a delivery says changed. */
export interface IssueReport {
  /** closed (done, cancelled) or open again; null when it says nothing of it */
  closed: boolean | null;
  /** the assignee; undefined when it says nothing of it, null when the issue has none */
  assignee?: TrackerUser | null;
  /** who did it in the tracker, when told */
  actorName: string | null;
  /** when the tracker says it happened (ms), when told */
  occurredAt: number | null;
}

/**
 * Where the report comes from. A webhook reports a change: an assignee no Slack user matches is news, said on
 * the timeline. The poll reports the state now, not what changed: only an assignee that maps to a Slack user
 * other than the owner is a change; anything else would be told again every 15 minutes.
 */
export type ReportVia = 'webhook' | 'poll';

/** The Slack user each tracker user maps to (by email): an id, or null when nobody in Slack has the address. */
export interface MappedUsers {
  /** the report's assignee as a Slack user; undefined when the report names no assignee */
  assignee?: string | null;
}

export type IssueSyncChange = 'closed' | 'reopened' | 'reassigned';

/** One change to store: the action's new state and its timeline words. */
export interface IssueSyncStep {
  change: IssueSyncChange;
  /** Slack-formatted timeline text */
  text: string;
  /** the new owner (a Slack user id) when `change` is `reassigned` and the owner changes; absent when it stays */
  ownerId?: string;
}

export const TRACKER_LABELS: Readonly<Record<TrackerKind, string>> = {
  github: 'GitHub',
  jira: 'Jira',
  linear: 'Linear',
};

/** Plain text inside Slack-formatted text: a tracker's names cannot form a mention or a link. */
const plain = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

const ownerWords = (ownerId: string | null): string => (ownerId ? `<@${ownerId}>` : 'none');

/**
 * The changes a report makes to an action item, in the order to store them (status first, then owner); empty
 * when it changes nothing (the action is done already, the owner is the one mapped, a poll's unmapped user).
 */
export function issueSyncSteps(
  item: ActionItem,
  issue: Pick<TrackerIssueRef, 'tracker' | 'key'>,
  report: IssueReport,
  mapped: MappedUsers,
  via: ReportVia,
): IssueSyncStep[] {
  const where = `in ${TRACKER_LABELS[issue.tracker]}`;
  const by = report.actorName ? ` by ${plain(report.actorName)}` : '';
  const key = plain(issue.key);
  const steps: IssueSyncStep[] = [];
  const done = item.doneAt !== null;
  if (report.closed === true && !done) {
    steps.push({ change: 'closed', text: `Action item done: ${item.text} (${key} closed ${where}${by})` });
  } else if (report.closed === false && done) {
    steps.push({
      change: 'reopened',
      text: `Action item open again: ${item.text} (${key} reopened ${where}${by})`,
    });
  }
  if (report.assignee === undefined) return steps;
  const assignee = report.assignee;
  const slackId = mapped.assignee ?? null;
  if (assignee && slackId) {
    if (slackId === item.ownerId) return steps;
    steps.push({
      change: 'reassigned',
      ownerId: slackId,
      text: `Action item owner now <@${slackId}>: ${item.text} (${key} assigned to ${plain(assignee.name || assignee.id)} ${where}${by})`,
    });
    return steps;
  }
  // From here the owner stays: nobody in Slack to give the item to, or nobody assigned.
  if (via === 'poll') return steps;
  const stays = `Action item owner stays ${ownerWords(item.ownerId)}: ${item.text}`;
  steps.push({
    change: 'reassigned',
    text: assignee
      ? `${stays} (${key} assigned to ${plain(assignee.name || assignee.id)} ${where}${by}, who has no Slack account with the same email)`
      : `${stays} (${key} unassigned ${where}${by})`,
  });
  return steps;
}
