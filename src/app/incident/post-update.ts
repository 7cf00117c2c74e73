/** A status update (`update <text>`, the headline's Post update button): channel, announcement thread, timeline. */
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from './lifecycle-change.js';

export interface PostedUpdate {
  incident: Incident;
  entry: TimelineEntry;
  text: string;
  by: string;
  notices: Notice[];
}

/**
 * Stores the update as a timeline entry and as the incident's last update (which restarts the reminder
 * cadence). `text` is Slack-formatted. Throws `incident.resolved` on a resolved incident. Synchronous.
 */
export async function postUpdate(
  ports: Pick<Ports, 'store' | 'clock'>,
  input: { number: number; text: string; by: string },
): Promise<PostedUpdate> {
  const now = ports.clock.now();
  return ports.store.tx(async () => {
    const current = await loadIncident(ports, input.number);
    if (current.status === 'resolved') {
      throw new DomainError(
        'incident.resolved',
        `${incidentRef(input.number)} is resolved; \`/incident reopen\` it before posting updates.`,
      );
    }
    const entry = await recordEntry(
      ports,
      {
        incidentNumber: input.number,
        kind: 'update',
        text: input.text,
        actor: input.by,
        occurredAt: now,
        sourceKey: `update:${now}`,
        meta: { severity: current.severity, status: current.status },
      },
      now,
    );
    const incident = await ports.store.incidents.update(input.number, { lastUpdateAt: now }, now);
    const posted = { incident, entry, text: input.text, by: input.by };
    return { ...posted, notices: [{ kind: 'update_posted', ...posted }] };
  });
}
