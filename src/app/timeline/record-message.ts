/**
 * Messages posted in incident channels are recorded as they arrive, so that a timeline reaction finds the
 * message in the database and needs no (rate-limited) Slack call.
 */
import type { FileRef } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import type { IncidentChannels } from './incident-channels.js';

/** A Slack message as the timeline needs it. */
export interface SeenMessage {
  channelId: string;
  ts: string;
  /** the thread parent's ts for a reply; null otherwise */
  threadTs: string | null;
  /** author: user id, or bot id for a bot message without a user */
  userId: string | null;
  text: string;
  files: FileRef[];
}

/**
 * Records a new message of an incident channel; false when the channel is not an incident's or it was known.
 * A message deleted before its event arrived (a late delivery or a retry) stays deleted, and the event that
 * brought its words back is blanked.
 */
export async function recordMessage(
  ports: Pick<Ports, 'store' | 'clock'>,
  channels: IncidentChannels,
  m: SeenMessage,
): Promise<boolean> {
  if (!(await channels.of(m.channelId))) return false;
  if (await ports.store.messages.addIfNew(m, ports.clock.now())) return true;
  if ((await ports.store.messages.get(m.channelId, m.ts))?.deletedAt != null)
    await forgetDeletedMessage(ports, m.channelId, m.ts);
  return false;
}

/** Blanks what arrived about a message already known to be deleted (a late or retried event). */
export async function forgetDeletedMessage(
  ports: Pick<Ports, 'store'>,
  channelId: string,
  ts: string,
): Promise<void> {
  const { store } = ports;
  if ((await store.tx(async () => store.inbound.blankSlackMessage(channelId, ts))) > 0)
    await store.eraseLog();
}
