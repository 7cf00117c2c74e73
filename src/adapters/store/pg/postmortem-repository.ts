/**
 * Postmortem drafts on PostgreSQL: every `/incident postmortem` stores a new version before it is uploaded.
 * The record (`postmortems`) and its markdown (`postmortem_contents`) are separate rows, so the headline
 * and the bot's thread read a draft without its megabytes.
 */
import { and, desc, eq, gte, inArray, isNotNull, max } from 'drizzle-orm';
import type { PostmortemRecord, PostmortemRepo } from '../../../domain/ports/store.js';
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
      .set({ fileId, permalink, uploadedAt: at })
      .where(eq(postmortems.id, id));
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
