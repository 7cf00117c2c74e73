/** Reads the Slack shapes of message and reaction events into what the timeline use cases take. */
import { isSlackTs } from '../../../domain/timeline-reaction.js';
import type { SeenMessage } from '../../../app/timeline/record-message.js';
import type { TimelineReactionInput } from '../../../app/timeline/timeline-reaction.js';
import type { SlackEvent } from '../event-processor.js';
import { filesOf } from '../web-chat.js';

/** Message subtypes that are something a person (or an integration) said; joins, topics and the like are not. */
export const SPOKEN_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  'thread_broadcast',
  'file_share',
  'me_message',
  'bot_message',
]);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A message object (an event, or the `message`/`previous_message` inside one); null when it has no valid ts. */
export function seenMessage(channelId: string, m: unknown): SeenMessage | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  if (!isSlackTs(o.ts)) return null;
  const threadTs = isSlackTs(o.thread_ts) && o.thread_ts !== o.ts ? o.thread_ts : null;
  return {
    channelId,
    ts: o.ts,
    threadTs,
    userId: str(o.user) ?? str(o.bot_id),
    text: typeof o.text === 'string' ? o.text : '',
    files: filesOf(Array.isArray(o.files) ? o.files : undefined),
  };
}

/** The reaction of a `reaction_added`/`reaction_removed` event on a message; null for files or malformed events. */
export function reactionOf(event: SlackEvent): TimelineReactionInput | null {
  const item = event.item as { type?: unknown; channel?: unknown; ts?: unknown } | undefined;
  if (item?.type !== 'message' || !str(item.channel) || !isSlackTs(item.ts)) return null;
  const userId = str(event.user);
  const reaction = str(event.reaction);
  if (!userId || !reaction) return null;
  return { channelId: item.channel as string, ts: item.ts, userId, reaction, itemUser: str(event.item_user) };
}
