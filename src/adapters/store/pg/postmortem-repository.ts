/**
 * Postmortem drafts on PostgreSQL: every `/incident postmortem` stores a new version before it is uploaded.
 * The record (`postmortems`) and its markdown (`postmortem_contents`) are separate rows, so the headline
 * and the bot's thread read a draft without its megabytes. Sharing a draft is held by a lease, as on SQLite
 * (the reference behaviour is ../postmortem-repository.ts).
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, max, sql } from 'drizzle-orm';
import type { DraftFigures } from '../../../domain/ports/postmortem.js';
import type {
  AbandonedUpload,
  Lease,
  PostmortemRecord,
  PostmortemRepo,
} from '../../../domain/ports/store.js';
import { atomically, Lock, lockIncident } from './locks.js';
import { postmortemContents, postmortems } from './schema.js';
import type { PgSession } from './session.js';

const record = {
  id: postmortems.id,
  incidentNumber: postmortems.incidentNumber,
  version: postmortems.version,
  filename: postmortems.filename,
  requestedBy: postmortems.requestedBy,
  createdAt: postmortems.createdAt,
  fileId: postmortems.fileId,
  permalink: postmortems.permalink,
  uploadedAt: postmortems.uploadedAt,
};

export class PgPostmortemRepository implements PostmortemRepo {
  constructor(private readonly session: PgSession) {}

  /**
   * Stores the next version of an incident's draft; returns its record (the markdown is not read back). The
   * version is the highest so far plus one. SQLite has one writer at a time; here two instances could read the
   * same highest version, and the second insert would hit the unique (incident, version) index. So numbering
   * takes the incident's draft-numbering lock (locks.ts), held until the transaction ends. An incident that
   * does not exist throws (foreign key).
   */
  async add(row: {
    incidentNumber: number;
    filename: (version: number) => string;
    content: string;
    requestedBy: string;
    createdAt: number;
    upload?: { lease: Lease; figures: DraftFigures };
  }): Promise<PostmortemRecord> {
    return atomically(this.session, async () => {
      await lockIncident(this.session, Lock.postmortemVersions, row.incidentNumber);
      const db = this.session.db();
      const [last] = await db
        .select({ v: max(postmortems.version) })
        .from(postmortems)
        .where(eq(postmortems.incidentNumber, row.incidentNumber));
      const version = (last?.v ?? 0) + 1;
      const [added] = await db
        .insert(postmortems)
        .values({
          incidentNumber: row.incidentNumber,
          version,
          filename: row.filename(version),
          requestedBy: row.requestedBy,
          createdAt: row.createdAt,
          figures: row.upload?.figures ?? null,
          uploadClaimedBy: row.upload?.lease.owner ?? null,
          uploadClaimedUntil: row.upload?.lease.until ?? null,
        })
        .returning(record);
      await db.insert(postmortemContents).values({ postmortemId: added!.id, content: row.content });
      return added!;
    });
  }

  async markUploaded(id: number, fileId: string, permalink: string | null, at: number): Promise<void> {
    await this.session
      .db()
      .update(postmortems)
      .set({ fileId, permalink, uploadedAt: at, uploadClaimedBy: null, uploadClaimedUntil: null })
      .where(eq(postmortems.id, id));
  }

  async markGivenUp(id: number, at: number): Promise<void> {
    await this.session
      .db()
      .update(postmortems)
      .set({ uploadGivenUpAt: at, uploadClaimedBy: null, uploadClaimedUntil: null })
      .where(eq(postmortems.id, id));
  }

  /** Claims the drafts whose holder's lease ran out before they were shared: rows another claimer has locked are skipped. */
  async claimAbandonedUploads(c: Lease & { now: number; limit: number }): Promise<AbandonedUpload[]> {
    const db = this.session.db();
    const batch = db
      .select({ id: postmortems.id })
      .from(postmortems)
      .where(
        and(
          lte(postmortems.uploadClaimedUntil, c.now),
          isNull(postmortems.uploadedAt),
          isNull(postmortems.uploadGivenUpAt),
        ),
      )
      .orderBy(asc(postmortems.id))
      .limit(Math.max(c.limit, 0))
      .for('update', { skipLocked: true });
    const claimed = (
      await db
        .update(postmortems)
        .set({ uploadClaimedBy: c.owner, uploadClaimedUntil: c.until })
        .where(sql`${postmortems.id} in ${batch}`)
        .returning({ ...record, figures: postmortems.figures })
    ).sort((a, b) => a.id - b.id);
    if (claimed.length === 0) return [];
    const contents = await db
      .select()
      .from(postmortemContents)
      .where(
        inArray(
          postmortemContents.postmortemId,
          claimed.map((p) => p.id),
        ),
      );
    const markdown = new Map(contents.map((m) => [m.postmortemId, m.content]));
    return claimed.map(({ figures, ...postmortem }) => ({
      postmortem,
      markdown: markdown.get(postmortem.id) ?? '',
      // a lease is only ever stored with the figures (add)
      figures: figures!,
    }));
  }

  async renewUpload(id: number, owner: string, until: number): Promise<boolean> {
    const rows = await this.session
      .db()
      .update(postmortems)
      .set({ uploadClaimedUntil: until })
      .where(
        and(
          eq(postmortems.id, id),
          eq(postmortems.uploadClaimedBy, owner),
          isNull(postmortems.uploadedAt),
          isNull(postmortems.uploadGivenUpAt),
        ),
      )
      .returning({ id: postmortems.id });
    return rows.length === 1;
  }

  /**
   * Empties the stored markdown of the incident's drafts written at or after `since`: they may quote a
   * timeline entry that was just deleted or redacted. The version, file name and Slack permalink stay (the
   * headline links the uploaded file); `muster export` renders from the timeline, not from these rows.
   * Returns how many drafts were written since.
   */
  async forgetContent(incidentNumber: number, since: number): Promise<number> {
    return atomically(this.session, async () => {
      const db = this.session.db();
      const drafts = await db
        .select({ id: postmortems.id })
        .from(postmortems)
        .where(and(eq(postmortems.incidentNumber, incidentNumber), gte(postmortems.createdAt, since)));
      if (drafts.length === 0) return 0;
      await db
        .update(postmortemContents)
        .set({ content: '' })
        .where(
          inArray(
            postmortemContents.postmortemId,
            drafts.map((d) => d.id),
          ),
        );
      return drafts.length;
    });
  }

  /** The newest uploaded draft of an incident, without its markdown (the headline reads it on every refresh). */
  async latestUploaded(incidentNumber: number): Promise<PostmortemRecord | null> {
    const [r] = await this.session
      .db()
      .select(record)
      .from(postmortems)
      .where(and(eq(postmortems.incidentNumber, incidentNumber), isNotNull(postmortems.uploadedAt)))
      .orderBy(desc(postmortems.version))
      .limit(1);
    return r ?? null;
  }
}
