/**
 * A timeline reaction (`TIMELINE_EMOJI`) on a message in an incident channel puts that message on the
 * timeline: its text, author, its own time (the message's ts, not the reaction's), thread parent, permalink
 * and files. The message comes from the database when it was seen arriving, else from Slack once. The
 * entry's source key is the message, so two reactors or a redelivery add one entry; removing the last
 * timeline reaction marks the entry removed (kept for the audit trail).
 */
import type { Logger } from 'pino';
import { ChatError } from '../../domain/ports.js';
import { tsToMillis } from '../../domain/timeline.js';
import { isTimelineReaction, messageSourceKey } from '../../domain/timeline-reaction.js';
import { makeTimeFormatters } from '../../adapters/render/time-format.js';
import type { Ports } from '../ports.js';
import type { MessagePermalinks } from './message-permalink.js';
import { incidentOfChannel, type SeenMessage } from './record-message.js';

export interface TimelineReactionInput {
  channelId: string;
  /** ts of the message reacted to */
  ts: string;
  /** who reacted */
  userId: string;
  /** the reaction's name as Slack sent it (`pushpin`, `pushpin::skin-tone-2`) */
  reaction: string;
  /** the message's author as the reaction event names it */
  itemUser: string | null;
}

export type ReactionOutcome =
  | 'ignored'
  | 'added'
  | 'already_on_timeline'
  | 'restored'
  | 'message_gone'
  | 'fetch_failed'
  | 'kept'
  | 'removed';

/** Adds the reacted message to the timeline (once); Slack failures while reading it are told in the channel. */
export async function addTimelineReaction(
  deps: Ports,
  permalinks: MessagePermalinks,
  r: TimelineReactionInput,
  log: Logger,
): Promise<ReactionOutcome> {
  const incident = incidentOfChannel(deps, r.channelId);
  if (!incident || !isTimelineReaction(r.reaction, deps.config.TIMELINE_EMOJI)) return 'ignored';
  const now = deps.clock.now();
  // The usual case (message seen arriving, permalink known) is one transaction and no Slack call.
  const step = deps.store.tx((): ReactionOutcome | { read: SeenMessage | null } => {
    deps.store.reactions.add({ channelId: r.channelId, ts: r.ts, userId: r.userId, emoji: r.reaction }, now);
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(r.channelId, r.ts));
    if (entry?.state === 'removed') {
      // A message deleted since it was taken off the timeline comes back as nothing: its words are gone.
      if (entry.meta.deletedAt !== undefined || deps.store.messages.get(r.channelId, r.ts)?.deletedAt != null)
        return 'message_gone';
      deps.store.timeline.setState(entry.id, 'active');
      return 'restored';
    }
    if (entry) return 'already_on_timeline';
    const stored = deps.store.messages.get(r.channelId, r.ts);
    if (stored?.deletedAt != null) return 'message_gone';
    const link = stored && permalinks.known(r.channelId, r.ts, stored.threadTs);
    if (!stored || !link) return { read: stored };
    return addEntry(deps, incident.number, r, stored, link, now, log);
  });
  if (typeof step === 'string') {
    if (step === 'message_gone') logGone(r, log);
    return step;
  }
  let message = step.read;
  if (!message) {
    try {
      const fetched = await deps.chat.fetchMessage(r.channelId, r.ts);
      if (!fetched) {
        logGone(r, log);
        return 'message_gone';
      }
      const { user, ...rest } = fetched;
      message = { channelId: r.channelId, ...rest, userId: user };
      deps.store.messages.addIfNew(message, deps.clock.now());
    } catch (e) {
      await tellFetchFailed(deps, r, e, log);
      return 'fetch_failed';
    }
  }
  const permalink = await permalinks.of(r.channelId, r.ts, message.threadTs);
  return addEntry(deps, incident.number, r, message, permalink, deps.clock.now(), log);
}

/** Stores the entry of a message; its source key (the message) makes a second one impossible. */
function addEntry(
  deps: Ports,
  incidentNumber: number,
  r: TimelineReactionInput,
  message: SeenMessage,
  permalink: string | null,
  now: number,
  log: Logger,
): ReactionOutcome {
  const added = deps.store.timeline.add(
    {
      incidentNumber,
      kind: 'message',
      text: message.text,
      actor: message.userId ?? r.itemUser ?? 'unknown',
      occurredAt: tsToMillis(r.ts),
      sourceKey: messageSourceKey(r.channelId, r.ts),
      meta: {
        channelId: r.channelId,
        messageTs: r.ts,
        ...(message.threadTs ? { threadTs: message.threadTs } : {}),
        ...(permalink ? { permalink } : {}),
        files: message.files,
        addedBy: r.userId,
      },
    },
    now,
  );
  if (!added) return 'already_on_timeline';
  log.info({ incident: incidentNumber, entry: added.id }, 'message added to the timeline');
  return 'added';
}

const logGone = (r: TimelineReactionInput, log: Logger): void =>
  log.info(
    { channel: r.channelId, ts: r.ts },
    'timeline reaction on a message deleted before it could be read; no entry',
  );

/** Forgets the reaction; when it was the message's last timeline reaction, the entry is marked removed. */
export function removeTimelineReaction(deps: Ports, r: TimelineReactionInput): ReactionOutcome {
  const incident = incidentOfChannel(deps, r.channelId);
  if (!incident || !isTimelineReaction(r.reaction, deps.config.TIMELINE_EMOJI)) return 'ignored';
  return deps.store.tx(() => {
    deps.store.reactions.remove({ channelId: r.channelId, ts: r.ts, userId: r.userId, emoji: r.reaction });
    if (deps.store.reactions.count(r.channelId, r.ts) > 0) return 'kept';
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(r.channelId, r.ts));
    if (entry?.state !== 'active') return 'kept';
    deps.store.timeline.setState(entry.id, 'removed');
    return 'removed';
  });
}

/** One message in the channel after the Web API client's last retry, so nobody assumes the entry exists. */
async function tellFetchFailed(
  deps: Ports,
  r: TimelineReactionInput,
  err: unknown,
  log: Logger,
): Promise<void> {
  const code = err instanceof ChatError ? err.code : (err as Error).message;
  log.warn(
    { channel: r.channelId, ts: r.ts, error: code },
    'could not read the reacted message; no entry added',
  );
  const { formatDate, formatTime, timeZone } = makeTimeFormatters(deps.config.INCIDENT_TIMEZONE);
  const at = tsToMillis(r.ts);
  const by = r.itemUser ? ` by <@${r.itemUser}>` : '';
  const text =
    `:warning: Muster could not add the message${by} from ${formatDate(at)} ${formatTime(at)} (${timeZone}) to the timeline: ` +
    `Slack kept failing while Muster read it (\`${code}\`). Take the :${r.reaction}: reaction off and add it again to retry.`;
  try {
    await deps.chat.post(r.channelId, { text });
  } catch (e) {
    log.error(
      { err: e, channel: r.channelId },
      'could not tell the channel that a timeline entry was not added',
    );
  }
}
