/** The Slack presentation of the incident notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { IncidentNotice } from '../../../domain/notices.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import type { NoticeHandlers } from './notice-handlers.js';

export const incidentNotices: NoticeHandlers<IncidentNotice> = {
  async steps_failed({ incident, steps }, { chat }) {
    if (!incident.channelId) return;
    await chat.post(incident.channelId, {
      text: `:warning: The change is saved, but some follow-up steps failed: ${escapeMrkdwn(steps.join(', '))}.`,
    });
  },
};
