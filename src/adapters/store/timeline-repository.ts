/** Timeline entries. The unique (incident, source_key) index is the final guard against doubles. */
import type { TimelineRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, count, desc, eq, getTableColumns, ne, sql } from 'drizzle-orm';
import type { EntryKind, EntryMeta, EntryState, NewEntry, TimelineEntry } from '../../domain/timeline.js';
import type { Db } from './db.js';
import { timelineEntries } from './schema.js';

type Row = typeof timelineEntries.$inferSelect;

export const toEntry = (r: Row): TimelineEntry => ({
  id: r.id,
  incidentNumber: r.incidentNumber,
  number: r.number,
  kind: r.kind as EntryKind,
  text: r.text,
  originalText: r.originalText,
  actor: r.actor,
  occurredAt: r.occurredAt,
  recordedAt: r.recordedAt,
  sourceKey: r.sourceKey,
  state: r.state as EntryState,
  meta: r.meta as EntryMeta,
  redactedBy: r.redactedBy,
  redactedAt: r.redactedAt,
});

/** The table's columns in the order `select()` reads them: a row read as values has one value each. */
const COLUMNS = Object.entries(getTableColumns(timelineEntries));

/**
 * The row of a row read as values (what better-sqlite3 gives, unmapped), each value decoded by its column as
 * drizzle does (`meta` from JSON). Drizzle's own mapping of every row (a reduce over its fields, for joins it
 * never has here) made a fifth of the garbage of a 2,000-entry export; `toEntry` then makes the entry.
 */
const rowOfValues = (v: unknown[]): Row => {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < COLUMNS.length; i++) {
    const [name, column] = COLUMNS[i]!;
    const value = v[i];
    row[name] = value === null ? null : column.mapFromDriverValue(value);
  }
  return row as Row;
};

export class TimelineRepository implements Synchronous<TimelineRepo> {
  // Reactions and notes add entries at event rates: these two statements are prepared once, not rebuilt per call.
  private readonly addQuery;
  private readonly bySourceKeyQuery;
  // The whole timeline, read for every postmortem, timeline view and web page: prepared at its first use.
  private listQueries?: Record<'active' | 'all', ReturnType<TimelineRepository['prepareList']>>;

  constructor(private readonly db: Db) {
    this.addQuery = db
      .insert(timelineEntries)
      .values({
        incidentNumber: sql.placeholder('incidentNumber'),
        // The next number of the incident, read in the insert itself (the unique index makes it one lookup);
        // a repeated source key inserts nothing and so takes no number.
        number: sql`(select coalesce(max(${timelineEntries.number}), 0) + 1 from ${timelineEntries} where ${timelineEntries.incidentNumber} = ${sql.placeholder('incidentNumber')})`,
        kind: sql.placeholder('kind'),
        text: sql.placeholder('text'),
        actor: sql.placeholder('actor'),
        occurredAt: sql.placeholder('occurredAt'),
        recordedAt: sql.placeholder('recordedAt'),
        sourceKey: sql.placeholder('sourceKey'),
        meta: sql.placeholder('meta'),
      })
      .onConflictDoNothing()
      .returning()
      .prepare();
    this.bySourceKeyQuery = db
      .select()
      .from(timelineEntries)
      .where(
        and(
          eq(timelineEntries.incidentNumber, sql.placeholder('incidentNumber')),
          eq(timelineEntries.sourceKey, sql.placeholder('sourceKey')),
        ),
      )
      .prepare();
  }

  /** Adds an entry; a repeated source key adds nothing and returns null. */
  add(entry: NewEntry, recordedAt: number): TimelineEntry | null {
    const row = this.addQuery.get({
      incidentNumber: entry.incidentNumber,
      kind: entry.kind,
      text: entry.text,
      actor: entry.actor,
      occurredAt: entry.occurredAt,
      recordedAt,
      sourceKey: entry.sourceKey,
      meta: entry.meta ?? {},
    });
    return row ? toEntry(row) : null;
  }

  bySourceKey(incidentNumber: number, sourceKey: string): TimelineEntry | null {
    const row = this.bySourceKeyQuery.get({ incidentNumber, sourceKey });
    return row ? toEntry(row) : null;
  }

