/** A status update (`update <text>`, the headline's Post update button): channel, announcement thread, timeline. */
import { updateMessage, updateThreadReply } from '../../adapters/slack/blocks/lifecycle-messages.js';
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident } from '../../domain/incident.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { loadIncident, recordEntry } from './lifecycle-change.js';

export interface PostedUpdate {
  incident: Incident;
  entry: TimelineEntry;
  text: string;
  by: string;
}

/**
 * Stores the update as a timeline entry and as the incident's last update (which restarts the reminder
 * cadence). `text` is Slack-formatted. Throws `incident.resolved` on a resolved incident. Synchronous.
 */
export function postUpdate(deps: Ports, input: { number: number; text: string; by: string }): PostedUpdate {
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const current = loadIncident(deps, input.number);
    if (current.status === 'resolved') {
      throw new DomainError(
        'incident.resolved',
        `${incidentRef(input.number)} is resolved; \`/incident reopen\` it before posting updates.`,
      );
    }
    const entry = recordEntry(
      deps,
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
    const incident = deps.store.incidents.update(input.number, { lastUpdateAt: now }, now);
    return { incident, entry, text: input.text, by: input.by };
  });
}

/** Posts the update in the channel and in the announcement thread; the channel message is linked to the entry. */
export async function publishUpdate(deps: Ports, posted: PostedUpdate): Promise<void> {
  const { confirmationTs } = await publish(deps, posted.incident.number, {
    channel: updateMessage(posted.incident, posted.text, posted.by),
    thread: updateThreadReply(posted.incident, posted.text, posted.by),
    headline: false,
    announcement: false,
  });
  if (confirmationTs && posted.incident.channelId) {
    deps.store.timeline.updateMeta(posted.entry.id, {
      channelId: posted.incident.channelId,
      messageTs: confirmationTs,
    });
  }
}
