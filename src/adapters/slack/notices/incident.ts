/**
 * The Slack presentation of the incident notices: Block Kit and mrkdwn live here, never in the use cases.
 * Each lifecycle change is a confirmation in the incident channel, a reply in the announcement thread, and the
 * headline, announcement and topic brought up to date (`publish`).
 */
import type { Ports } from '../../../app/ports.js';
import type { IncidentNotice } from '../../../domain/notices.js';
import { ChatError, type ChatMessage } from '../../../domain/ports.js';
import {
  channelNotCreatedMessage,
  checklistMessage,
  handoverNotice,
  impactTimesConfirmation,
  incidentOpenMessage,
  reopenMessage,
  reopenThreadReply,
  resolutionMessage,
  resolutionThreadReply,
  roleConfirmation,
  severityConfirmation,
  severityThreadReply,
  statusConfirmation,
  statusThreadReply,
  updateMessage,
  updateThreadReply,
} from '../blocks/lifecycle-messages.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { roleChecklist } from '../role-checklist.js';
import { publish } from './broadcast.js';
import type { NoticeHandlers } from './notice-handlers.js';
import { tellReminder } from './reminders.js';

/** Answers the declarer privately through the command's response_url; without one, nobody is waiting there. */
async function tellDeclarer(
  ports: Ports,
  responseUrl: string | null,
  message: ChatMessage,
  replacesProgress = false,
): Promise<void> {
  if (!responseUrl) return;
  try {
    // "Declaring INC-7…" gives way to where the incident is (or why it has no channel)
    await ports.chat.respond(responseUrl, {
      ...message,
      ephemeral: true,
      ...(replacesProgress ? { replaceOriginal: true } : {}),
    });
  } catch (e) {
    ports.log.warn({ err: e }, 'could not answer the declarer');
  }
}

export const incidentNotices: NoticeHandlers<IncidentNotice> = {
  async incident_opened({ incident, responseUrl, replacesProgress }, ports) {
    if (!incident.channelId) return;
    await tellDeclarer(
      ports,
      responseUrl,
      incidentOpenMessage(incident, incident.channelId),
      replacesProgress,
    );
  },

  async channel_not_created({ incident, reason, code, responseUrl, replacesProgress }, ports) {
    await tellDeclarer(
      ports,
      responseUrl,
      channelNotCreatedMessage(incident, reason, code),
      replacesProgress,
    );
  },

  async steps_failed({ incident, steps }, { chat }) {
    if (!incident.channelId) return;
    await chat.post(incident.channelId, {
      text: `:warning: The change is saved, but some follow-up steps failed: ${escapeMrkdwn(steps.join(', '))}.`,
    });
  },

  async severity_changed({ incident, before, by }, ports) {
    await publish(ports, incident.number, {
      channel: severityConfirmation(incident, before, by),
      thread: severityThreadReply(incident, before, by),
      topic: true,
    });
  },

  async status_changed({ incident, before, by }, ports) {
    await publish(ports, incident.number, {
      channel: statusConfirmation(incident, before, by),
      thread: statusThreadReply(incident, before, by),
      topic: true,
    });
  },

  async incident_resolved({ incident, by }, ports) {
    await publish(ports, incident.number, {
      channel: resolutionMessage(incident, by),
      thread: { ...resolutionThreadReply(incident, by), broadcast: true },
      topic: true,
    });
  },

  async incident_reopened({ incident, reason, by }, ports) {
    await publish(ports, incident.number, {
      channel: reopenMessage(incident, reason, by),
      thread: { ...reopenThreadReply(incident, reason, by), broadcast: true },
      topic: true,
    });
  },

  /** Invites the new holder, sends them the checklist, tells the previous holder; then confirms and refreshes. */
  async role_assigned({ incident, role, userId, previous, by }, ports) {
    const { chat } = ports;
    const channelId = incident.channelId;
    const steps: [string, () => Promise<unknown>][] = [];
    if (channelId) {
      steps.push([`invite <@${userId}>`, () => chat.invite(channelId, [userId])]);
      steps.push([
        `send <@${userId}> the checklist`,
        () =>
          chat.postEphemeral(
            channelId,
            userId,
            checklistMessage(incident, role, roleChecklist(role, incident)),
          ),
      ]);
      if (previous) {
        steps.push([
          `tell <@${previous}>`,
          async () => {
            try {
              await chat.postEphemeral(channelId, previous, handoverNotice(incident, role, userId));
            } catch (e) {
              // someone who left the channel has handed over already; the confirmation names them anyway
              if (!(e instanceof ChatError && e.code === 'user_not_in_channel')) throw e;
            }
          },
        ]);
      }
    }
    await publish(ports, incident.number, {
      channel: roleConfirmation(role, userId, previous, by),
      steps,
      topic: role === 'ic',
      announcement: role === 'ic',
    });
  },

  async impact_times_set({ incident, before, by }, ports) {
    await publish(ports, incident.number, { channel: impactTimesConfirmation(incident, before, by) });
  },

  /** Posts the update in the channel and in the announcement thread; the channel message is linked to the entry. */
  async update_posted({ incident, entry, text, by }, ports) {
    const { confirmationTs } = await publish(ports, incident.number, {
      channel: updateMessage(incident, text, by),
      thread: updateThreadReply(incident, text, by),
      // the headline shows the last update and when the next is due
      announcement: false,
    });
    if (confirmationTs && incident.channelId) {
      await ports.store.timeline.updateMeta(entry.id, {
        channelId: incident.channelId,
        messageTs: confirmationTs,
      });
    }
  },
  async reminder_due({ incident, reminder, keys }, ports) {
    await tellReminder(ports, incident, reminder, keys);
  },
};
