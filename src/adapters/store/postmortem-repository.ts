/**
 * Postmortem drafts: every `/incident postmortem` stores a new version before it is uploaded. Sharing a draft
 * is held by a lease (`upload_claimed_by`, `upload_claimed_until`) from the insert until it is uploaded or
 * given up, so a draft whose instance died before sharing it is claimed by another.
 */
import type { AbandonedUpload, Lease, PostmortemRepo } from '../../domain/ports/store.js';
import type { DraftFigures } from '../../domain/ports/postmortem.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, max, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { postmortemContents, postmortems } from './schema.js';
import type { PostmortemRecord } from '../../domain/ports/store.js';
export type { PostmortemRecord };

export type PostmortemRow = typeof postmortems.$inferSelect;

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

export class PostmortemRepository implements Synchronous<PostmortemRepo> {
  constructor(private readonly db: Db) {}

  /** Stores the next version of an incident's draft; returns its record (the markdown is not read back). */
  add(row: {
    incidentNumber: number;
    filename: (version: number) => string;
    content: string;
    requestedBy: string;
    createdAt: number;
    upload?: { lease: Lease; figures: DraftFigures };
  }): PostmortemRecord {
    const last = this.db
      .select({ v: max(postmortems.version) })
      .from(postmortems)
      .where(eq(postmortems.incidentNumber, row.incidentNumber))
      .get();
    const version = (last?.v ?? 0) + 1;
    // the draft and its markdown together (a savepoint when a unit of work is open)
    return this.db.$client.transaction(() => {
      const added = this.db
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
        .returning(record)
        .get();
      this.db.insert(postmortemContents).values({ postmortemId: added.id, content: row.content }).run();
      return added;
    })();
  }

  markUploaded(id: number, fileId: string, permalink: string | null, at: number): void {
    this.db
      .update(postmortems)
      .set({ fileId, permalink, uploadedAt: at, uploadClaimedBy: null, uploadClaimedUntil: null })
      .where(eq(postmortems.id, id))
      .run();
  }

  markGivenUp(id: number, at: number): void {
    this.db
      .update(postmortems)
      .set({ uploadGivenUpAt: at, uploadClaimedBy: null, uploadClaimedUntil: null })
      .where(eq(postmortems.id, id))
      .run();
  }

  /** Claims the drafts whose holder's lease ran out before they were shared, in one update (two processes never get the same). */
  claimAbandonedUploads(c: Lease & { now: number; limit: number }): AbandonedUpload[] {
    const batch = this.db
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
      .limit(Math.max(c.limit, 0));
    const claimed = this.db
      .update(postmortems)
      .set({ uploadClaimedBy: c.owner, uploadClaimedUntil: c.until })
      .where(sql`${postmortems.id} in ${batch}`)
      .returning({ ...record, figures: postmortems.figures })
      .all()
      .sort((a, b) => a.id - b.id);
    if (claimed.length === 0) return [];
    const markdown = new Map(
      this.db
        .select()
        .from(postmortemContents)
        .where(
          inArray(
            postmortemContents.postmortemId,
            claimed.map((p) => p.id),
          ),
        )
        .all()
        .map((c) => [c.postmortemId, c.content]),
    );
    return claimed.map(({ figures, ...postmortem }) => ({
      postmortem,
      markdown: markdown.get(postmortem.id) ?? '',
      // a lease is only ever stored with the figures (add)
      figures: figures!,
    }));
  }

  renewUpload(id: number, owner: string, until: number): boolean {
    return (
      this.db
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
        .run().changes === 1
    );
  }

  /**
   * Empties the stored markdown of the incident's drafts written at or after `since`: they may quote a
   * timeline entry that was just deleted or redacted. The version, file name and Slack permalink stay (the
   * headline links the uploaded file); `muster export` renders from the timeline, not from these rows.
   * Returns how many drafts were written since.
   */
  forgetContent(incidentNumber: number, since: number): number {
    const drafts = this.db
      .select({ id: postmortems.id })
      .from(postmortems)
      .where(and(eq(postmortems.incidentNumber, incidentNumber), gte(postmortems.createdAt, since)))
      .all()
      .map((d) => d.id);
    if (drafts.length === 0) return 0;
    this.db
      .update(postmortemContents)
      .set({ content: '' })
      .where(inArray(postmortemContents.postmortemId, drafts))
      .run();
    return drafts.length;
  }

  /** The newest uploaded draft of an incident, without its markdown (the headline reads it on every refresh). */
  latestUploaded(incidentNumber: number): PostmortemRecord | null {
    return (
      this.db
        .select(record)
        .from(postmortems)
        .where(and(eq(postmortems.incidentNumber, incidentNumber), isNotNull(postmortems.uploadedAt)))
        .orderBy(desc(postmortems.version))
        .limit(1)
        .get() ?? null
    );
  }
}
