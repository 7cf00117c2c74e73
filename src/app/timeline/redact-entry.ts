/**
 * `redact <entry number>`: blanks a timeline entry (a pasted password, say) and records who redacted it and
 * when. The entry keeps its number, kind, author and time, so the timeline still shows that something was
 * there. For a message put on the timeline, Muster's copies of the message go too (the message cache and
 * the stored events that carried it); postmortem drafts written since the entry was recorded lose their
 * stored text. The write-ahead log is then emptied, so the words leave the disk (see message-edits.ts).
 */
import type { Incident } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { Redaction } from '../../domain/notices/timeline.js';
import { checkRedaction } from '../../domain/redaction.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';

export interface RedactInput {
  incident: Incident;
  userId: string;
  /** the entry's number within the incident */
  number: number;
}

/** What was blanked (see the `entry_redacted` notice). */
export type Redacted = Redaction;

/**
 * Blanks the records an entry's words were copied from: the cached message and its stored events, the action
 * item (and its other entries), the page's message, the resolution summary. Returns which it blanked.
 */
async function blankSources(
  ports: Pick<Ports, 'store'>,
  incident: Incident,
  entry: TimelineEntry,
  userId: string,
  now: number,
): Promise<Redacted['also']> {
  const { store } = ports;
  const { channelId, messageTs, actionId, pageId } = entry.meta;
  if (entry.kind === 'message' && typeof channelId === 'string' && typeof messageTs === 'string') {
    await store.messages.blank(channelId, messageTs);
    await store.inbound.blankSlackMessage(channelId, messageTs);
    return ['message'];
  }
  if (entry.kind === 'action' && typeof actionId === 'number') {
    await store.actions.blankText(actionId);
    for (const other of await store.timeline.ofAction(incident.number, actionId))
      if (other.redactedAt === null) await store.timeline.redact(other.id, userId, now);
    return ['action'];
  }
  if (entry.kind === 'page' && typeof pageId === 'number' && (await store.pages.get(pageId))?.message) {
    await store.pages.update(pageId, { message: null });
    return ['page'];
  }
  const current = await store.incidents.get(incident.number);
  if (entry.kind === 'resolved' && current?.summary && entry.text === `Resolved: ${current.summary}`) {
    await store.incidents.update(incident.number, { summary: null }, now);
    return ['summary'];
  }
  return [];
}

/**
 * Blanks the entry; DomainError when there is no such entry, the user may not, or it is already blank.
 * Returns what was blanked and the `entry_redacted` notice.
 */
export async function redactEntry(
  ports: Pick<Ports, 'store' | 'clock' | 'log'>,
  input: RedactInput,
): Promise<Redacted & { notices: Notice[] }> {
  const { store } = ports;
  const { incident, userId, number } = input;
  const now = ports.clock.now();
  const redaction = await store.tx(async (): Promise<Redacted> => {
    const entry = checkRedaction({
      incidentNumber: incident.number,
      number,
      entry: await store.timeline.byNumber(incident.number, number),
      holders: await store.incidents.holders(incident.number),
      userId,
    });
    await store.timeline.redact(entry.id, userId, now);
    const also = await blankSources(ports, incident, entry, userId, now);
    const drafts = await store.postmortems.forgetContent(incident.number, entry.recordedAt);
    return {
      entry: {
        number: entry.number,
        kind: entry.kind,
        actor: entry.actor,
        occurredAt: entry.occurredAt,
        meta: { ...(typeof entry.meta.permalink === 'string' ? { permalink: entry.meta.permalink } : {}) },
      },
      drafts,
      also,
    };
  });
  await store.eraseLog();
  ports.log.info({ incident: incident.number, entry: number, by: userId }, 'timeline entry redacted');
  return { ...redaction, notices: [{ kind: 'entry_redacted', incident, redaction, by: userId }] };
}
