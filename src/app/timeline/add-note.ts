/** `note <text>`: a timeline entry by the person who typed it, at the time they typed it. */
import { randomUUID } from 'node:crypto';
import type { IncidentKey } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';

export interface NoteInput {
  /** the incident the note goes to: its number is all a note needs of it */
  incident: IncidentKey;
  userId: string;
  /** Slack-formatted text as typed */
  text: string;
  /** what makes this note itself (the command's trigger_id): a repeated delivery of it adds nothing */
  requestKey: string | null;
}

/**
 * Stores the note, committed together with the other writes of the same moment (group commit); resolves
 * once it is committed, so it is stored before Slack is answered. Returns the entry (the existing one on a
 * repeat) and the `note_added` notice.
 */
export async function addNote(
  ports: Pick<Ports, 'store' | 'clock'>,
  input: NoteInput,
): Promise<{ entry: TimelineEntry; notices: Notice[] }> {
  const { store } = ports;
  const now = ports.clock.now();
  const sourceKey = `note:${input.requestKey ?? randomUUID()}`;
  const entry = await store.batched(async () => {
    const added = await store.timeline.add(
      {
        incidentNumber: input.incident.number,
        kind: 'note',
        text: input.text,
        actor: input.userId,
        occurredAt: now,
        sourceKey,
      },
      now,
    );
    return added ?? (await store.timeline.bySourceKey(input.incident.number, sourceKey))!;
  });
  return { entry, notices: [{ kind: 'note_added', incident: input.incident, entry }] };
}
