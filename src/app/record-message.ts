/**
 * Messages posted in incident channels are recorded as they arrive, so that a timeline reaction finds the
 * message in the database and needs no (rate-limited) Slack call.
 */
import type { Incident } from '../domain/incident.js';
import type { FileRef } from '../domain/timeline.js';
import type { Deps } from './deps.js';

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

/** The incident whose channel this is, or null: events elsewhere are none of Muster's business. */
export const incidentOfChannel = (deps: Deps, channelId: string): Incident | null =>
  deps.store.incidents.byChannel(channelId);

/** Records a new message of an incident channel; false when the channel is not an incident's or it was known. */
export function recordMessage(deps: Deps, m: SeenMessage): boolean {
  if (!incidentOfChannel(deps, m.channelId)) return false;
  return deps.store.messages.addIfNew(m, deps.clock.now());
}
