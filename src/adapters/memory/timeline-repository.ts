/**
 * Timeline entries in memory. As in SQLite: the (incident, source key) pair is unique and a repeat adds nothing;
 * the entry number is the incident's highest plus one, taken only by an entry actually added; meta is JSON.
 */
import type { TimelineRepo } from '../../domain/ports.js';
import {
  byOccurrence,
  type EntryKind,
  type EntryMeta,
  type EntryState,
  type NewEntry,
  type TimelineEntry,
} from '../../domain/timeline.js';
import { asJson, checkIncident, copy, type MemoryDb, nextId } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** TimelineRepo in memory. */
export class MemoryTimelineRepository implements Synchronous<TimelineRepo> {
  constructor(private readonly db: MemoryDb) {}

  private entriesOf(incidentNumber: number): TimelineEntry[] {
    return [...this.db.tables.timeline.values()].filter((e) => e.incidentNumber === incidentNumber);
  }

  private row(id: number): TimelineEntry | undefined {
    return this.db.tables.timeline.get(id);
  }

  add(entry: NewEntry, recordedAt: number): TimelineEntry | null {
    const t = this.db.tables;
    const siblings = this.entriesOf(entry.incidentNumber);
    if (siblings.some((e) => e.sourceKey === entry.sourceKey)) return null;
    checkIncident(t, entry.incidentNumber);
    const row: TimelineEntry = {
      id: nextId(t, 'timeline'),
      incidentNumber: entry.incidentNumber,
      number: Math.max(0, ...siblings.map((e) => e.number)) + 1,
      kind: entry.kind,
      text: entry.text,
      originalText: null,
      actor: entry.actor,
      occurredAt: entry.occurredAt,
      recordedAt,
      sourceKey: entry.sourceKey,
      state: 'active',
      meta: asJson(entry.meta ?? {}),
      redactedBy: null,
      redactedAt: null,
    };
    t.timeline.set(row.id, row);
    return copy(row);
  }

  bySourceKey(incidentNumber: number, sourceKey: string): TimelineEntry | null {
    const row = this.entriesOf(incidentNumber).find((e) => e.sourceKey === sourceKey);
    return row ? copy(row) : null;
  }

  byNumber(incidentNumber: number, number: number): TimelineEntry | null {
    const row = this.entriesOf(incidentNumber).find((e) => e.number === number);
    return row ? copy(row) : null;
  }

  ofAction(incidentNumber: number, actionId: number): TimelineEntry[] {
    return this.entriesOf(incidentNumber)
      .filter((e) => e.meta.actionId === actionId)
      .map(copy);
  }

  list(incidentNumber: number, opts: { includeRemoved?: boolean } = {}): TimelineEntry[] {
    return this.entriesOf(incidentNumber)
      .filter((e) => opts.includeRemoved || e.state !== 'removed')
      .sort(byOccurrence)
      .map(copy);
  }

  latest(incidentNumber: number, kind: EntryKind): TimelineEntry | null {
    const row = this.entriesOf(incidentNumber)
      .filter((e) => e.kind === kind && e.state !== 'removed')
      .sort(byOccurrence)
      .at(-1);
    return row ? copy(row) : null;
  }

  countActive(incidentNumber: number): number {
    return this.entriesOf(incidentNumber).filter((e) => e.state !== 'removed').length;
  }

  setState(id: number, state: EntryState): void {
    const row = this.row(id);
    if (row) row.state = state;
  }

  edit(id: number, text: string, meta: EntryMeta): void {
    const row = this.row(id);
    if (!row || row.text === text) return;
    row.originalText = row.originalText ?? row.text;
    row.text = text;
    row.meta = asJson({ ...row.meta, ...meta });
  }

  blank(id: number, meta: EntryMeta = {}): void {
    const row = this.row(id);
    if (!row) return;
    // A resolution's summary and a reopening's reason are copied into meta beside the text.
    const { summary: _summary, reason: _reason, ...kept } = row.meta;
    row.text = '';
    row.originalText = null;
    row.meta = asJson({ ...kept, files: [], ...meta });
  }

  redact(id: number, by: string, at: number): void {
    this.blank(id);
    const row = this.row(id);
    if (!row) return;
    row.redactedBy = by;
    row.redactedAt = at;
  }

  updateMeta(id: number, meta: EntryMeta): void {
    const row = this.row(id);
    if (row) row.meta = asJson({ ...row.meta, ...meta });
  }
}
