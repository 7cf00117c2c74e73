/**
 * The telling half of every lifecycle use case, after Slack was answered: a short confirmation in the
 * incident channel, a reply in the announcement thread, the headline, the announcement parent and the topic
 * brought up to date. Every step is optional (bestEffort): the change is already stored, so a Slack failure
 * is logged and told once in the channel, never undone. Publications of one incident run one at a time, in
 * order, so an older headline never overwrites a newer one.
 */
import { ChatError, type ChatMessage } from '../../../domain/ports.js';
import { announceChannelOf } from '../../../app/incident/private-announce.js';
import type { Ports } from '../../../app/ports.js';
import { bestEffort, refreshAnnouncement, refreshHeadline, refreshTopic } from './headline-refresh.js';

export interface Publication {
  /** the confirmation posted in the incident channel */
  channel?: ChatMessage;
  /** the reply in the announcement thread; `broadcast` also shows it in the announce channel */
  thread?: ChatMessage;
  /** steps of the change itself (invite, checklist...), run before the confirmation */
  steps?: [string, () => Promise<unknown>][];
  /** the topic shows severity, status and commander: refresh it when one of them changed */
  topic?: boolean;
  /** the announcement parent shows severity, status and commander */
  announcement?: boolean;
  /** refresh the pinned headline (default true; an update changes nothing it shows) */
  headline?: boolean;
}

const queues = new WeakMap<Ports, Map<number, Promise<unknown>>>();

/** Runs `fn` after every earlier publication of the same incident has finished. */
export function serially<T>(deps: Ports, number: number, fn: () => Promise<T>): Promise<T> {
  const byIncident = queues.get(deps) ?? new Map<number, Promise<unknown>>();
  queues.set(deps, byIncident);
  const previous = byIncident.get(number) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.catch(() => undefined);
  byIncident.set(number, settled);
  void settled.then(() => {
    if (byIncident.get(number) === settled) byIncident.delete(number);
  });
  return next;
}

/** Posts in a channel; when the bot is not a member (`not_in_channel`), it joins once and posts again. */
export async function postJoining(
  deps: Ports,
  channelId: string,
  message: ChatMessage,
): Promise<{ ts: string }> {
  try {
    return await deps.chat.post(channelId, message);
  } catch (e) {
    if (!(e instanceof ChatError && e.code === 'not_in_channel')) throw e;
    deps.log.info({ channel: channelId }, 'not in the channel; joining it to post');
    await deps.chat.join(channelId);
    return deps.chat.post(channelId, message);
  }
}

/**
 * Replies in the incident's announcement thread in INCIDENT_ANNOUNCE_CHANNEL, posting the parent first when
 * declaring could not. Returns true when it posted the parent (which is then current already).
 */
export async function replyInAnnouncement(
  deps: Ports,
  number: number,
  message: ChatMessage,
): Promise<boolean> {
  const incident = await deps.store.incidents.get(number);
  if (!incident) return false;
  const channel = announceChannelOf(deps.config, incident);
  if (!channel) return false;
  let parentTs = incident.announceTs;
  const postedParent = !parentTs;
  if (!parentTs) {
    const posted = await postJoining(deps, channel, await deps.presenter.announcement(incident));
    await deps.store.incidents.update(number, { announceTs: posted.ts }, deps.clock.now());
    parentTs = posted.ts;
  }
  await postJoining(deps, channel, { ...message, threadTs: parentTs });
  return postedParent;
}

/** Tells Slack about a stored change of incident `number`; returns the ts of the channel confirmation. */
export function publish(
  deps: Ports,
  number: number,
  p: Publication,
): Promise<{ confirmationTs: string | null }> {
  return serially(deps, number, async () => {
    const incident = await deps.store.incidents.get(number);
    if (!incident?.channelId) return { confirmationTs: null };
    const channelId = incident.channelId;
    let confirmationTs: string | null = null;
    let parentPosted = false;
    const steps: [string, () => Promise<unknown>][] = [];
    // the change's own steps first: a new role holder is in the channel before the confirmation names them
    steps.push(...(p.steps ?? []));
    if (p.channel) {
      const message = p.channel;
      steps.push([
        'post in the channel',
        async () => (confirmationTs = (await postJoining(deps, channelId, message)).ts),
      ]);
    }
    if (p.headline !== false) steps.push(['update the headline', () => refreshHeadline(deps, number)]);
    // one failure of the announce channel is told once, not again by the parent's refresh
    let announceFailed = false;
    const announce = announceChannelOf(deps.config, incident);
    // a private incident's updates, resolution and reopening never reach the announce channel with their
    // words: only its redacted announcement is brought up to date
    const thread = incident.private ? undefined : p.thread;
    if (thread && announce) {
      const message = thread;
      steps.push([
        'post in the announcement thread',
        async () => {
          try {
            parentPosted = await replyInAnnouncement(deps, number, message);
          } catch (e) {
            announceFailed = true;
            throw e;
          }
        },
      ]);
    }
    if (p.announcement !== false && (p.announcement || p.thread) && announce) {
      steps.push([
        'update the announcement',
        async () => (parentPosted || announceFailed ? undefined : refreshAnnouncement(deps, number)),
      ]);
    }
    if (p.topic) steps.push(['set the topic', () => refreshTopic(deps, number)]);
    await bestEffort(deps, incident, steps);
    return { confirmationTs };
  });
}
