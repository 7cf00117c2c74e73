/** The Slack presentation of the timeline notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { TimelineNotice } from '../../../domain/notices.js';
import { tsToMillis } from '../../../domain/timeline.js';
import { makeTimeFormatters } from '../../render/time-format.js';
import type { NoticeHandlers } from './notice-handlers.js';
import { acknowledgePin, withdrawPin } from './pin-acknowledgement.js';

// Most timeline changes are told where they happen: the note command's in-channel answer is the note's
// confirmation, the redaction's ephemeral answer says what was blanked, and an edit or a deletion is seen in
// the channel itself. Slack adds nothing for them; another notifier (a web page) may. A pin is answered on the
// message: the bot's ✅ (pin-acknowledgement.ts), which the notifier sends at Slack's pace (pin-pacing.ts).
const shownWhereItHappened = async (): Promise<void> => {};

export const timelineNotices: NoticeHandlers<TimelineNotice> = {
  note_added: shownWhereItHappened,
  entry_pinned: acknowledgePin,
  entry_unpinned: withdrawPin,
  entry_edited: shownWhereItHappened,
  entry_deleted: shownWhereItHappened,
  entry_redacted: shownWhereItHappened,

  /** One message in the channel after the Web API client's last retry, so nobody assumes the entry exists. */
  async pin_failed(n, { chat, config, log }) {
    const { formatDate, formatTime, timeZone } = makeTimeFormatters(config.INCIDENT_TIMEZONE);
    const at = tsToMillis(n.ts);
    const by = n.author ? ` by <@${n.author}>` : '';
    const text =
      `:warning: Muster could not add the message${by} from ${formatDate(at)} ${formatTime(at)} (${timeZone}) to the timeline: ` +
      `Slack kept failing while Muster read it (\`${n.error}\`). Take the :${n.reaction}: reaction off and add it again to retry.`;
    try {
      await chat.post(n.channelId, { text });
    } catch (e) {
      log.error(
        { err: e, channel: n.channelId },
        'could not tell the channel that a timeline entry was not added',
      );
    }
  },
};
