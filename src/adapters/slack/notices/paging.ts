/**
 * The Slack presentation of the paging notices: Block Kit and mrkdwn live here, never in the use cases. What
 * PagerDuty did is told in the incident channel, after which the pinned headline shows each page's status;
 * a request still on its way to PagerDuty is told once PagerDuty has it.
 */
import type { PagingNotice } from '../../../domain/notices.js';
import { severityLabel } from '../../../domain/incident.js';
import { REFUSED_ACTION_WORDS } from '../../../domain/page.js';
import type { NewEntry } from '../../../domain/timeline.js';
import type { Ports } from '../../../app/ports.js';
import { onCallFor } from '../../../app/paging/page-delivery.js';
import { releaseEscalationPrompt } from '../../../app/paging/escalation-prompts.js';
import {
  escalationDeliveredMessage,
  escalationPromptMessage,
  escalationRequestedMessage,
  nobodyPagedMessage,
  pageActivityMessage,
  pageDelayedMessage,
  pageDeliveredMessage,
  pageFailedMessage,
  refusalHint,
} from '../blocks/page-messages.js';
import { postJoining, publish } from './broadcast.js';
import type { NoticeHandlers } from './notice-handlers.js';

/** A line in the channel about what PagerDuty did (the timeline entry's text), then the headline refreshed. */
async function tellActivity(ports: Ports, incidentNumber: number, emoji: string, entry: NewEntry | null) {
  await publish(ports, incidentNumber, entry ? { channel: pageActivityMessage(emoji, entry.text) } : {});
}

export const pagingNotices: NoticeHandlers<PagingNotice> = {
  // the outbox delivers it; the channel hears once PagerDuty has it (page_delivered)
  async page_requested() {},
  async page_resolve_requested() {},

  async escalation_requested({ page, by, via }, ports) {
    await publish(ports, page.incidentNumber, { channel: escalationRequestedMessage(page, by, via) });
  },

  async page_delivered({ page, pagerIncident, delayedMs }, ports) {
    const onCall = await onCallFor(ports, page.service);
    await publish(ports, page.incidentNumber, {
      channel: pageDeliveredMessage({
        page,
        onCall,
        pdIncident: pagerIncident ? { number: pagerIncident.number, url: pagerIncident.url } : null,
        delayedMs,
      }),
    });
  },

  async page_delayed({ page, reason }, ports) {
    await publish(ports, page.incidentNumber, { channel: pageDelayedMessage(page.service, reason) });
  },

  async page_failed({ page, action, reason, code }, ports) {
    await publish(ports, page.incidentNumber, {
      channel: pageFailedMessage(page.service, REFUSED_ACTION_WORDS[action], reason, refusalHint(code, page)),
    });
  },

  // the channel hears again only when it had been told the escalation was held up
  async escalation_delivered({ page, level, afterDelay }, ports) {
    if (!afterDelay) return;
    await publish(ports, page.incidentNumber, { channel: escalationDeliveredMessage(page.service, level) });
  },

  async nobody_paged({ incident, services, pageable }, ports) {
    if (!incident.channelId) return;
    await postJoining(
      ports,
      incident.channelId,
      nobodyPagedMessage(severityLabel(incident.severity), services, pageable),
    );
  },

  // the delivery confirmation already told the channel: only the headline changes
  async page_opened({ page }, ports) {
    await publish(ports, page.incidentNumber, {});
  },

  // whoever acknowledged, found in Slack, is brought into the channel before it hears of it
  async page_acknowledged({ page, entry, user }, ports) {
    const channelId = user ? (await ports.store.incidents.get(page.incidentNumber))?.channelId : null;
    if (user && channelId) {
      try {
        await ports.chat.invite(channelId, [user]);
      } catch (e) {
        ports.log.warn(
          { err: e, incident: page.incidentNumber, user },
          'could not invite whoever acknowledged the page',
        );
      }
    }
    await tellActivity(ports, page.incidentNumber, ':eyes:', entry);
  },

  async page_escalated({ page, entry }, ports) {
    await tellActivity(ports, page.incidentNumber, ':arrow_double_up:', entry);
  },

  async page_reassigned({ page, entry }, ports) {
    await tellActivity(ports, page.incidentNumber, ':busts_in_silhouette:', entry);
  },

  async page_annotated({ page, entry }, ports) {
    await tellActivity(ports, page.incidentNumber, ':memo:', entry);
  },

  // Our own resolve follows the incident's, which the channel heard: only the headline changes.
  async page_resolved({ page, in: where, entry }, ports) {
    await tellActivity(
      ports,
      page.incidentNumber,
      ':white_check_mark:',
      where === 'pagerduty' ? entry : null,
    );
  },

  async escalation_prompt({ page, incident, minutes, previousPromptAt }, ports) {
    if (!incident.channelId) return;
    try {
      await postJoining(ports, incident.channelId, escalationPromptMessage(page, minutes));
      ports.log.info(
        { incident: incident.number, page: page.id, service: page.service },
        'escalation prompted',
      );
    } catch (e) {
      await releaseEscalationPrompt(ports, page, previousPromptAt);
      ports.log.warn(
        { incident: incident.number, page: page.id, err: e },
        'could not post the escalation prompt',
      );
    }
  },
};
