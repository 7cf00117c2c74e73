/**
 * A pin gets an answer where the person looks: when a timeline reaction puts a message on the timeline, the bot
 * adds its own ✅ (`white_check_mark`) to that message, and takes it off when the entry leaves the timeline.
 * When Slack will not take the reaction (the scope is missing, the reaction is itself a timeline reaction, Slack
 * keeps failing), a thread reply under the message says it instead; its ts is kept in the entry's meta
 * (`ackReplyTs`) so that taking the entry off edits that reply rather than leaving it wrong. A redelivered
 * reaction tells nothing (the use case returns no notice), and `already_reacted` / `no_reaction` count as done.
 */
import type { Ports } from '../../../app/ports.js';
import type { TimelineNotice } from '../../../domain/notices.js';
import { ChatError } from '../../../domain/ports.js';
import { isTimelineReaction } from '../../../domain/timeline-reaction.js';
import { incidentRef } from '../../../domain/incident.js';
import { mention } from '../mrkdwn.js';

/** The bot's reaction on a message put on the timeline. */
export const PINNED_REACTION = 'white_check_mark';

type Pinned = Extract<TimelineNotice, { kind: 'entry_pinned' }>;
type Unpinned = Extract<TimelineNotice, { kind: 'entry_unpinned' }>;

/**
 * Where the message is: its channel, ts and thread (a reply's answer goes in the same thread), and the
 * thread reply that acknowledged it when Slack would not take the reaction.
 */
function messageOf(
  n: Pinned | Unpinned,
): { channelId: string; ts: string; threadTs: string; replyTs: string | null } | null {
  const { channelId, messageTs, threadTs, ackReplyTs } = n.entry.meta;
  if (!channelId || !messageTs) return null;
  return {
    channelId,
    ts: messageTs,
    threadTs: threadTs ?? messageTs,
    replyTs: typeof ackReplyTs === 'string' ? ackReplyTs : null,
  };
}

/** Runs a reaction call, joining the channel once when the bot is not in it (`not_in_channel`). */
async function joining(ports: Ports, channelId: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof ChatError && e.code === 'not_in_channel')) throw e;
    await ports.chat.join(channelId);
    await call();
  }
}

const addedText = (n: Pinned): string =>
  `:white_check_mark: On the ${incidentRef(n.incident.number)} timeline as entry ${n.entry.number} (${mention(n.by)}). \`/incident timeline\` shows it.`;

const removedText = (n: Unpinned): string =>
  `:heavy_minus_sign: Taken off the ${incidentRef(n.incident.number)} timeline (${mention(n.by)}): the last timeline reaction came off.`;

/** Acknowledges a message put (or put back) on the timeline: the bot's ✅, else a thread reply. */
export async function acknowledgePin(n: Pinned, ports: Ports): Promise<void> {
  const where = messageOf(n);
  if (!where) return;
  // Put back after a thread reply said it came off: that reply says so again.
  if (where.replyTs) {
    await ports.chat.update(where.channelId, where.replyTs, { text: addedText(n) });
    return;
  }
  // A ✅ that is itself a timeline reaction would read as a second pin: the answer goes in the thread.
  if (!isTimelineReaction(PINNED_REACTION, ports.config.TIMELINE_EMOJI)) {
    try {
      await joining(ports, where.channelId, () =>
        ports.chat.addReaction(where.channelId, where.ts, PINNED_REACTION),
      );
      return;
    } catch (e) {
      ports.log.info(
        { err: e, channel: where.channelId, ts: where.ts },
        'could not react to a message put on the timeline; replying in its thread instead',
      );
    }
  }
  const posted = await ports.chat.post(where.channelId, { text: addedText(n), threadTs: where.threadTs });
  await ports.store.timeline.updateMeta(n.entry.id, { ackReplyTs: posted.ts });
}

/** Undoes the acknowledgement of a message taken off the timeline: the ✅ comes off, or the reply says so. */
export async function withdrawPin(n: Unpinned, ports: Ports): Promise<void> {
  const where = messageOf(n);
  if (!where) return;
  if (where.replyTs) {
    await ports.chat.update(where.channelId, where.replyTs, { text: removedText(n) });
    return;
  }
  await joining(ports, where.channelId, () =>
    ports.chat.removeReaction(where.channelId, where.ts, PINNED_REACTION),
  );
}
