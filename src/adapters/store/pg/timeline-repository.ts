/**
 * Timeline entries, on PostgreSQL. The reference behaviour is ../timeline-repository.ts; the unique
 * (incident, source_key) index is the final guard against doubles here too. Changes to `meta` are merged by
 * the database (`meta || patch`) in the statement that writes them, so two writers merging different keys at
 * once both keep theirs.
 */
import { and, asc, desc, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { TimelineRepo } from '../../../domain/ports/store.js';
import type { EntryKind, EntryMeta, EntryState, NewEntry, TimelineEntry } from '../../../domain/timeline.js';
import { timelineEntries } from './schema.js';
import type { PgSession } from './session.js';
import { TurnBatches } from './turn-batches.js';
import { toEntry } from '../timeline-repository.js';

/**
 * Adds an entry in one statement, which is its own transaction outside `store.tx`. It first takes the
 * incident's next number from `timeline_numbers`: the upsert locks that row until the end of the transaction,
 * so a second writer to the same incident (another request, another instance) waits, then reads the number
 * this one took, and never takes the same. A missing row starts from the incident's highest entry. The number
 * is taken only when the source key is new, so a repeated delivery adds nothing and takes no number; two
 * deliveries of the same key at the same moment may leave one gap, never a double.
 */
const ADD_ENTRY = `with taken as (
    insert into timeline_numbers as t (incident_number, last_number)
    select $1, coalesce((select max(number) from timeline_entries where incident_number = $1), 0) + 1
    where not exists (select 1 from timeline_entries where incident_number = $1 and source_key = $7)
    on conflict (incident_number) do update set last_number = t.last_number + 1
    returning last_number
  )
  insert into timeline_entries
    (incident_number, number, kind, text, actor, occurred_at, recorded_at, source_key, meta)
  select $1, taken.last_number, $2, $3, $4, $5, $6, $7, $8::jsonb from taken
  on conflict (incident_number, source_key) do nothing
  returning *`;

/**
 * ADD_ENTRY for several entries in one statement: the adds of one turn of the event loop made outside a
 * transaction (a burst of notes and pins), in one round trip instead of one each. A lone add, and every add
 * inside a transaction, keeps ADD_ENTRY: measured, this one statement for a single entry made the ack of a
 * lone note slower by a quarter and two instances' pinned reactions fewer per second. Within the batch a source
 * key counts once (its first add); each incident's row of `timeline_numbers` is bumped once by the number of
 * its new entries, in incident order (two batches lock rows in the same order, so they never deadlock), and
 * the entries take those numbers in the order they were added.
 */
const ADD_ENTRIES = `with input as (
    select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
      $8::jsonb[]) with ordinality
      as i(incident_number, kind, text, actor, occurred_at, recorded_at, source_key, meta, ord)
  ),
  fresh as (
    select distinct on (i.incident_number, i.source_key) i.* from input i
    where not exists (select 1 from timeline_entries e
      where e.incident_number = i.incident_number and e.source_key = i.source_key)
    order by i.incident_number, i.source_key, i.ord
  ),
  counts as (select incident_number, count(*)::int as n from fresh group by incident_number),
  taken as (
    insert into timeline_numbers as t (incident_number, last_number)
    select c.incident_number,
      coalesce((select max(number) from timeline_entries e where e.incident_number = c.incident_number), 0) + c.n
    from counts c order by c.incident_number
    on conflict (incident_number) do update
      set last_number = t.last_number + (select c2.n from counts c2 where c2.incident_number = excluded.incident_number)
    returning incident_number, last_number
  )
  insert into timeline_entries
    (incident_number, number, kind, text, actor, occurred_at, recorded_at, source_key, meta)
  select f.incident_number,
    tk.last_number - c.n + row_number() over (partition by f.incident_number order by f.ord),
    f.kind, f.text, f.actor, f.occurred_at, f.recorded_at, f.source_key, f.meta
  from fresh f join taken tk on tk.incident_number = f.incident_number
    join counts c on c.incident_number = f.incident_number
  order by f.ord
  on conflict (incident_number, source_key) do nothing
  returning *`;

/** An add: the entry, and when it was recorded. */
interface Add {
  entry: NewEntry;
  recordedAt: number;
}

/** An entry from a row read by SQL (`returning *`): column names as in the table, bigints as text. */
const fromSql = (r: Record<string, unknown>): TimelineEntry => ({
  id: r.id as number,
  incidentNumber: r.incident_number as number,
  number: r.number as number,
  kind: r.kind as EntryKind,
  text: r.text as string,
  originalText: r.original_text as string | null,
  actor: r.actor as string,
  occurredAt: Number(r.occurred_at),
  recordedAt: Number(r.recorded_at),
  sourceKey: r.source_key as string,
  state: r.state as EntryState,
  meta: r.meta as EntryMeta,
  redactedBy: r.redacted_by as string | null,
  redactedAt: r.redacted_at === null ? null : Number(r.redacted_at),
});

/**
 * `base` with `patch` merged in, as `{ ...base, ...patch }` stored as JSON would be: a member set to
 * undefined is dropped (JSON has no undefined), the others replace the base's.
 */
function merged(base: SQL, patch: EntryMeta): SQL {
  const dropped = Object.keys(patch).filter((k) => patch[k] === undefined);
  const without = dropped.length > 0 ? sql`(${base} - ${dropped}::text[])` : base;
  return sql`(${without} || ${JSON.stringify(patch)}::jsonb)`;
}

export class PgTimelineRepository implements TimelineRepo {
  /** the adds of one turn of the event loop, stored by one statement (turn-batches.ts) */
  private readonly batches = new TurnBatches<Add, TimelineEntry | null>({
    one: (a) => this.addOne(a),
    many: (as) => this.addMany(as),
    max: 500,
    // a refused statement's adds are stored again one by one in their order: the numbers follow it
    retryInOrder: true,
  });

  constructor(private readonly session: PgSession) {}

  /**
   * Adds an entry; a repeated source key adds nothing and returns null. Inside `store.tx`, one statement on
   * the transaction's connection (ADD_ENTRY). Outside, the adds of the same turn of the event loop share one
   * statement (ADD_ENTRIES, through TurnBatches): each add resolves once that statement has committed.
   * Only the source key may clash: a clash on the number would be a bug, and must not pass for a repeat.
   */
  add(entry: NewEntry, recordedAt: number): Promise<TimelineEntry | null> {
    const add = { entry, recordedAt };
    return this.session.inTransaction() ? this.addOne(add) : this.batches.add(add);
  }

  /** Resolves once every add queued so far has been answered (the store waits for it before closing). */
  idle(): Promise<void> {
    return this.batches.idle();
  }

  /** One add, in one round trip: the statement is prepared once per connection (every note and pin takes it). */
  private async addOne({ entry, recordedAt }: Add): Promise<TimelineEntry | null> {
    const [row] = await this.session.query<Record<string, unknown>>({
      name: 'timeline_add',
      text: ADD_ENTRY,
      values: [
        entry.incidentNumber,
        entry.kind,
        entry.text,
        entry.actor,
        entry.occurredAt,
        recordedAt,
        entry.sourceKey,
        JSON.stringify(entry.meta ?? {}),
      ],
    });
    return row ? fromSql(row) : null;
  }

  private async addMany(adds: Add[]): Promise<(TimelineEntry | null)[]> {
    const rows = await this.session.query<Record<string, unknown>>({
      name: 'timeline_add_many',
      text: ADD_ENTRIES,
      values: [
        adds.map((a) => a.entry.incidentNumber),
        adds.map((a) => a.entry.kind),
        adds.map((a) => a.entry.text),
        adds.map((a) => a.entry.actor),
        adds.map((a) => a.entry.occurredAt),
        adds.map((a) => a.recordedAt),
        adds.map((a) => a.entry.sourceKey),
        adds.map((a) => JSON.stringify(a.entry.meta ?? {})),
      ],
    });
    // each new key's row goes to its first add; a repeat (stored before, or earlier in the batch) gets null
    const added = new Map(rows.map((r) => [`${r.incident_number}\n${r.source_key}`, fromSql(r)]));
    return adds.map((a) => {
      const key = `${a.entry.incidentNumber}\n${a.entry.sourceKey}`;
      const entry = added.get(key) ?? null;
      added.delete(key);
      return entry;
    });
  }

  async bySourceKey(incidentNumber: number, sourceKey: string): Promise<TimelineEntry | null> {
    const [row] = await this.session.query<Record<string, unknown>>({
      name: 'timeline_by_source_key',
      text: 'select * from timeline_entries where incident_number = $1 and source_key = $2',
      values: [incidentNumber, sourceKey],
    });
    return row ? fromSql(row) : null;
  }

  /** The entry with this number in the incident, removed ones included. */
  async byNumber(incidentNumber: number, number: number): Promise<TimelineEntry | null> {
    const [row] = await this.session
      .db()
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentNumber, incidentNumber), eq(timelineEntries.number, number)));
    return row ? toEntry(row) : null;
  }

  /**
   * The incident's entries whose meta names this action item (its recording, its completion), as added.
   * Containment compares JSON values, so an `actionId` stored as the string "3" is not item 3 (as in SQLite).
   */
  async ofAction(incidentNumber: number, actionId: number): Promise<TimelineEntry[]> {
    const rows = await this.session
      .db()
      .select()
      .from(timelineEntries)
      .where(
        and(
          eq(timelineEntries.incidentNumber, incidentNumber),
          sql`${timelineEntries.meta} @> ${JSON.stringify({ actionId })}::jsonb`,
        ),
      )
      .orderBy(timelineEntries.id);
    return rows.map(toEntry);
  }

  /** Entries in timeline order (occurrence, recording, then as added); removed ones only when asked. */
  async list(incidentNumber: number, opts: { includeRemoved?: boolean } = {}): Promise<TimelineEntry[]> {
    const where = opts.includeRemoved
      ? eq(timelineEntries.incidentNumber, incidentNumber)
      : and(eq(timelineEntries.incidentNumber, incidentNumber), ne(timelineEntries.state, 'removed'));
    const rows = await this.session
      .db()
      .select()
      .from(timelineEntries)
      .where(where)
      .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.recordedAt), asc(timelineEntries.id));
    return rows.map(toEntry);
  }

  /** The last entry of this kind in timeline order that is not removed; null when there is none. */
  async latest(incidentNumber: number, kind: EntryKind): Promise<TimelineEntry | null> {
    const [row] = await this.session
      .db()
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
      .limit(1);
    return row ? toEntry(row) : null;
  }

  async countActive(incidentNumber: number): Promise<number> {
    const [r] = await this.session
      .db()
      .select({ n: sql<number>`count(*)::int` })
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentNumber, incidentNumber), ne(timelineEntries.state, 'removed')));
    return r?.n ?? 0;
  }

  async setState(id: number, state: EntryState): Promise<void> {
    await this.session.db().update(timelineEntries).set({ state }).where(eq(timelineEntries.id, id));
  }

  /**
   * Replaces the text, keeping the first text recorded in original_text; the same text changes nothing (not
   * even meta). One statement: the right-hand sides read the row as it was.
   */
  async edit(id: number, text: string, meta: EntryMeta): Promise<void> {
    await this.session
      .db()
      .update(timelineEntries)
      .set({
        text,
        originalText: sql`coalesce(${timelineEntries.originalText}, ${timelineEntries.text})`,
        meta: merged(sql`${timelineEntries.meta}`, meta),
      })
      .where(and(eq(timelineEntries.id, id), ne(timelineEntries.text, text)));
  }

  /**
   * Blanks what an entry said: its text, first text and files; `meta` is merged in (the time of a deletion,
   * say). The kind, author, times and links stay, so the timeline still shows that something was there.
   */
  async blank(id: number, meta: EntryMeta = {}): Promise<void> {
    await this.session.db().update(timelineEntries).set(this.blanked(meta)).where(eq(timelineEntries.id, id));
  }

  /** Blanks an entry (see `blank`) and records who redacted it and when, in one statement. */
  async redact(id: number, by: string, at: number): Promise<void> {
    await this.session
      .db()
      .update(timelineEntries)
      .set({ ...this.blanked({}), redactedBy: by, redactedAt: at })
      .where(eq(timelineEntries.id, id));
  }

  async updateMeta(id: number, meta: EntryMeta): Promise<void> {
    await this.session
      .db()
      .update(timelineEntries)
      .set({ meta: merged(sql`${timelineEntries.meta}`, meta) })
      .where(eq(timelineEntries.id, id));
  }

  /** The columns of a blanked entry. A resolution's summary and a reopening's reason are copied into meta beside the text. */
  private blanked(meta: EntryMeta) {
    const kept = sql`(${timelineEntries.meta} - 'summary' - 'reason')`;
    return { text: '', originalText: null, meta: merged(kept, { files: [], ...meta }) };
  }
}