  /** The entry with this number in the incident, removed ones included. */
  byNumber(incidentNumber: number, number: number): TimelineEntry | null {
    const row = this.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentNumber, incidentNumber), eq(timelineEntries.number, number)))
      .get();
    return row ? toEntry(row) : null;
  }

  /** The incident's entries whose meta names this action item (its recording, its completion). */
  ofAction(incidentNumber: number, actionId: number): TimelineEntry[] {
    return this.db
      .select()
      .from(timelineEntries)
      .where(
        and(
          eq(timelineEntries.incidentNumber, incidentNumber),
          sql`json_extract(${timelineEntries.meta}, '$.actionId') = ${actionId}`,
        ),
      )
      .all()
      .map(toEntry);
  }

  /** Entries in timeline order; removed ones only when asked. */
  list(incidentNumber: number, opts: { includeRemoved?: boolean } = {}): TimelineEntry[] {
    this.listQueries ??= { active: this.prepareList(false), all: this.prepareList(true) };
    return this.listQueries[opts.includeRemoved ? 'all' : 'active']
      .values({ incidentNumber })
      .map((v) => toEntry(rowOfValues(v as unknown[])));
  }

  private prepareList(includeRemoved: boolean) {
    const ofIncident = eq(timelineEntries.incidentNumber, sql.placeholder('incidentNumber'));
    return this.db
      .select()
      .from(timelineEntries)
      .where(includeRemoved ? ofIncident : and(ofIncident, ne(timelineEntries.state, 'removed')))
      .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.recordedAt), asc(timelineEntries.id))
      .prepare();
  }

  latest(incidentNumber: number, kind: EntryKind): TimelineEntry | null {
    const row = this.db
      .select()
      .from(timelineEntries)
      .where(
        and(
          eq(timelineEntries.incidentNumber, incidentNumber),
          eq(timelineEntries.kind, kind),
          ne(timelineEntries.state, 'removed'),
        ),
      )
      .orderBy(desc(timelineEntries.occurredAt), desc(timelineEntries.recordedAt), desc(timelineEntries.id))
      .limit(1)
      .get();
    return row ? toEntry(row) : null;
  }

  countActive(incidentNumber: number): number {
    const r = this.db
      .select({ n: count() })
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentNumber, incidentNumber), ne(timelineEntries.state, 'removed')))
      .get();
    return r?.n ?? 0;
  }

  setState(id: number, state: EntryState): void {
    this.db.update(timelineEntries).set({ state }).where(eq(timelineEntries.id, id)).run();
  }

  /** Replaces the text, keeping the first text recorded in original_text. */
  edit(id: number, text: string, meta: EntryMeta): void {
    const row = this.db.select().from(timelineEntries).where(eq(timelineEntries.id, id)).get();
    if (!row || row.text === text) return;
    this.db
      .update(timelineEntries)
      .set({
        text,
        originalText: row.originalText ?? row.text,
        meta: { ...(row.meta as EntryMeta), ...meta },
      })
      .where(eq(timelineEntries.id, id))
      .run();
  }

  /**
   * Blanks what an entry said: its text, first text and files; `meta` is merged in (the time of a deletion,
   * say). The kind, author, times and links stay, so the timeline still shows that something was there.
   */
  blank(id: number, meta: EntryMeta = {}): void {
    const row = this.db.select().from(timelineEntries).where(eq(timelineEntries.id, id)).get();
    if (!row) return;
    // A resolution's summary and a reopening's reason are copied into meta beside the text.
    const { summary: _summary, reason: _reason, ...kept } = row.meta as EntryMeta;
    this.db
      .update(timelineEntries)
      .set({ text: '', originalText: null, meta: { ...kept, files: [], ...meta } })
      .where(eq(timelineEntries.id, id))
      .run();
  }

  /** Blanks an entry (see `blank`) and records who redacted it and when. */
  redact(id: number, by: string, at: number): void {
    this.blank(id);
    this.db
      .update(timelineEntries)
      .set({ redactedBy: by, redactedAt: at })
      .where(eq(timelineEntries.id, id))
      .run();
  }

  updateMeta(id: number, meta: EntryMeta): void {
    const row = this.db.select().from(timelineEntries).where(eq(timelineEntries.id, id)).get();
    if (!row) return;
    this.db
      .update(timelineEntries)
      .set({ meta: { ...(row.meta as EntryMeta), ...meta } })
      .where(eq(timelineEntries.id, id))
      .run();
  }
}
