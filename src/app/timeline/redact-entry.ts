/**
 * `redact <entry number>`: blanks a timeline entry (a pasted password, say) and records who redacted it and
 * when. The entry keeps its number, kind, author and time, so the timeline still shows that something was
 * there. For a message put on the timeline, Muster's copies of the message go too (the message cache and
 * the stored events that carried it); postmortem drafts written since the entry was recorded lose their
 * stored text. The write-ahead log is then emptied, so the words leave the disk (see message-edits.ts).
 */
import type { Incident } from '../../domain/incident.js';
import { checkRedaction } from '../../domain/redaction.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';

export interface RedactInput {
  incident: Incident;
  userId: string;
  /** the entry's number within the incident */
  number: number;
}

export interface Redacted {
  /** the entry as it was before (its text is not to be shown: it is what was redacted) */
  entry: Pick<TimelineEntry, 'number' | 'kind' | 'actor' | 'occurredAt' | 'meta'>;
  /** postmortem drafts written since the entry was recorded: uploaded to Slack, they still hold it there */
  drafts: number;
  /** the records the entry repeated, blanked with it (they would print the words in the postmortem) */
  also: ('message' | 'action' | 'page' | 'summary')[];
}

/**
 * Blanks the records an entry's words were copied from: the cached message and its stored events, the action
 * item (and its other entries), the page's message, the resolution summary. Returns which it blanked.
 */
function blankSources(
  deps: Ports,
  incident: Incident,
  entry: TimelineEntry,
  userId: string,
  now: number,
): Redacted['also'] {
  const { channelId, messageTs, actionId, pageId } = entry.meta;
  if (entry.kind === 'message' && typeof channelId === 'string' && typeof messageTs === 'string') {
    deps.store.messages.blank(channelId, messageTs);
    deps.store.inbound.blankSlackMessage(channelId, messageTs);
    return ['message'];
  }
  if (entry.kind === 'action' && typeof actionId === 'number') {
    deps.store.actions.blankText(actionId);
    for (const other of deps.store.timeline.ofAction(incident.number, actionId))
      if (other.redactedAt === null) deps.store.timeline.redact(other.id, userId, now);
    return ['action'];
  }
  if (entry.kind === 'page' && typeof pageId === 'number' && deps.store.pages.get(pageId)?.message) {
    deps.store.pages.update(pageId, { message: null });
    return ['page'];
  }
  const current = deps.store.incidents.get(incident.number);
  if (entry.kind === 'resolved' && current?.summary && entry.text === `Resolved: ${current.summary}`) {
    deps.store.incidents.update(incident.number, { summary: null }, now);
    return ['summary'];
  }
  return [];
}

/** Blanks the entry; DomainError when there is no such entry, the user may not, or it is already blank. */
export function redactEntry(deps: Ports, input: RedactInput): Redacted {
  const { incident, userId, number } = input;
  const now = deps.clock.now();
  const result = deps.store.tx((): Redacted => {
    const entry = checkRedaction({
      incidentNumber: incident.number,
      number,
      entry: deps.store.timeline.byNumber(incident.number, number),
      holders: deps.store.incidents.holders(incident.number),
      userId,
    });
    deps.store.timeline.redact(entry.id, userId, now);
    const also = blankSources(deps, incident, entry, userId, now);
    const drafts = deps.store.postmortems.forgetContent(incident.number, entry.recordedAt);
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
  deps.store.eraseLog();
  deps.log.info({ incident: incident.number, entry: number, by: userId }, 'timeline entry redacted');
  return result;
}
