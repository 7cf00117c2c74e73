/** Follow-up issues in Slack: the issue link, and the weekly DM of overdue action items. Pure. */
import { incidentRef } from '../../../domain/incident.js';
import type { OverdueFollowUp } from '../../../domain/notices/follow-up.js';
import type { ChatMessage, TrackerIssueRef, TrackerKind } from '../../../domain/ports.js';
import { channelLink, escapeMrkdwn, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';

export const TRACKER_NAMES: Record<TrackerKind, string> = {
  github: 'GitHub',
  jira: 'Jira',
  linear: 'Linear',
};

/**
 * `<url|OPS-12>`: a link Slack shows as the issue's key. A URL that could break out of the link (`|`, `>`, a
 * space) is shown as the key alone.
 */
export function issueLink(issue: TrackerIssueRef): string {
  const key = escapeMrkdwn(issue.key);
  return /^https?:\/\/[^\s|<>]+$/.test(issue.url) ? `<${issue.url}|${key}>` : key;
}

/** Items listed in one DM; the rest are counted. */
const MAX_LISTED = 40;

/** The weekly reminder an owner gets of their open action items past due. */
export function followUpsOverdueMessage(items: readonly OverdueFollowUp[]): ChatMessage {
  const n = items.length;
  const head = `:alarm_clock: You own ${n} open action item${n === 1 ? '' : 's'} past due:`;
  const lines = items.slice(0, MAX_LISTED).map(({ item, incident, issue }) => {
    const where = incident.channelId ? channelLink(incident.channelId) : incidentRef(incident.number);
    const before = `• *${item.priority.toUpperCase()}* `;
    const after = ` · due ${item.due ?? '?'} · ${where}${issue ? ` · ${issueLink(issue)}` : ''}`;
    return `${before}${fitMrkdwn(slackText(item.text), 200)}${after}`;
  });
  if (n > MAX_LISTED) lines.push(`…and ${n - MAX_LISTED} more: \`/incident actions --all\` lists them.`);
  lines.push('Close the issue, or mark the item done in `/incident actions`, once it is done.');
  const text = fitMrkdwn([head, ...lines].join('\n'), SLACK_LIMITS.messageText);
  return { text };
}
