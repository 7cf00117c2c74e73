/**
 * Which incident a channel is, for the events that arrive in incident channels: messages, edits, deletions
 * and timeline reactions. A storm of them in one channel then reads the incident once per process, not once
 * per event (on PostgreSQL, one round trip fewer for each).
 *
 * What is kept cannot go stale, in this process or in others sharing the database: a channel becomes an
 * incident's when the incident is provisioned and is never given to another, and incidents are never deleted.
 * So only that pairing is kept, the incident's number, and nothing that changes (title, status, roles,
 * privacy): what these events need of the incident is where their entries go. A channel found to be no
 * incident's is asked again at its next event, since it may be one's by then.
 */
import type { IncidentKey } from '../../domain/incident.js';
import type { IncidentRepo } from '../../domain/ports.js';

/** At most this many channels are remembered; beyond it the one first remembered is forgotten (and read again). */
export const REMEMBERED_CHANNELS = 10_000;

export class IncidentChannels {
  /** channel id → incident number, oldest first */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly store: { incidents: Pick<IncidentRepo, 'byChannel'> },
    private readonly max = REMEMBERED_CHANNELS,
  ) {}

  /** The incident whose channel this is, or null: events elsewhere are none of Muster's business. */
  async of(channelId: string): Promise<IncidentKey | null> {
    const number = this.known.get(channelId);
    if (number !== undefined) return { number };
    const incident = await this.store.incidents.byChannel(channelId);
    if (!incident) return null;
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value as string);
    this.known.set(channelId, incident.number);
    return { number: incident.number };
  }
}
