/**
 * Edits and deletions in Slack follow a message onto the timeline. An edit replaces the entry's text (the
 * first text is kept in original_text). A deletion means the words are gone: the entry keeps only that a
 * message was deleted and when, and Muster blanks every copy it holds (the message cache, the stored events
 * that carried it, postmortem drafts written since), then empties the database's write-ahead log so the old
 * bytes leave the disk as well (secure_delete zeroes them in the database file).
 */
import type { EntryMeta, TimelineEntry } from '../../domain/timeline.js';
import { messageSourceKey } from '../../domain/timeline-reaction.js';
import type { Ports } from '../ports.js';
import { forgetDeletedMessage, incidentOfChannel, type SeenMessage } from './record-message.js';

export type EditOutcome = 'ignored' | 'recorded' | 'entry_updated' | 'message_deleted';

const sameFiles = (a: EntryMeta['files'], b: EntryMeta['files']): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * Applies `message_changed`: the stored message and its entry (when on the timeline) take the new text and
 * files. An edit of a message deleted since (delivered late, or retried) changes nothing, and its own stored
 * event is blanked; a redacted entry stays blank.
 */
export function applyMessageEdit(deps: Ports, m: SeenMessage, editedAt: number): EditOutcome {
  const incident = incidentOfChannel(deps, m.channelId);
  if (!incident) return 'ignored';
  if (deps.store.messages.get(m.channelId, m.ts)?.deletedAt != null) {
    forgetDeletedMessage(deps, m.channelId, m.ts);
    return 'message_deleted';
  }
  const now = deps.clock.now();
  return deps.store.tx(() => {
    deps.store.messages.edit(m, editedAt, now);
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(m.channelId, m.ts));
    if (!entry || entry.redactedAt !== null) return 'recorded';
    // Slack also sends message_changed for unfurls and reply counts: only real changes touch the entry.
    const textChanged = entry.text !== m.text;
    const filesChanged = !sameFiles(entry.meta.files, m.files);
    if (!textChanged && !filesChanged) return 'recorded';
    if (textChanged) deps.store.timeline.edit(entry.id, m.text, { editedAt, files: m.files });
    else deps.store.timeline.updateMeta(entry.id, { files: m.files });
    return 'entry_updated';
  });
}

/**
 * Applies `message_deleted` (or a thread parent's tombstone): the stored message and its entry are blanked
 * and marked deleted, and every stored event carrying the message loses its text. An entry taken off the
 * timeline before is blanked too but stays off. Events about a channel that is no incident's are blanked as
 * well: Muster stores every event it receives.
 */
export function applyMessageDeletion(
  deps: Ports,
  d: { channelId: string; ts: string; previous: SeenMessage | null },
): { outcome: 'ignored' | 'recorded' | 'entry_deleted'; entry: TimelineEntry | null } {
  const incident = incidentOfChannel(deps, d.channelId);
  const now = deps.clock.now();
  const result = deps.store.tx(() => {
    deps.store.inbound.blankSlackMessage(d.channelId, d.ts);
    if (!incident) return { outcome: 'ignored' as const, entry: null };
    deps.store.messages.markDeleted(d.channelId, d.ts, now, d.previous);
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(d.channelId, d.ts));
    if (!entry) return { outcome: 'recorded' as const, entry: null };
    deps.store.postmortems.forgetContent(incident.number, entry.recordedAt);
    // A removed entry stays removed (someone took it off the timeline before the message went), but blank.
    if (entry.state !== 'active') {
      deps.store.timeline.blank(entry.id, entry.state === 'deleted' ? {} : { deletedAt: now });
      return { outcome: 'recorded' as const, entry: null };
    }
    deps.store.timeline.setState(entry.id, 'deleted');
    deps.store.timeline.blank(entry.id, { deletedAt: now });
    return { outcome: 'entry_deleted' as const, entry };
  });
  deps.store.eraseLog();
  return result;
}
