/** The Slack presentation of the postmortem notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { PostmortemNotice } from '../../../domain/notices.js';
import { TRACKER_NAMES } from '../blocks/follow-ups.js';
import { mention, slackText } from '../mrkdwn.js';
import type { NoticeHandlers } from './notice-handlers.js';
import { uploadPostmortem } from './postmortem-upload.js';

export const postmortemNotices: NoticeHandlers<PostmortemNotice> = {
  // The blameless findings are the asker's alone: the command answers them ephemerally (response_url).
  postmortem_written: ({ incident, postmortem, draft }, ports) =>
    uploadPostmortem(ports, incident, postmortem, draft),

  async action_recorded({ incident, item, by, issueIn }, { chat }) {
    if (!incident.channelId) return;
    await chat.post(incident.channelId, {
      text: `:clipboard: ${mention(by)} recorded an action item (${item.priority.toUpperCase()}): ${slackText(item.text)}${
        item.ownerId ? `, owner ${mention(item.ownerId)}` : ''
      }${item.due ? `, due ${item.due}` : ''}.${issueIn ? ` Its issue is on its way to ${TRACKER_NAMES[issueIn]}.` : ''}`,
    });
  },

  async action_done({ incident, item, by }, { chat }) {
    if (!incident.channelId) return;
    await chat.post(incident.channelId, {
      text: `:white_check_mark: ${mention(by)} marked done: ${slackText(item.text)}`,
    });
  },
};
