/** The Slack presentation of the follow-up notices (issues in the team's tracker). */
import type { FollowUpNotice } from '../../../domain/notices.js';
import type { TrackerIssueRef, TrackerKind } from '../../../domain/ports.js';
import { followUpsOverdueMessage, issueLink, TRACKER_NAMES } from '../blocks/follow-ups.js';
import { escapeMrkdwn, slackText } from '../mrkdwn.js';
import { fitMrkdwn } from '../text-fit.js';
import type { NoticeHandlers } from './notice-handlers.js';
import { isTransient } from './reminders.js';

export const FOLLOW_UP_RETRY = 'follow_up.retry';

/** The action's text, cut so that one line of the channel stays one line. */
const itemText = (text: string): string => fitMrkdwn(slackText(text), 300);

const trackerName = (kind: TrackerKind): string => TRACKER_NAMES[kind];

const issueIn = (issue: TrackerIssueRef): string => `${issueLink(issue)} in ${trackerName(issue.tracker)}`;

export const followUpNotices: NoticeHandlers<FollowUpNotice> = {
  async follow_up_created({ incident, item, issue }, { chat }) {
    if (!incident.channelId) return;
    await chat.post(incident.channelId, {
      text: `:ticket: Follow-up ${issueIn(issue)}: ${itemText(item.text)}`,
    });
  },

  async follow_up_failed({ incident, item, tracker, reason }, { chat }) {
    if (!incident.channelId) return;
    const text = `:warning: ${trackerName(tracker)} did not create the issue for the action item "${itemText(
      item.text,
    )}": ${escapeMrkdwn(reason)}. The action item stays in \`/incident actions\`.`;
    await chat.post(incident.channelId, {
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(text, 3000) } },
        {
          type: 'actions',
          block_id: `follow-up-failed:${item.id}`,
          elements: [
            {
              type: 'button',
              action_id: FOLLOW_UP_RETRY,
              value: String(item.id),
              text: { type: 'plain_text', text: 'Retry' },
            },
          ],
        },
      ],
    });
  },

  async follow_up_synced({ incident, item, issue, change, actorName }, { chat }) {
    if (!incident.channelId) return;
    const by = actorName ? ` by ${escapeMrkdwn(actorName)}` : '';
    const what =
      change === 'closed'
        ? `:white_check_mark: ${issueLink(issue)} was closed${by}: action item done`
        : change === 'reopened'
          ? `:arrows_counterclockwise: ${issueLink(issue)} was reopened${by}: action item open again`
          : `:bust_in_silhouette: ${issueLink(issue)} was reassigned${by}: owner ${
              item.ownerId ? `<@${item.ownerId}>` : 'none'
            }`;
    await chat.post(incident.channelId, { text: `${what} (${itemText(item.text)})` });
  },

  async follow_ups_overdue({ ownerId, week, items }, { chat, store }) {
    try {
      // a user id as the channel: Slack posts in the app's DM with that person
      await chat.post(ownerId, followUpsOverdueMessage(items));
    } catch (e) {
      // Slack could not take it for now: the claim goes back and the next run sends it. A refusal (the person
      // deactivated, or a bot) keeps the claim, so the job does not ask Slack again every few seconds all week.
      if (isTransient(e)) await store.actions.releaseOwnerReminder(ownerId, week);
      throw e;
    }
  },
};
