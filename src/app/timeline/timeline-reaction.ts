/**
 * A timeline reaction (`TIMELINE_EMOJI`) on a message in an incident channel puts that message on the
 * timeline: its text, author, its own time (the message's ts, not the reaction's), thread parent, permalink
 * and files. The message comes from the database when it was seen arriving, else from Slack once. The
 * entry's source key is the message, so two reactors or a redelivery add one entry; removing the last
 * timeline reaction marks the entry removed (kept for the audit trail).
 */
import type { IncidentKey } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import { ChatError } from '../../domain/ports.js';
import { type TimelineEntry, tsToMillis } from '../../domain/timeline.js';
import { isTimelineReaction, messageSourceKey } from '../../domain/timeline-reaction.js';
import type { Ports } from '../ports.js';
import type { MessagePermalinks } from './message-permalink.js';
import type { IncidentChannels } from './incident-channels.js';
import type { SeenMessage } from './record-message.js';

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

export interface ReactionResult {
  outcome: ReactionOutcome;
  notices: Notice[];
}

type ReactionPorts = Pick<Ports, 'store' | 'clock' | 'chat' | 'config' | 'log'>;

const quiet = (outcome: ReactionOutcome): ReactionResult => ({ outcome, notices: [] });

/**
 * Adds the reacted message to the timeline (once). Slack failing while the message is read adds nothing and
 * returns `pin_failed`, so the channel can be told.
 */
export async function addTimelineReaction(
  ports: ReactionPorts,
  channels: IncidentChannels,
  permalinks: MessagePermalinks,
  r: TimelineReactionInput,
): Promise<ReactionResult> {
  const { store } = ports;
  // any other reaction costs nothing: no read of the incident
  if (!isTimelineReaction(r.reaction, ports.config.TIMELINE_EMOJI)) return quiet('ignored');
  const incident = await channels.of(r.channelId);
  if (!incident) return quiet('ignored');
  const now = ports.clock.now();
  // The usual case (message seen arriving, permalink known) is one transaction and no Slack call.
  const step = await store.tx(async (): Promise<ReactionResult | { read: SeenMessage | null }> => {
    await store.reactions.add({ channelId: r.channelId, ts: r.ts, userId: r.userId, emoji: r.reaction }, now);
    const entry = await store.timeline.bySourceKey(incident.number, messageSourceKey(r.channelId, r.ts));
    if (entry?.state === 'removed') {
      // A message deleted since it was taken off the timeline comes back as nothing: its words are gone.
      if (
        entry.meta.deletedAt !== undefined ||
        (await store.messages.get(r.channelId, r.ts))?.deletedAt != null
      )
        return quiet('message_gone');
      await store.timeline.setState(entry.id, 'active');
      const restored = { ...entry, state: 'active' as const };
      return {
        outcome: 'restored',
        notices: [{ kind: 'entry_pinned', incident, entry: restored, by: r.userId, restored: true }],
      };
    }
    if (entry) return quiet('already_on_timeline');
    const stored = await store.messages.get(r.channelId, r.ts);
    if (stored?.deletedAt != null) return quiet('message_gone');
    const link = stored && permalinks.known(r.channelId, r.ts, stored.threadTs);
    if (!stored || !link) return { read: stored };
    return addEntry(ports, incident, r, stored, link, now);
  });
  if ('outcome' in step) {
    if (step.outcome === 'message_gone') logGone(ports, r);
    return step;
  }
  let message = step.read;
  if (!message) {
    try {
      const fetched = await ports.chat.fetchMessage(r.channelId, r.ts);
      if (!fetched) {
        logGone(ports, r);
        return quiet('message_gone');
      }
      const { user, ...rest } = fetched;
      message = { channelId: r.channelId, ...rest, userId: user };
      await store.messages.addIfNew(message, ports.clock.now());
    } catch (e) {
      return fetchFailed(ports, incident, r, e);
    }
  }
  const permalink = await permalinks.of(r.channelId, r.ts, message.threadTs);
  return addEntry(ports, incident, r, message, permalink, ports.clock.now());
}

/** Stores the entry of a message; its source key (the message) makes a second one impossible. */
async function addEntry(
  ports: Pick<Ports, 'store' | 'log'>,
  incident: IncidentKey,
  r: TimelineReactionInput,
  message: SeenMessage,
  permalink: string | null,
  now: number,
): Promise<ReactionResult> {
  const added: TimelineEntry | null = await ports.store.timeline.add(
    {
      incidentNumber: incident.number,
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
  if (!added) return quiet('already_on_timeline');
  ports.log.info({ incident: incident.number, entry: added.id }, 'message added to the timeline');
  return {
    outcome: 'added',
    notices: [{ kind: 'entry_pinned', incident, entry: added, by: r.userId, restored: false }],
  };
}

const logGone = (ports: Pick<Ports, 'log'>, r: TimelineReactionInput): void =>
  ports.log.info(
    { channel: r.channelId, ts: r.ts },
    'timeline reaction on a message deleted before it could be read; no entry',
  );

/** Forgets the reaction; when it was the message's last timeline reaction, the entry is marked removed. */
export async function removeTimelineReaction(
  ports: Pick<Ports, 'store' | 'config'>,
  channels: IncidentChannels,
  r: TimelineReactionInput,
): Promise<ReactionResult> {
  const { store } = ports;
  if (!isTimelineReaction(r.reaction, ports.config.TIMELINE_EMOJI)) return quiet('ignored');
  const incident = await channels.of(r.channelId);
  if (!incident) return quiet('ignored');
  return store.tx(async (): Promise<ReactionResult> => {
    await store.reactions.remove({ channelId: r.channelId, ts: r.ts, userId: r.userId, emoji: r.reaction });
    if ((await store.reactions.count(r.channelId, r.ts)) > 0) return quiet('kept');
    const entry = await store.timeline.bySourceKey(incident.number, messageSourceKey(r.channelId, r.ts));
    if (entry?.state !== 'active') return quiet('kept');
    await store.timeline.setState(entry.id, 'removed');
    const removed = { ...entry, state: 'removed' as const };
    return {
      outcome: 'removed',
      notices: [{ kind: 'entry_unpinned', incident, entry: removed, by: r.userId }],
    };
  });
}

/** After the Web API client's last retry: nothing added, and a notice so nobody assumes the entry exists. */
function fetchFailed(
  ports: Pick<Ports, 'log'>,
  incident: IncidentKey,
  r: TimelineReactionInput,
  err: unknown,
): ReactionResult {
  const code = err instanceof ChatError ? err.code : (err as Error).message;
  ports.log.warn(
    { channel: r.channelId, ts: r.ts, error: code },
    'could not read the reacted message; no entry added',
  );
  return {
    outcome: 'fetch_failed',
    notices: [
      {
        kind: 'pin_failed',
        incident,
        channelId: r.channelId,
        ts: r.ts,
        author: r.itemUser,
        reaction: r.reaction,
        error: code,
      },
    ],
  };
}
