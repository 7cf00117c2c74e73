/**
 * Edits and deletions in Slack follow a message onto the timeline: an edit replaces the entry's text (the
 * first text is kept in original_text), a deletion marks the entry deleted and keeps its text, because the
 * postmortem must still say what was written.
 */
import type { EntryMeta, TimelineEntry } from '../domain/timeline.js';
import { messageSourceKey } from '../domain/timeline-reaction.js';
import type { Deps } from './deps.js';
import { incidentOfChannel, type SeenMessage } from './record-message.js';

export type EditOutcome = 'ignored' | 'recorded' | 'entry_updated';

const sameFiles = (a: EntryMeta['files'], b: EntryMeta['files']): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Applies `message_changed`: the stored message and its entry (when on the timeline) take the new text and files. */
export function applyMessageEdit(deps: Deps, m: SeenMessage, editedAt: number): EditOutcome {
  const incident = incidentOfChannel(deps, m.channelId);
  if (!incident) return 'ignored';
  const now = deps.clock.now();
  return deps.store.tx(() => {
    deps.store.messages.edit(m, editedAt, now);
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(m.channelId, m.ts));
    if (!entry) return 'recorded';
    // Slack also sends message_changed for unfurls and reply counts: only real changes touch the entry.
    const textChanged = entry.text !== m.text;
    const filesChanged = !sameFiles(entry.meta.files, m.files);
    if (!textChanged && !filesChanged) return 'recorded';
    if (textChanged) deps.store.timeline.edit(entry.id, m.text, { editedAt, files: m.files });
    else deps.store.timeline.updateMeta(entry.id, { files: m.files });
    return 'entry_updated';
  });
}

/** Applies `message_deleted`: the stored message and its entry are marked deleted; their text stays. */
export function applyMessageDeletion(
  deps: Deps,
  d: { channelId: string; ts: string; previous: SeenMessage | null },
): { outcome: 'ignored' | 'recorded' | 'entry_deleted'; entry: TimelineEntry | null } {
  const incident = incidentOfChannel(deps, d.channelId);
  if (!incident) return { outcome: 'ignored', entry: null };
  const now = deps.clock.now();
  return deps.store.tx(() => {
    deps.store.messages.markDeleted(d.channelId, d.ts, now, d.previous);
    const entry = deps.store.timeline.bySourceKey(incident.number, messageSourceKey(d.channelId, d.ts));
    // A removed entry stays removed: someone took it off the timeline before the message went.
    if (entry?.state !== 'active') return { outcome: 'recorded', entry: null };
    deps.store.timeline.setState(entry.id, 'deleted');
    deps.store.timeline.updateMeta(entry.id, { deletedAt: now });
    return { outcome: 'entry_deleted', entry };
  });
}
