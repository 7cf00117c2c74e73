/**
 * The timeline's Events API handlers: messages in incident channels are recorded (edits and deletions
 * follow them onto the timeline), and timeline reactions add or remove entries. Events about channels that
 * are not an incident's are ignored without a word. `channels` is the process's memory of which channel is
 * which incident's, shared by these handlers.
 */
import type { Ports } from '../../../app/ports.js';
import type { IncidentChannels } from '../../../app/timeline/incident-channels.js';
import { applyMessageDeletion, applyMessageEdit } from '../../../app/timeline/message-edits.js';
import type { MessagePermalinks } from '../../../app/timeline/message-permalink.js';
import { recordMessage } from '../../../app/timeline/record-message.js';
import { addTimelineReaction, removeTimelineReaction } from '../../../app/timeline/timeline-reaction.js';
import type { Notice } from '../../../domain/notices.js';
import { tsToMillis } from '../../../domain/timeline.js';
import { isSlackTs } from '../../../domain/timeline-reaction.js';
import type { EventContext, EventHandler, SlackEvent } from '../event-processor.js';
import { reactionOf, SPOKEN_SUBTYPES, seenMessage } from './slack-message.js';

/** Tells what an event changed; most events change nothing anyone is told about, and cost no promise. */
const tell = (deps: Ports, notices: readonly Notice[]): Promise<void> | undefined =>
  notices.length ? deps.notifier.notify(notices) : undefined;

/** `message` events: new messages, `message_changed`, `message_deleted`. */
export function onMessageEvent(deps: Ports, channels: IncidentChannels): EventHandler {
  return async (event: SlackEvent, ctx: EventContext) => {
    const channelId = typeof event.channel === 'string' ? event.channel : null;
    if (!channelId) return;
    if (event.subtype === 'message_changed') return messageChanged(deps, channels, channelId, event, ctx);
    if (event.subtype === 'message_deleted') {
      if (!isSlackTs(event.deleted_ts)) return;
      return messageDeleted(deps, channels, channelId, event.deleted_ts, event.previous_message, ctx);
    }
    if (!SPOKEN_SUBTYPES.has(event.subtype)) return;
    const m = seenMessage(channelId, event);
    if (m) await recordMessage(deps, channels, m);
  };
}

async function messageChanged(
  deps: Ports,
  channels: IncidentChannels,
  channelId: string,
  event: SlackEvent,
  ctx: EventContext,
): Promise<void> {
  const inner = event.message as Record<string, unknown> | undefined;
  const m = seenMessage(channelId, inner);
  if (!m) return;
  // Deleting a thread parent that has replies leaves a tombstone, announced as a change.
  if (inner?.subtype === 'tombstone')
    return messageDeleted(deps, channels, channelId, m.ts, event.previous_message, ctx);
  const edited = (inner?.edited as { ts?: unknown } | undefined)?.ts;
  const editedAt = isSlackTs(edited) ? tsToMillis(edited) : deps.clock.now();
  const { outcome, notices } = await applyMessageEdit(deps, channels, m, editedAt);
  if (outcome === 'entry_updated')
    ctx.log.info({ channel: channelId, ts: m.ts }, 'timeline entry edited in Slack');
  return tell(deps, notices);
}

async function messageDeleted(
  deps: Ports,
  channels: IncidentChannels,
  channelId: string,
  ts: string,
  previous: unknown,
  ctx: EventContext,
): Promise<void> {
  const { outcome, notices } = await applyMessageDeletion(deps, channels, {
    channelId,
    ts,
    previous: seenMessage(channelId, previous),
  });
  if (outcome === 'entry_deleted')
    ctx.log.info({ channel: channelId, ts }, 'timeline entry deleted in Slack; its text is blanked');
  return tell(deps, notices);
}

/** `reaction_added`: a timeline reaction puts the message on the timeline. */
export function onReactionAdded(
  deps: Ports,
  channels: IncidentChannels,
  permalinks: MessagePermalinks,
): EventHandler {
  return async (event, ctx) => {
    const r = reactionOf(event);
    if (!r) return;
    // The event's own logger: its lines carry the event id.
    const { notices } = await addTimelineReaction({ ...deps, log: ctx.log }, channels, permalinks, r);
    await tell(deps, notices);
  };
}

/** `reaction_removed`: the last timeline reaction gone takes the entry off the timeline. */
export function onReactionRemoved(deps: Ports, channels: IncidentChannels): EventHandler {
  return async (event, ctx) => {
    const r = reactionOf(event);
    if (!r) return;
    const { outcome, notices } = await removeTimelineReaction(deps, channels, r);
    if (outcome === 'removed') ctx.log.info({ channel: r.channelId, ts: r.ts }, 'timeline entry removed');
    return tell(deps, notices);
  };
}
