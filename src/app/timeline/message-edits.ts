/**
 * Edits and deletions in Slack follow a message onto the timeline. An edit replaces the entry's text (the
 * first text is kept in original_text). A deletion means the words are gone: the entry keeps only that a
 * message was deleted and when, and Muster blanks every copy it holds (the message cache, the stored events
 * that carried it, postmortem drafts written since), then empties the database's write-ahead log so the old
 * bytes leave the disk as well (secure_delete zeroes them in the database file).
 */
import type { Notice } from '../../domain/notices.js';
import type { EntryMeta } from '../../domain/timeline.js';
import { messageSourceKey } from '../../domain/timeline-reaction.js';
import type { Ports } from '../ports.js';
import type { IncidentChannels } from './incident-channels.js';
import { forgetDeletedMessage, type SeenMessage } from './record-message.js';

export type EditOutcome = 'ignored' | 'recorded' | 'entry_updated' | 'message_deleted';
export type DeletionOutcome = 'ignored' | 'recorded' | 'entry_deleted';

const sameFiles = (a: EntryMeta['files'], b: EntryMeta['files']): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * Applies `message_changed`: the stored message and its entry (when on the timeline) take the new text and
 * files. An edit of a message deleted since (delivered late, or retried) changes nothing, and its own stored
 * event is blanked; a redacted entry stays blank.
 */
export async function applyMessageEdit(
  ports: Pick<Ports, 'store' | 'clock'>,
  channels: IncidentChannels,
  m: SeenMessage,
  editedAt: number,
): Promise<{ outcome: EditOutcome; notices: Notice[] }> {
  const { store } = ports;
  const incident = await channels.of(m.channelId);
  if (!incident) return { outcome: 'ignored', notices: [] };
  if ((await store.messages.get(m.channelId, m.ts))?.deletedAt != null) {
    await forgetDeletedMessage(ports, m.channelId, m.ts);
    return { outcome: 'message_deleted', notices: [] };
  }
  const now = ports.clock.now();
  return store.tx(async (): Promise<{ outcome: EditOutcome; notices: Notice[] }> => {
    await store.messages.edit(m, editedAt, now);
    const key = messageSourceKey(m.channelId, m.ts);
    const entry = await store.timeline.bySourceKey(incident.number, key);
    const recorded = { outcome: 'recorded' as const, notices: [] };
    if (!entry || entry.redactedAt !== null) return recorded;
    // Slack also sends message_changed for unfurls and reply counts: only real changes touch the entry.
    const textChanged = entry.text !== m.text;
    const filesChanged = !sameFiles(entry.meta.files, m.files);
    if (!textChanged && !filesChanged) return recorded;
    if (textChanged) await store.timeline.edit(entry.id, m.text, { editedAt, files: m.files });
    else await store.timeline.updateMeta(entry.id, { files: m.files });
    const edited = (await store.timeline.bySourceKey(incident.number, key))!;
    return { outcome: 'entry_updated', notices: [{ kind: 'entry_edited', incident, entry: edited }] };
  });
}

/**
 * Applies `message_deleted` (or a thread parent's tombstone): the stored message and its entry are blanked
 * and marked deleted, and every stored event carrying the message loses its text. An entry taken off the
 * timeline before is blanked too but stays off. Events about a channel that is no incident's are blanked as
 * well: Muster stores every event it receives.
 */
export async function applyMessageDeletion(
  ports: Pick<Ports, 'store' | 'clock'>,
  channels: IncidentChannels,
  d: { channelId: string; ts: string; previous: SeenMessage | null },
): Promise<{ outcome: DeletionOutcome; notices: Notice[] }> {
  const { store } = ports;
  const incident = await channels.of(d.channelId);
  const now = ports.clock.now();
  const result = await store.tx(async (): Promise<{ outcome: DeletionOutcome; notices: Notice[] }> => {
    await store.inbound.blankSlackMessage(d.channelId, d.ts);
    if (!incident) return { outcome: 'ignored', notices: [] };
    await store.messages.markDeleted(d.channelId, d.ts, now, d.previous);
    const key = messageSourceKey(d.channelId, d.ts);
    const entry = await store.timeline.bySourceKey(incident.number, key);
    if (!entry) return { outcome: 'recorded', notices: [] };
    await store.postmortems.forgetContent(incident.number, entry.recordedAt);
    // A removed entry stays removed (someone took it off the timeline before the message went), but blank.
    if (entry.state !== 'active') {
      await store.timeline.blank(entry.id, entry.state === 'deleted' ? {} : { deletedAt: now });
      return { outcome: 'recorded', notices: [] };
    }
    await store.timeline.setState(entry.id, 'deleted');
    await store.timeline.blank(entry.id, { deletedAt: now });
    // The entry as it is now: blank. The words are gone from the notice too.
    const deleted = (await store.timeline.bySourceKey(incident.number, key))!;
    return { outcome: 'entry_deleted', notices: [{ kind: 'entry_deleted', incident, entry: deleted }] };
  });
  await store.eraseLog();
  return result;
}
